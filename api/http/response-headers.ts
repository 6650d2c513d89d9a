/**
 * Headers that every answer to a request carries, set once when the request arrives (request id,
 * security headers, Vary). Whatever builds the answer later (a handler, onError's problem+json, the
 * 404, a CORS preflight, the deadline's 503, or @hono/node-server's own 500) then carries them too.
 *
 * On Node they go on the outgoing ServerResponse itself (`c.env.outgoing`, the binding Hono's Node
 * adapter documents), and Node merges them into the status line's headers when the answer is
 * written. That is one plain setHeader() each, where c.header() costs a WHATWG Headers object per
 * response that the adapter then has to walk back into a plain object, a large share of a cached
 * catalog read (docs/performance.md#response-headers).
 * Elsewhere (app.request() in a test, another runtime) they go through c.header() as usual, and an
 * answer's own header of the same name wins either way.
 */
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';

export function presetHeader(c: Context, name: string, value: string): void {
  const outgoing = (c.env as Partial<HttpBindings> | undefined)?.outgoing;
  if (outgoing) outgoing.setHeader(name, value);
  else c.header(name, value);
}
