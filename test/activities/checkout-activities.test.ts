/**
 * Checkout activities on the real database and the simulated provider, run in Temporal's
 * MockActivityEnvironment (real activity context, no server).
 */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createActivities, type Activities } from '../../activities';
import type { CreateOrderInput } from '../../activities/orders';
import { SimulatedCarrier } from '../../activities/adapters/simulated-carrier';
import { SimulatedPaymentProvider } from '../../activities/adapters/simulated-payment-provider';
import { chargeKey } from '../../activities/payments';
import { createCheckoutRequestRepository } from '../../prisma/repositories/checkout-requests';
import { createInventoryRepository } from '../../prisma/repositories/inventory';
import { createOrderRepository } from '../../prisma/repositories/orders';
import { FailureType } from '../../domain/failure-types';
import { useTestDatabase } from '../support/database';
import { createTestProduct } from '../support/fixtures';
import { createSmtpMailer } from '../../activities/notifications/mailer';

const db = useTestDatabase();
let acts: Activities;
// Failures are expected here: keep the activity logger to errors that are not part of a test.
const mockEnv = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR', () => undefined) });
/** Runs an activity in the mock environment, keeping its parameter and result types. */
const env = {
  run: <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
    mockEnv.run(fn, ...args) as Promise<R>,
};

beforeAll(() => {
  acts = createActivities({
    db: db(),
    paymentProvider: new SimulatedPaymentProvider(db()),
    carrier: new SimulatedCarrier(db()),
    reservationTtlMs: 60_000,
    mailer: createSmtpMailer('smtp://127.0.0.1:9'),
    mailFrom: 'Test Shop <shop@test.example>',
    storefrontUrl: 'http://shop.test',
  });
});

/**
 * A checkout as the API leaves it for the workflow: the request row (lines, address, payment token)
 * written, and the workflow's createOrder input, which carries ids only.
 */
async function requestedOrder(items: { sku: string; quantity: number }[], paymentToken = 'tok_visa') {
  const orderId = randomUUID();
  const input: CreateOrderInput = {
    orderId,
    customerId: randomUUID(),
    workflowId: `checkout-test-${orderId}`,
    idempotencyKey: randomUUID(),
  };
  await createCheckoutRequestRepository(db()).claim({
    ...input,
    requestHash: 'h',
    items,
    shippingAddress: { name: 'A', line1: 'B', city: 'C', postalCode: 'D', country: 'GB' },
    paymentToken,
    cartId: null,
  });
  return input;
}

async function failureOf(work: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApplicationFailure);
  return error as ApplicationFailure;
}

test('createOrder prices every line from the catalog and is idempotent', async () => {
  const mug = await createTestProduct(db(), { priceCents: 1250 });
  const cap = await createTestProduct(db(), { priceCents: 2499 });
  const input = await requestedOrder([
    { sku: mug, quantity: 2 },
    { sku: cap, quantity: 1 },
  ]);

  const first = await env.run(acts.createOrder, input);
  const again = await env.run(acts.createOrder, input);

  expect(first).toEqual({
    orderId: input.orderId,
    totalCents: 2 * 1250 + 2499,
    currency: 'USD',
    items: [
      { sku: mug, quantity: 2 },
      { sku: cap, quantity: 1 },
    ].sort((a, b) => (a.sku < b.sku ? -1 : 1)),
  });
  expect(again).toEqual(first);
  const order = await createOrderRepository(db()).findById(input.orderId);
  expect(order?.status).toBe('PENDING');
  expect(order?.items).toEqual(
    [
      { sku: mug, quantity: 2, unitPriceCents: 1250 },
      { sku: cap, quantity: 1, unitPriceCents: 2499 },
    ].sort((a, b) => a.sku.localeCompare(b.sku)),
  );
});

test('createOrder rejects unknown skus and mixed currencies as non-retryable business failures', async () => {
  const usd = await createTestProduct(db(), { currency: 'USD' });
  const eur = await createTestProduct(db(), { currency: 'EUR' });

  const unknown = await failureOf(env.run(acts.createOrder, await requestedOrder([{ sku: 'NOPE-404', quantity: 1 }])));
  expect(unknown.type).toBe(FailureType.UNKNOWN_SKU);
  expect(unknown.nonRetryable).toBe(true);

  const mixedInput = await requestedOrder([
    { sku: usd, quantity: 1 },
    { sku: eur, quantity: 1 },
  ]);
  const mixed = await failureOf(env.run(acts.createOrder, mixedInput));
  expect(mixed.type).toBe(FailureType.MIXED_CURRENCY);
  expect(await createOrderRepository(db()).findById(mixedInput.orderId)).toBeNull();
});

