/**
 * docs/api.md#order-timeline: a real order paid, shipped through signed carrier webhooks, partly
 * refunded by support, refunded further with an admin's approval and mailed about at each step; its
 * timeline has every event once, oldest first, with who acted; retried activities add nothing.
 */
import { randomUUID } from 'node:crypto';
import { SimulatedCarrier } from '../../activities/adapters/simulated-carrier';
import { SimulatedPaymentProvider } from '../../activities/adapters/simulated-payment-provider';
import { createActivities } from '../../activities';
import { timelineResponseSchema } from '../../contract/timeline-schema';
import type { Mailer } from '../../activities/notifications/mailer';
import { createPaymentRepository } from '../../prisma/repositories/payments';
import { createRefundRepository } from '../../prisma/repositories/refunds';
import { createShipmentRepository } from '../../prisma/repositories/shipments';
import { checkoutBody, trackingNumberOf, useApiHarness, type ApiHarness } from '../support/api-harness';
import { sendCarrierEvent } from '../support/carrier-webhook';
import { createTestProduct } from '../support/fixtures';
import { waitUntil } from '../support/wait';

const api = useApiHarness();
type User = Awaited<ReturnType<ApiHarness['userWithToken']>>;
let customer: User;
let support: User;
let admin: User;

beforeAll(async () => {
  [customer, support, admin] = await Promise.all([
    api.userWithToken('customer'),
    api.userWithToken('support'),
    api.userWithToken('admin'),
  ]);
});

const carrierEvent = (trackingNumber: string, type: string) => sendCarrierEvent(api, trackingNumber, type);

async function waitForRefund(orderId: string, refundId: string, status: string) {
  return waitUntil(
    async () => {
      const res = await api.request('GET', `/v1/orders/${orderId}/refunds/${refundId}`, { token: support.token });
      return res.body.status === status ? res.body : undefined;
    },
    () => `refund ${refundId} to be ${status}`,
  );
}

const timelineOf = async (orderId: string) => {
  const res = await api.request('GET', `/v1/orders/${orderId}/timeline`, { token: support.token });
  expect(res.status).toBe(200);
  return timelineResponseSchema.parse(res.body).items;
};

/** The order of the journey, built once: every test below reads its timeline. */
let orderId: string;
let smallRefundId: string;
let largeRefundId: string;

beforeAll(async () => {
  // 2 x $400.00: a refund of $600.00 on top of a $20.00 one crosses the $500.00 approval threshold.
  const sku = await createTestProduct(api.deps.db, { onHand: 10, priceCents: 40_000 });
  const checkout = await api.request('POST', '/v1/checkouts', {
    token: customer.token,
    body: checkoutBody([{ sku, quantity: 2 }]),
    headers: { 'Idempotency-Key': randomUUID() },
  });
  expect(checkout.status).toBe(202);
  orderId = checkout.body.orderId;
  const fulfilling = await api.waitForOrder(orderId, customer.token, (o) => o.status === 'FULFILLING');
  const tracking = trackingNumberOf(fulfilling);

  expect((await carrierEvent(tracking, 'PICKED_UP')).status).toBe(200);
  await api.waitForOrder(orderId, customer.token, (o) => o.status === 'SHIPPED');
  // Refused: support's action is on the timeline with its outcome.
  const cancel = await api.request('POST', `/v1/orders/${orderId}/cancel`, {
    token: support.token,
    body: { reason: 'customer changed their mind' },
  });
  expect(cancel.status).toBe(409);
  expect((await carrierEvent(tracking, 'DELIVERED')).status).toBe(200);
  await api.waitForOrder(orderId, customer.token, (o) => o.status === 'DELIVERED');

  const small = await api.request('POST', `/v1/orders/${orderId}/refunds`, {
    token: support.token,
    body: { amountCents: 2_000, reason: 'dented box' },
    headers: { 'Idempotency-Key': randomUUID() },
  });
  expect(small.status).toBe(202);
  smallRefundId = small.body.refundId;
  await waitForRefund(orderId, smallRefundId, 'SUCCEEDED');

  const large = await api.request('POST', `/v1/orders/${orderId}/refunds`, {
    token: support.token,
    body: { amountCents: 60_000, reason: 'one item arrived broken' },
    headers: { 'Idempotency-Key': randomUUID() },
  });
  expect(large.body.status).toBe('AWAITING_APPROVAL');
  largeRefundId = large.body.refundId;
  const approve = await api.request('POST', `/v1/orders/${orderId}/refunds/${largeRefundId}/approve`, {
    token: admin.token,
  });
  expect(approve.status).toBe(200);
  await waitForRefund(orderId, largeRefundId, 'SUCCEEDED');
  await api.waitForOrder(orderId, customer.token, (o) => o.refundedCents === 62_000);

  // Every email of the journey sent: confirmed, shipped, delivered, two refunds.
  await waitUntil(
    async () => {
      const res = await api.request('GET', `/v1/orders/${orderId}/notifications`, { token: support.token });
      const items = res.body.items as { status: string }[];
      return items.length === 5 && items.every((n) => n.status === 'SENT') ? items : undefined;
    },
    () => `five sent emails of order ${orderId}`,
    { timeoutMs: 30_000 },
  );
}, 90_000);

