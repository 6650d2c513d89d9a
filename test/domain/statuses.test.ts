/**
 * domain/statuses.ts and domain/order-statuses.ts: the status vocabularies and the groups of order
 * statuses that workflows, activities, the API and the pages decide on (docs/api.md "Orders").
 */
import {
  CANCELLABLE_STATUSES,
  PAID_STATUSES,
  PAID_UNSHIPPED_STATUSES,
  UNPAID_STATUSES,
} from '../../domain/order-statuses';
import {
  CART_STATUSES,
  NOTIFICATION_STATUSES,
  ORDER_STATUSES,
  PAYMENT_STATUSES,
  REFUND_STATUSES,
  ROLES,
  SHIPMENT_STATUSES,
  type OrderStatus,
} from '../../domain/statuses';

test.each([
  ['ORDER_STATUSES', ORDER_STATUSES],
  ['PAYMENT_STATUSES', PAYMENT_STATUSES],
  ['REFUND_STATUSES', REFUND_STATUSES],
  ['SHIPMENT_STATUSES', SHIPMENT_STATUSES],
  ['CART_STATUSES', CART_STATUSES],
  ['NOTIFICATION_STATUSES', NOTIFICATION_STATUSES],
  ['ROLES', ROLES],
])('%s names each value once', (_name, values: readonly string[]) => {
  expect(new Set(values).size).toBe(values.length);
});

// What each order status allows, as docs/api.md states it: an order can be cancelled before the
// carrier picks it up and while it is not finished; unpaid ones cancel their checkout, paid ones
// are refunded and restocked.
test.each<[OrderStatus, { unpaid: boolean; paid: boolean; cancellable: boolean }]>([
  ['PENDING', { unpaid: true, paid: false, cancellable: true }],
  ['AWAITING_PAYMENT_CONFIRMATION', { unpaid: true, paid: false, cancellable: true }],
  ['PAID', { unpaid: false, paid: true, cancellable: true }],
  ['FULFILLING', { unpaid: false, paid: true, cancellable: true }],
  ['SHIPPED', { unpaid: false, paid: true, cancellable: false }],
  ['DELIVERED', { unpaid: false, paid: true, cancellable: false }],
  ['FAILED', { unpaid: false, paid: false, cancellable: false }],
  ['CANCELLED', { unpaid: false, paid: false, cancellable: false }],
  ['RETURNED', { unpaid: false, paid: false, cancellable: false }],
  ['REFUNDED', { unpaid: false, paid: false, cancellable: false }],
])('%s: %j', (status, { unpaid, paid, cancellable }) => {
  expect(UNPAID_STATUSES.includes(status)).toBe(unpaid);
  expect(PAID_STATUSES.includes(status)).toBe(paid);
  expect(CANCELLABLE_STATUSES.includes(status)).toBe(cancellable);
});

test('the table above covers every order status', () => {
  expect(ORDER_STATUSES).toHaveLength(10);
});

test('a cancellable order is unpaid, or paid and not yet shipped: the two cases the API handles', () => {
  expect([...CANCELLABLE_STATUSES].sort()).toEqual([...UNPAID_STATUSES, ...PAID_UNSHIPPED_STATUSES].sort());
  for (const s of PAID_UNSHIPPED_STATUSES) expect(PAID_STATUSES).toContain(s);
  for (const s of UNPAID_STATUSES) expect(PAID_UNSHIPPED_STATUSES).not.toContain(s);
});
