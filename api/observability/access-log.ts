/**
 * One log line per answered request. Successful requests log at `debug`: at thousands of requests
 * per second an info line each would cost more than it tells, and the metrics already count them.
 * Client errors log at `info`, server errors at `error`, so the default level shows what matters.
 */
import type { Logger } from '../../platform/logger';
import type { Answered } from './answered';

export function logRequest(logger: Logger, { requestId, method, route, status, elapsedMs }: Answered): void {
  const level = status >= 500 ? 'error' : status >= 400 ? 'info' : 'debug';
  if (!logger.isLevelEnabled(level)) return;
  logger[level]({ requestId, method, route, status, durationMs: Math.round(elapsedMs * 10) / 10 }, 'request');
}
