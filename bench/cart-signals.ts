/**
 * A cart change as the abandoned-cart benches send it: a `changed` signal-with-start to the cart's
 * `cartReminder` workflow, with its search attributes. This is how the API told a timer of every
 * change before it started timers delayed and stopped signalling changes (api/carts/cart-reminders.ts);
 * the committed figures of bench/idle-carts.json and bench/sticky-cache.json were taken this way.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { cartReminderWorkflowId } from '../domain/ids';
import { CartIdKey, CustomerIdKey } from '../domain/search-attributes';
import type { cartReminder } from '../workflows/cart-reminder';
import { cartActivitySignal, type CartActivity } from '../workflows/definitions';

/** Sends one change of `cartId` to its timer on `taskQueue` (starting it if it is not running). */
export function signalCartChange(client: Client, taskQueue: string, cartId: string): Promise<unknown> {
  const customerId = randomUUID();
  return client.workflow.signalWithStart<typeof cartReminder, [CartActivity]>('cartReminder', {
    workflowId: cartReminderWorkflowId(cartId),
    taskQueue,
    args: [{ cartId, customerId, quietFor: '24 hours' }],
    signal: cartActivitySignal,
    signalArgs: [{ kind: 'changed' }],
    typedSearchAttributes: [
      { key: CartIdKey, value: cartId },
      { key: CustomerIdKey, value: customerId },
    ],
  });
}
