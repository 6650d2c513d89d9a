import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * True when `header` is `sha256=<hex HMAC-SHA256 of rawBody under secret>`. Compared in constant
 * time, over the body's bytes exactly as received: decoding first would drop a byte-order mark and
 * re-serialised JSON would not match the sender's bytes either.
 */
export function hasValidSignature(secret: string, rawBody: Uint8Array | string, header: string | undefined): boolean {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header ?? '');
  if (!match?.[1]) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const given = Buffer.from(match[1], 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function signatureFor(secret: string, rawBody: Uint8Array | string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}
