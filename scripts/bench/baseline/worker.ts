/** Worker process of the baseline workflow (its own task queue), started by `npm run bench`. */
import { NativeConnection, Runtime, DefaultLogger, Worker } from '@temporalio/worker';
import { baselineActivities } from './activities';

export const BASELINE_TASK_QUEUE = 'bench-baseline';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' });
  const worker = await Worker.create({
    connection,
    taskQueue: BASELINE_TASK_QUEUE,
    workflowsPath: require.resolve('./workflows'),
    activities: baselineActivities,
  });
  console.log('baseline worker running');
  await worker.run();
  await connection.close();
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