test('every event of the order, once, oldest first, with who acted', async () => {
  const items = await timelineOf(orderId);
  const times = items.map((i) => Date.parse(i.at));
  expect([...times].sort((a, b) => a - b)).toEqual(times);

  // The journey in the order it happened (emails and status changes of one step may interleave,
  // so each sequence below is checked on its own).
  const types = items.map((i) => i.type);
  const before = (a: string, b: string) => expect(types.indexOf(a)).toBeLessThan(types.indexOf(b));
  for (const [a, b] of [
    ['order.placed', 'payment.captured'],
    ['payment.captured', 'order.paid'],
    ['order.paid', 'shipment.label_created'],
    ['shipment.label_created', 'order.fulfilling'],
    ['order.fulfilling', 'shipment.picked_up'],
    ['shipment.picked_up', 'order.shipped'],
    ['order.shipped', 'action.order.cancel'],
    ['action.order.cancel', 'shipment.delivered'],
    ['shipment.delivered', 'order.delivered'],
    ['order.delivered', 'refund.requested'],
    ['payment.partially_refunded', 'refund.approved'],
    ['order.paid', 'email.order_confirmed'],
    ['order.shipped', 'email.order_shipped'],
    ['order.delivered', 'email.order_delivered'],
  ] as const)
    before(a, b);

  const once = [
    'order.placed',
    'order.paid',
    'order.fulfilling',
    'order.shipped',
    'order.delivered',
    'payment.captured',
    'payment.partially_refunded',
    'shipment.label_created',
    'shipment.picked_up',
    'shipment.delivered',
    'refund.approved',
    'action.order.cancel',
    'email.order_confirmed',
    'email.order_shipped',
    'email.order_delivered',
  ];
  for (const type of once) expect(types.filter((t) => t === type)).toEqual([type]);
  expect(types.filter((t) => t === 'refund.requested')).toHaveLength(2);
  expect(types.filter((t) => t === 'refund.succeeded')).toHaveLength(2);
  expect(types.filter((t) => t === 'email.refund_succeeded')).toHaveLength(2);
  // Accepted refund requests and the approval are told once, as the refund's own events.
  expect(types).not.toContain('action.refund.request');
  expect(types).not.toContain('action.refund.approve');
  expect(new Set(items.map((i) => `${i.type} ${i.summary}`)).size).toBe(items.length);

  const item = (type: string, summaryPart = '') => {
    const found = items.filter((i) => i.type === type && i.summary.includes(summaryPart));
    expect(found).toHaveLength(1);
    return found[0]!;
  };
  expect(item('order.placed')).toMatchObject({ actor: customer.email, summary: 'Order placed: $800.00' });
  expect(item('payment.captured')).toMatchObject({ actor: null, summary: 'Payment captured: $800.00' });
  expect(item('shipment.label_created').summary).toMatch(/^Shipping label created: simulated-carrier SIM/);
  expect(item('action.order.cancel')).toMatchObject({
    actor: support.email,
    summary: 'Cancellation requested: customer changed their mind (refused: order_not_cancellable)',
  });
  expect(item('refund.requested', '$20.00')).toMatchObject({
    actor: support.email,
    summary: 'Refund of $20.00 requested: dented box',
  });
  expect(item('refund.requested', '$600.00')).toMatchObject({
    actor: support.email,
    summary: 'Refund of $600.00 requested: one item arrived broken, waiting for an admin to approve it',
  });
  expect(item('refund.approved')).toMatchObject({ actor: admin.email, summary: 'Refund of $600.00 approved' });
  expect(item('refund.succeeded', '$20.00')).toMatchObject({ actor: null, summary: 'Refund of $20.00 paid back' });
  expect(item('refund.succeeded', '$600.00').actor).toBeNull();
  expect(item('email.order_shipped')).toMatchObject({ actor: null });
  expect(item('email.order_shipped').summary).toContain(`sent to ${customer.email}`);
  // Nobody but the customer, support and the admin acted; the rest is the platform.
  expect(new Set(items.map((i) => i.actor))).toEqual(new Set([customer.email, support.email, admin.email, null]));
});

