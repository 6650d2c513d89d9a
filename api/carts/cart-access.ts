/**
 * Who may use a cart, and how a refused change reads over HTTP. A guest cart's random id is its
 * capability: whoever holds it may use it. A customer's cart is theirs alone; to anyone else it
 * does not exist (404, never 403, so its existence is not revealed).
 */
import type { CartRefusal } from '../../prisma/repositories/carts';
import { CART_MAX_LINES, CART_MAX_QUANTITY } from '../../prisma/repositories/carts';
import type { Principal } from '../auth/tokens';
import { problems, type ProblemError } from '../http/problem';

const notFound = (): ProblemError => problems.notFound('No such cart.');

/** Whether `principal` (undefined: a guest) may use a cart of `owner` (null: a guest cart). */
export function mayUseCart(owner: string | null, principal: Principal | undefined): boolean {
  return owner === null || owner === principal?.id;
}

export function cartProblem(refusal: CartRefusal): ProblemError {
  switch (refusal.kind) {
    case 'not_found':
      return notFound();
    case 'unauthorized':
      return problems.unauthorized();
    case 'closed':
      return problems.conflict('cart_closed', 'Cart closed', `The cart is ${refusal.status}; it can no longer change.`);
    case 'unknown_sku':
      return problems.unprocessable('unknown_sku', 'Unknown sku', `No product with sku ${refusal.sku}.`, {
        skus: [refusal.sku],
      });
    case 'insufficient_stock':
      return problems.unprocessable(
        'insufficient_stock',
        'Insufficient stock',
        `Only ${refusal.available} of ${refusal.sku} are available.`,
        { sku: refusal.sku, available: refusal.available },
      );
    case 'too_large':
      return problems.unprocessable(
        'cart_too_large',
        'Cart too large',
        `A cart holds at most ${CART_MAX_LINES} lines of at most ${CART_MAX_QUANTITY} units each.`,
      );
  }
}
