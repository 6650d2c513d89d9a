/** docs/api.md#payment-webhook and the 3-D Secure flow end to end, with signed deliveries. */
import { randomUUID } from 'node:crypto';
import { signatureFor } from '../../api/http/signature';
import { createInventoryRepository } from '../../prisma/repositories/inventory';
import { createSimPaymentLedger } from '../../prisma/repositories/sim-payment-ledger';
import { createWebhookEventRepository } from '../../prisma/repositories/webhook-events';
import { checkoutBody, paidOrLater, providerPaymentIdOf, useApiHarness } from '../support/api-harness';
import { createTestProduct } from '../support/fixtures';

const api = useApiHarness();

function deliver(event: object, signature?: string) {
  const raw = JSON.stringify(event);
  return api.request('POST', '/v1/webhooks/payments', {
    rawBody: raw,
    headers: {
      'Content-Type': 'application/json',
      'X-Signature': signature ?? signatureFor(api.deps.config.PAYMENT_WEBHOOK_SECRET, raw),
    },
  });
}

/** The customer passes (or fails) the bank's challenge: the provider's own ledger settles. */
const settleAtProvider = (providerPaymentId: string, approved: boolean) =>
  createSimPaymentLedger(api.deps.db).settle(providerPaymentId, approved);

/** A tok_3ds checkout waiting for confirmation, and its provider payment id. */
async function awaitingConfirmation() {
  const customer = await api.userWithToken();
  const sku = await createTestProduct(api.deps.db, { onHand: 10, priceCents: 3000 });
  const res = await api.request('POST', '/v1/checkouts', {
    token: customer.token,
    body: checkoutBody([{ sku, quantity: 2 }], 'tok_3ds'),
    headers: { 'Idempotency-Key': randomUUID() },
  });
  const order = await api.waitForOrder(
    res.body.orderId,
    customer.token,
    (o) => o.status === 'AWAITING_PAYMENT_CONFIRMATION',
  );
  return { customer, sku, order, providerPaymentId: providerPaymentIdOf(order) };
}

test('payment.succeeded pays a 3-D Secure order the provider settled; the stock is sold', async () => {
  const { customer, sku, order, providerPaymentId } = await awaitingConfirmation();
  expect(await createInventoryRepository(api.deps.db).getStock(sku)).toEqual({ onHand: 10, reserved: 2 });

  expect(await settleAtProvider(providerPaymentId, true)).toBe('settled');
  const res = await deliver({ id: `evt_${randomUUID()}`, type: 'payment.succeeded', providerPaymentId });

  expect(res.status).toBe(200);
  const paid = await api.waitForOrder(order.id, customer.token, paidOrLater);
  expect(paid.payment).toEqual({ status: 'CAPTURED', providerPaymentId });
  // The amount the provider reported capturing is what the books hold.
  expect((await api.deps.db.payment.findUnique({ where: { orderId: order.id } }))?.capturedCents).toBe(6000);
  expect(await createInventoryRepository(api.deps.db).getStock(sku)).toEqual({ onHand: 8, reserved: 0 });
});

test('a signed webhook whose event the provider does not confirm changes nothing; the order keeps waiting', async () => {
  const { customer, order, providerPaymentId } = await awaitingConfirmation();
  // Correctly signed (say, a leaked secret or a replayed delivery), but the charge still waits for the customer.
  for (const type of ['payment.succeeded', 'payment.failed']) {
    expect((await deliver({ id: `evt_${randomUUID()}`, type, providerPaymentId })).body.outcome).toBe('processed');
  }
  await new Promise((r) => setTimeout(r, 1_000));
  const still = await api.request('GET', `/v1/orders/${order.id}`, { token: customer.token });
  expect(still.body.status).toBe('AWAITING_PAYMENT_CONFIRMATION');
  expect(still.body.payment.status).toBe('REQUIRES_ACTION');

  // The workflow still waits: once the provider settles, its webhook pays the order.
  await settleAtProvider(providerPaymentId, true);
  await deliver({ id: `evt_${randomUUID()}`, type: 'payment.succeeded', providerPaymentId });
  await api.waitForOrder(order.id, customer.token, paidOrLater);
});

