/** The signed-in customer's own resources: their open cart, and merging a guest cart into it. */
import { Hono } from 'hono';
import { z } from 'zod';
import { CartChangeRefused, createCartRepository } from '../../prisma/repositories/carts';
import { requireRole, type AuthVariables } from '../auth/middleware';
import type { TokenSettings } from '../auth/tokens';
import { cartProblem } from '../carts/cart-access';
import { cartRemindersOf } from '../carts/cart-reminders';
import type { AppDependencies } from '../deps';
import { cartDto } from '../http/cart-dto';
import { problems } from '../http/problem';
import { readJsonBody } from '../http/validation';

const mergeBody = z.object({ cartId: z.uuid() });

export function meRoutes(deps: AppDependencies, tokens: TokenSettings) {
  const carts = createCartRepository(deps.db);
  const reminders = cartRemindersOf(deps);
  const current = async (cartId: string) => {
    const cart = await carts.view(cartId);
    if (!cart) throw problems.notFound('No such cart.');
    return cartDto(cart);
  };

  return new Hono<{ Variables: AuthVariables }>()
    .use(requireRole(tokens, 'customer'))
    .get('/cart', async (c) => c.json(await current(await carts.openCartOf(c.get('principal').id))))
    .post('/cart/merge', async (c) => {
      const { cartId } = await readJsonBody(c, mergeBody);
      try {
        const merged = await current(await carts.mergeInto(c.get('principal').id, cartId));
        if (merged.items.length > 0) await reminders.changed(merged.id, c.get('principal').id);
        return c.json(merged);
      } catch (error) {
        if (error instanceof CartChangeRefused) throw cartProblem(error.refusal);
        throw error;
      }
    });
}