test('a retried activity writes no second event', async () => {
  const before = await timelineOf(orderId);
  const unsent: Mailer = {
    send: () => Promise.reject(new Error('this test sends no mail')),
    close: () => undefined,
  };
  const activities = createActivities({
    db: api.deps.db,
    paymentProvider: new SimulatedPaymentProvider(api.deps.db),
    carrier: new SimulatedCarrier(api.deps.db),
    reservationTtlMs: 45 * 60_000,
    mailer: unsent,
    mailFrom: 'test@test.example',
    storefrontUrl: 'http://shop.test',
  });
  // What Temporal runs again when a worker crashed after a step committed and before it reported.
  for (let attempt = 0; attempt < 2; attempt++) {
    await activities.recordCarrierEvent(orderId, 'DELIVERED', new Date().toISOString());
    await activities.approveRefund(largeRefundId);
    await activities.executeRefund(largeRefundId);
    await activities.createShipment(orderId);
  }
  // And repositories called twice with the same change (unconditional status writes included).
  await createPaymentRepository(api.deps.db).setStatus(orderId, 'PARTIALLY_REFUNDED');
  await createShipmentRepository(api.deps.db).setStatus(orderId, 'DELIVERED');
  expect(await createRefundRepository(api.deps.db).markSucceeded(smallRefundId, 'again')).toBe(false);
  expect(await timelineOf(orderId)).toEqual(before);
  const rows = await api.deps.db.orderEvent.count({ where: { orderId } });
  expect(rows).toBe(before.filter((i) => !i.type.startsWith('email.') && !i.type.startsWith('action.')).length);
});

test('customers get 403, even for their own order; an unknown order is 404', async () => {
  const own = await api.request('GET', `/v1/orders/${orderId}/timeline`, { token: customer.token });
  expect(own.status).toBe(403);
  expect(own.body.code).toBe('forbidden');
  const unknown = await api.request('GET', `/v1/orders/${randomUUID()}/timeline`, { token: admin.token });
  expect(unknown.status).toBe(404);
  expect(unknown.body.code).toBe('not_found');
  expect((await api.request('GET', `/v1/orders/not-a-uuid/timeline`, { token: support.token })).status).toBe(404);
  expect((await api.request('GET', `/v1/orders/${orderId}/timeline`)).status).toBe(401);
  const asAdmin = await api.request('GET', `/v1/orders/${orderId}/timeline`, { token: admin.token });
  expect(asAdmin.body).toEqual({ items: await timelineOf(orderId) });
});

test('GET /v1/orders/:orderId/refunds lists the refunds for support, not for customers', async () => {
  const res = await api.request('GET', `/v1/orders/${orderId}/refunds`, { token: support.token });
  expect(res.status).toBe(200);
  expect(res.body.items).toEqual([
    expect.objectContaining({
      refundId: smallRefundId,
      amountCents: 2_000,
      status: 'SUCCEEDED',
      reason: 'dented box',
      requestedBy: support.id,
    }),
    expect.objectContaining({
      refundId: largeRefundId,
      amountCents: 60_000,
      status: 'SUCCEEDED',
      requestedBy: support.id,
    }),
  ]);
  expect((await api.request('GET', `/v1/orders/${orderId}/refunds`, { token: customer.token })).status).toBe(403);
  expect((await api.request('GET', `/v1/orders/${randomUUID()}/refunds`, { token: support.token })).status).toBe(404);
});
