/** docs/api.md#orders: ownership (404, never 403), support and admin see all, filters and paging. */
import { randomUUID } from 'node:crypto';
import { checkoutBody, paidOrLater, useApiHarness, type ApiHarness } from '../support/api-harness';
import { createTestProduct } from '../support/fixtures';

const api = useApiHarness();
let alice: Awaited<ReturnType<ApiHarness['userWithToken']>>;
let bob: Awaited<ReturnType<ApiHarness['userWithToken']>>;
const aliceOrders: string[] = [];
let bobOrder: string;

beforeAll(async () => {
  [alice, bob] = [await api.userWithToken(), await api.userWithToken()];
  const sku = await createTestProduct(api.deps.db, { onHand: 100 });
  const place = async (token: string, payment = 'tok_visa') => {
    const res = await api.request('POST', '/v1/checkouts', {
      token,
      body: checkoutBody([{ sku, quantity: 1 }], payment),
      headers: { 'Idempotency-Key': randomUUID() },
    });
    return api.waitForOrder(res.body.orderId, token, (o) => paidOrLater(o) || o.status === 'FAILED');
  };
  for (const payment of ['tok_visa', 'tok_visa', 'tok_declined'])
    aliceOrders.push((await place(alice.token, payment)).id);
  bobOrder = (await place(bob.token)).id;
});

test("a customer reading another customer's order gets 404, not 403", async () => {
  const res = await api.request('GET', `/v1/orders/${aliceOrders[0]}`, { token: bob.token });
  expect(res.status).toBe(404);
  expect(res.body.code).toBe('not_found');
  expect((await api.request('GET', `/v1/orders/${aliceOrders[0]}`, { token: alice.token })).status).toBe(200);
});

test('unknown and malformed order ids are 404', async () => {
  expect((await api.request('GET', `/v1/orders/${randomUUID()}`, { token: alice.token })).status).toBe(404);
  expect((await api.request('GET', '/v1/orders/not-a-uuid', { token: alice.token })).status).toBe(404);
});

test('a customer lists only their own orders, newest first', async () => {
  const res = await api.request('GET', '/v1/orders', { token: alice.token });
  expect(res.status).toBe(200);
  expect(res.body.items.map((o: { id: string }) => o.id)).toEqual([...aliceOrders].reverse());
  expect(res.body.nextCursor).toBeNull();
});

test('status filter and cursor paging', async () => {
  const failed = await api.request('GET', '/v1/orders?status=FAILED', { token: alice.token });
  expect(failed.body.items.map((o: { id: string }) => o.id)).toEqual([aliceOrders[2]]);

  const first = await api.request('GET', '/v1/orders?limit=2', { token: alice.token });
  expect(first.body.items).toHaveLength(2);
  expect(first.body.nextCursor).toEqual(expect.any(String));
  const second = await api.request('GET', `/v1/orders?limit=2&cursor=${first.body.nextCursor}`, { token: alice.token });
  expect(second.body.items.map((o: { id: string }) => o.id)).toEqual([aliceOrders[0]]);
  expect(second.body.nextCursor).toBeNull();

  expect((await api.request('GET', '/v1/orders?status=NOPE', { token: alice.token })).status).toBe(400);
  expect((await api.request('GET', '/v1/orders?cursor=garbage', { token: alice.token })).status).toBe(400);
});

test('support and admin see every order', async () => {
  for (const role of ['support', 'admin'] as const) {
    const staff = await api.userWithToken(role);
    expect((await api.request('GET', `/v1/orders/${bobOrder}`, { token: staff.token })).status).toBe(200);
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await api.request(
        'GET',
        `/v1/orders?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
        { token: staff.token },
      );
      ids.push(...res.body.items.map((o: { id: string }) => o.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(ids).toEqual(expect.arrayContaining([...aliceOrders, bobOrder]));
  }
});

test('orders need a token', async () => {
  expect((await api.request('GET', '/v1/orders')).status).toBe(401);
  expect((await api.request('GET', `/v1/orders/${bobOrder}`)).status).toBe(401);
});
