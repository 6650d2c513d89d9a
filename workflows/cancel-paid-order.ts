/**
 * Cancelling a paid order whose shipment has not started yet (the instant between payment and the
 * shipment workflow's start; normally the shipment's `cancel` update does this). Workflow ID
 * `cancel-<orderId>`, so a repeated request joins it. The order is CANCELLED and restocked first
 * (so nothing ships it), then refunded in full through the refund workflow.
 */
import { executeChild, proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { DATABASE_ACTIVITY } from './activity-profiles';
import type { CheckoutResult } from './definitions';
import { refundWorkflowId } from './ids';
import { refund } from './refund';
import { OrderStatusKey } from './search-attributes';

const { completePaidOrderCancellation, requestSystemRefund } = proxyActivities<Activities>(DATABASE_ACTIVITY);

export interface CancelPaidOrderInput {
  orderId: string;
  requestedBy: string;
  reason?: string | undefined;
}

export async function cancelPaidOrder(input: CancelPaidOrderInput): Promise<CheckoutResult> {
  await completePaidOrderCancellation(input.orderId);
  upsertSearchAttributes([{ key: OrderStatusKey, value: 'CANCELLED' }]);
  const request = await requestSystemRefund(input.orderId, `cancellation-${input.orderId}`, false);
  if (request) {
    await executeChild(refund, {
      workflowId: refundWorkflowId(request.refundId),
      args: [{ refundId: request.refundId, orderId: input.orderId, amountCents: request.amountCents, requiresApproval: false }],
    });
  }
  return { orderId: input.orderId, status: 'CANCELLED' };
}
