/**
 * What the Node server calls for each request: the app, behind the catalog's cached reads
 * (./catalog/cached-reads.ts). The API process and the tests' harness both serve this, so the
 * tests cover the path production takes.
 */
import type { Hono } from 'hono';
import { withCachedCatalogReads } from './catalog/cached-reads';
import type { AppDependencies } from './deps';
import { createRequestObserver } from './observability/observe';

export function serverFetch(
  app: Hono,
  deps: AppDependencies,
): (request: Request, env?: unknown) => Response | Promise<Response> {
  return withCachedCatalogReads((request, env) => app.fetch(request, env), {
    productCache: deps.productCache,
    observe: createRequestObserver(deps.logger, deps.metrics),
  });
}
