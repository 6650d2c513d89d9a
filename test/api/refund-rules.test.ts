/**
 * docs/api.md#limits-and-money-rules for refunds: the approval threshold applies to an order's refunds
 * together, the requester cannot decide their own refund, restock only with a full refund, and an
 * automatic full refund (a cancellation) supersedes a refund awaiting approval and pays exactly
 * what is left: never twice, never withheld.
 */
import { randomUUID } from 'node:crypto';
import { createInventoryRepository } from '../../prisma/repositories/inventory';
import { refundWorkflowId, shipmentWorkflowId } from '../../domain/ids';
import { shipmentStateQuery } from '../../workflows/definitions';
import {
  checkoutBody,
  providerPaymentIdOf,
  trackingNumberOf,
  useApiHarness,
  type ApiHarness,
} from '../support/api-harness';
import { sendCarrierEvent } from '../support/carrier-webhook';
import { createTestProduct } from '../support/fixtures';
import { waitUntil } from '../support/wait';

const api = useApiHarness();
type User = Awaited<ReturnType<ApiHarness['userWithToken']>>;
let support: User;
let admin: User;
let otherAdmin: User;

beforeAll(async () => {
  support = await api.userWithToken('support');
  admin = await api.userWithToken('admin');
  otherAdmin = await api.userWithToken('admin');
});

/** A paid order with its shipment's label (FULFILLING) of `quantity` units at `priceCents`. */
async function fulfillingOrder(priceCents: number, quantity = 1) {
  const owner = await api.userWithToken();
  const sku = await createTestProduct(api.deps.db, { onHand: 100, priceCents });
  const res = await api.request('POST', '/v1/checkouts', {
    token: owner.token,
    body: checkoutBody([{ sku, quantity }]),
    headers: { 'Idempotency-Key': randomUUID() },
  });
  const order = await api.waitForOrder(res.body.orderId, owner.token, (o) => o.status === 'FULFILLING');
  return { owner, sku, order };
}

const requestRefund = (orderId: string, body: unknown, token = support.token) =>
  api.request('POST', `/v1/orders/${orderId}/refunds`, { token, body, headers: { 'Idempotency-Key': randomUUID() } });
const decide = (orderId: string, refundId: string, decision: 'approve' | 'reject', token: string) =>
  api.request('POST', `/v1/orders/${orderId}/refunds/${refundId}/${decision}`, { token });
const statusOf = async (orderId: string, refundId: string): Promise<string> =>
  (await api.request('GET', `/v1/orders/${orderId}/refunds/${refundId}`, { token: support.token })).body.status;
const waitForStatus = (orderId: string, refundId: string, status: string) =>
  waitUntil(
    async () => ((await statusOf(orderId, refundId)) === status ? status : undefined),
    `refund ${refundId} to be ${status}`,
    { timeoutMs: 20_000 },
  );
/** What the payment provider actually paid back on the order's charge. */
async function refundedAtProvider(order: { payment: { providerPaymentId: string | null } | null; id: string }) {
  const rows = await api.deps.db.simPaymentRefund.findMany({
    where: { chargeId: providerPaymentIdOf(order as Parameters<typeof providerPaymentIdOf>[0]) },
    select: { amountCents: true },
  });
  return rows.reduce((sum, r) => sum + r.amountCents, 0);
}

test('splitting does not dodge approval: six 50000 refunds of a 300000 order, only the first runs without an admin', async () => {
  const { owner, order } = await fulfillingOrder(100_000, 3);
  const statuses: string[] = [];
  for (let i = 0; i < 6; i++) {
    const res = await requestRefund(order.id, { amountCents: 50_000, reason: `part ${i}` });
    expect(res.status).toBe(202);
    statuses.push(res.body.status);
  }
  expect(statuses).toEqual(['PENDING', ...Array(5).fill('AWAITING_APPROVAL')]);
  await api.waitForOrder(order.id, owner.token, (o) => o.refundedCents === 50_000);
  expect(await refundedAtProvider(order)).toBe(50_000);
});

