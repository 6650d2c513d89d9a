/** docs/api.md#refunds: roles, bounds, idempotency, approval, overdraw under concurrency. */
import { randomUUID } from 'node:crypto';
import { createInventoryRepository } from '../../prisma/repositories/inventory';
import { refundWorkflowId } from '../../domain/ids';
import { checkoutBody, paidOrLater, providerPaymentIdOf, useApiHarness, type ApiHarness } from '../support/api-harness';
import { createTestProduct } from '../support/fixtures';
import { waitUntil } from '../support/wait';

const api = useApiHarness();
let support: Awaited<ReturnType<ApiHarness['userWithToken']>>;
let admin: Awaited<ReturnType<ApiHarness['userWithToken']>>;

beforeAll(async () => {
  support = await api.userWithToken('support');
  admin = await api.userWithToken('admin');
});

/** A PAID order of `quantity` units at `priceCents`, and its owner. */
async function paidOrder(priceCents: number, quantity = 1, onHand = 100) {
  const owner = await api.userWithToken();
  const sku = await createTestProduct(api.deps.db, { onHand, priceCents });
  const res = await api.request('POST', '/v1/checkouts', {
    token: owner.token,
    body: checkoutBody([{ sku, quantity }]),
    headers: { 'Idempotency-Key': randomUUID() },
  });
  const order = await api.waitForOrder(res.body.orderId, owner.token, paidOrLater);
  return { owner, sku, order };
}

const requestRefund = (orderId: string, body: unknown, key: string = randomUUID(), token = support.token) =>
  api.request('POST', `/v1/orders/${orderId}/refunds`, { token, body, headers: { 'Idempotency-Key': key } });

async function waitForRefund(orderId: string, refundId: string, done: (status: string) => boolean) {
  let last: string | undefined;
  return waitUntil(
    async () => {
      const res = await api.request('GET', `/v1/orders/${orderId}/refunds/${refundId}`, { token: support.token });
      last = res.body.status;
      return done(res.body.status) ? res.body : undefined;
    },
    () => `refund ${refundId}, stuck in ${last}`,
    { timeoutMs: 20_000 },
  );
}

test('a partial refund succeeds and grows refundedCents; the rest stays refundable', async () => {
  const { owner, order } = await paidOrder(4000);
  const res = await requestRefund(order.id, { amountCents: 1500, reason: 'scratched' });
  expect(res.status).toBe(202);
  expect(res.body).toEqual({ refundId: expect.any(String), status: 'PENDING' });

  expect(await waitForRefund(order.id, res.body.refundId, (s) => s === 'SUCCEEDED')).toEqual({
    refundId: res.body.refundId,
    amountCents: 1500,
    status: 'SUCCEEDED',
  });
  const after = await api.request('GET', `/v1/orders/${order.id}`, { token: owner.token });
  expect(after.body).toMatchObject({ refundedCents: 1500, payment: { status: 'PARTIALLY_REFUNDED' } });
  expect(paidOrLater(after.body)).toBe(true);

  const tooMuch = await requestRefund(order.id, { amountCents: 2501, reason: 'more' });
  expect(tooMuch.status).toBe(422);
  expect(tooMuch.body).toMatchObject({ code: 'refund_exceeds_captured', refundableCents: 2500 });
});

test('a full refund with restock: order REFUNDED, units back on hand', async () => {
  const { owner, sku, order } = await paidOrder(2000, 3, 10);
  expect(await createInventoryRepository(api.deps.db).getStock(sku)).toEqual({ onHand: 7, reserved: 0 });
  const res = await requestRefund(order.id, { amountCents: 6000, reason: 'never arrived', restock: true });
  await waitForRefund(order.id, res.body.refundId, (s) => s === 'SUCCEEDED');
  const after = await api.waitForOrder(order.id, owner.token, (o) => o.status === 'REFUNDED');
  expect(after.refundedCents).toBe(6000);
  // The units come back once the parcel waiting for pick-up is stopped, the refund workflow's last step.
  await api.deps.temporal.workflow.getHandle(refundWorkflowId(res.body.refundId)).result();
  expect(await createInventoryRepository(api.deps.db).getStock(sku)).toEqual({ onHand: 10, reserved: 0 });
});

