/**
 * Worker process: polls the task queue, runs workflow tasks and activities. Start as many as load
 * needs (WORKER_COUNT in `npm start`, replicas in Kubernetes); they share the task queue.
 *
 * SIGTERM/SIGINT: the SDK's runtime stops polling, lets in-flight workflow tasks and activities finish
 * for up to SHUTDOWN_GRACE_MS, then cancels what is left; the server hands those activities to another
 * worker once their heartbeat or start-to-close timeout passes. Then `run()` resolves and we close up.
 */
import { tracing } from './instrument';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { providerAdapters } from '../activities/adapters/providers';
import { createSmtpMailer } from '../activities/notifications/mailer';
import { createPrismaClient } from '../prisma/client';
import { loadWorkerConfig, workerTuning } from './config';
import { createWorker } from './create-worker';
import { providersOf } from '../platform/env';
import { createLogger } from '../platform/logger';
import { temporalConnectionOptions } from '../platform/temporal-connection';
import { installWorkerRuntime } from './runtime';
import { ensureSchedules } from './schedules';
import { workerVersion } from './versioning';

async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const version = workerVersion(config);
  const logger = createLogger({ service: 'commerce-worker', level: config.LOG_LEVEL });
  // Must precede every connection: the runtime owns the SDK's metrics exporter and its logger.
  installWorkerRuntime(logger, config.METRICS_PORT);

  const db = createPrismaClient({ databaseUrl: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE });
  // The worker's and its schedule client's connections, both secured as configured (TLS, mTLS, API key).
  const temporalOptions = temporalConnectionOptions(config);
  const connection = await NativeConnection.connect(temporalOptions);
  const clientConnection = await Connection.connect(temporalOptions);
  try {
    await ensureSchedules(
      new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE }),
      config.TEMPORAL_TASK_QUEUE,
    );
    const worker = await createWorker({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowBundlePath: config.WORKFLOW_BUNDLE_PATH,
      activityDependencies: {
        db,
        // The payment provider and carrier PROVIDERS names, the setting the API reads too.
        ...providerAdapters(providersOf(config), db, { simPaymentLatencyMs: config.SIM_PAYMENT_LATENCY_MS }),
        reservationTtlMs: config.RESERVATION_TTL_MINUTES * 60_000,
        mailer: createSmtpMailer(config.SMTP_URL),
        mailFrom: config.MAIL_FROM,
        storefrontUrl: config.STOREFRONT_URL,
        cartReminderAfterHours: config.CART_REMINDER_AFTER_HOURS,
        maxUnpaidOrdersPerCustomer: config.MAX_UNPAID_ORDERS_PER_CUSTOMER,
      },
      tuning: workerTuning(config),
      tracing,
      version,
    });
    logger.info(
      {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        providers: providersOf(config),
        metricsPort: config.METRICS_PORT || null,
        tracing: Boolean(tracing),
        deployment: version ?? null,
      },
      'worker running',
    );
    await worker.run();
    logger.info('worker stopped');
  } finally {
    await clientConnection.close();
    await connection.close();
    await db.$disconnect();
    await tracing?.shutdown();
  }
}

main().catch((error: unknown) => {
  // Configuration errors never include values (see parseEnv), so the message is safe to print.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
