/**
 * The boundary to the payment service provider. The bundled simulator implements it; a real
 * provider (Stripe, Adyen, ...) is a new class of this interface and a case in ./providers.ts.
 *
 * Contract every implementation keeps, because the workflows rely on it:
 * - `idempotencyKey` makes a call safe to repeat: the same key returns the first call's result and
 *   never moves money twice (activity retries and worker crashes repeat calls).
 * - A decline is an answer (`outcome: 'declined'`), not an exception. Exceptions mean "could not
 *   reach a verdict" (network, 5xx) and are retried by Temporal.
 * - `retrieve` is the only proof of payment: an order is paid after the provider itself reports the
 *   capture there. Webhooks and signals are hints to ask it (docs/api.md#limits-and-money-rules).
 */
export type ChargeOutcome = 'succeeded' | 'declined' | 'requires_action';

export interface ChargeRequest {
  idempotencyKey: string;
  amountCents: number;
  currency: string;
  /** Single-use token from the provider's client-side SDK; never a card number. */
  token: string;
}

export interface ChargeResult {
  outcome: ChargeOutcome;
  providerPaymentId: string;
  declineCode?: string;
}

export interface RefundRequest {
  idempotencyKey: string;
  providerPaymentId: string;
  amountCents: number;
}

export interface RefundResult {
  providerRefundId: string;
}

/**
 * A payment's state at the provider, as `retrieve` reports it. `succeeded` carries what the provider
 * says it captured, which the checkout compares with the order's total before marking it paid.
 */
export type ProviderPaymentStatus =
  | { status: 'requires_action' }
  | { status: 'succeeded'; capturedCents: number; currency: string }
  | { status: 'failed' }
  | { status: 'canceled' };

export interface PaymentProvider {
  readonly name: string;
  charge(request: ChargeRequest): Promise<ChargeResult>;
  /** Refunds captured money. Throws `RefundRejectedError` when the provider will never accept it. */
  refund(request: RefundRequest): Promise<RefundResult>;
  /** Cancels a charge that was never captured (e.g. waiting for 3-D Secure). Idempotent. */
  cancel(providerPaymentId: string): Promise<void>;
  /** Asks the provider where the payment stands. Throws when it cannot answer (retried). */
  retrieve(providerPaymentId: string): Promise<ProviderPaymentStatus>;
}

/** The provider refused the refund for good (e.g. more than was captured): retrying cannot help. */
export class RefundRejectedError extends Error {
  override readonly name = 'RefundRejectedError';
}
