/**
 * The request body limit, read from Content-Length where there is one. Hono's bodyLimit() reads
 * `c.req.raw.body`, and on Node that alone makes @hono/node-server build a full WHATWG Request
 * with a Web stream over the socket, which the handler's `c.req.text()` then reads chunk by chunk
 * instead of through the adapter's direct read of the IncomingMessage: a share of a cart add's CPU
 * worth saving (docs/performance.md#body-limit). Node's HTTP parser reads exactly Content-Length bytes, so that
 * header is the body's size; only a chunked body (Transfer-Encoding, no length) is counted as it
 * streams, by Hono's bodyLimit() itself, which also refuses a request that carries both headers.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

export interface BodyLimitOptions {
  maxSize: number;
  onError: (c: Context) => Response | Promise<Response>;
}

export function bodyLimitByLength(options: BodyLimitOptions): MiddlewareHandler {
  const streamed = bodyLimit(options);
  return async (c, next) => {
    const length = c.req.header('Content-Length');
    const chunked = c.req.header('Transfer-Encoding') !== undefined;
    if (chunked) return streamed(c, next);
    // Neither header: a request without a body (RFC 9112, section 6.3).
    if (length === undefined) return next();
    if (Number(length) > options.maxSize) return options.onError(c);
    return next();
  };
}
