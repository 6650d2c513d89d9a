/**
 * The abandoned-cart timer of one customer cart. It sleeps on a durable timer; every change of the
 * cart (a `cartActivity` signal, sent with signal-with-start by the API) starts the wait again, and
 * checkout, merge or emptying the cart ends it. After `quietFor` without a change it sends one
 * `cart_reminder` email and ends.
 *
 * Cheap on the server while it waits: one timer and a short history, and no worker holds it in
 * memory once the sticky cache evicts it. A cart changed very often continues as new, so its
 * history stays short.
 */
import type { Duration } from '@temporalio/common';
import { condition, continueAsNew, executeChild, setHandler, workflowInfo } from '@temporalio/workflow';
import { cartActivitySignal } from './definitions';
import { sendNotification } from './send-notification';
import { notificationWorkflowId } from '../domain/ids';
import { notificationKey } from '../domain/notifications';

export interface CartReminderInput {
  cartId: string;
  customerId: string;
  /** Quiet time before the reminder (CART_REMINDER_AFTER_HOURS). */
  quietFor: Duration;
}

export type CartReminderOutcome = 'REMINDED' | 'ENDED';

/** Changes one run takes before it continues as new. */
const CHANGES_PER_RUN = 500;

export async function cartReminder(input: CartReminderInput): Promise<CartReminderOutcome> {
  let changes = 0;
  let ended = false;
  setHandler(cartActivitySignal, (activity) => {
    if (activity.kind === 'ended') ended = true;
    else changes++;
  });

  for (;;) {
    const seen = changes;
    const woke = await condition(() => ended || changes !== seen, input.quietFor);
    if (ended) return 'ENDED';
    if (!woke) break;
    if (changes >= CHANGES_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof cartReminder>(input);
    }
  }
  await executeChild(sendNotification, {
    workflowId: notificationWorkflowId(notificationKey('cart_reminder', input.cartId)),
    args: [{ type: 'cart_reminder', cartId: input.cartId }],
  });
  return 'REMINDED';
}
