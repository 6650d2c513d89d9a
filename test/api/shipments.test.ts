/** docs/api.md#carrier-webhook and the shipment lifecycle from outside: real worker, real dev server. */
import { randomUUID } from 'node:crypto';
import { shipmentWorkflowId } from '../../domain/ids';
import { createInventoryRepository } from '../../prisma/repositories/inventory';
import { createWebhookEventRepository } from '../../prisma/repositories/webhook-events';
import { checkoutBody, trackingNumberOf, useApiHarness } from '../support/api-harness';
import { sendCarrierEvent } from '../support/carrier-webhook';
import { createTestProduct } from '../support/fixtures';
import { waitUntil } from '../support/wait';

const api = useApiHarness();

const carrierEvent = (trackingNumber: string, type: string, id?: string, secret?: string) =>
  sendCarrierEvent(api, trackingNumber, type, { id, secret });

/** A paid order whose shipment has its label (FULFILLING). */
async function fulfilling(quantity = 2) {
  const owner = await api.userWithToken();
  const sku = await createTestProduct(api.deps.db, { onHand: 10, priceCents: 2500 });
  const res = await api.request('POST', '/v1/checkouts', {
    token: owner.token,
    body: checkoutBody([{ sku, quantity }]),
    headers: { 'Idempotency-Key': randomUUID() },
  });
  const order = await api.waitForOrder(
    res.body.orderId,
    owner.token,
    (o) => o.status === 'FULFILLING' && o.shipment !== null,
  );
  return { owner, sku, order, tracking: trackingNumberOf(order) };
}

test('paid orders get a shipment; PICKED_UP -> SHIPPED, DELIVERED -> DELIVERED', async () => {
  const { owner, order, tracking } = await fulfilling();
  expect(order.shipment).toMatchObject({
    id: expect.any(String),
    status: 'LABEL_CREATED',
    carrier: 'simulated-carrier',
    trackingNumber: expect.stringMatching(/^SIM/),
  });

  expect((await carrierEvent(tracking, 'PICKED_UP')).status).toBe(200);
  const shipped = await api.waitForOrder(order.id, owner.token, (o) => o.status === 'SHIPPED');
  expect(shipped.shipment?.status).toBe('PICKED_UP');

  const cancel = await api.request('POST', `/v1/orders/${order.id}/cancel`, { token: owner.token });
  expect(cancel.status).toBe(409);
  expect(cancel.body.code).toBe('order_not_cancellable');

  await carrierEvent(tracking, 'DELIVERED');
  const delivered = await api.waitForOrder(order.id, owner.token, (o) => o.status === 'DELIVERED');
  expect(delivered.shipment?.status).toBe('DELIVERED');
  expect(delivered.refundedCents).toBe(0);
});

test('RETURNED: full refund, units back on hand, order RETURNED', async () => {
  const { owner, sku, order, tracking } = await fulfilling(2);
  expect(await createInventoryRepository(api.deps.db).getStock(sku)).toEqual({ onHand: 8, reserved: 0 });
  await carrierEvent(tracking, 'PICKED_UP');
  await carrierEvent(tracking, 'RETURNED');
  const returned = await api.waitForOrder(
    order.id,
    owner.token,
    (o) => o.status === 'RETURNED' && o.refundedCents === 5000,
  );
  expect(returned.payment?.status).toBe('REFUNDED');
  expect(returned.shipment?.status).toBe('RETURNED');
  expect(await createInventoryRepository(api.deps.db).getStock(sku)).toEqual({ onHand: 10, reserved: 0 });
});

test('cancel while FULFILLING: label voided, order CANCELLED, refunded, restocked', async () => {
  const { owner, sku, order } = await fulfilling(3);
  const res = await api.request('POST', `/v1/orders/${order.id}/cancel`, { token: owner.token });
  expect(res.status).toBe(202);
  expect(res.body.status).toBe('CANCELLED');
  const cancelled = await api.waitForOrder(
    order.id,
    owner.token,
    (o) => o.status === 'CANCELLED' && o.refundedCents === 7500,
  );
  expect(cancelled.payment?.status).toBe('REFUNDED');
  expect(await createInventoryRepository(api.deps.db).getStock(sku)).toEqual({ onHand: 10, reserved: 0 });
});

test('bad signatures change nothing; duplicate deliveries are harmless', async () => {
  const { owner, order, tracking } = await fulfilling();
  const forged = await carrierEvent(tracking, 'PICKED_UP', `evt_${randomUUID()}`, 'wrong-secret');
  expect(forged.status).toBe(401);
  expect(forged.body.code).toBe('invalid_signature');
  await new Promise((r) => setTimeout(r, 300));
  expect((await api.request('GET', `/v1/orders/${order.id}`, { token: owner.token })).body.status).toBe('FULFILLING');

  const id = `evt_${randomUUID()}`;
  const outcomes = await Promise.all([
    carrierEvent(tracking, 'PICKED_UP', id),
    carrierEvent(tracking, 'PICKED_UP', id),
  ]);
  expect(outcomes.map((r) => r.status)).toEqual([200, 200]);
  expect(outcomes.map((r) => r.body.outcome).sort()).toEqual(['duplicate', 'processed']);
  await api.waitForOrder(order.id, owner.token, (o) => o.status === 'SHIPPED');
  expect(await api.deps.db.webhookEvent.count({ where: { source: 'carrier', id } })).toBe(1);
});

test('an event for an unknown tracking number is acknowledged; malformed events are 400', async () => {
  expect((await carrierEvent('SIMNOPE', 'PICKED_UP')).body.outcome).toBe('unmatched');
  const bad = await carrierEvent('SIM1', 'TELEPORTED');
  expect(bad.status).toBe(400);
});

