/**
 * Worker process of the baseline workflows (their own task queue), started by `npm run bench`. It
 * is set up as the checkout's worker is (workers/main.ts): the same configuration variables and
 * tuning (cache size, concurrency), the same SDK runtime and JSON logger, and the launcher gives it
 * the same CPU niceness; only its workflows and no-op activities differ. It says it is ready over
 * the IPC channel, so its stdout can be discarded like the checkout worker's.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { loadWorkerConfig, workerTuning } from '../../workers/config';
import { createLogger } from '../../platform/logger';
import { temporalConnectionOptions } from '../../platform/temporal-connection';
import { installWorkerRuntime } from '../../workers/runtime';
import { baselineActivities } from './activities';

export const BASELINE_TASK_QUEUE = 'bench-baseline';
export const BASELINE_READY = 'baseline worker running';

async function main(): Promise<void> {
  const config = loadWorkerConfig();
  installWorkerRuntime(
    createLogger({ service: 'bench-baseline-worker', level: config.LOG_LEVEL }),
    config.METRICS_PORT,
  );
  const connection = await NativeConnection.connect(temporalConnectionOptions(config));
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: BASELINE_TASK_QUEUE,
    workflowsPath: require.resolve('./workflows'),
    activities: baselineActivities,
    ...workerTuning(config),
  });
  process.send?.(BASELINE_READY);
  await worker.run();
  await connection.close();
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
