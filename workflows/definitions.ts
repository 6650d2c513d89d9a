/**
 * Messages of the checkout workflow, defined once and imported by both the workflow and the API.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { OrderStatus } from '../prisma/generated/enums';
import type { OrderFailureReason } from './failure-types';

export type { OrderStatus };

export interface CheckoutItem {
  sku: string;
  quantity: number;
}

export interface CheckoutShippingAddress {
  name: string;
  line1: string;
  line2?: string | undefined;
  city: string;
  postalCode: string;
  country: string;
}

export interface CheckoutInput {
  orderId: string;
  customerId: string;
  idempotencyKey: string;
  /** sha256 of the canonical request: lets the API tell a repeat from a conflicting reuse of the key. */
  requestHash: string;
  items: CheckoutItem[];
  shippingAddress: CheckoutShippingAddress;
  paymentToken: string;
}

/** What the storefront gets back as soon as the order row exists. */
export interface OrderAccepted {
  orderId: string;
  requestHash: string;
  status: OrderStatus;
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

/** A payment provider's verdict on a charge that waited for customer action (3-D Secure). */
export interface PaymentConfirmation {
  providerPaymentId: string;
  succeeded: boolean;
}

export interface CancelRequest {
  reason?: string | undefined;
  requestedBy: string;
}

/** Update-with-start target: completes once the order row exists (or its creation failed). */
export const orderCreatedUpdate = defineUpdate<OrderAccepted>('orderCreated');
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
