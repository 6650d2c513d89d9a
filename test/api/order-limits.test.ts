/**
 * docs/api.md#limits-and-money-rules, the order limits: lines of one sku are merged before the limits
 * apply; more than 10000 units of a sku, or a total above 10^8 cents, is 422 `order_too_large` and
 * starts nothing (no order row, no workflow), and the key stays usable.
 */
import { randomUUID } from 'node:crypto';
import { CustomerIdKey } from '../../domain/search-attributes';
import { createOrderRepository } from '../../prisma/repositories/orders';
import { checkoutBody, paidOrLater, useApiHarness } from '../support/api-harness';
import { createTestProduct } from '../support/fixtures';

const api = useApiHarness();

const post = (token: string, key: string, body: unknown) =>
  api.request('POST', '/v1/checkouts', { token, body, headers: { 'Idempotency-Key': key } });

/** The customer's checkout workflows the dev server knows of. */
async function workflowsOf(customerId: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const wf of api.deps.temporal.workflow.list({ query: `${CustomerIdKey.name}="${customerId}"` })) {
    ids.push(wf.workflowId);
  }
  return ids;
}

test('100 lines of 10000 units of one sku merge above the limit: 422 order_too_large, nothing started', async () => {
  const alice = await api.userWithToken();
  const sku = await createTestProduct(api.deps.db, { onHand: 100, priceCents: 100 });
  const key = randomUUID();
  const lines = Array.from({ length: 100 }, () => ({ sku, quantity: 10_000 }));

  const res = await post(alice.token, key, checkoutBody(lines));
  expect(res.status).toBe(422);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res.body.code).toBe('order_too_large');
  // The same key again: the same refusal, never `checkout_in_progress`.
  expect((await post(alice.token, key, checkoutBody(lines))).body.code).toBe('order_too_large');
  expect(await createOrderRepository(api.deps.db).findByIdempotencyKey(alice.id, key)).toBeNull();
  expect(await workflowsOf(alice.id)).toEqual([]);

  // Two lines that merge to 10001 units are too many as well; 10000 in two lines is fine.
  const split = await post(
    alice.token,
    randomUUID(),
    checkoutBody([
      { sku, quantity: 5_000 },
      { sku, quantity: 5_001 },
    ]),
  );
  expect(split.body.code).toBe('order_too_large');
});

test('a total above 100,000,000 cents: 422 order_too_large; exactly the limit is accepted', async () => {
  const alice = await api.userWithToken();
  const sku = await createTestProduct(api.deps.db, { onHand: 100, priceCents: 20_000_000 });
  const over = await post(alice.token, randomUUID(), checkoutBody([{ sku, quantity: 6 }]));
  expect(over.status).toBe(422);
  expect(over.body.code).toBe('order_too_large');
  expect(await workflowsOf(alice.id)).toEqual([]);

  const atLimit = await post(alice.token, randomUUID(), checkoutBody([{ sku, quantity: 5 }]));
  expect(atLimit.status).toBe(202);
  const order = await api.waitForOrder(atLimit.body.orderId, alice.token, paidOrLater);
  expect(order.totalCents).toBe(100_000_000);
});

test('a cart whose lines total above the limit: 422 order_too_large, the cart stays open', async () => {
  const alice = await api.userWithToken();
  const sku = await createTestProduct(api.deps.db, { onHand: 100, priceCents: 20_000_000 });
  const cart = (await api.request('GET', '/v1/me/cart', { token: alice.token })).body;
  expect(
    (await api.request('POST', `/v1/carts/${cart.id}/items`, { token: alice.token, body: { sku, quantity: 6 } }))
      .status,
  ).toBe(200);
  const { items: _items, ...rest } = checkoutBody([]);
  const res = await post(alice.token, randomUUID(), { ...rest, cartId: cart.id });
  expect(res.status).toBe(422);
  expect(res.body.code).toBe('order_too_large');
  const after = (await api.request('GET', `/v1/carts/${cart.id}`, { token: alice.token })).body;
  expect(after).toMatchObject({ status: 'OPEN', orderId: null, items: [{ sku, quantity: 6 }] });
});
