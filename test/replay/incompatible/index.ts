/**
 * A deliberately incompatible edit of the checkout workflow (stock is reserved before the order is
 * created, with the same local activities and profile as workflows/checkout.ts): replaying recorded
 * histories against it must fail, proving the replay suite would catch such a change in workflows/.
 * Never imported by production code.
 */
import { proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../../../activities';
import type { CheckoutInput, CheckoutResult } from '../../../workflows/definitions';
import { DATABASE_ACTIVITY } from '../../../workflows/activity-profiles';

const db = proxyLocalActivities<Activities>(DATABASE_ACTIVITY);

export async function checkout(input: CheckoutInput): Promise<CheckoutResult> {
  await db.reserveStock(input.orderId, []);
  await db.createOrder({ ...input, workflowId: 'x' });
  return { orderId: input.orderId, status: 'PAID' };
}