test('payment.failed fails the order with PAYMENT_DECLINED and releases the stock', async () => {
  const { customer, sku, order, providerPaymentId } = await awaitingConfirmation();
  await settleAtProvider(providerPaymentId, false);
  expect((await deliver({ id: `evt_${randomUUID()}`, type: 'payment.failed', providerPaymentId })).status).toBe(200);
  const failed = await api.waitForOrder(order.id, customer.token, (o) => o.status === 'FAILED');
  expect(failed.failureReason).toBe('PAYMENT_DECLINED');
  expect(await createInventoryRepository(api.deps.db).getStock(sku)).toEqual({ onHand: 10, reserved: 0 });
});

test('a bad or missing signature is 401 invalid_signature and changes nothing', async () => {
  const { customer, order, providerPaymentId } = await awaitingConfirmation();
  const event = { id: `evt_${randomUUID()}`, type: 'payment.succeeded', providerPaymentId };
  const forged = [
    signatureFor('not-the-secret', JSON.stringify(event)),
    'sha256=' + '0'.repeat(64),
    signatureFor(api.deps.config.PAYMENT_WEBHOOK_SECRET, JSON.stringify({ ...event, id: 'other' })),
    'garbage',
    '',
  ];
  for (const signature of forged) {
    const res = await deliver(event, signature);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('invalid_signature');
  }
  expect(await createWebhookEventRepository(api.deps.db).count('payments', event.id)).toBe(0);
  await new Promise((r) => setTimeout(r, 500));
  const still = await api.request('GET', `/v1/orders/${order.id}`, { token: customer.token });
  expect(still.body.status).toBe('AWAITING_PAYMENT_CONFIRMATION');
});

test('duplicate deliveries are harmless: one inbox row, one payment', async () => {
  const { customer, order, providerPaymentId } = await awaitingConfirmation();
  const event = { id: `evt_${randomUUID()}`, type: 'payment.succeeded', providerPaymentId };
  await settleAtProvider(providerPaymentId, true);
  const outcomes = await Promise.all([deliver(event), deliver(event), deliver(event)]);
  expect(outcomes.map((r) => r.status)).toEqual([200, 200, 200]);
  expect(outcomes.filter((r) => r.body.outcome === 'processed')).toHaveLength(1);
  await api.waitForOrder(order.id, customer.token, paidOrLater);
  expect((await deliver(event)).body.outcome).toBe('duplicate');
  expect(await createWebhookEventRepository(api.deps.db).count('payments', event.id)).toBe(1);
  expect(await api.deps.db.simPaymentCharge.count({ where: { id: providerPaymentId } })).toBe(1);
});

test('an event for an unknown payment is acknowledged and changes no order', async () => {
  const res = await deliver({ id: `evt_${randomUUID()}`, type: 'payment.succeeded', providerPaymentId: 'pi_unknown' });
  expect(res.status).toBe(200);
  expect(res.body.outcome).toBe('unmatched');
});

test('a signed but malformed event is 400 validation_failed', async () => {
  const res = await deliver({ id: 'evt_1', type: 'payment.refunded', providerPaymentId: 'pi_1' });
  expect(res.status).toBe(400);
  expect(res.body.code).toBe('validation_failed');
});

test('the signature covers the raw bytes: a signed body with a byte-order mark or invalid UTF-8 is 400, not 401', async () => {
  const secret = api.deps.config.PAYMENT_WEBHOOK_SECRET;
  const id = `evt_${randomUUID()}`;
  const bodies: Uint8Array[] = [
    Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(JSON.stringify({ id, type: 'payment.succeeded', providerPaymentId: 'pi_x' })),
    ]),
    Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), // '{', two bytes that are not UTF-8, '}'
  ];
  for (const body of bodies) {
    const res = await fetch(`${api.baseUrl}/v1/webhooks/payments`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Signature': signatureFor(secret, body) },
      body,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('validation_failed');
  }
  expect(await api.deps.db.webhookEvent.count({ where: { id } })).toBe(0);
});
