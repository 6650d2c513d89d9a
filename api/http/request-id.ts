/**
 * The request id that ties an answer to its log lines: the caller's `X-Request-Id` when it is a
 * plausible id (as a load balancer or the storefront sends it), otherwise a fresh UUID. The rules
 * are Hono's requestId() middleware's, whose work api/http/edge.ts now does in its one layer: at
 * most 255 characters of [A-Za-z0-9_=-], so a client cannot inject text into logs or headers.
 */
import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'X-Request-Id';
const MAX_LENGTH = 255;
const UNSAFE = /[^\w\-=]/;

export function requestIdFrom(incoming: string | undefined): string {
  if (!incoming || incoming.length > MAX_LENGTH || UNSAFE.test(incoming)) return randomUUID();
  return incoming;
}

declare module 'hono' {
  interface ContextVariableMap {
    /** Set by api/http/edge.ts on every request. */
    requestId: string;
  }
}