test('an admin cannot approve or reject a refund they requested: 403 approval_by_requester; another admin can', async () => {
  const { owner, order } = await fulfillingOrder(40_000, 2);
  const big = await requestRefund(order.id, { amountCents: 60_000, reason: 'bulk' }, admin.token);
  expect(big.body.status).toBe('AWAITING_APPROVAL');
  for (const decision of ['approve', 'reject'] as const) {
    const mine = await decide(order.id, big.body.refundId, decision, admin.token);
    expect(mine.status).toBe(403);
    expect(mine.body.code).toBe('approval_by_requester');
  }
  expect(await statusOf(order.id, big.body.refundId)).toBe('AWAITING_APPROVAL');
  expect((await decide(order.id, big.body.refundId, 'approve', otherAdmin.token)).status).toBe(200);
  await waitForStatus(order.id, big.body.refundId, 'SUCCEEDED');
  expect((await api.request('GET', `/v1/orders/${order.id}`, { token: owner.token })).body.refundedCents).toBe(60_000);
});

test('restock only with a refund of everything still refundable: a 1-cent restock is 422, stock unchanged', async () => {
  const { owner, sku, order } = await fulfillingOrder(2_000, 3);
  const stock = () => createInventoryRepository(api.deps.db).getStock(sku);
  expect(await stock()).toEqual({ onHand: 97, reserved: 0 });

  const phantom = await requestRefund(order.id, { amountCents: 1, reason: 'x', restock: true });
  expect(phantom.status).toBe(422);
  expect(phantom.body).toMatchObject({ code: 'restock_requires_full_refund', refundableCents: 6_000 });
  expect(await api.deps.db.refund.count({ where: { orderId: order.id } })).toBe(0);

  // After a partial refund, "everything still refundable" is the rest.
  const part = await requestRefund(order.id, { amountCents: 1_000, reason: 'scratch' });
  await waitForStatus(order.id, part.body.refundId, 'SUCCEEDED');
  expect((await requestRefund(order.id, { amountCents: 4_999, reason: 'x', restock: true })).body.code).toBe(
    'restock_requires_full_refund',
  );
  const rest = await requestRefund(order.id, { amountCents: 5_000, reason: 'all back', restock: true });
  expect(rest.status).toBe(202);
  await waitForStatus(order.id, rest.body.refundId, 'SUCCEEDED');
  await api.waitForOrder(order.id, owner.token, (o) => o.refundedCents === 6_000);
  // The units come back once the parcel waiting for pick-up is stopped, the refund workflow's last step.
  await api.deps.temporal.workflow.getHandle(refundWorkflowId(rest.body.refundId)).result();
  expect(await stock()).toEqual({ onHand: 100, reserved: 0 });
});

test('cancelling while a refund awaits approval: that refund is REJECTED, the rest of the capture refunded, once', async () => {
  const { owner, order } = await fulfillingOrder(100_000, 3); // 300000 captured
  const small = await requestRefund(order.id, { amountCents: 20_000, reason: 'dent' });
  await waitForStatus(order.id, small.body.refundId, 'SUCCEEDED');
  const waiting = await requestRefund(order.id, { amountCents: 100_000, reason: 'bulk' });
  expect(waiting.body.status).toBe('AWAITING_APPROVAL');

  const cancel = await api.request('POST', `/v1/orders/${order.id}/cancel`, { token: owner.token });
  expect(cancel.status).toBe(202);
  const cancelled = await api.waitForOrder(
    order.id,
    owner.token,
    (o) => o.status === 'CANCELLED' && o.refundedCents === 300_000,
  );
  expect(cancelled.payment?.status).toBe('REFUNDED');
  expect(await statusOf(order.id, waiting.body.refundId)).toBe('REJECTED');
  expect(await refundedAtProvider(order)).toBe(300_000);

  // An admin who approves the superseded refund afterwards moves no money.
  const late = await decide(order.id, waiting.body.refundId, 'approve', admin.token);
  expect([200, 409]).toContain(late.status);
  if (late.status === 200) expect(late.body.status).toBe('REJECTED');
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(await refundedAtProvider(order)).toBe(300_000);
  expect((await api.request('GET', `/v1/orders/${order.id}`, { token: owner.token })).body.refundedCents).toBe(300_000);
});

