/**
 * The abandoned-cart timer on the time-skipping test server: 24 hours of quiet send one
 * cart_reminder, a change starts the wait again, and checkout (or merge, or emptying) ends it
 * without an email. Its own environment: time-skipping is global to one.
 */
import { randomUUID } from 'node:crypto';
import { cartReminderWorkflowId } from '../../domain/ids';
import type { cartReminder } from '../../workflows/cart-reminder';
import { cartActivitySignal } from '../../workflows/definitions';
import { happyActivities } from '../support/activity-mocks';
import { useTimeSkippingEnv, withWorker } from '../support/workflow-env';

const env = useTimeSkippingEnv();
const HOUR = 3_600_000;

function start(taskQueue: string, cartId: string, delayed?: boolean) {
  return env().client.workflow.start<typeof cartReminder>('cartReminder', {
    taskQueue,
    workflowId: cartReminderWorkflowId(cartId),
    args: [{ cartId, customerId: randomUUID(), quietFor: '24 hours', ...(delayed ? { delayed } : {}) }],
  });
}

test('24 hours without a change: exactly one cart_reminder, then the timer ends', async () => {
  const acts = happyActivities();
  const cartId = randomUUID();
  const { outcome, waited } = await withWorker(env(), acts, async (tq) => {
    const startedAt = await env().currentTimeMs();
    const handle = await start(tq, cartId);
    await env().sleep('23 hours');
    // Nothing yet after 23 quiet hours.
    expect(acts.prepareNotification).not.toHaveBeenCalled();
    const outcome = await handle.result();
    return { outcome, waited: (await env().currentTimeMs()) - startedAt };
  });
  expect(outcome).toBe('REMINDED');
  expect(waited).toBeGreaterThanOrEqual(24 * HOUR);
  expect(acts.prepareNotification).toHaveBeenCalledTimes(1);
  expect(acts.prepareNotification).toHaveBeenCalledWith({ type: 'cart_reminder', cartId });
  expect(acts.deliverNotification).toHaveBeenCalledTimes(1);
});

test('a change after 23 hours starts the wait again: the reminder comes 24 hours after it', async () => {
  const acts = happyActivities();
  const cartId = randomUUID();
  const { outcome, waited } = await withWorker(env(), acts, async (tq) => {
    const startedAt = await env().currentTimeMs();
    const handle = await start(tq, cartId);
    await env().sleep('23 hours');
    expect(acts.prepareNotification).not.toHaveBeenCalled();
    await handle.signal(cartActivitySignal, { kind: 'changed' });
    const outcome = await handle.result();
    return { outcome, waited: (await env().currentTimeMs()) - startedAt };
  });
  expect(outcome).toBe('REMINDED');
  expect(waited).toBeGreaterThanOrEqual(47 * HOUR);
  expect(acts.prepareNotification).toHaveBeenCalledTimes(1);
});

test('a change the timer was not told of (the cart’s own last change, 23 hours in) moves the reminder to 24 hours after it', async () => {
  const acts = happyActivities();
  const cartId = randomUUID();
  let startedAt = 0;
  // The API signals only a cart's first line; the cart itself records every later change.
  acts.cartLastChangedAt.mockImplementation(async () => ({ changedAtMs: startedAt + 23 * HOUR }));
  const { outcome, waited } = await withWorker(env(), acts, async (tq) => {
    startedAt = await env().currentTimeMs();
    const handle = await start(tq, cartId);
    await env().sleep('30 hours');
    // 24 hours after the start the timer fired, found the later change and waits on.
    expect(acts.cartLastChangedAt).toHaveBeenCalledWith(cartId);
    expect(acts.prepareNotification).not.toHaveBeenCalled();
    const outcome = await handle.result();
    return { outcome, waited: (await env().currentTimeMs()) - startedAt };
  });
  expect(outcome).toBe('REMINDED');
  expect(waited).toBeGreaterThanOrEqual(47 * HOUR);
  expect(acts.prepareNotification).toHaveBeenCalledTimes(1);
});

test('a cart emptied or closed without a signal: the timer ends when it fires, with no email', async () => {
  const acts = happyActivities();
  const cartId = randomUUID();
  acts.cartLastChangedAt.mockResolvedValue(null);
  const outcome = await withWorker(env(), acts, async (tq) => (await start(tq, cartId)).result());
  expect(outcome).toBe('ENDED');
  expect(acts.cartLastChangedAt).toHaveBeenCalledWith(cartId);
  expect(acts.prepareNotification).not.toHaveBeenCalled();
});

test('a delayed start (the API’s: its quiet time already waited) asks the cart at once and waits out the rest', async () => {
  const acts = happyActivities();
  const cartId = randomUUID();
  let runAt = 0;
  // The cart last changed an hour before the timer first ran: 23 hours are left.
  acts.cartLastChangedAt.mockImplementation(async () => ({ changedAtMs: runAt - HOUR }));
  const { outcome, waited } = await withWorker(env(), acts, async (tq) => {
    runAt = await env().currentTimeMs();
    const handle = await start(tq, cartId, true);
    await env().sleep('22 hours');
    expect(acts.cartLastChangedAt).toHaveBeenCalledTimes(1);
    expect(acts.prepareNotification).not.toHaveBeenCalled();
    const outcome = await handle.result();
    return { outcome, waited: (await env().currentTimeMs()) - runAt };
  });
  expect(outcome).toBe('REMINDED');
  expect(waited).toBeGreaterThanOrEqual(23 * HOUR - 60_000);
  expect(waited).toBeLessThan(24 * HOUR);
  expect(acts.prepareNotification).toHaveBeenCalledTimes(1);
});

test('checked out (or merged, or emptied) before the 24 hours: no email at all', async () => {
  const acts = happyActivities();
  const cartId = randomUUID();
  const outcome = await withWorker(env(), acts, async (tq) => {
    const handle = await start(tq, cartId);
    await env().sleep('12 hours');
    await handle.signal(cartActivitySignal, { kind: 'ended' });
    const outcome = await handle.result();
    await env().sleep('2 days');
    return outcome;
  });
  expect(outcome).toBe('ENDED');
  expect(acts.prepareNotification).not.toHaveBeenCalled();
  expect(acts.deliverNotification).not.toHaveBeenCalled();
});
