/**
 * One log line per answered request. Successful requests log at `debug`: at thousands of requests
 * per second an info line each would cost more than it tells, and the metrics already count them.
 * Client errors log at `info`, server errors at `error`, so the default level shows what matters.
 */
import type { Context } from 'hono';
import type { Logger } from '../../platform/logger';

export function logRequest(logger: Logger, c: Context, route: string, durationMs: number): void {
  const status = c.res.status;
  const level = status >= 500 ? 'error' : status >= 400 ? 'info' : 'debug';
  if (!logger.isLevelEnabled(level)) return;
  logger[level](
    {
      requestId: c.get('requestId'),
      method: c.req.method,
      route,
      status,
      durationMs: Math.round(durationMs * 10) / 10,
    },
    'request',
  );
}
