/**
 * Cancelling an order after payment, before it ships: refund what was captured (minus earlier
 * refunds), then mark it CANCELLED and put the units back on hand. Workflow ID `cancel-<orderId>`,
 * so a repeated request joins the cancellation already under way instead of refunding twice.
 */
import { proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { CheckoutResult } from './definitions';
import { OrderStatusKey } from './search-attributes';

const { paidOrderRefundable, completePaidOrderCancellation } = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '20 seconds' },
});
const { refundPayment } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export interface CancelPaidOrderInput {
  orderId: string;
  requestedBy: string;
  reason?: string | undefined;
}

export async function cancelPaidOrder(input: CancelPaidOrderInput): Promise<CheckoutResult> {
  const refundable = await paidOrderRefundable(input.orderId);
  if (refundable > 0) {
    await refundPayment({
      orderId: input.orderId,
      amountCents: refundable,
      idempotencyKey: `order-${input.orderId}-cancellation`,
      reason: input.reason ?? 'order cancelled',
      requestedBy: input.requestedBy,
      restock: true,
    });
  }
  await completePaidOrderCancellation(input.orderId);
  upsertSearchAttributes([{ key: OrderStatusKey, value: 'CANCELLED' }]);
  return { orderId: input.orderId, status: 'CANCELLED' };
}
