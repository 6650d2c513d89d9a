/**
 * A deliberately incompatible edit of the checkout workflow (stock is reserved before the order is
 * created): replaying recorded histories against it must fail, proving the replay suite would catch
 * such a change in workflows/. Never imported by production code.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../../activities';
import type { CheckoutInput, CheckoutResult } from '../../../workflows/definitions';

const acts = proxyActivities<Activities>({ startToCloseTimeout: '10 seconds' });

export async function checkout(input: CheckoutInput): Promise<CheckoutResult> {
  await acts.reserveStock(input.orderId, input.items ?? []);
  await acts.createOrder({ ...input, workflowId: 'x' });
  return { orderId: input.orderId, status: 'PAID' };
}
