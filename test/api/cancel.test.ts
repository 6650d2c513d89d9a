/** docs/api.md#cancelling-an-order: before payment, after payment, and too late. */
import { randomUUID } from 'node:crypto';
import { createInventoryRepository } from '../../prisma/repositories/inventory';
import { checkoutBody, paidOrLater, providerPaymentIdOf, useApiHarness, type OrderView } from '../support/api-harness';
import { createTestProduct } from '../support/fixtures';

const api = useApiHarness();

const stock = (sku: string) => createInventoryRepository(api.deps.db).getStock(sku);

async function placeOrder(token: string, sku: string, payment: string, until: (o: OrderView) => boolean) {
  const res = await api.request('POST', '/v1/checkouts', {
    token,
    body: checkoutBody([{ sku, quantity: 3 }], payment),
    headers: { 'Idempotency-Key': randomUUID() },
  });
  return api.waitForOrder(res.body.orderId, token, until);
}

test('before payment (3-D Secure pending): the owner cancels, stock is released, nothing is charged', async () => {
  const owner = await api.userWithToken();
  const sku = await createTestProduct(api.deps.db, { onHand: 10 });
  const order = await placeOrder(owner.token, sku, 'tok_3ds', (o) => o.status === 'AWAITING_PAYMENT_CONFIRMATION');

  const res = await api.request('POST', `/v1/orders/${order.id}/cancel`, {
    token: owner.token,
    body: { reason: 'changed my mind' },
  });

  expect(res.status).toBe(202);
  expect(res.body).toEqual({ orderId: order.id, status: 'CANCELLED' });
  const cancelled = await api.waitForOrder(order.id, owner.token, (o) => o.status === 'CANCELLED');
  expect(cancelled.failureReason).toBe('CANCELLED_BY_REQUEST');
  expect(cancelled.payment?.status).toBe('VOIDED');
  expect(cancelled.refundedCents).toBe(0);
  expect(await stock(sku)).toEqual({ onHand: 10, reserved: 0 });
});

test('after payment: support cancels, the full amount is refunded and the units are back on hand', async () => {
  const owner = await api.userWithToken();
  const support = await api.userWithToken('support');
  const sku = await createTestProduct(api.deps.db, { onHand: 10, priceCents: 1500 });
  const order = await placeOrder(owner.token, sku, 'tok_visa', paidOrLater);
  expect(await stock(sku)).toEqual({ onHand: 7, reserved: 0 });

  const res = await api.request('POST', `/v1/orders/${order.id}/cancel`, { token: support.token });

  expect(res.status).toBe(202);
  expect(res.body.orderId).toBe(order.id);
  // The order is CANCELLED (and restocked) first, so nothing ships it; the refund follows.
  const cancelled = await api.waitForOrder(
    order.id,
    owner.token,
    (o) => o.status === 'CANCELLED' && o.payment?.status === 'REFUNDED',
  );
  expect(cancelled.refundedCents).toBe(4500);
  expect(cancelled.payment?.status).toBe('REFUNDED');
  expect(await stock(sku)).toEqual({ onHand: 10, reserved: 0 });
  const charge = await api.deps.db.simPaymentCharge.findUniqueOrThrow({ where: { id: providerPaymentIdOf(order) } });
  expect(charge.refundedCents).toBe(4500);
});

test('cancelling twice refunds once; a terminal order is 409 order_not_cancellable', async () => {
  const owner = await api.userWithToken();
  const sku = await createTestProduct(api.deps.db, { onHand: 10, priceCents: 1000 });
  const order = await placeOrder(owner.token, sku, 'tok_visa', paidOrLater);

  const [a, b] = await Promise.all([
    api.request('POST', `/v1/orders/${order.id}/cancel`, { token: owner.token }),
    api.request('POST', `/v1/orders/${order.id}/cancel`, { token: owner.token }),
  ]);
  expect([a.status, b.status]).toEqual([202, 202]);
  await api.waitForOrder(order.id, owner.token, (o) => o.status === 'CANCELLED' && o.payment?.status === 'REFUNDED');

  const again = await api.request('POST', `/v1/orders/${order.id}/cancel`, { token: owner.token });
  expect(again.status).toBe(409);
  expect(again.body.code).toBe('order_not_cancellable');
  const final = await api.request('GET', `/v1/orders/${order.id}`, { token: owner.token });
  expect(final.body.refundedCents).toBe(3000);
  expect(await api.deps.db.simPaymentRefund.count({ where: { chargeId: providerPaymentIdOf(order) } })).toBe(1);
  expect(await stock(sku)).toEqual({ onHand: 10, reserved: 0 });

  const failed = await placeOrder(owner.token, sku, 'tok_declined', (o) => o.status === 'FAILED');
  expect((await api.request('POST', `/v1/orders/${failed.id}/cancel`, { token: owner.token })).status).toBe(409);
});

test("another customer's order is 404; a malformed body is 400", async () => {
  const [owner, other] = [await api.userWithToken(), await api.userWithToken()];
  const sku = await createTestProduct(api.deps.db);
  const order = await placeOrder(owner.token, sku, 'tok_visa', paidOrLater);

  expect((await api.request('POST', `/v1/orders/${order.id}/cancel`, { token: other.token })).status).toBe(404);
  const bad = await api.request('POST', `/v1/orders/${order.id}/cancel`, { token: owner.token, body: { reason: 42 } });
  expect(bad.status).toBe(400);
  expect(paidOrLater((await api.request('GET', `/v1/orders/${order.id}`, { token: owner.token })).body)).toBe(true);
});
