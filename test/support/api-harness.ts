/**
 * A real API (real HTTP on a free port) and a real worker (on the test run's Temporal dev server,
 * with the real activities, PostgreSQL and the simulated payment provider), on a task queue of its
 * own so test files running in parallel never pick up each other's workflows. The worker mails
 * through a real SMTP server of the harness's own (the mail catcher), so the emails the workflows
 * send can be read back. Every answer `request` receives is checked against the API's own
 * /openapi.json (./openapi-conformance.ts): an answer the document does not describe fails the
 * test that received it.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { ServerType } from '@hono/node-server';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createSmtpMailer } from '../../activities/notifications/mailer';
import { SimulatedCarrier } from '../../activities/adapters/simulated-carrier';
import { SimulatedPaymentProvider } from '../../activities/adapters/simulated-payment-provider';
import { createApp } from '../../api/app';
import { buildDependencies, type BuildOptions, type BuiltDependencies } from '../../api/build-deps';
import { loadApiConfig } from '../../api/config';
import { serveApp } from '../../api/serve-app';
import { startMailCatcher, type MailCatcher } from '../../tooling/mail-catcher';
import { freePort } from '../../tooling/ports';
import { makeVersionCurrent } from '../../tooling/worker-deployment';
import { createWorker } from '../../workers/create-worker';
import { workerBuildId } from '../../workers/versioning';
import { createTestUser, type TestUser } from './fixtures';
import { conformanceOf } from './openapi-conformance';
import { testEnv } from './test-env';
import { hookStarted } from './hook-started';
import { waitUntil } from './wait';
import { isPagePath } from '../../web/paths';

/**
 * One answer of the API under test. The body defaults to `any` on purpose: tests read the bodies of
 * every endpoint and assert them with `expect`, and docs/api.md, not this type, is what they check.
 */
export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

/** GET /v1/orders/:orderId's body, as docs/api.md#order defines it: what the tests wait on and assert. */
export interface OrderView {
  id: string;
  customerId: string;
  status: string;
  currency: string;
  totalCents: number;
  refundedCents: number;
  items: { sku: string; quantity: number; unitPriceCents: number }[];
  payment: { status: string; providerPaymentId: string | null } | null;
  shipment: { id: string; status: string; carrier: string; trackingNumber: string } | null;
  failureReason: string | null;
  workflowId: string;
  createdAt: string;
  updatedAt: string;
}

export interface ApiHarness {
  baseUrl: string;
  deps: BuiltDependencies;
  taskQueue: string;
  /** The SMTP server the worker sends to: every email of this harness's workflows lands here. */
  mail: MailCatcher;
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
  login(user: Pick<TestUser, 'email' | 'password'>): Promise<string>;
  /** A new user of `role` and a token for it. */
  userWithToken(role?: TestUser['role']): Promise<TestUser & { token: string }>;
  /** Polls GET /v1/orders/:id (as `token`) until `done(order)` or the timeout. */
  waitForOrder(
    orderId: string,
    token: string,
    done: (order: OrderView) => boolean,
    timeoutMs?: number,
  ): Promise<OrderView>;
  close(): Promise<void>;
}

/** The Worker Deployment of the harnesses' workers (one per test run's dev server). */
const TEST_DEPLOYMENT = 'commerce-test';

