/**
 * The benchmark's yardstick: a workflow with the checkout's shape and none of its work. One local
 * activity, then three regular ones in sequence (the checkout's createOrder, reserveStock,
 * chargePayment, markOrderPaid), each a no-op. What it sustains on the same dev server and machine
 * is what Temporal itself allows there; the checkout's figure divided by it is our overhead.
 */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { BaselineActivities } from './activities';

const local = proxyLocalActivities<BaselineActivities>({ startToCloseTimeout: '10 seconds' });
const regular = proxyActivities<BaselineActivities>({ startToCloseTimeout: '10 seconds' });

export async function baselineCheckout(): Promise<void> {
  await local.noop();
  await regular.noop();
  await regular.noop();
  await regular.noop();
}
