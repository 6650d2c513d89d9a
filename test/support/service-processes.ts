/**
 * The API and the worker as real processes (`node --import tsx api/server.ts`, `workers/main.ts`), for
 * tests of what only a process shows: telemetry set up at start, metrics ports, signal handling.
 * They use the test run's database, Redis and Temporal dev server, on a task queue of their own.
 */
import { randomUUID } from 'node:crypto';
import { freePort } from '../../tooling/ports';
import { launch, type LaunchedProcess } from '../../tooling/processes';
import type { Db } from '../../prisma/client';
import { checkoutBody } from './api-harness';
import { createTestProduct, createTestUser } from './fixtures';
import { testEnv } from './test-env';
import { waitUntil } from './wait';

export interface ServiceProcess extends LaunchedProcess {
  /** Parsed JSON log lines so far (non-JSON lines skipped). */
  logs(): Record<string, unknown>[];
}

export function spawnService(script: 'api/server.ts' | 'workers/main.ts', env: Record<string, string>): ServiceProcess {
  const launched = launch(script, {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    output: 'lines',
  });
  const logs = (): Record<string, unknown>[] =>
    launched.lines.flatMap((line) => {
      try {
        const parsed: unknown = JSON.parse(line);
        return parsed && typeof parsed === 'object' ? [parsed as Record<string, unknown>] : [];
      } catch {
        return [];
      }
    });
  return { ...launched, logs };
}

/** Environment for one API + worker pair: own task queue, Redis prefix and ports. */
export async function serviceEnv(extra: Record<string, string> = {}): Promise<{
  env: Record<string, string>;
  apiPort: number;
  apiMetricsPort: number;
  workerMetricsPort: number;
  taskQueue: string;
}> {
  const taskQueue = `proc-${randomUUID()}`;
  const [apiPort, apiMetricsPort, workerMetricsPort] = [await freePort(), await freePort(), await freePort()];
  const env = {
    NODE_ENV: 'test',
    DATABASE_URL: testEnv.databaseUrl,
    DATABASE_POOL_SIZE: '4',
    REDIS_URL: testEnv.redisUrl,
    REDIS_KEY_PREFIX: `${testEnv.redisPrefix}${taskQueue}:`,
    TEMPORAL_ADDRESS: testEnv.temporalAddress,
    TEMPORAL_TASK_QUEUE: taskQueue,
    WORKFLOW_BUNDLE_PATH: testEnv.workflowBundle,
    HOST: '127.0.0.1',
    PORT: String(apiPort),
    LOG_LEVEL: 'info',
    // These tests are about the process (signals, telemetry); versioned workers are the harness's
    // (api-harness.ts) and the versioning drill's, which also make their build current.
    WORKER_VERSIONING: 'off',
    ...extra,
  };
  return { env, apiPort, apiMetricsPort, workerMetricsPort, taskQueue };
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
export function stopService(service: ServiceProcess, graceMs = 15_000): Promise<void> {
  return service.stop(graceMs);
}

/** A new customer logs in to the API process at `baseUrl` and checks out one unit of a new product. */
export async function placeCheckout(
  baseUrl: string,
  db: Db,
): Promise<{ status: number; orderId: string; workflowId: string; accessToken: string }> {
  const customer = await createTestUser(db);
  const sku = await createTestProduct(db, { onHand: 5 });
  const login = await fetch(`${baseUrl}/v1/auth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: customer.email, password: customer.password }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const placed = await fetch(`${baseUrl}/v1/checkouts`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${accessToken}`,
      'Idempotency-Key': randomUUID(),
    },
    body: JSON.stringify(checkoutBody([{ sku, quantity: 1 }])),
  });
  const { orderId, workflowId } = (await placed.json()) as { orderId: string; workflowId: string };
  return { status: placed.status, orderId, workflowId, accessToken };
}

/** Polls GET /v1/orders/:id on the API process at `baseUrl` until `done(order)`; returns that order. */
export function waitForOrder<O extends { status: string }>(
  baseUrl: string,
  orderId: string,
  accessToken: string,
  done: (order: O) => boolean,
  timeoutMs = 30_000,
): Promise<O> {
  return waitUntil(
    async () => {
      const res = await fetch(`${baseUrl}/v1/orders/${orderId}`, {
        headers: { Authorization: `Bearer ${accessToken}` },
      });
      const order = (await res.json()) as O;
      return res.ok && done(order) ? order : undefined;
    },
    `order ${orderId} to reach the expected state`,
    { timeoutMs },
  );
}
