/**
 * Keeps each customer cart's abandoned-cart timer (workflows/cart-reminder.ts) in step with the
 * cart: every change signals it with signal-with-start (so the first change starts it), and
 * checkout, merge or emptying ends it. Guest carts have no timer: there is nobody to email.
 *
 * Best effort by design: the cart change is already committed when this runs, so a Temporal
 * outage is logged and the change still succeeds; at worst that cart gets no reminder.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { cartReminderWorkflowId } from '../../domain/ids';
import { CartIdKey, CustomerIdKey } from '../../domain/search-attributes';
import type { Logger } from '../../platform/logger';
import type { AppDependencies } from '../deps';
import type { cartReminder } from '../../workflows/cart-reminder';
import { cartActivitySignal, type CartActivity } from '../../workflows/definitions';

export interface CartReminders {
  /** The customer's cart changed and still has lines: start the wait again. */
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
  return {
    async changed(cartId, customerId) {
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
    },
    async ended(cartId) {
      try {
        await deps.temporal.workflow
          .getHandle(cartReminderWorkflowId(cartId))
          .signal(cartActivitySignal, { kind: 'ended' });
      } catch (error) {
        // No timer (never changed, already reminded or ended): nothing to end.
        if (!(error instanceof WorkflowNotFoundError)) failed(cartId, error);
      }
    },
  };
}

/** The reminders of the app's Temporal client, task queue and CART_REMINDER_AFTER_HOURS. */
export function cartRemindersOf({ temporal, config, logger }: AppDependencies): CartReminders {
  return createCartReminders({
    temporal,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    quietForHours: config.CART_REMINDER_AFTER_HOURS,
    logger,
  });
}
