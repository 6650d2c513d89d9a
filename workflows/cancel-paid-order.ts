/**
 * Cancelling a paid order whose shipment has not started yet (the instant between payment and the
 * shipment workflow's start; normally the shipment's `cancel` update does this). Workflow ID
 * `cancel-<orderId>`, so a repeated request joins it. The order is CANCELLED and restocked first
 * (so nothing ships it), then refunded in full through the refund workflow.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { DATABASE_ACTIVITY } from './activity-profiles';
import type { CheckoutResult } from './definitions';
import { notify } from './notify';
import { recordOrderStatus } from './order-status';
import { restartTimerOfRestoredCart } from './restored-cart';
import { refundInFull } from './refund-in-full';

const { completePaidOrderCancellation, requestSystemRefund } = proxyActivities<Activities>(DATABASE_ACTIVITY);

export interface CancelPaidOrderInput {
  orderId: string;
  requestedBy: string;
  reason?: string | undefined;
}

export async function cancelPaidOrder(input: CancelPaidOrderInput): Promise<CheckoutResult> {
  await completePaidOrderCancellation(input.orderId);
  recordOrderStatus('CANCELLED');
  await notify({ type: 'order_cancelled', orderId: input.orderId });
  await restartTimerOfRestoredCart(input.orderId);
  await refundInFull(input.orderId, await requestSystemRefund(input.orderId, `cancellation-${input.orderId}`, false));
  return { orderId: input.orderId, status: 'CANCELLED' };
}
