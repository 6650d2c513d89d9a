/**
 * `GET /v1/products/:sku` answered from this process's memory before Hono's router, when it can be.
 *
 * Why: Hono composes a route that has middleware (the edge layer) as async functions, so the
 * answer is a promise, and @hono/node-server then attaches a close handler and awaits it; a route
 * with no middleware that answers synchronously takes the adapter's direct path instead. On the
 * catalog's cached read that difference was a large share of its cost against the bare route
 * (docs/performance.md#cached-catalog-reads). So a memory hit is answered here, synchronously,
 * with what the edge layer gives every answer (request id, security headers, `Vary: Origin`, the
 * metrics, log line and span name of the route) and the product route's body and content type.
 *
 * Everything else goes to the app as before: a miss (Redis, then the database), another method,
 * a query string, an encoded or odd path, a cross-origin request (its CORS headers are cors()'s).
 */
import type { HttpBindings } from '@hono/node-server';
import { REQUEST_ID_HEADER, requestIdFrom } from '../http/request-id';
import { setAnswerHeaders } from '../http/edge';
import type { RequestObserver } from '../observability/observe';
import type { ProductCache } from './product-cache';

const PREFIX = '/v1/products/';
const PRODUCT_ROUTE = '/v1/products/:sku';
/** A sku needing no decoding (no `%`), no further segment, no query. */
const PLAIN_SKU = /^[A-Za-z0-9._~-]+$/;

type Fetch = (request: Request, env?: unknown) => Response | Promise<Response>;

export interface CachedReadOptions {
  productCache: ProductCache;
  observe: RequestObserver;
}

/** The sku of a cached-read candidate URL (`http://host/v1/products/SKU`), else undefined. */
function plainSkuOf(url: string): string | undefined {
  const pathStart = url.indexOf('/', url.indexOf('//') + 2);
  if (pathStart < 0 || !url.startsWith(PREFIX, pathStart)) return undefined;
  const sku = url.slice(pathStart + PREFIX.length);
  return PLAIN_SKU.test(sku) ? sku : undefined;
}

/** `fetch` with the catalog's memory hits answered before it; only on Node (the headers go on the outgoing response). */
export function withCachedCatalogReads(fetch: Fetch, { productCache, observe }: CachedReadOptions): Fetch {
  return (request, env) => {
    const outgoing = (env as Partial<HttpBindings> | undefined)?.outgoing;
    if (request.method !== 'GET' || outgoing === undefined) return fetch(request, env);
    const sku = plainSkuOf(request.url);
    if (sku === undefined || request.headers.get('Origin') !== null) return fetch(request, env);
    const body = productCache.peek(sku);
    if (body === undefined) return fetch(request, env);

    const started = performance.now();
    const requestId = requestIdFrom(request.headers.get(REQUEST_ID_HEADER) ?? undefined);
    setAnswerHeaders((name, value) => outgoing.setHeader(name, value), requestId, false);
    const answer = new Response(body, { status: 200, headers: { 'Content-Type': 'application/json' } });
    observe.answered({
      requestId,
      method: 'GET',
      route: PRODUCT_ROUTE,
      status: 200,
      elapsedMs: performance.now() - started,
    });
    return answer;
  };
}
