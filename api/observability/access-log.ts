/**
 * One log line per answered request. Successful requests log at `debug`: at thousands of requests
 * per second an info line each would cost more than it tells, and the metrics already count them.
 * Client errors log at `info`, server errors at `error`, so the default level shows what matters.
 */
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Logger } from '../../workers/observability/logger';

export function accessLog(logger: Logger): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const status = c.res.status;
    const level = status >= 500 ? 'error' : status >= 400 ? 'info' : 'debug';
    if (!logger.isLevelEnabled(level)) return;
    logger[level](
      {
        requestId: c.get('requestId'),
        method: c.req.method,
        route: routePath(c, -1),
        status,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
      },
      'request',
    );
  };
}
