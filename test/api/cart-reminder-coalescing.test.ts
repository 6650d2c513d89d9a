/**
 * The abandoned-cart timer is told of a cart's changes at most twice per coalescing window
 * (api/carts/cart-reminders.ts): the first change at once, the rest as one signal at the window's
 * end; an end (checkout) is never coalesced and no noted change outlives it. Real HTTP, a real
 * worker and dev server, real PostgreSQL; the signals are counted in the workflow's own history.
 */
import { randomUUID } from 'node:crypto';
import { createCartReminders } from '../../api/carts/cart-reminders';
import { cartReminderWorkflowId } from '../../domain/ids';
import { checkoutBody, useApiHarness } from '../support/api-harness';
import { createTestProduct } from '../support/fixtures';
import { waitUntil } from '../support/wait';

const WINDOW_SECONDS = 2;
const api = useApiHarness({ CART_REMINDER_COALESCE_SECONDS: String(WINDOW_SECONDS) });

interface Cart {
  id: string;
  items: { sku: string; quantity: number }[];
}

const add = (cartId: string, sku: string, token: string) =>
  api.request<Cart>('POST', `/v1/carts/${cartId}/items`, { body: { sku, quantity: 1 }, token });

/** The `cartActivity` signals in the cart's timer history, in order: 'changed' or 'ended'. */
async function signalsOf(cartId: string): Promise<string[]> {
  const history = await api.deps.temporal.workflow.getHandle(cartReminderWorkflowId(cartId)).fetchHistory();
  return (history.events ?? []).flatMap((e) => {
    const signaled = e.workflowExecutionSignaledEventAttributes;
    if (!signaled) return [];
    const payload = signaled.input?.payloads?.[0]?.data;
    return [(JSON.parse(Buffer.from(payload ?? []).toString('utf8')) as { kind: string }).kind];
  });
}

async function customerCart(): Promise<{ token: string; cartId: string; sku: string; customerId: string }> {
  const customer = await api.userWithToken();
  const sku = await createTestProduct(api.deps.db, { onHand: 100 });
  const cart = (await api.request<Cart>('GET', '/v1/me/cart', { token: customer.token })).body;
  return { token: customer.token, cartId: cart.id, sku, customerId: customer.id };
}

test('changes within one window signal the timer once at once and once at the window’s end', async () => {
  const { token, cartId, sku } = await customerCart();
  for (let i = 0; i < 5; i++) expect((await add(cartId, sku, token)).status).toBe(200);
  // The first change was signalled before its answer; the four after it are noted.
  expect(await signalsOf(cartId)).toEqual(['changed']);
  const cart = (await api.request<Cart>('GET', `/v1/carts/${cartId}`, { token })).body;
  expect(cart.items).toEqual([expect.objectContaining({ sku, quantity: 5 })]);

  const both = await waitUntil(
    async () => {
      const signals = await signalsOf(cartId);
      return signals.length === 2 ? signals : undefined;
    },
    'the window’s signal',
    { timeoutMs: WINDOW_SECONDS * 1000 + 10_000 },
  );
  expect(both).toEqual(['changed', 'changed']);
  // Nothing was noted in the window that signal opened: no third one.
  await new Promise((resolve) => setTimeout(resolve, WINDOW_SECONDS * 1000 + 1_000));
  expect(await signalsOf(cartId)).toEqual(['changed', 'changed']);
  const described = await api.deps.temporal.workflow.getHandle(cartReminderWorkflowId(cartId)).describe();
  expect(described.status.name).toBe('RUNNING');
});

test('a checkout inside a window ends the timer at once, and the change noted before it is dropped', async () => {
  const { token, cartId, sku } = await customerCart();
  await add(cartId, sku, token);
  await add(cartId, sku, token);
  const { shippingAddress, paymentMethod } = checkoutBody([]);
  const checkout = await api.request('POST', '/v1/checkouts', {
    token,
    headers: { 'Idempotency-Key': randomUUID() },
    body: { cartId, shippingAddress, paymentMethod },
  });
  expect(checkout.status).toBe(202);
  const handle = api.deps.temporal.workflow.getHandle(cartReminderWorkflowId(cartId));
  expect(await handle.result()).toBe('ENDED');
  const ended = await handle.describe();
  // Past the window: the noted change did not start the timer again.
  await new Promise((resolve) => setTimeout(resolve, WINDOW_SECONDS * 1000 + 1_000));
  const after = await handle.describe();
  expect(after.runId).toBe(ended.runId);
  expect(after.status.name).toBe('COMPLETED');
  expect(await signalsOf(cartId)).toEqual(['changed', 'ended']);
});

test('flush sends a noted change at once (the API process flushes at shutdown)', async () => {
  // A reminders instance of its own with a window no test outlives: with the harness's 2-second
  // window, a slow machine could close the window on its own between the adds and flush(), and
  // then the test would not be about flush.
  const reminders = createCartReminders({
    temporal: api.deps.temporal,
    taskQueue: api.taskQueue,
    quietForHours: api.deps.config.CART_REMINDER_AFTER_HOURS,
    coalesceMs: 10 * 60_000,
    logger: api.deps.logger,
  });
  const { cartId, customerId } = await customerCart();
  await reminders.changed(cartId, customerId);
  await reminders.changed(cartId, customerId);
  expect(await signalsOf(cartId)).toEqual(['changed']);
  await reminders.flush();
  // A signal that reaches the server while the workflow task of the one before is running is
  // buffered and enters the history when that task completes: wait for the history to show it.
  const signals = await waitUntil(async () => {
    const seen = await signalsOf(cartId);
    return seen.length >= 2 ? seen : undefined;
  }, 'the flushed signal in the history');
  expect(signals).toEqual(['changed', 'changed']);
});
