/**
 * Workflow IDs are business IDs: the same request always maps to the same workflow, so a retried
 * HTTP call cannot start a second checkout, and an operator can find a workflow from an order.
 */
export const checkoutWorkflowId = (customerId: string, idempotencyKey: string): string =>
  `checkout-${customerId}-${idempotencyKey}`;

export const cancelPaidOrderWorkflowId = (orderId: string): string => `cancel-${orderId}`;

export const RESERVATION_SWEEP_SCHEDULE_ID = 'reservation-sweep';

export const GUEST_CART_SWEEP_SCHEDULE_ID = 'guest-cart-sweep';

export const shipmentWorkflowId = (orderId: string): string => `shipment-${orderId}`;

export const refundWorkflowId = (refundId: string): string => `refund-${refundId}`;

/** One abandoned-cart timer per cart: every change of the cart signals (or starts) this one. */
export const cartReminderWorkflowId = (cartId: string): string => `cart-reminder-${cartId}`;

/** One email workflow per notification dedupe key (domain/notifications.ts): a second start is refused. */
export const notificationWorkflowId = (key: string): string => `notify-${key}`;