test('createOrder refuses an order too large for the money rules: ORDER_TOO_LARGE, non-retryable, no row', async () => {
  // What the API refuses first; the activity writes the order itself when the API died before it.
  const sku = await createTestProduct(db(), { priceCents: 100 });
  const lines = Array.from({ length: 100 }, () => ({ sku, quantity: 10_000 }));
  const byUnits = await requestedOrder(lines);
  const units = await failureOf(env.run(acts.createOrder, byUnits));
  expect(units.type).toBe(FailureType.ORDER_TOO_LARGE);
  expect(units.nonRetryable).toBe(true);
  expect(await createOrderRepository(db()).findById(byUnits.orderId)).toBeNull();

  const dear = await createTestProduct(db(), { priceCents: 20_000_000 });
  const byTotal = await requestedOrder([{ sku: dear, quantity: 6 }]); // 1.2 * 10^8 cents
  expect((await failureOf(env.run(acts.createOrder, byTotal))).type).toBe(FailureType.ORDER_TOO_LARGE);
  // Exactly the limit is allowed.
  const atLimit = await requestedOrder([{ sku: dear, quantity: 5 }]);
  expect((await env.run(acts.createOrder, atLimit)).totalCents).toBe(100_000_000);
});

test('an order whose checkout request row is missing: createOrder and chargePayment fail ORDER_NOT_FOUND, non-retryable, no row', async () => {
  const orderId = randomUUID();
  const input = { orderId, customerId: randomUUID(), workflowId: `checkout-test-${orderId}`, idempotencyKey: 'k' };

  const created = await failureOf(env.run(acts.createOrder, input));
  expect([created.type, created.nonRetryable]).toEqual([FailureType.ORDER_NOT_FOUND, true]);
  expect(await createOrderRepository(db()).findById(orderId)).toBeNull();
  const charged = await failureOf(env.run(acts.chargePayment, { orderId, amountCents: 1000, currency: 'USD' }));
  expect([charged.type, charged.nonRetryable]).toEqual([FailureType.ORDER_NOT_FOUND, true]);
  expect(await db().payment.count({ where: { orderId } })).toBe(0);
});

test('a database data error (SQLSTATE class 22) is a non-retryable DATA_ERROR, not retried forever', async () => {
  const sku = await createTestProduct(db(), { onHand: 5 });
  const order = await requestedOrder([{ sku, quantity: 1 }]);
  await env.run(acts.createOrder, order);
  // 2^31 units: beyond INTEGER, which PostgreSQL refuses with 22003 on every attempt.
  const failure = await failureOf(env.run(acts.reserveStock, order.orderId, [{ sku, quantity: 2 ** 31 }]));
  expect(failure.type).toBe(FailureType.DATA_ERROR);
  expect(failure.nonRetryable).toBe(true);
  expect(await createInventoryRepository(db()).getStock(sku)).toEqual({ onHand: 5, reserved: 0 });
});

test('reserveStock fails with OUT_OF_STOCK and leaves stock untouched', async () => {
  const sku = await createTestProduct(db(), { onHand: 1 });
  const failure = await failureOf(env.run(acts.reserveStock, randomUUID(), [{ sku, quantity: 2 }]));
  expect(failure.type).toBe(FailureType.OUT_OF_STOCK);
  expect(failure.nonRetryable).toBe(true);
  expect(await createInventoryRepository(db()).getStock(sku)).toEqual({ onHand: 1, reserved: 0 });
});

test('chargePayment charges once per order however often it runs, and markOrderPaid sells the stock', async () => {
  const sku = await createTestProduct(db(), { onHand: 10, priceCents: 700 });
  const lines = [{ sku, quantity: 3 }];
  const input = await requestedOrder(lines);
  await env.run(acts.createOrder, input);
  await env.run(acts.reserveStock, input.orderId, lines);

  const charge = { orderId: input.orderId, amountCents: 2100, currency: 'USD' };
  const first = await env.run(acts.chargePayment, charge);
  const retried = await env.run(acts.chargePayment, charge);
  await env.run(acts.markOrderPaid, input.orderId);
  await env.run(acts.markOrderPaid, input.orderId);

  expect(first.outcome).toBe('captured');
  expect(retried.providerPaymentId).toBe(first.providerPaymentId);
  expect(await db().simPaymentCharge.count({ where: { idempotencyKey: chargeKey(input.orderId) } })).toBe(1);
  const order = await createOrderRepository(db()).findById(input.orderId);
  expect(order?.status).toBe('PAID');
  expect(order?.payment).toEqual({ status: 'CAPTURED', providerPaymentId: first.providerPaymentId });
  expect(await createInventoryRepository(db()).getStock(sku)).toEqual({ onHand: 7, reserved: 0 });
});

