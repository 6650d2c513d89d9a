/**
 * The benchmark's yardstick: a workflow with the checkout's shape and none of its work. Four local
 * activities in sequence, as the checkout runs createOrder, reserveStock, chargePayment and
 * markOrderPaid, each a no-op. What it sustains on the same dev server and machine is what Temporal
 * itself allows there; the checkout's figure divided by it is the cost of the real work.
 */
import { proxyLocalActivities } from '@temporalio/workflow';
import type { BaselineActivities } from './activities';

const { noop } = proxyLocalActivities<BaselineActivities>({ startToCloseTimeout: '10 seconds' });

export async function baselineCheckout(): Promise<void> {
  for (let step = 0; step < 4; step++) await noop();
}
