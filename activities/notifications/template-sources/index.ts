/** Every email's template sources, by notification type, and the partials they share. */
import type { NotificationType } from '../../../domain/notifications';
import { cartReminder } from './cart-reminder';
import { orderCancelled } from './order-cancelled';
import { orderConfirmed } from './order-confirmed';
import { orderDelivered } from './order-delivered';
import { orderFailed } from './order-failed';
import { orderShipped } from './order-shipped';
import { paymentActionRequired } from './payment-action-required';
import { refundSucceeded } from './refund-succeeded';
import type { TemplateSource } from './types';

export { PARTIALS } from './layout';
export type { TemplateSource };

export const TEMPLATE_SOURCES: Record<NotificationType, TemplateSource> = {
  order_confirmed: orderConfirmed,
  payment_action_required: paymentActionRequired,
  order_shipped: orderShipped,
  order_delivered: orderDelivered,
  order_cancelled: orderCancelled,
  order_failed: orderFailed,
  refund_succeeded: refundSucceeded,
  cart_reminder: cartReminder,
};