test('occurredAt before 2000 or more than a day ahead is 400 validation_failed and changes nothing', async () => {
  const { owner, order, tracking } = await fulfilling();
  const dayAhead = Date.now() + 24 * 60 * 60 * 1000;
  for (const occurredAt of [
    '0000-01-01T00:00:00Z',
    '1999-12-31T23:59:59Z',
    new Date(dayAhead + 60_000).toISOString(),
  ]) {
    const res = await sendCarrierEvent(api, tracking, 'PICKED_UP', { occurredAt });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
  }
  expect((await api.request('GET', `/v1/orders/${order.id}`, { token: owner.token })).body.status).toBe('FULFILLING');
  // The bounds themselves are accepted.
  expect((await sendCarrierEvent(api, tracking, 'PICKED_UP', { occurredAt: '2000-01-01T00:00:00Z' })).status).toBe(200);
  const shipped = await api.waitForOrder(order.id, owner.token, (o) => o.status === 'SHIPPED');
  expect(shipped.shipment?.status).toBe('PICKED_UP');
});

test('an event for a tracking number not recorded yet stays unrelayed: its redelivery is handed over, not ignored', async () => {
  const id = `evt_${randomUUID()}`;
  const tracking = `SIMNOTYET${randomUUID()}`;
  expect((await carrierEvent(tracking, 'PICKED_UP', id)).body.outcome).toBe('unmatched');
  expect(await createWebhookEventRepository(api.deps.db).isRelayed('carrier', id)).toBe(false);
  // The redelivery is looked at again (still no such parcel here), not taken for a duplicate.
  expect((await carrierEvent(tracking, 'PICKED_UP', id)).body.outcome).toBe('unmatched');
});

test('a FULFILLING order whose shipment workflow has closed is not cancellable: 409, nothing refunded', async () => {
  const { owner, sku, order } = await fulfilling(2);
  await api.deps.temporal.workflow.getHandle(shipmentWorkflowId(order.id)).terminate('closed for the test');
  const res = await api.request('POST', `/v1/orders/${order.id}/cancel`, { token: owner.token });
  expect(res.status).toBe(409);
  expect(res.body.code).toBe('order_not_cancellable');
  await new Promise((r) => setTimeout(r, 500));
  const after = (await api.request('GET', `/v1/orders/${order.id}`, { token: owner.token })).body;
  expect(after).toMatchObject({ status: 'FULFILLING', refundedCents: 0 });
  expect(await createInventoryRepository(api.deps.db).getStock(sku)).toEqual({ onHand: 8, reserved: 0 });
});

test('a pick-up of a cancelled parcel after its workflow ended is recorded and on the timeline; the order stays CANCELLED', async () => {
  const { owner, sku, order, tracking } = await fulfilling(2);
  expect((await api.request('POST', `/v1/orders/${order.id}/cancel`, { token: owner.token })).status).toBe(202);
  await api.waitForOrder(order.id, owner.token, (o) => o.status === 'CANCELLED' && o.refundedCents === 5000);
  await waitUntil(
    async () =>
      (await api.deps.temporal.workflow.getHandle(shipmentWorkflowId(order.id)).describe()).status.name === 'COMPLETED'
        ? true
        : undefined,
    'the shipment workflow to end',
  );
  const res = await carrierEvent(tracking, 'PICKED_UP');
  expect(res.status).toBe(200);
  const after = (await api.request('GET', `/v1/orders/${order.id}`, { token: owner.token })).body;
  expect(after).toMatchObject({ status: 'CANCELLED', refundedCents: 5000, shipment: { status: 'PICKED_UP' } });
  expect(await createInventoryRepository(api.deps.db).getStock(sku)).toEqual({ onHand: 10, reserved: 0 });
  const support = await api.userWithToken('support');
  const timeline = await api.request('GET', `/v1/orders/${order.id}/timeline`, { token: support.token });
  expect(timeline.body.items.map((i: { type: string }) => i.type)).toContain('shipment.picked_up');
});

test('cancels racing pick-ups: each answer matches how the order ends, money and stock agree', async () => {
  const runs = await Promise.all(
    [0, 5, 15, 30].map(async (delayMs) => {
      const { owner, sku, order, tracking } = await fulfilling(2);
      const cancel = api.request('POST', `/v1/orders/${order.id}/cancel`, { token: owner.token });
      await new Promise((r) => setTimeout(r, delayMs));
      const pickUp = await carrierEvent(tracking, 'PICKED_UP');
      return { owner, sku, order, answer: await cancel, pickUp };
    }),
  );
  for (const { owner, sku, order, answer, pickUp } of runs) {
    expect(pickUp.status).toBe(200);
    if (answer.status === 202) {
      // The late pick-up is recorded on the shipment (the workflow's last step, or the webhook's
      // once the workflow has ended).
      const done = await api.waitForOrder(
        order.id,
        owner.token,
        (o) => o.status === 'CANCELLED' && o.refundedCents === 5000 && o.shipment?.status === 'PICKED_UP',
      );
      expect(done.payment?.status).toBe('REFUNDED');
      expect(await createInventoryRepository(api.deps.db).getStock(sku)).toEqual({ onHand: 10, reserved: 0 });
    } else {
      expect(answer.status).toBe(409);
      expect(answer.body.code).toBe('order_not_cancellable');
      const done = await api.waitForOrder(order.id, owner.token, (o) => o.status === 'SHIPPED');
      expect(done.refundedCents).toBe(0);
      expect(await createInventoryRepository(api.deps.db).getStock(sku)).toEqual({ onHand: 8, reserved: 0 });
    }
  }
});
