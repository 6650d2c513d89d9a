/**
 * docs/api.md#limits-and-money-rules, stock hostage (OWASP API6): while a customer has
 * MAX_UNPAID_ORDERS_PER_CUSTOMER (3) orders waiting for 3-D Secure, their next checkout gets 409
 * `too_many_unpaid_orders` and starts nothing; racing checkouts the API could not refuse end
 * FAILED with their stock released, so at most 3 ever hold stock.
 */
import { randomUUID } from 'node:crypto';
import { createInventoryRepository } from '../../prisma/repositories/inventory';
import { checkoutBody, useApiHarness } from '../support/api-harness';
import { createTestProduct } from '../support/fixtures';
import { waitUntil } from '../support/wait';

const api = useApiHarness();

const checkout = (token: string, sku: string, card: string) =>
  api.request('POST', '/v1/checkouts', {
    token,
    body: checkoutBody([{ sku, quantity: 2 }], card),
    headers: { 'Idempotency-Key': randomUUID() },
  });

test('three orders waiting for 3-D Secure: the fourth checkout is 409 too_many_unpaid_orders; cancelling one frees a slot', async () => {
  const alice = await api.userWithToken();
  const sku = await createTestProduct(api.deps.db, { onHand: 100 });
  const waiting: string[] = [];
  for (let i = 0; i < 3; i++) {
    const res = await checkout(alice.token, sku, 'tok_3ds');
    expect(res.status).toBe(202);
    await api.waitForOrder(res.body.orderId, alice.token, (o) => o.status === 'AWAITING_PAYMENT_CONFIRMATION');
    waiting.push(res.body.orderId);
  }
  const key = randomUUID();
  const refused = await api.request('POST', '/v1/checkouts', {
    token: alice.token,
    body: checkoutBody([{ sku, quantity: 2 }], 'tok_visa'),
    headers: { 'Idempotency-Key': key },
  });
  expect(refused.status).toBe(409);
  expect(refused.body.code).toBe('too_many_unpaid_orders');
  expect(await api.deps.db.order.count({ where: { customerId: alice.id } })).toBe(3);
  expect(await createInventoryRepository(api.deps.db).getStock(sku)).toEqual({ onHand: 100, reserved: 6 });

  // Another customer is not affected.
  const bob = await api.userWithToken();
  expect((await checkout(bob.token, sku, 'tok_3ds')).status).toBe(202);

  const cancel = await api.request('POST', `/v1/orders/${waiting[0]}/cancel`, { token: alice.token });
  expect(cancel.status).toBe(202);
  await api.waitForOrder(waiting[0]!, alice.token, (o) => o.status === 'CANCELLED');
  expect((await checkout(alice.token, sku, 'tok_visa')).status).toBe(202);
});

test('ten racing 3-D Secure checkouts of one customer: at most three hold stock, the rest end FAILED and release it', async () => {
  const mallory = await api.userWithToken();
  const sku = await createTestProduct(api.deps.db, { onHand: 100 });
  const answers = await Promise.all(Array.from({ length: 10 }, () => checkout(mallory.token, sku, 'tok_3ds')));
  expect(answers.every((a) => a.status === 202 || (a.status === 409 && a.body.code === 'too_many_unpaid_orders'))).toBe(
    true,
  );
  const accepted = answers.filter((a) => a.status === 202).map((a) => a.body.orderId as string);
  const settled = await waitUntil(
    async () => {
      const orders = await api.deps.db.order.findMany({
        where: { id: { in: accepted } },
        select: { status: true, failureReason: true },
      });
      return orders.every((o) => o.status === 'AWAITING_PAYMENT_CONFIRMATION' || o.status === 'FAILED')
        ? orders
        : undefined;
    },
    'every accepted checkout to wait or fail',
    { timeoutMs: 30_000 },
  );
  const holding = settled.filter((o) => o.status === 'AWAITING_PAYMENT_CONFIRMATION');
  expect(holding.length).toBe(3);
  expect(settled.filter((o) => o.status === 'FAILED').every((o) => o.failureReason === 'TOO_MANY_UNPAID_ORDERS')).toBe(
    true,
  );
  await waitUntil(async () => {
    const stock = await createInventoryRepository(api.deps.db).getStock(sku);
    return stock?.reserved === 6 ? stock : undefined;
  }, 'only the three waiting orders to hold stock');
  // The provider's charges of the failed ones were cancelled, not left open.
  const payments = await api.deps.db.payment.findMany({
    where: { orderId: { in: accepted } },
    select: { providerPaymentId: true },
  });
  const charges = await api.deps.db.simPaymentCharge.findMany({
    where: { id: { in: payments.flatMap((p) => (p.providerPaymentId ? [p.providerPaymentId] : [])) } },
    select: { status: true },
  });
  expect(charges.filter((c) => c.status === 'requires_action')).toHaveLength(3);
  expect(charges.filter((c) => c.status !== 'requires_action').every((c) => c.status === 'canceled')).toBe(true);
});
