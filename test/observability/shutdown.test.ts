/**
 * Graceful shutdown of the real processes on SIGTERM (what Kubernetes sends before a pod goes):
 * the API answers the request it is in the middle of and refuses new connections; the worker lets
 * the activity it is running finish (one attempt, one charge) and exits cleanly; the order then
 * completes on another worker, because the workflow's state is in Temporal, not in the process.
 */
import { request } from 'node:http';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { chargeKey } from '../../activities/payments';
import { paidOrLater } from '../support/api-harness';
import { useTestDatabase } from '../support/database';
import { waitForHttp } from '../../tooling/processes';
import {
  placeCheckout,
  serviceEnv,
  spawnService,
  stopService,
  waitForOrder,
  type ServiceProcess,
} from '../support/service-processes';
import { waitUntil } from '../support/wait';
import { testEnv } from '../support/test-env';

jest.setTimeout(120_000);

const db = useTestDatabase();
const running: ServiceProcess[] = [];
const start = (...args: Parameters<typeof spawnService>): ServiceProcess => {
  const service = spawnService(...args);
  running.push(service);
  return service;
};

afterAll(async () => {
  await Promise.all(running.map((s) => stopService(s)));
});

test('SIGTERM: the API finishes the request in flight, refuses new connections, and exits 0', async () => {
  const { env, apiPort } = await serviceEnv({ METRICS_PORT: '0' });
  const api = start('api/server.ts', env);
  await waitForHttp(`http://127.0.0.1:${apiPort}/readyz`, 60_000);

  // A login whose body is still arriving when the signal comes.
  const body = JSON.stringify({ email: `nobody-${randomUUID()}@test.example`, password: 'not-the-password' });
  const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: apiPort,
        method: 'POST',
        path: '/v1/auth/token',
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.write(body.slice(0, 10));
    setTimeout(() => {
      api.child.kill('SIGTERM');
      setTimeout(() => {
        // New connections are refused while the old one is still being served.
        fetch(`http://127.0.0.1:${apiPort}/healthz`).then(
          () => reject(new Error('a new connection was accepted after SIGTERM')),
          () => req.end(body.slice(10)),
        );
      }, 300);
    }, 200);
  });

  const response = await answered;
  expect(response.status).toBe(401);
  expect(JSON.parse(response.body)).toMatchObject({ code: 'invalid_credentials' });
  await expect(api.exited).resolves.toEqual({ code: 0, signal: null });
  expect(api.logs().map((l) => l.msg)).toEqual(expect.arrayContaining(['api draining', 'api stopped']));
});

test('SIGTERM: the worker lets the running charge finish, exits 0, and the order completes on another worker', async () => {
  const { env, apiPort } = await serviceEnv({ METRICS_PORT: '0' });
  // The provider takes 3 s to answer each charge: the signal lands while chargePayment runs.
  const workerEnv = { ...env, SIM_PAYMENT_LATENCY_MS: '3000', SHUTDOWN_GRACE_MS: '20000' };
  start('api/server.ts', env);
  const first = start('workers/main.ts', workerEnv);
  const baseUrl = `http://127.0.0.1:${apiPort}`;
  await waitForHttp(`${baseUrl}/readyz`, 60_000);
  await waitUntil(
    async () => (first.logs().some((l) => l.msg === 'worker running') ? true : undefined),
    'the first worker',
    { timeoutMs: 60_000 },
  );

  const { status, orderId, workflowId, accessToken } = await placeCheckout(baseUrl, db());
  expect(status).toBe(202);

  // The provider has recorded the charge and is "answering": stop the worker now.
  await waitUntil(
    async () =>
      (await db().simPaymentCharge.findUnique({ where: { idempotencyKey: chargeKey(orderId) } })) ?? undefined,
    'the charge',
  );
  const signalled = Date.now();
  first.child.kill('SIGTERM');
  await expect(first.exited).resolves.toEqual({ code: 0, signal: null });
  // It waited for the activity (about 3 s), not for the 20 s grace period, and said it stopped.
  expect(Date.now() - signalled).toBeLessThan(15_000);
  expect(first.logs().map((l) => l.msg)).toContain('worker stopped');

  start('workers/main.ts', workerEnv);
  const order = await waitForOrder<{ status: string; totalCents: number }>(
    baseUrl,
    orderId,
    accessToken,
    paidOrLater,
    60_000,
  );
  expect(order.totalCents).toBe(1000);

  // chargePayment (a local activity) ran once, and its result was recorded by the worker that was
  // stopping: the marker's workflow task was completed by the first worker's identity.
  const connection = await Connection.connect({ address: testEnv.temporalAddress });
  try {
    const history = await new Client({ connection }).workflow.getHandle(workflowId).fetchHistory();
    const events = history.events ?? [];
    const chargeMarkers = events.filter((e) => {
      const data = e.markerRecordedEventAttributes?.details?.data?.payloads?.[0]?.data;
      return data !== undefined && data !== null && Buffer.from(data).toString().includes('"chargePayment"');
    });
    expect(chargeMarkers).toHaveLength(1);
    const taskCompletedId = Number(chargeMarkers[0]!.markerRecordedEventAttributes?.workflowTaskCompletedEventId);
    const taskCompleted = events.find((e) => Number(e.eventId) === taskCompletedId);
    expect(taskCompleted?.workflowTaskCompletedEventAttributes?.identity).toBe(`${first.child.pid}@${hostname()}`);
  } finally {
    await connection.close();
  }
  expect(await db().simPaymentCharge.count({ where: { idempotencyKey: chargeKey(orderId) } })).toBe(1);
  expect(await db().payment.count({ where: { orderId } })).toBe(1);
});
