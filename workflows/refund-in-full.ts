/**
 * Runs a system refund (cancellation, return, lost parcel) through the refund workflow as a child,
 * so it has its own history, findable by OrderId, and waits for it. `request` is what the
 * `requestSystemRefund` activity answered: null when nothing is left to refund.
 */
import { executeChild } from '@temporalio/workflow';
import { refundWorkflowId } from '../domain/ids';
import { refund } from './refund';

export interface SystemRefundRequest {
  refundId: string;
  amountCents: number;
}

export async function refundInFull(orderId: string, request: SystemRefundRequest | null): Promise<void> {
  if (!request) return;
  await executeChild(refund, {
    workflowId: refundWorkflowId(request.refundId),
    args: [{ refundId: request.refundId, orderId, amountCents: request.amountCents, requiresApproval: false }],
  });
}
