/**
 * Payloads and messages (signals, queries, updates) of every workflow of the platform: checkout,
 * refund, shipment and cancellation. Defined once, imported by the workflows and by the API.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CarrierEventType, OrderStatus } from '../domain/statuses';
import type { OrderFailureReason } from '../domain/failure-types';
import { STOP_PARCEL_UPDATE } from '../domain/parcel-stop';

export type { CarrierEventType, OrderStatus };

/**
 * The checkout's input: ids only. What the customer asked for (lines, shipping address, payment
 * token) is in the `checkout_requests` row the API wrote before starting the workflow, where the
 * activities read it: no personal data or payment token in the workflow's history.
 */
export interface CheckoutInput {
  orderId: string;
  customerId: string;
  idempotencyKey: string;
  /** Set for a checkout of a cart: the cart closes in the transaction that writes the order. */
  cartId?: string | undefined;
}

/** The workflow's view of the order, for operators (`temporal workflow query --type state`). */
export interface CheckoutState {
  orderId: string;
  customerId: string;
  status: OrderStatus;
  failureReason: OrderFailureReason | null;
  totalCents: number | null;
  currency: string | null;
  providerPaymentId: string | null;
  cancelRequested: boolean;
}

export interface CheckoutResult {
  orderId: string;
  status: OrderStatus;
}

/**
 * News about a charge that waits for customer action (3-D Secure), from the provider's webhook: the
 * checkout then asks the provider where the payment stands. Not a verdict: whoever sent it, only the
 * provider's own answer settles the payment.
 */
export interface PaymentConfirmation {
  providerPaymentId: string;
}

export interface CancelRequest {
  reason?: string | undefined;
  requestedBy: string;
}

export const checkoutStateQuery = defineQuery<CheckoutState>('state');
export const paymentConfirmationSignal = defineSignal<[PaymentConfirmation]>('paymentConfirmation');
export const cancelCheckoutUpdate = defineUpdate<CheckoutState, [CancelRequest]>('cancel');

/** A refund as its workflow sees it (`temporal workflow query --type state`). */
export interface RefundInput {
  refundId: string;
  orderId: string;
  amountCents: number;
  requiresApproval: boolean;
}

export type RefundWorkflowStatus = 'PENDING' | 'AWAITING_APPROVAL' | 'SUCCEEDED' | 'REJECTED' | 'FAILED';

export interface RefundState {
  refundId: string;
  orderId: string;
  amountCents: number;
  status: RefundWorkflowStatus;
  decidedBy: string | null;
}

export interface RefundDecision {
  approve: boolean;
  decidedBy: string;
}

export const refundStateQuery = defineQuery<RefundState>('state');
/** Admin approval or rejection of a refund above the threshold; refused unless it is waiting. */
export const refundDecisionUpdate = defineUpdate<RefundState, [RefundDecision]>('decide');

/** A parcel event from the carrier's webhook; `id` is the carrier's event id (duplicates ignored). */
export interface CarrierEvent {
  id: string;
  type: CarrierEventType;
  occurredAt: string;
}

export interface ShipmentInput {
  orderId: string;
  customerId: string;
}

export type ShipmentPhase =
  | 'CREATING_LABEL'
  | 'AWAITING_PICKUP'
  | 'PICKUP_OVERDUE'
  | 'IN_TRANSIT'
  | 'DELIVERED'
  | 'RETURNED'
  | 'LOST'
  | 'CANCELLED'
  /** The order was refunded in full before pick-up: the label is void, nothing ships. */
  | 'STOPPED'
  | 'NOTHING_TO_SHIP';

export interface ShipmentState {
  orderId: string;
  phase: ShipmentPhase;
  trackingNumber: string | null;
  /** True once 48 hours passed without pick-up: an operator should chase the carrier. */
  pickupOverdue: boolean;
  eventsSeen: number;
}

export const carrierEventSignal = defineSignal<[CarrierEvent]>('carrierEvent');
export const shipmentStateQuery = defineQuery<ShipmentState>('state');
/** Cancels a paid order before pick-up; refused once the carrier has the parcel. */
export const cancelShipmentUpdate = defineUpdate<ShipmentState, [CancelRequest]>('cancel');
/** Stops a parcel before pick-up after the order was refunded in full; refused once the carrier has it. */
export const stopParcelUpdate = defineUpdate<ShipmentState, []>(STOP_PARCEL_UPDATE);

/** A change of a customer cart, for its abandoned-cart timer: lines changed, or the cart is done. */
export interface CartActivity {
  kind: 'changed' | 'ended';
}

export const cartActivitySignal = defineSignal<[CartActivity]>('cartActivity');