test('verifyPayment asks the provider: pending while 3-D Secure waits, then the captured amount it reports, recorded on the payment', async () => {
  const sku = await createTestProduct(db(), { onHand: 10, priceCents: 700 });
  const lines = [{ sku, quantity: 2 }];
  const input = await requestedOrder(lines, 'tok_3ds');
  await env.run(acts.createOrder, input);
  await env.run(acts.reserveStock, input.orderId, lines);
  const charge = await env.run(acts.chargePayment, {
    orderId: input.orderId,
    amountCents: 1400,
    currency: 'USD',
  });
  const ask = { orderId: input.orderId, providerPaymentId: charge.providerPaymentId };

  expect(await env.run(acts.verifyPayment, ask)).toEqual({ outcome: 'pending' });
  // The bank's challenge passes at the provider: only now does the provider report a capture.
  await new SimulatedPaymentProvider(db()).completeAction(charge.providerPaymentId, true);
  expect(await env.run(acts.verifyPayment, ask)).toEqual({ outcome: 'captured', capturedCents: 1400, currency: 'USD' });
  const payment = await db().payment.findUnique({ where: { orderId: input.orderId } });
  expect(payment).toMatchObject({ status: 'CAPTURED', capturedCents: 1400 });

  // markOrderPaid keeps the provider's figure.
  await db().payment.update({ where: { orderId: input.orderId }, data: { capturedCents: 1399 } });
  await env.run(acts.markOrderPaid, input.orderId);
  expect((await db().payment.findUnique({ where: { orderId: input.orderId } }))?.capturedCents).toBe(1399);
});

test('cancelPayment of a 3-D Secure charge the customer passed an instant before: refunded in full, once', async () => {
  const sku = await createTestProduct(db(), { onHand: 10, priceCents: 700 });
  const input = await requestedOrder([{ sku, quantity: 2 }], 'tok_3ds');
  await env.run(acts.createOrder, input);
  const charge = await env.run(acts.chargePayment, {
    orderId: input.orderId,
    amountCents: 1400,
    currency: 'USD',
  });
  // The 30 minutes run out as the customer confirms at the bank: the compensation meets a capture.
  await new SimulatedPaymentProvider(db()).completeAction(charge.providerPaymentId, true);
  await env.run(acts.cancelPayment, input.orderId);
  await env.run(acts.cancelPayment, input.orderId);

  const refunded = await db().simPaymentRefund.findMany({ where: { chargeId: charge.providerPaymentId } });
  expect(refunded.map((r) => r.amountCents)).toEqual([1400]);
  expect(await db().payment.findUnique({ where: { orderId: input.orderId } })).toMatchObject({
    status: 'REFUNDED',
    capturedCents: 1400,
    refundedCents: 1400,
  });
  // A later compensation refund under the same key (the saga's refundPayment) moves nothing more.
  await env.run(acts.refundPayment, {
    orderId: input.orderId,
    amountCents: 1400,
    idempotencyKey: `order-${input.orderId}-compensation`,
    reason: 'checkout did not complete',
    requestedBy: 'system',
  });
  expect(await db().simPaymentRefund.count({ where: { chargeId: charge.providerPaymentId } })).toBe(1);
});

test('verifyPayment reports a charge failed or cancelled at the provider as failed', async () => {
  const provider = new SimulatedPaymentProvider(db());
  for (const [settle, providerStatus] of [
    [(id: string) => provider.completeAction(id, false), 'failed'],
    [(id: string) => provider.cancel(id), 'canceled'],
  ] as const) {
    const input = await requestedOrder([{ sku: await createTestProduct(db()), quantity: 1 }], 'tok_3ds');
    await env.run(acts.createOrder, input);
    const charge = await env.run(acts.chargePayment, {
      orderId: input.orderId,
      amountCents: 1000,
      currency: 'USD',
    });
    await settle(charge.providerPaymentId);
    expect(
      await env.run(acts.verifyPayment, { orderId: input.orderId, providerPaymentId: charge.providerPaymentId }),
    ).toEqual({ outcome: 'failed', providerStatus });
  }
});

test('a declined charge is a PAYMENT_DECLINED failure, recorded as a FAILED payment', async () => {
  const sku = await createTestProduct(db());
  const input = await requestedOrder([{ sku, quantity: 1 }], 'tok_declined');
  await env.run(acts.createOrder, input);

  const failure = await failureOf(
    env.run(acts.chargePayment, { orderId: input.orderId, amountCents: 1000, currency: 'USD' }),
  );
  await env.run(acts.markOrderFailed, input.orderId, 'PAYMENT_DECLINED');

  expect(failure.type).toBe(FailureType.PAYMENT_DECLINED);
  const order = await createOrderRepository(db()).findById(input.orderId);
  expect(order?.status).toBe('FAILED');
  expect(order?.failureReason).toBe('PAYMENT_DECLINED');
  expect(order?.payment?.status).toBe('FAILED');
});

