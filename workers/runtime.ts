/**
 * The Temporal SDK's process-wide runtime of a worker: its log lines go through our JSON logger
 * (workflow lines then carry workflowId, runId and workflowType), the core's own logs from WARN up,
 * and, with a port, the SDK's Prometheus metrics. Must run before the process's first connection.
 * Shared by every worker process of the repository, so each does the same per-task work.
 */
import { Runtime } from '@temporalio/worker';
import type { Logger } from '../platform/logger';
import { temporalLogger } from './temporal-logger';

export function installWorkerRuntime(logger: Logger, metricsPort: number): void {
  Runtime.install({
    logger: temporalLogger(logger),
    telemetryOptions: {
      logging: { forward: {}, filter: { core: 'WARN', other: 'WARN' } },
      ...(metricsPort > 0
        ? { metrics: { prometheus: { bindAddress: `0.0.0.0:${metricsPort}`, useSecondsForDurations: true } } }
        : {}),
    },
  });
}
