/**
 * Worker process: polls the task queue, runs workflow tasks and activities. Start as many as load
 * needs (WORKER_COUNT in `npm start`, replicas in Kubernetes); they share the task queue.
 * SIGINT/SIGTERM make the SDK stop polling, let in-flight tasks finish, then `run()` resolves.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { SimulatedCarrier } from '../activities/adapters/simulated-carrier';
import { SimulatedPaymentProvider } from '../activities/adapters/simulated-payment-provider';
import { createPrismaClient } from '../prisma/client';
import { loadWorkerConfig } from './config';
import { createWorker } from './create-worker';
import { ensureSchedules } from './schedules';

async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const db = createPrismaClient({ databaseUrl: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE });
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const clientConnection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  try {
    await ensureSchedules(new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE }), config.TEMPORAL_TASK_QUEUE);
    const worker = await createWorker({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowBundlePath: config.WORKFLOW_BUNDLE_PATH,
      activityDependencies: {
        db,
        paymentProvider: new SimulatedPaymentProvider(db, { latencyMs: config.SIM_PAYMENT_LATENCY_MS }),
        carrier: new SimulatedCarrier(db),
        reservationTtlMs: config.RESERVATION_TTL_MINUTES * 60_000,
      },
      tuning: {
        maxConcurrentActivityTaskExecutions: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
        maxConcurrentWorkflowTaskExecutions: config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
      },
    });
    await worker.run();
  } finally {
    await clientConnection.close();
    await connection.close();
    await db.$disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
