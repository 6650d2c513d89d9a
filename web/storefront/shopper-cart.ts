/**
 * Which cart a shopper is filling: a signed-in customer's open cart (GET /v1/me/cart), or a guest's
 * cart from the `cart` cookie, created (POST /v1/carts) the first time a guest adds something.
 */
import type { Context } from 'hono';
import { ApiProblem } from '../api-client';
import { cartSchema, type Cart } from '../../contract/response-schemas';
import type { WebEnv } from '../context';
import type { CookieJar } from '../session';

/** The shopper's cart, or null for a guest who has none (or whose cart closed or vanished). */
export async function currentCart(c: Context<WebEnv>, cookies: CookieJar): Promise<Cart | null> {
  const api = c.get('api');
  if (c.get('session')) return api.call('GET', '/v1/me/cart', cartSchema);
  const id = cookies.guestCartId(c);
  if (!id) return null;
  try {
    const cart = await api.call('GET', `/v1/carts/${id}`, cartSchema);
    if (cart.status === 'OPEN') return cart;
  } catch (error) {
    if (!(error instanceof ApiProblem) || error.status !== 404) throw error;
  }
  cookies.forgetGuestCart(c);
  return null;
}

/** The shopper's cart, a new guest cart when they have none. */
export async function cartToFill(c: Context<WebEnv>, cookies: CookieJar): Promise<Cart> {
  const existing = await currentCart(c, cookies);
  if (existing) return existing;
  const created = await c.get('api').call('POST', '/v1/carts', cartSchema);
  cookies.setGuestCart(c, created.id);
  return created;
}
