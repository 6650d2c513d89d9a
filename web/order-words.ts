/** Order statuses and failure reasons in words a customer reads (docs/api.md#order). */
import type { OrderStatus } from '../domain/statuses';

export const STATUS_WORDS: Record<OrderStatus, string> = {
  PENDING: 'Received: taking payment',
  AWAITING_PAYMENT_CONFIRMATION: 'Waiting for you to confirm the payment with your bank',
  PAID: 'Paid',
  FULFILLING: 'Paid: being packed',
  SHIPPED: 'Shipped',
  DELIVERED: 'Delivered',
  FAILED: 'Failed',
  CANCELLED: 'Cancelled',
  RETURNED: 'Returned',
  REFUNDED: 'Refunded',
};

/** Statuses after which nothing more happens without someone acting: the page stops following. */
export const SETTLED_STATUSES: readonly OrderStatus[] = ['DELIVERED', 'FAILED', 'CANCELLED', 'RETURNED', 'REFUNDED'];

const FAILURE_WORDS: Record<string, string> = {
  PAYMENT_DECLINED: 'Your card was declined. Nothing was charged.',
  PAYMENT_TIMEOUT: 'The payment was not confirmed in time. Nothing was charged.',
  OUT_OF_STOCK: 'Some items ran out of stock before we could reserve them. Nothing was charged.',
  UNKNOWN_SKU: 'A product in the order is no longer sold. Nothing was charged.',
  MIXED_CURRENCY: 'The products are priced in different currencies and cannot be ordered together.',
  TOO_MANY_UNPAID_ORDERS: 'You have too many orders waiting for payment confirmation.',
  CANCELLED_BY_REQUEST: 'The order was cancelled on request.',
  RESERVATION_EXPIRED: 'The order was not paid in time, so its items were released.',
};

export function failureWords(reason: string | null): string | null {
  if (!reason) return null;
  return FAILURE_WORDS[reason] ?? 'The order could not be completed.';
}

/** Whether the customer's open cart holds this order's lines again (docs/api.md#checkout-from-a-cart). */
export const cartRestoredAfter = (status: OrderStatus): boolean => status === 'FAILED' || status === 'CANCELLED';
