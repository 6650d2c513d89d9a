import { z } from 'zod';
import { problems } from './problem';
import { isUnstorableText } from './validation';

/** `limit` of list endpoints: 1..100, default 20. */
export const limitParam = z.coerce.number().int().min(1).max(100).default(20);

/**
 * ISO 8601 has a year 0000 (1 BC); PostgreSQL's timestamp input has no year 0, so a forged cursor
 * with it failed the query (a 500). No cursor this API issues predates year 1.
 */
const createdAtCursorSchema = z.object({
  createdAt: z.iso.datetime().refine((iso) => new Date(iso).getUTCFullYear() >= 1, 'year must be 1 or later'),
  id: z.uuid(),
});

/** Cursor of a newest-first (createdAt, id) page: what comes after `last`, when there is more. */
export function nextCreatedAtCursor(
  last: { createdAt: Date; id: string } | undefined,
  hasMore: boolean,
): string | null {
  return hasMore && last ? encodeCursor({ createdAt: last.createdAt.toISOString(), id: last.id }) : null;
}

/** The (createdAt, id) position a newest-first cursor stands for; 400 for a forged one. */
export function decodeCreatedAtCursor(cursor: string | undefined): { createdAt: Date; id: string } | undefined {
  if (cursor === undefined) return undefined;
  const key = decodeCursor(cursor, createdAtCursorSchema);
  return { createdAt: new Date(key.createdAt), id: key.id };
}

/** Opaque cursors: base64url JSON, so clients cannot depend on (or forge meaning into) their shape. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodeCursor<S extends z.ZodType>(cursor: string, schema: S): z.infer<S> {
  const invalid = () =>
    problems.validationFailed('cursor is invalid', [{ path: 'cursor', message: 'not a cursor this API issued' }]);
  let decoded: z.infer<S>;
  try {
    decoded = schema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw invalid();
  }
  // A forged cursor can carry NUL or lone surrogates, which no query can take (see validation.ts).
  if (Object.values(decoded as object).some((v) => typeof v === 'string' && isUnstorableText(v))) throw invalid();
  return decoded;
}