test('refundPayment is idempotent per key and cannot refund more than was captured', async () => {
  const sku = await createTestProduct(db());
  const input = await requestedOrder([{ sku, quantity: 1 }]);
  await env.run(acts.createOrder, input);
  const { providerPaymentId } = await env.run(acts.chargePayment, {
    orderId: input.orderId,
    amountCents: 1000,
    currency: 'USD',
  });

  const a = await env.run(acts.refundPayment, {
    orderId: input.orderId,
    amountCents: 600,
    idempotencyKey: 'r1',
    reason: 'test',
    requestedBy: 'system',
  });
  const b = await env.run(acts.refundPayment, {
    orderId: input.orderId,
    amountCents: 600,
    idempotencyKey: 'r1',
    reason: 'test',
    requestedBy: 'system',
  });
  const tooMuch = await failureOf(
    env.run(acts.refundPayment, {
      orderId: input.orderId,
      amountCents: 500,
      idempotencyKey: 'r2',
      reason: 'test',
      requestedBy: 'system',
    }),
  );

  expect(b).toBe(a);
  expect(tooMuch.type).toBe(FailureType.REFUND_EXCEEDS_CAPTURED);
  const charge = await db().simPaymentCharge.findUniqueOrThrow({ where: { id: providerPaymentId } });
  expect(charge.refundedCents).toBe(600);
});

test('concurrent runs of chargePayment and createShipment for one order make one charge, one label, one shipment', async () => {
  const sku = await createTestProduct(db(), { onHand: 10, priceCents: 500 });
  const lines = [{ sku, quantity: 1 }];
  const input = await requestedOrder(lines);
  await env.run(acts.createOrder, input);
  await env.run(acts.reserveStock, input.orderId, lines);
  const charge = { orderId: input.orderId, amountCents: 500, currency: 'USD' };

  const charges = await Promise.all(Array.from({ length: 5 }, () => env.run(acts.chargePayment, charge)));
  expect(new Set(charges.map((c) => c.providerPaymentId)).size).toBe(1);
  expect(await db().simPaymentCharge.count({ where: { idempotencyKey: chargeKey(input.orderId) } })).toBe(1);
  expect(await env.run(acts.markOrderPaid, input.orderId)).toBe(true);

  const shipments = await Promise.all(Array.from({ length: 5 }, () => env.run(acts.createShipment, input.orderId)));
  expect(new Set(shipments.map((s) => s?.trackingNumber)).size).toBe(1);
  expect(shipments[0]?.trackingNumber).toMatch(/^SIM/);
  expect(await db().shipment.count({ where: { orderId: input.orderId } })).toBe(1);
  expect(await db().simCarrierLabel.count({ where: { idempotencyKey: `shipment-${input.orderId}` } })).toBe(1);
  expect(await createOrderRepository(db()).statusOf(input.orderId)).toBe('FULFILLING');
});

test('createShipment ships nothing for an order that is not paid', async () => {
  const sku = await createTestProduct(db(), { onHand: 10 });
  const input = await requestedOrder([{ sku, quantity: 1 }]);
  await env.run(acts.createOrder, input);

  expect(await env.run(acts.createShipment, input.orderId)).toBeNull();
  expect(await db().shipment.count({ where: { orderId: input.orderId } })).toBe(0);
  expect(await createOrderRepository(db()).statusOf(input.orderId)).toBe('PENDING');
});

test('cartLastChangedAt: an OPEN cart with lines answers its last change; an empty or closed cart answers null', async () => {
  const sku = await createTestProduct(db(), { onHand: 10 });
  const customerId = randomUUID();
  await db().user.create({
    data: { id: customerId, email: `c-${customerId}@test.example`, role: 'customer', passwordHash: 'x' },
  });
  const cartId = randomUUID();
  const updatedAt = new Date('2026-12-01T10:00:00.000Z');
  await db().cart.create({ data: { id: cartId, customerId, updatedAt } });
  // Empty: nothing to remind of.
  expect(await env.run(acts.cartLastChangedAt, cartId)).toBeNull();
  await db().cartLine.create({ data: { cartId, sku, quantity: 1 } });
  await db().$executeRaw`UPDATE carts SET updated_at = ${updatedAt} WHERE id = ${cartId}::uuid`;
  expect(await env.run(acts.cartLastChangedAt, cartId)).toEqual({ changedAtMs: updatedAt.getTime() });
  await db().cart.update({ where: { id: cartId }, data: { status: 'MERGED' } });
  expect(await env.run(acts.cartLastChangedAt, cartId)).toBeNull();
  expect(await env.run(acts.cartLastChangedAt, randomUUID())).toBeNull();
});
