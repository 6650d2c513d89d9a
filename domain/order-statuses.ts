/**
 * Groups of order statuses that workflows, activities and the API decide on. No imports but a
 * type, so workflow code may import it by value.
 */
import type { OrderStatus } from './statuses';

/** Not paid yet: the checkout itself can still fail or be cancelled. */
export const UNPAID_STATUSES: readonly OrderStatus[] = ['PENDING', 'AWAITING_PAYMENT_CONFIRMATION'];

/** Paid and the money still with us: not cancelled, returned or refunded. */
export const PAID_STATUSES: readonly OrderStatus[] = ['PAID', 'FULFILLING', 'SHIPPED', 'DELIVERED'];

/** Paid but not handed to the carrier: cancelling refunds and restocks. */
export const PAID_UNSHIPPED_STATUSES: readonly OrderStatus[] = ['PAID', 'FULFILLING'];

/** Before pick-up and not finished: the two groups above, the ones a cancellation acts on. */
export const CANCELLABLE_STATUSES: readonly OrderStatus[] = [...UNPAID_STATUSES, ...PAID_UNSHIPPED_STATUSES];
