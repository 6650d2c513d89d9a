/** Entry point of the workflow bundle: every workflow type the workers serve. */
export { cancelPaidOrder } from './cancel-paid-order';
export { checkout } from './checkout';
export { refund } from './refund';
export { shipment } from './shipment';
export { sweepExpiredReservations } from './reservation-sweep';
