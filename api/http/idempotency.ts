import type { Context } from 'hono';
import { problems } from './problem';

/** The Idempotency-Key header (1-255 characters), or 400 idempotency_key_required. */
export function readIdempotencyKey(c: Context): string {
  const key = c.req.header('Idempotency-Key');
  if (key === undefined || key.length < 1 || key.length > 255) throw problems.idempotencyKeyRequired();
  return key;
}
