/**
 * The abandoned-cart timer of one customer cart. It sleeps on a durable timer; checkout, merge or
 * emptying the cart ends it (an `ended` signal). After `quietFor` without a change it sends one
 * `cart_reminder` email and ends.
 *
 * Every change starts the wait again. The workflow asks the cart when its timer fires
 * (`cartLastChangedAt`) and, if the cart changed since, sleeps until `quietFor` after that change.
 * The API starts it with the cart's first line, with a start delay of `quietFor` (`delayed`), and
 * tells it nothing of later changes, so adding to a cart costs Temporal nothing
 * (docs/performance.md#cart-reminder-signals). A `changed` signal (lines given back after a failed
 * order, workflows/restored-cart.ts) restarts the wait at once.
 *
 * Cheap on the server while it waits: one timer and a short history, and no worker holds it in
 * memory once the sticky cache evicts it. A cart signalled very often continues as new, so its
 * history stays short.
 */
import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import {
  condition,
  continueAsNew,
  executeChild,
  proxyLocalActivities,
  setHandler,
  setWorkflowOptions,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { DATABASE_ACTIVITY } from './activity-profiles';
import { cartActivitySignal } from './definitions';
import { sendNotification } from './send-notification';
import { notificationWorkflowId } from '../domain/ids';
import { notificationKey } from '../domain/notifications';

export interface CartReminderInput {
  cartId: string;
  customerId: string;
  /** Quiet time before the reminder (CART_REMINDER_AFTER_HOURS). */
  quietFor: Duration;
  /**
   * Started with a start delay of `quietFor` (api/carts/cart-reminders.ts): the quiet time has
   * passed when the first workflow task runs, so the timer asks the cart at once. Absent in the
   * restored-cart timer the checkout starts, which waits its first quiet time as a timer.
   */
  delayed?: boolean;
}

export type CartReminderOutcome = 'REMINDED' | 'ENDED';

const db = proxyLocalActivities<Activities>(DATABASE_ACTIVITY);

/** Changes one run takes before it continues as new. */
const CHANGES_PER_RUN = 500;

export async function cartReminder(input: CartReminderInput): Promise<CartReminderOutcome> {
  const quietForMs = msToNumber(input.quietFor);
  let changes = 0;
  let ended = false;
  setHandler(cartActivitySignal, (activity) => {
    if (activity.kind === 'ended') ended = true;
    else changes++;
  });

  // How long to wait before asking the cart; 0 for a delayed start, which waited before running at all.
  let wait = input.delayed === true ? 0 : quietForMs;
  for (;;) {
    const seen = changes;
    const woke = wait > 0 && (await condition(() => ended || changes !== seen, wait));
    if (ended) return 'ENDED';
    if (woke) {
      wait = quietForMs;
      if (changes >= CHANGES_PER_RUN || workflowInfo().continueAsNewSuggested) {
        // The next run waits its first quiet time as a timer: it starts now, not after a delay.
        await continueAsNew<typeof cartReminder>(input.delayed ? { ...input, delayed: false } : input);
      }
      continue;
    }
    // The timer fired: the cart may have changed since without a signal.
    const last = await db.cartLastChangedAt(input.cartId);
    // Closed, merged or emptied meanwhile: nothing to remind of.
    if (last === null) return 'ENDED';
    const due = last.changedAtMs + quietForMs;
    if (due <= Date.now()) break; // workflow time: deterministic
    wait = due - Date.now();
  }
  await executeChild(sendNotification, {
    workflowId: notificationWorkflowId(notificationKey('cart_reminder', input.cartId)),
    args: [{ type: 'cart_reminder', cartId: input.cartId }],
  });
  return 'REMINDED';
}

// Worker Versioning (workers/versioning.ts): a cart's timer sleeps for hours or days, so it moves to
// each new build at its next task; a change to it is patched.
setWorkflowOptions({ versioningBehavior: 'AUTO_UPGRADE' }, cartReminder);
