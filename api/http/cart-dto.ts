import type { CartView } from '../../prisma/repositories/carts';

/** The Cart of the HTTP contract: dates as ISO strings. */
export function cartDto(cart: CartView) {
  return { ...cart, createdAt: cart.createdAt.toISOString(), updatedAt: cart.updatedAt.toISOString() };
}
