/**
 * What the API records of each answered request: metrics, the access log line and the span's name,
 * all from one timing and one route lookup. It runs inside api/http/edge.ts's single layer rather
 * than as a middleware of its own, because every async layer costs on the hottest routes
 * (docs/performance.md#request-observation).
 */
import type { Context } from 'hono';
import { routePath } from 'hono/route';
import type { Logger } from '../../platform/logger';
import { logRequest } from './access-log';
import type { Answered } from './answered';
import type { HttpMetrics } from './http-metrics';
import { nameServerSpan } from './trace-route';

/** Records one answered request (`c.res` is its answer) that took `elapsedMs`. */
export type RequestObserver = (c: Context, elapsedMs: number) => void;

export function createRequestObserver(logger: Logger, metrics: HttpMetrics | undefined): RequestObserver {
  const answered = (a: Answered): void => {
    metrics?.record(a.method, a.route, a.status, a.elapsedMs / 1000);
    logRequest(logger, a);
    nameServerSpan(a.method, a.route);
  };
  return (c: Context, elapsedMs: number): void => {
    const matched = routePath(c, -1);
    // Unmatched paths share one label value: a scanner must not mint a series per URL.
    const route = matched === '/*' || matched === '*' ? 'unmatched' : matched;
    answered({ requestId: c.get('requestId'), method: c.req.method, route, status: c.res.status, elapsedMs });
  };
}
