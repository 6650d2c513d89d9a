/**
 * docs/api.md#rate-limits: each limit falls back to an in-process memory limiter with
 * the same settings (neither fail-open nor fail-closed); checkouts keep working; /readyz says redis.
 * The API here is pointed at a port where no Redis listens.
 */
import { randomUUID } from 'node:crypto';
import { checkoutBody, paidOrLater, startApiHarness, type ApiHarness } from '../support/api-harness';
import { createTestProduct, createTestUser } from '../support/fixtures';
import { freePort } from '../../tooling/ports';

let api: ApiHarness;

beforeAll(async () => {
  api = await startApiHarness({
    REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
    LOGIN_FAILURES_PER_EMAIL: '3',
    CHECKOUT_RATE_LIMIT_PER_MINUTE: '2',
  });
});

afterAll(async () => {
  await api?.close();
});

test('/readyz answers 503 naming redis', async () => {
  const res = await api.request('GET', '/readyz');
  expect(res.status).toBe(503);
  expect(res.body).toMatchObject({ code: 'not_ready', failing: ['redis'] });
});

test('failed logins are still limited: after 3 failures even the right password gets 429', async () => {
  const user = await createTestUser(api.deps.db);
  for (let i = 0; i < 3; i++) {
    const res = await api.request('POST', '/v1/auth/token', { body: { email: user.email, password: 'wrong' } });
    expect(res.status).toBe(401);
  }
  const blocked = await api.request('POST', '/v1/auth/token', { body: { email: user.email, password: user.password } });
  expect(blocked.status).toBe(429);
  expect(blocked.body).toMatchObject({ code: 'rate_limited' });
  expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  // Another user is unaffected.
  const other = await createTestUser(api.deps.db);
  expect(
    (await api.request('POST', '/v1/auth/token', { body: { email: other.email, password: other.password } })).status,
  ).toBe(200);
});

test('checkouts still complete, and the per-customer limit still applies', async () => {
  const customer = await createTestUser(api.deps.db);
  const token = await api.login(customer);
  const sku = await createTestProduct(api.deps.db, { onHand: 10 });
  const place = () =>
    api.request('POST', '/v1/checkouts', {
      token,
      body: checkoutBody([{ sku, quantity: 1 }]),
      headers: { 'Idempotency-Key': randomUUID() },
    });

  const first = await place();
  expect(first.status).toBe(202);
  expect((await place()).status).toBe(202);
  const third = await place();
  expect(third.status).toBe(429);
  expect(third.body).toMatchObject({ code: 'rate_limited' });

  const order = await api.waitForOrder(first.body.orderId, token, paidOrLater);
  expect(order.totalCents).toBe(1000);
  expect(await api.deps.db.order.count({ where: { customerId: customer.id } })).toBe(2);
});
