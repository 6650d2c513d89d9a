/** Entry point of the workflow bundle: every workflow type the workers serve. */
export { cancelPaidOrder } from './cancel-paid-order';
export { cartReminder } from './cart-reminder';
export { checkout } from './checkout';
export { refund } from './refund';
export { sendNotification } from './send-notification';
export { shipment } from './shipment';
export { sweepExpiredReservations } from './reservation-sweep';
export { sweepEmptyGuestCarts } from './guest-cart-sweep';
