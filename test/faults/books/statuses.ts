import type { OrderStatus } from '../../../domain/statuses';

/** Paid, then paid back in full. */
export const PAID_BACK_STATUSES: readonly OrderStatus[] = ['RETURNED', 'REFUNDED'];

export const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
