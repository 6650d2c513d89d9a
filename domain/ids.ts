/**
 * Workflow IDs are business IDs: the same request always maps to the same workflow, so a retried
 * HTTP call cannot start a second checkout, and an operator can find a workflow from an order.
 */
export const checkoutWorkflowId = (customerId: string, idempotencyKey: string): string =>
  `checkout-${customerId}-${idempotencyKey}`;

export const cancelPaidOrderWorkflowId = (orderId: string): string => `cancel-${orderId}`;

export const RESERVATION_SWEEP_SCHEDULE_ID = 'reservation-sweep';

export const shipmentWorkflowId = (orderId: string): string => `shipment-${orderId}`;

export const refundWorkflowId = (refundId: string): string => `refund-${refundId}`;
