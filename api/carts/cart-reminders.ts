/**
 * Starts and ends each customer cart's abandoned-cart timer (workflows/cart-reminder.ts): the cart's
 * first line starts it (signal-with-start), and checkout, merge or emptying ends it. Later changes
 * tell it nothing: the timer asks the cart when it last changed when it fires, and waits on from
 * there, so adding to a cart that has lines costs Temporal nothing (it was a signal, a workflow task
 * and a restarted timer per change, then per minute of changes: docs/performance.md#cart-reminder-signals).
 * A change that cannot be read from the cart's own `updated_at` by then (lines merged in from a
 * guest cart) signals `changed` as before. Guest carts have no timer: there is nobody to email.
 *
 * Best effort by design: the cart change is already committed when this runs, so a Temporal
 * outage is logged and the change still succeeds; at worst that cart gets no reminder. A stray
 * timer is harmless: the reminder is sent only for a cart still OPEN with lines.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { cartReminderWorkflowId } from '../../domain/ids';
import { CartIdKey, CustomerIdKey } from '../../domain/search-attributes';
import type { Logger } from '../../platform/logger';
import type { cartReminder } from '../../workflows/cart-reminder';
import { cartActivitySignal, type CartActivity } from '../../workflows/definitions';

export interface CartReminders {
  /** The customer's cart got its first line, or lines it cannot date itself: start the wait (again). */
  changed(cartId: string, customerId: string): Promise<void>;
  /** The cart was checked out, merged or emptied: no reminder. */
  ended(cartId: string): Promise<void>;
}

export function createCartReminders(deps: {
  temporal: Client;
  taskQueue: string;
  quietForHours: number;
  logger: Logger;
}): CartReminders {
  const failed = (cartId: string, error: unknown): void =>
    deps.logger.warn({ cartId, err: error }, 'cart reminder timer not updated');
  const signalChanged = async (cartId: string, customerId: string): Promise<void> => {
    try {
      await deps.temporal.workflow.signalWithStart<typeof cartReminder, [CartActivity]>('cartReminder', {
        workflowId: cartReminderWorkflowId(cartId),
        taskQueue: deps.taskQueue,
        args: [{ cartId, customerId, quietFor: `${deps.quietForHours} hours` }],
        signal: cartActivitySignal,
        signalArgs: [{ kind: 'changed' }],
        typedSearchAttributes: [
          { key: CartIdKey, value: cartId },
          { key: CustomerIdKey, value: customerId },
        ],
      });
    } catch (error) {
      failed(cartId, error);
    }
  };
  const signalEnded = async (cartId: string): Promise<void> => {
    try {
      await deps.temporal.workflow
        .getHandle(cartReminderWorkflowId(cartId))
        .signal(cartActivitySignal, { kind: 'ended' });
    } catch (error) {
      // No timer (never changed, already reminded or ended): nothing to end.
      if (!(error instanceof WorkflowNotFoundError)) failed(cartId, error);
    }
  };
  return { changed: signalChanged, ended: signalEnded };
}
