import type { Context } from 'hono';
import type { z } from 'zod';
import { problems } from './problem';

/** Turns zod issues into the `errors` list of a validation_failed problem (paths, not values). */
function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
}

/** Validates `value` against `schema` or throws 400 validation_failed. Unknown keys are stripped. */
export function validate<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw problems.validationFailed(`${what} is invalid`, issuesOf(parsed.error));
  return parsed.data;
}

/** JSON.parse that turns malformed input into 400 validation_failed (no parser internals leak). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw problems.validationFailed('request body is not valid JSON');
  }
}

/** Parses the JSON body and validates it. Malformed JSON is a 400 like any other bad input. */
export async function readJsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  return validate(schema, parseJson(await c.req.text()), 'request body');
}

export function readQuery<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  return validate(schema, c.req.query(), 'query string');
}