test('a full refund with restock before pick-up stops the parcel: units counted once, nothing ships after', async () => {
  const { owner, sku, order } = await fulfillingOrder(2_000, 3);
  const stock = () => createInventoryRepository(api.deps.db).getStock(sku);
  expect(await stock()).toEqual({ onHand: 97, reserved: 0 });

  const all = await requestRefund(order.id, { amountCents: 6_000, reason: 'never mind', restock: true });
  expect(all.status).toBe(202);
  await waitForStatus(order.id, all.body.refundId, 'SUCCEEDED');
  const shipment = api.deps.temporal.workflow.getHandle(shipmentWorkflowId(order.id));
  expect((await shipment.result()).phase).toBe('STOPPED'); // the shipment ended: no parcel goes out
  expect(await stock()).toEqual({ onHand: 100, reserved: 0 });

  // The carrier turns up anyway: the order stays REFUNDED and the units are not counted again.
  await sendCarrierEvent(api, trackingNumberOf(order), 'PICKED_UP');
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const after = (await api.request('GET', `/v1/orders/${order.id}`, { token: owner.token })).body;
  expect(after).toMatchObject({ status: 'REFUNDED', refundedCents: 6_000 });
  expect(await stock()).toEqual({ onHand: 100, reserved: 0 });
  expect((await api.request('POST', `/v1/orders/${order.id}/cancel`, { token: owner.token })).status).toBe(409);
});

test('a full refund with restock after pick-up refunds the money but puts back no units (they are with the carrier)', async () => {
  const { owner, sku, order } = await fulfillingOrder(2_000, 2);
  await sendCarrierEvent(api, trackingNumberOf(order), 'PICKED_UP');
  await api.waitForOrder(order.id, owner.token, (o) => o.status === 'SHIPPED');
  const all = await requestRefund(order.id, { amountCents: 4_000, reason: 'goodwill', restock: true });
  await waitForStatus(order.id, all.body.refundId, 'SUCCEEDED');
  await api.waitForOrder(order.id, owner.token, (o) => o.status === 'REFUNDED');
  const state = await api.deps.temporal.workflow.getHandle(shipmentWorkflowId(order.id)).query(shipmentStateQuery);
  expect(state.phase).toBe('IN_TRANSIT');
  expect(await createInventoryRepository(api.deps.db).getStock(sku)).toEqual({ onHand: 98, reserved: 0 });
});

test('restock rule at approval: A awaits, B restocks the rest; A rejected, B approved: 422, no units back', async () => {
  const { owner, sku, order } = await fulfillingOrder(100_000, 3); // 300000 captured
  const stock = () => createInventoryRepository(api.deps.db).getStock(sku);
  const a = await requestRefund(order.id, { amountCents: 100_000, reason: 'one broken' });
  const b = await requestRefund(order.id, { amountCents: 200_000, reason: 'the rest', restock: true });
  expect([a.body.status, b.body.status]).toEqual(['AWAITING_APPROVAL', 'AWAITING_APPROVAL']);

  expect((await decide(order.id, a.body.refundId, 'reject', admin.token)).status).toBe(200);
  const approveB = await decide(order.id, b.body.refundId, 'approve', admin.token);
  expect(approveB.status).toBe(422);
  expect(approveB.body).toMatchObject({ code: 'restock_requires_full_refund', refundableCents: 300_000 });
  expect(await statusOf(order.id, b.body.refundId)).toBe('AWAITING_APPROVAL');
  expect(await stock()).toEqual({ onHand: 97, reserved: 0 });
  expect((await api.request('GET', `/v1/orders/${order.id}`, { token: owner.token })).body.refundedCents).toBe(0);
});

test('restock rule at payout: B (restock, the rest) approved while A awaits, then A rejected: money paid, no units back', async () => {
  const { owner, sku, order } = await fulfillingOrder(100_000, 3);
  const a = await requestRefund(order.id, { amountCents: 100_000, reason: 'one broken' });
  const b = await requestRefund(order.id, { amountCents: 200_000, reason: 'the rest', restock: true });
  expect((await decide(order.id, b.body.refundId, 'approve', admin.token)).status).toBe(200);
  await waitForStatus(order.id, b.body.refundId, 'SUCCEEDED');
  expect((await decide(order.id, a.body.refundId, 'reject', admin.token)).status).toBe(200);

  const after = await api.waitForOrder(order.id, owner.token, (o) => o.refundedCents === 200_000);
  expect(after.status).toBe('FULFILLING'); // two thirds refunded: the parcel still goes out
  expect(await createInventoryRepository(api.deps.db).getStock(sku)).toEqual({ onHand: 97, reserved: 0 });
  expect(await refundedAtProvider(order)).toBe(200_000);
});
