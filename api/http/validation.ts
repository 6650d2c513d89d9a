import type { Context } from 'hono';
import type { z } from 'zod';
import { problems } from './problem';

type Issue = { path: string; message: string };

/** Turns zod issues into the `errors` list of a validation_failed problem (paths, not values). */
function issuesOf(error: z.ZodError): Issue[] {
  return error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
}

/**
 * NUL, or a UTF-16 surrogate without its partner. PostgreSQL text cannot hold NUL and jsonb refuses
 * both, so such a string fails deep inside a query (a 500), or inside a workflow activity that then
 * retries forever; lone surrogates are not Unicode text at all (RFC 7493 forbids them in JSON).
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this pattern must find.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True when `text` cannot be stored as PostgreSQL text or jsonb (see UNSTORABLE). */
export function isUnstorableText(text: string): boolean {
  return UNSTORABLE.test(text);
}

/** Paths of the strings in `value` (validated data: plain objects, arrays, scalars) that cannot be stored. */
function unstorableTextIssues(value: unknown): Issue[] {
  const issues: Issue[] = [];
  // Iterative, so no input can exhaust the stack.
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { value: v, path } = next;
    if (typeof v === 'string') {
      if (isUnstorableText(v))
        issues.push({ path: path.join('.') || '(body)', message: 'Text must not contain NUL or unpaired surrogates' });
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push({ value: item, path: [...path, i] }));
    } else if (v !== null && typeof v === 'object') {
      for (const [key, item] of Object.entries(v)) stack.push({ value: item, path: [...path, key] });
    }
  }
  return issues;
}

/**
 * Validates `value` against `schema` or throws 400 validation_failed. Unknown keys are stripped.
 * Text that PostgreSQL cannot store is refused here too, like any other malformed field.
 */
export function validate<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw problems.validationFailed(`${what} is invalid`, issuesOf(parsed.error));
  const unstorable = unstorableTextIssues(parsed.data);
  if (unstorable.length > 0) throw problems.validationFailed(`${what} is invalid`, unstorable);
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