export async function startApiHarness(
  env: Record<string, string> = {},
  options: BuildOptions = {},
): Promise<ApiHarness> {
  const taskQueue = `test-${randomUUID()}`;
  const config = loadApiConfig({
    NODE_ENV: 'test',
    DATABASE_URL: testEnv.databaseUrl,
    DATABASE_POOL_SIZE: '5',
    REDIS_URL: testEnv.redisUrl,
    REDIS_KEY_PREFIX: `${testEnv.redisPrefix}${taskQueue}:`,
    TEMPORAL_ADDRESS: testEnv.temporalAddress,
    TEMPORAL_TASK_QUEUE: taskQueue,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    // Fixtures hash at this cost too (TEST_PASSWORD_COST): logins stay fast and need no upgrade.
    PASSWORD_SCRYPT_LOG2_N: '14',
    ...env,
  });
  const deps = await buildDependencies(config, options);
  const mail = await startMailCatcher({ smtpPort: await freePort() });
  const mailer = createSmtpMailer(mail.smtpUrl, { timeoutMs: 5_000 });
  const connection = await NativeConnection.connect({ address: testEnv.temporalAddress });
  // Versioned as in production: every harness of the run is the same build of one test deployment.
  const version = { deploymentName: TEST_DEPLOYMENT, buildId: workerBuildId(testEnv.workflowBundle) };
  const worker: Worker = await createWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue,
    workflowBundlePath: testEnv.workflowBundle,
    activityDependencies: {
      db: deps.db,
      paymentProvider: new SimulatedPaymentProvider(deps.db),
      carrier: new SimulatedCarrier(deps.db),
      reservationTtlMs: 45 * 60_000,
      mailer,
      mailFrom: 'Test Shop <shop@test.example>',
      storefrontUrl: 'http://shop.test',
      cartReminderAfterHours: config.CART_REMINDER_AFTER_HOURS,
      maxUnpaidOrdersPerCustomer: config.MAX_UNPAID_ORDERS_PER_CUSTOMER,
    },
    version,
  });
  const workerRun = worker.run();
  await makeVersionCurrent(
    { workflowService: connection.workflowService, namespace: config.TEMPORAL_NAMESPACE },
    version,
  );

  const app = createApp(deps);
  const server: ServerType = await new Promise((resolve) => {
    const s = serveApp(app, { port: 0, hostname: '127.0.0.1', requestTimeoutMs: deps.config.REQUEST_TIMEOUT_MS }, () =>
      resolve(s),
    );
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const request = async <T = any>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<ApiResponse<T>> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['Content-Type'] ??= 'application/json';
    }
    const res = await fetch(`${baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    // Checked against the document this API serves (fetched once). Pages are HTML built on the API,
    // not part of it: their tests assert them in the browser.
    const mismatches = isPagePath(path)
      ? []
      : (await conformanceOf(baseUrl)).check({
          method,
          url: path,
          status: res.status,
          headers: res.headers,
          body: parsed,
        });
    if (mismatches.length > 0) {
      throw new Error(
        `The answer does not match /openapi.json (fix the document or the code):\n${mismatches.join('\n')}\n` +
          `body: ${text.slice(0, 800)}`,
      );
    }
    return { status: res.status, headers: res.headers, body: parsed as T };
  };

  const login: ApiHarness['login'] = async (user) => {
    const res = await request('POST', '/v1/auth/token', { body: { email: user.email, password: user.password } });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.accessToken as string;
  };

  return {
    baseUrl,
    deps,
    taskQueue,
    mail,
    request,
    login,
    async userWithToken(role = 'customer') {
      const user = await createTestUser(deps.db, role);
      return { ...user, token: await login(user) };
    },
    async waitForOrder(orderId, token, done, timeoutMs = 20_000) {
      let last: unknown;
      return waitUntil(
        async () => {
          const res = await request<OrderView>('GET', `/v1/orders/${orderId}`, { token });
          last = res.body;
          return res.status === 200 && done(res.body) ? res.body : undefined;
        },
        () => `order ${orderId} to reach the expected state; last seen: ${JSON.stringify(last)}`,
        { timeoutMs },
      );
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      worker.shutdown();
      await workerRun;
      await connection.close();
      await deps.close();
      mailer.close();
      await mail.stop();
    },
  };
}

/**
 * The test file's harness: started before its first test, closed after its last. The returned
 * object stands for the harness (it forwards to it), so a file declares it once at the top:
 * `const api = useApiHarness();`.
 */
export function useApiHarness(env: Record<string, string> = {}, options: BuildOptions = {}): ApiHarness {
  let harness: ApiHarness | undefined;
  beforeAll(async () => {
    harness = await startApiHarness(env, options);
  });
  afterAll(async () => {
    await harness?.close();
  });
  return hookStarted(() => harness, 'the API harness');
}

/** A well-formed checkout body for `items`. */
export function checkoutBody(items: { sku: string; quantity: number }[], token = 'tok_visa') {
  return {
    items,
    shippingAddress: {
      name: 'Ada Lovelace',
      line1: '12 Analytical Row',
      city: 'London',
      postalCode: 'N1 7AA',
      country: 'GB',
    },
    paymentMethod: { token },
  };
}

/** The order's provider payment id; fails the test when the order has none (yet). */
export function providerPaymentIdOf(order: OrderView): string {
  const id = order.payment?.providerPaymentId;
  if (!id) throw new Error(`order ${order.id} has no provider payment id: ${JSON.stringify(order.payment)}`);
  return id;
}

/** The order's tracking number; fails the test when the order has no shipment (yet). */
export function trackingNumberOf(order: OrderView): string {
  if (!order.shipment) throw new Error(`order ${order.id} has no shipment`);
  return order.shipment.trackingNumber;
}

/** Paid, whether or not the shipment workflow has already moved it on to FULFILLING. */
export const paidOrLater = (order: { status: string }): boolean =>
  order.status === 'PAID' || order.status === 'FULFILLING';
