import { z } from 'zod';
import { problems } from './problem';

/** `limit` of list endpoints: 1..100, default 20. */
export const limitParam = z.coerce.number().int().min(1).max(100).default(20);

/** Opaque cursors: base64url JSON, so clients cannot depend on (or forge meaning into) their shape. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodeCursor<S extends z.ZodType>(cursor: string, schema: S): z.infer<S> {
  try {
    return schema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw problems.validationFailed('cursor is invalid', [{ path: 'cursor', message: 'not a cursor this API issued' }]);
  }
}
