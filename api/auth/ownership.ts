import type { Principal } from './tokens';

/**
 * Customers see only their own orders (and what hangs off them); support and admin see all. A miss
 * is answered 404, never 403, so an order's existence is not revealed.
 */
export function canSee(principal: Principal, order: { customerId: string }): boolean {
  return principal.role !== 'customer' || order.customerId === principal.id;
}