test('same key: same refundId and one refund; same key with another body: 409', async () => {
  const { order } = await paidOrder(3000);
  const key = randomUUID();
  const [a, b] = await Promise.all([
    requestRefund(order.id, { amountCents: 1000, reason: 'dup' }, key),
    requestRefund(order.id, { amountCents: 1000, reason: 'dup' }, key),
  ]);
  expect(a.body.refundId).toBe(b.body.refundId);
  await waitForRefund(order.id, a.body.refundId, (s) => s === 'SUCCEEDED');
  const again = await requestRefund(order.id, { amountCents: 1000, reason: 'dup' }, key);
  expect(again.body).toEqual({ refundId: a.body.refundId, status: 'SUCCEEDED' });
  expect((await requestRefund(order.id, { amountCents: 999, reason: 'dup' }, key)).status).toBe(409);
  expect(await api.deps.db.refund.count({ where: { orderId: order.id } })).toBe(1);
  expect(await api.deps.db.simPaymentRefund.count({ where: { chargeId: providerPaymentIdOf(order) } })).toBe(1);
});

test('concurrent refunds that together would overdraw: exactly one succeeds', async () => {
  const { owner, order } = await paidOrder(5000);
  const results = await Promise.all(
    Array.from({ length: 6 }, () => requestRefund(order.id, { amountCents: 3000, reason: 'race' })),
  );
  const accepted = results.filter((r) => r.status === 202);
  expect(accepted).toHaveLength(1);
  expect(results.filter((r) => r.status === 422).every((r) => r.body.code === 'refund_exceeds_captured')).toBe(true);
  await waitForRefund(order.id, accepted[0]!.body.refundId, (s) => s === 'SUCCEEDED');
  expect((await api.request('GET', `/v1/orders/${order.id}`, { token: owner.token })).body.refundedCents).toBe(3000);
});

test('above 50000 cents: AWAITING_APPROVAL until an admin approves; reject moves no money', async () => {
  const { owner, order } = await paidOrder(40_000, 3);
  const big = await requestRefund(order.id, { amountCents: 60_000, reason: 'bulk return' });
  expect(big.body.status).toBe('AWAITING_APPROVAL');

  expect(
    (await api.request('POST', `/v1/orders/${order.id}/refunds/${big.body.refundId}/approve`, { token: support.token }))
      .status,
  ).toBe(403);
  const approved = await api.request('POST', `/v1/orders/${order.id}/refunds/${big.body.refundId}/approve`, {
    token: admin.token,
  });
  expect(approved.status).toBe(200);
  await waitForRefund(order.id, big.body.refundId, (s) => s === 'SUCCEEDED');

  const other = await requestRefund(order.id, { amountCents: 55_000, reason: 'again' });
  const rejected = await api.request('POST', `/v1/orders/${order.id}/refunds/${other.body.refundId}/reject`, {
    token: admin.token,
  });
  expect(rejected.body).toEqual({ refundId: other.body.refundId, status: 'REJECTED' });
  const twice = await api.request('POST', `/v1/orders/${order.id}/refunds/${other.body.refundId}/approve`, {
    token: admin.token,
  });
  expect(twice.status).toBe(409);
  expect(twice.body.code).toBe('refund_not_awaiting_approval');
  expect((await api.request('GET', `/v1/orders/${order.id}`, { token: owner.token })).body.refundedCents).toBe(60_000);
});

test('roles and bad input: customers 403, unknown order 404, invalid bodies 400, no key 400', async () => {
  const { owner, order } = await paidOrder(1000);
  expect((await requestRefund(order.id, { amountCents: 100, reason: 'x' }, randomUUID(), owner.token)).status).toBe(
    403,
  );
  expect((await requestRefund(randomUUID(), { amountCents: 100, reason: 'x' })).status).toBe(404);
  for (const body of [
    { amountCents: 0, reason: 'x' },
    { amountCents: -5, reason: 'x' },
    { amountCents: 1.5, reason: 'x' },
    { amountCents: 100 },
    { amountCents: '100', reason: 'x' },
  ]) {
    const res = await requestRefund(order.id, body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
  }
  const noKey = await api.request('POST', `/v1/orders/${order.id}/refunds`, {
    token: support.token,
    body: { amountCents: 100, reason: 'x' },
  });
  expect(noKey.body.code).toBe('idempotency_key_required');
  expect(await api.deps.db.refund.count({ where: { orderId: order.id } })).toBe(0);
});
