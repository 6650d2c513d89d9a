import type { CartView } from '../../prisma/repositories/carts';
import type { Cart } from '../../contract/response-schemas';

/** The Cart of the HTTP contract: dates as ISO strings. */
export function cartDto(cart: CartView): Cart {
  return { ...cart, createdAt: cart.createdAt.toISOString(), updatedAt: cart.updatedAt.toISOString() };
}
