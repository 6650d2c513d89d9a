/**
 * docs/api.md#limits-and-money-rules: an order is paid only when the provider reports capturing its
 * total in its currency. The simulated provider's ledger is its own side of the books: here it
 * settles a 3-D Secure charge in another currency than the order's, as a misconfigured provider
 * account would, and the checkout must refund what was taken and fail the order.
 */
import { randomUUID } from 'node:crypto';
import { createInventoryRepository } from '../../prisma/repositories/inventory';
import { checkoutBody, providerPaymentIdOf, useApiHarness } from '../support/api-harness';
import { createTestProduct } from '../support/fixtures';

const api = useApiHarness();

test('a capture in another currency is refunded in full and the order FAILED, its stock released', async () => {
  const customer = await api.userWithToken();
  const sku = await createTestProduct(api.deps.db, { onHand: 5, priceCents: 1250 });
  const res = await api.request('POST', '/v1/checkouts', {
    token: customer.token,
    body: checkoutBody([{ sku, quantity: 2 }], 'tok_3ds'),
    headers: { 'Idempotency-Key': randomUUID() },
  });
  expect(res.status).toBe(202);
  const waiting = await api.waitForOrder(
    res.body.orderId,
    customer.token,
    (o) => o.status === 'AWAITING_PAYMENT_CONFIRMATION',
  );
  expect(waiting.currency).toBe('USD');
  const providerPaymentId = providerPaymentIdOf(waiting);
  // The provider's side: this charge is booked in euros.
  await api.deps.db.simPaymentCharge.update({ where: { id: providerPaymentId }, data: { currency: 'EUR' } });

  const confirmed = await fetch(`${api.baseUrl}/sim/3ds/${providerPaymentId}/confirm`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: '',
    redirect: 'manual',
  });
  expect(confirmed.status).toBe(200);

  const failed = await api.waitForOrder(waiting.id, customer.token, (o) => o.status === 'FAILED');
  expect(failed.failureReason).toBe('PAYMENT_DECLINED');
  expect(failed.refundedCents).toBe(2500);
  const charge = await api.deps.db.simPaymentCharge.findUnique({ where: { id: providerPaymentId } });
  expect(charge?.refundedCents).toBe(2500);
  expect(await createInventoryRepository(api.deps.db).getStock(sku)).toEqual({ onHand: 5, reserved: 0 });
});
