/**
 * Routes the Temporal SDK's logs (worker lifecycle, workflow and activity `log` calls, core's own
 * messages) into the process's JSON logger. The SDK attaches workflowId, runId, workflowType,
 * activityType and taskQueue to each entry, and Temporal's OpenTelemetry interceptors add the trace
 * ids, so every line says which workflow and which trace it belongs to.
 */
import type { Logger as TemporalLogger, LogLevel, LogMetadata } from '@temporalio/common';
import type { Logger } from '../platform/logger';

const PINO_LEVEL = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

export function temporalLogger(logger: Logger): TemporalLogger {
  const log = (level: LogLevel, message: string, meta: LogMetadata = {}): void => {
    logger[PINO_LEVEL[level]]({ ...meta }, message);
  };
  return {
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
  };
}
