/**
 * What the API tells a customer cart's abandoned-cart timer (api/carts/cart-reminders.ts): the
 * cart's first line starts it, delayed by the quiet time; later changes tell it nothing (it reads
 * the cart's last change when it runs: test/workflows/cart-reminder.test.ts), and emptying or
 * checkout ends it at once. Real HTTP, a real worker and dev server, real PostgreSQL; the signals
 * are counted in the workflow's own history.
 */
import { randomUUID } from 'node:crypto';
import { cartReminderWorkflowId } from '../../domain/ids';
import { checkoutBody, useApiHarness } from '../support/api-harness';
import { createTestProduct } from '../support/fixtures';

const api = useApiHarness();

interface Cart {
  id: string;
  updatedAt: string;
  items: { sku: string; quantity: number }[];
}

const add = (cartId: string, sku: string, token: string) =>
  api.request<Cart>('POST', `/v1/carts/${cartId}/items`, { body: { sku, quantity: 1 }, token });

/** The `cartActivity` signals in the history of the timer's latest run, in order: 'changed' or 'ended'. */
async function signalsOf(cartId: string): Promise<string[]> {
  const history = await api.deps.temporal.workflow.getHandle(cartReminderWorkflowId(cartId)).fetchHistory();
  return (history.events ?? []).flatMap((e) => {
    const signaled = e.workflowExecutionSignaledEventAttributes;
    if (!signaled) return [];
    const payload = signaled.input?.payloads?.[0]?.data;
    return [(JSON.parse(Buffer.from(payload ?? []).toString('utf8')) as { kind: string }).kind];
  });
}

async function customerCart(): Promise<{ token: string; cartId: string; skus: string[] }> {
  const customer = await api.userWithToken();
  const skus = [
    await createTestProduct(api.deps.db, { onHand: 100 }),
    await createTestProduct(api.deps.db, { onHand: 100 }),
  ];
  const cart = (await api.request<Cart>('GET', '/v1/me/cart', { token: customer.token })).body;
  return { token: customer.token, cartId: cart.id, skus };
}

const HOUR = 3_600_000;

test('the first line starts the timer, delayed by the quiet time; later changes signal nothing and move the cart’s updatedAt', async () => {
  const { token, cartId, skus } = await customerCart();
  const [a, b] = skus as [string, string];
  const first = await add(cartId, a, token);
  expect(first.status).toBe(200);
  const started = await api.deps.temporal.workflow.getHandle(cartReminderWorkflowId(cartId)).describe();
  expect(started.status.name).toBe('RUNNING');
  // Its first workflow task is due when the quiet time has passed.
  const quietMs = api.deps.config.CART_REMINDER_AFTER_HOURS * HOUR;
  expect(started.executionTime!.getTime() - started.startTime.getTime()).toBeGreaterThanOrEqual(quietMs - 1_000);
  expect(await signalsOf(cartId)).toEqual([]);

  let last = first.body.updatedAt;
  for (const sku of [a, b, a]) {
    const res = await add(cartId, sku, token);
    expect(res.status).toBe(200);
    // The timer reads this when it fires: every change must move it.
    expect(Date.parse(res.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(last));
    last = res.body.updatedAt;
  }
  const set = await api.request<Cart>('PUT', `/v1/carts/${cartId}/items/${b}`, { body: { quantity: 4 }, token });
  expect(set.status).toBe(200);
  expect(set.body.items).toEqual([
    expect.objectContaining({ sku: a, quantity: 3 }),
    expect.objectContaining({ sku: b, quantity: 4 }),
  ]);
  expect(await signalsOf(cartId)).toEqual([]);
  const described = await api.deps.temporal.workflow.getHandle(cartReminderWorkflowId(cartId)).describe();
  expect(described).toMatchObject({ runId: started.runId, status: { name: 'RUNNING' } });
  expect(described.historyLength).toBe(started.historyLength);
});

test('emptying the cart ends the timer at once; the next first line starts a new one', async () => {
  const { token, cartId, skus } = await customerCart();
  const sku = skus[0]!;
  await add(cartId, sku, token);
  const handle = api.deps.temporal.workflow.getHandle(cartReminderWorkflowId(cartId));
  const firstRun = (await handle.describe()).runId;
  expect((await api.request('DELETE', `/v1/carts/${cartId}/items/${sku}`, { token })).status).toBe(200);
  expect(await handle.result()).toBe('ENDED');

  expect((await add(cartId, sku, token)).status).toBe(200);
  const again = await api.deps.temporal.workflow.getHandle(cartReminderWorkflowId(cartId)).describe();
  expect(again.runId).not.toBe(firstRun);
  expect(again.status.name).toBe('RUNNING');
  expect(await signalsOf(cartId)).toEqual([]);
});

test('a checkout ends the timer at once', async () => {
  const { token, cartId, skus } = await customerCart();
  await add(cartId, skus[0]!, token);
  await add(cartId, skus[1]!, token);
  const { shippingAddress, paymentMethod } = checkoutBody([]);
  const checkout = await api.request('POST', '/v1/checkouts', {
    token,
    headers: { 'Idempotency-Key': randomUUID() },
    body: { cartId, shippingAddress, paymentMethod },
  });
  expect(checkout.status).toBe(202);
  const handle = api.deps.temporal.workflow.getHandle(cartReminderWorkflowId(cartId));
  expect(await handle.result()).toBe('ENDED');
  expect(await signalsOf(cartId)).toEqual(['ended']);
});
