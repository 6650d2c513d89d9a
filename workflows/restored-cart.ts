/**
 * When an order made from a cart ends FAILED or CANCELLED, its lines go back into the customer's
 * open cart (in the transaction that ends the order). That is a change of the cart like any other,
 * so its abandoned-cart timer starts again: started here as an abandoned child when none runs, or
 * told with a `changed` signal when one does. The API does the same with signal-with-start, which
 * workflow code has no call for.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { getExternalWorkflowHandle, proxyLocalActivities, startChild } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { cartReminderWorkflowId } from '../domain/ids';
import { CartIdKey, CustomerIdKey } from '../domain/search-attributes';
import { DATABASE_ACTIVITY } from './activity-profiles';
import { cartReminder } from './cart-reminder';
import { cartActivitySignal } from './definitions';

const { cartToRemindAfter } = proxyLocalActivities<Activities>(DATABASE_ACTIVITY);

/** Restarts the reminder timer of the cart that holds `orderId`'s lines again, if there is one. */
export async function restartTimerOfRestoredCart(orderId: string): Promise<void> {
  const cart = await cartToRemindAfter(orderId);
  if (!cart) return;
  const workflowId = cartReminderWorkflowId(cart.cartId);
  // Twice at most: a timer that ended between our start and our signal is started on the second try.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await startChild(cartReminder, {
        workflowId,
        args: [{ cartId: cart.cartId, customerId: cart.customerId, quietFor: `${cart.quietForHours} hours` }],
        parentClosePolicy: 'ABANDON',
        typedSearchAttributes: [
          { key: CartIdKey, value: cart.cartId },
          { key: CustomerIdKey, value: cart.customerId },
        ],
      });
      return;
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    try {
      await getExternalWorkflowHandle(workflowId).signal(cartActivitySignal, { kind: 'changed' });
      return;
    } catch {
      // It completed meanwhile (reminded, or ended): start a new one.
    }
  }
}
