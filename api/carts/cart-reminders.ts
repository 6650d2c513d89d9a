/**
 * Starts and ends each customer cart's abandoned-cart timer (workflows/cart-reminder.ts). The
 * cart's first line starts it with a start delay of the quiet time: the server keeps the workflow
 * and its delay, and no workflow task runs until the delay is over, when the timer asks the cart
 * when it last changed and waits on from there. Later changes tell it nothing, so adding to a cart
 * costs Temporal nothing, and starting one costs a start (it was a signal-with-start, a workflow
 * task and a timer, then a signal per change or per minute of changes:
 * docs/performance.md#cart-reminder-signals). Checkout, merge or emptying ends it at once with a
 * signal-with-start, which, unlike a plain signal, also ends the start delay. Guest carts have no
 * timer: there is nobody to email.
 *
 * Best effort by design: the cart change is already committed when this runs, so a Temporal
 * outage is logged and the change still succeeds; at worst that cart gets no reminder. A stray
 * timer is harmless: the reminder is sent only for a cart still OPEN with lines.
 */
import type { Client } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { cartReminderWorkflowId } from '../../domain/ids';
import { CartIdKey, CustomerIdKey } from '../../domain/search-attributes';
import type { Logger } from '../../platform/logger';
import type { cartReminder, CartReminderInput } from '../../workflows/cart-reminder';
import { cartActivitySignal, type CartActivity } from '../../workflows/definitions';

export interface CartReminders {
  /** The customer's cart got lines (its first, or merged in): its timer runs from now, unless it runs already. */
  changed(cartId: string, customerId: string): Promise<void>;
  /** The cart was checked out, merged or emptied: no reminder. */
  ended(cartId: string, customerId: string): Promise<void>;
}

export function createCartReminders(deps: {
  temporal: Client;
  taskQueue: string;
  quietForHours: number;
  logger: Logger;
}): CartReminders {
  const failed = (cartId: string, error: unknown): void =>
    deps.logger.warn({ cartId, err: error }, 'cart reminder timer not updated');
  const quietFor: Duration = `${deps.quietForHours} hours`;
  const options = (cartId: string, customerId: string) => ({
    workflowId: cartReminderWorkflowId(cartId),
    taskQueue: deps.taskQueue,
    args: [{ cartId, customerId, quietFor, delayed: true }] as [CartReminderInput],
    typedSearchAttributes: [
      { key: CartIdKey, value: cartId },
      { key: CustomerIdKey, value: customerId },
    ],
  });
  return {
    async changed(cartId, customerId) {
      try {
        await deps.temporal.workflow.start<typeof cartReminder>('cartReminder', {
          ...options(cartId, customerId),
          startDelay: quietFor,
          // A timer that runs already reads this change from the cart when it fires.
          workflowIdConflictPolicy: 'USE_EXISTING',
        });
      } catch (error) {
        failed(cartId, error);
      }
    },
    async ended(cartId, customerId) {
      try {
        await deps.temporal.workflow.signalWithStart<typeof cartReminder, [CartActivity]>('cartReminder', {
          ...options(cartId, customerId),
          signal: cartActivitySignal,
          signalArgs: [{ kind: 'ended' }],
        });
      } catch (error) {
        failed(cartId, error);
      }
    },
  };
}
