/**
 * How the web pages (web/) call this API: in-process, through the same Hono app (`app.fetch`), so
 * a page goes through exactly the edge, auth, validation and rate limits any client meets, with no
 * socket and no second port.
 *
 * The inner request is the page request's, as far as the edge can tell:
 * - Client address: it carries the page request's own Node bindings (its socket) and its
 *   X-Forwarded-For header, unchanged. client-address.ts then resolves the same client for both,
 *   by the same TRUSTED_PROXIES rules, so per-client limits (failed logins) count the shopper, not
 *   "the web layer". The header is always replaced by the page request's own (or removed), so page
 *   code cannot set an address, and the socket's outgoing side is not passed, so the inner answer's
 *   headers never land on the page's response.
 * - Request id: the page's, so its log lines and the API calls it made share one id.
 * - Traces: each call is its own span under the page's, named after the API route it matched.
 * Access logs and metrics record each call under its API route, as they would an outside client's.
 */
import type { HttpBindings } from '@hono/node-server';
import { trace } from '@opentelemetry/api';
import type { Hono } from 'hono';
import type { ApiTransport } from '../../web/api-client';
import { REQUEST_ID_HEADER } from './request-id';

const FORWARDED_FOR = 'X-Forwarded-For';
const tracer = trace.getTracer('temporal-commerce-web');

export function inProcessTransport(app: Hono): ApiTransport {
  return (request, page) => {
    const headers = new Headers(request.headers);
    headers.delete(FORWARDED_FOR);
    const forwardedFor = page.req.header(FORWARDED_FOR);
    if (forwardedFor !== undefined) headers.set(FORWARDED_FOR, forwardedFor);
    headers.set(REQUEST_ID_HEADER, page.get('requestId'));
    const incoming = (page.env as Partial<HttpBindings> | undefined)?.incoming;
    const inner = new Request(request, { headers });
    return tracer.startActiveSpan(`web -> ${request.method}`, async (span) => {
      try {
        return await app.fetch(inner, incoming ? { incoming } : {});
      } finally {
        span.end();
      }
    });
  };
}
