/**
 * A carrier event that comes before its parcel is recorded (the carrier made the label, our row is
 * not written yet) is answered `unmatched` and never resent: the shipment workflow takes it from the
 * webhook inbox once it has recorded its tracking number, and a redelivery is then a duplicate.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { SimulatedPaymentProvider } from '../../activities/adapters/simulated-payment-provider';
import { signatureFor } from '../../api/http/signature';
import { createWebhookEventRepository } from '../../prisma/repositories/webhook-events';
import { checkoutBody, providerPaymentIdOf, useApiHarness } from '../support/api-harness';
import { sendCarrierEvent } from '../support/carrier-webhook';
import { createTestProduct } from '../support/fixtures';

const api = useApiHarness();

test('a PICKED_UP answered `unmatched` before the parcel was recorded ships the order once it is', async () => {
  const customer = await api.userWithToken();
  const sku = await createTestProduct(api.deps.db, { onHand: 5 });
  const checkout = await api.request('POST', '/v1/checkouts', {
    token: customer.token,
    body: checkoutBody([{ sku, quantity: 1 }], 'tok_3ds'),
    headers: { 'Idempotency-Key': randomUUID() },
  });
  // Waiting for the bank's challenge: the order exists, its shipment has not started.
  const order = await api.waitForOrder(
    checkout.body.orderId,
    customer.token,
    (o) => o.status === 'AWAITING_PAYMENT_CONFIRMATION',
  );

  // The carrier's own ledger already holds the label (keyed as the shipment asks for it), and the
  // carrier reports the pick-up before our shipment row exists.
  const tracking = `SIM${randomBytes(6).toString('hex').toUpperCase()}`;
  await api.deps.db.simCarrierLabel.create({
    data: { trackingNumber: tracking, idempotencyKey: `shipment-${order.id}` },
  });
  const eventId = `evt_${randomUUID()}`;
  const early = await sendCarrierEvent(api, tracking, 'PICKED_UP', { id: eventId });
  expect(early.status).toBe(200);
  expect(early.body.outcome).toBe('unmatched');
  const inbox = createWebhookEventRepository(api.deps.db);
  expect(await inbox.isRelayed('carrier', eventId)).toBe(false);

  // The customer passes the challenge; the paid order gets its shipment with that tracking number.
  const providerPaymentId = providerPaymentIdOf(order);
  await new SimulatedPaymentProvider(api.deps.db).completeAction(providerPaymentId, true);
  const raw = JSON.stringify({ id: `evt_${randomUUID()}`, type: 'payment.succeeded', providerPaymentId });
  const paid = await api.request('POST', '/v1/webhooks/payments', {
    rawBody: raw,
    headers: {
      'Content-Type': 'application/json',
      'X-Signature': signatureFor(api.deps.config.PAYMENT_WEBHOOK_SECRET, raw),
    },
  });
  expect(paid.status).toBe(200);

  // Shipped without the carrier resending anything.
  const shipped = await api.waitForOrder(order.id, customer.token, (o) => o.status === 'SHIPPED');
  expect(shipped.shipment).toMatchObject({ trackingNumber: tracking, status: 'PICKED_UP' });
  expect(await inbox.isRelayed('carrier', eventId)).toBe(true);

  const redelivery = await sendCarrierEvent(api, tracking, 'PICKED_UP', { id: eventId });
  expect(redelivery.status).toBe(200);
  expect(redelivery.body.outcome).toBe('duplicate');
});
