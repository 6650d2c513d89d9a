/**
 * `ApplicationFailure.type` strings of business failures, shared by activities (which throw them),
 * workflows (which branch on them) and the API (which maps them to problem+json codes).
 * Every one of them is non-retryable: retrying cannot change the answer.
 * This module has no imports so that workflow code may import it by value.
 */
export const FailureType = {
  UNKNOWN_SKU: 'UNKNOWN_SKU',
  MIXED_CURRENCY: 'MIXED_CURRENCY',
  DUPLICATE_CHECKOUT: 'DUPLICATE_CHECKOUT',
  OUT_OF_STOCK: 'OUT_OF_STOCK',
  PAYMENT_DECLINED: 'PAYMENT_DECLINED',
  PAYMENT_TIMEOUT: 'PAYMENT_TIMEOUT',
  ORDER_NOT_FOUND: 'ORDER_NOT_FOUND',
  REFUND_EXCEEDS_CAPTURED: 'REFUND_EXCEEDS_CAPTURED',
  ORDER_NOT_CANCELLABLE: 'ORDER_NOT_CANCELLABLE',
  REFUND_NOT_AWAITING_APPROVAL: 'REFUND_NOT_AWAITING_APPROVAL',
  /** A refund asked to pay out that is neither PENDING nor SUCCEEDED (e.g. superseded, REJECTED). */
  REFUND_NOT_PAYABLE: 'REFUND_NOT_PAYABLE',
  /** A refund's payout that did not complete for another reason than the provider's refusal. */
  REFUND_PAYOUT_FAILED: 'REFUND_PAYOUT_FAILED',
  /** The cart being checked out was closed by another checkout or a merge first. */
  CART_CLOSED: 'CART_CLOSED',
  /** The customer has MAX_UNPAID_ORDERS_PER_CUSTOMER orders waiting for 3-D Secure already. */
  TOO_MANY_UNPAID_ORDERS: 'TOO_MANY_UNPAID_ORDERS',
  /** More than 10000 units of one sku, or a total above 10^8 cents (domain/pricing.ts). */
  ORDER_TOO_LARGE: 'ORDER_TOO_LARGE',
  /**
   * A value the database refuses by its type (SQLSTATE class 22: out of range, malformed, too
   * long): the same statement fails the same way every time, so retrying is pointless.
   */
  DATA_ERROR: 'DATA_ERROR',
  /** failureReason of an order cancelled on request (customer or support). */
  CANCELLED_BY_REQUEST: 'CANCELLED_BY_REQUEST',
  /** failureReason of an unpaid order whose stock reservation expired (abandoned checkout). */
  RESERVATION_EXPIRED: 'RESERVATION_EXPIRED',
} as const;

export type FailureType = (typeof FailureType)[keyof typeof FailureType];

/** Order `failureReason` values that docs/api.md#checkout names; they equal the failure types that cause them. */
export type OrderFailureReason =
  | typeof FailureType.OUT_OF_STOCK
  | typeof FailureType.PAYMENT_DECLINED
  | typeof FailureType.PAYMENT_TIMEOUT
  | typeof FailureType.UNKNOWN_SKU
  | typeof FailureType.MIXED_CURRENCY
  | typeof FailureType.TOO_MANY_UNPAID_ORDERS
  | typeof FailureType.CANCELLED_BY_REQUEST
  | typeof FailureType.RESERVATION_EXPIRED;
