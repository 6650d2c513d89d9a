/** The audit trail: every support/admin action stored with actor, time, target and outcome. */
import { randomUUID } from 'node:crypto';
import { checkoutBody, paidOrLater, useApiHarness } from '../support/api-harness';
import { createTestProduct } from '../support/fixtures';

const api = useApiHarness();

test('support and admin actions are recorded with their outcome; only admins read them', async () => {
  const [owner, support, admin] = [
    await api.userWithToken(),
    await api.userWithToken('support'),
    await api.userWithToken('admin'),
  ];
  const sku = await createTestProduct(api.deps.db, { onHand: 10 });
  const placed = await api.request('POST', '/v1/checkouts', {
    token: owner.token,
    body: checkoutBody([{ sku, quantity: 1 }]),
    headers: { 'Idempotency-Key': randomUUID() },
  });
  const order = await api.waitForOrder(placed.body.orderId, owner.token, paidOrLater);

  await api.request('PUT', `/v1/admin/inventory/${sku}`, { token: admin.token, body: { onHand: 25 } });
  await api.request('PUT', `/v1/admin/inventory/NO-SUCH-SKU`, { token: admin.token, body: { onHand: 1 } });
  await api.request('POST', `/v1/orders/${order.id}/refunds`, {
    token: support.token,
    body: { amountCents: 100, reason: 'goodwill' },
    headers: { 'Idempotency-Key': randomUUID() },
  });
  await api.request('POST', `/v1/orders/${order.id}/cancel`, { token: owner.token }); // a customer's own action: not audited

  const forOrder = await api.request('GET', `/v1/admin/audit?targetId=${order.id}`, { token: admin.token });
  expect(forOrder.status).toBe(200);
  expect(forOrder.body.items).toEqual([
    expect.objectContaining({
      actorId: support.id,
      actorRole: 'support',
      action: 'refund.request',
      targetType: 'order',
      targetId: order.id,
      outcome: 'accepted',
      createdAt: expect.any(String),
    }),
  ]);
  const forSku = await api.request('GET', `/v1/admin/audit?targetId=${sku}`, { token: admin.token });
  expect(forSku.body.items).toEqual([
    expect.objectContaining({
      actorId: admin.id,
      action: 'inventory.set_on_hand',
      outcome: 'accepted',
      details: { onHand: 25 },
    }),
  ]);
  const refused = await api.request('GET', '/v1/admin/audit?targetId=NO-SUCH-SKU', { token: admin.token });
  expect(refused.body.items[0]).toMatchObject({ action: 'inventory.set_on_hand', outcome: 'not_found' });

  expect((await api.request('GET', '/v1/admin/audit', { token: support.token })).status).toBe(403);
  expect((await api.request('GET', '/v1/admin/audit')).status).toBe(401);
});
