/** The signed-in customer's own resources: their open cart, merging a guest cart into it, their emails. */
import { Hono } from 'hono';
import { z } from 'zod';
import { CartChangeRefused, createCartRepository } from '../../prisma/repositories/carts';
import { createNotificationRepository } from '../../prisma/repositories/notifications';
import { requireRole, type AuthVariables } from '../auth/middleware';
import type { TokenSettings } from '../auth/tokens';
import { cartProblem } from '../carts/cart-access';
import { cartRemindersOf } from '../carts/cart-reminders';
import type { AppDependencies } from '../deps';
import { cartDto } from '../http/cart-dto';
import { notificationDto } from '../http/notification-dto';
import { decodeCreatedAtCursor, limitParam, nextCreatedAtCursor } from '../http/pagination';
import { problems } from '../http/problem';
import { readJsonBody, readQuery } from '../http/validation';

export const mergeBody = z.object({ cartId: z.uuid() });
export const pageQuery = z.object({ limit: limitParam, cursor: z.string().max(512).optional() });

export function meRoutes(deps: AppDependencies, tokens: TokenSettings) {
  const carts = createCartRepository(deps.db);
  const reminders = cartRemindersOf(deps);
  const notifications = createNotificationRepository(deps.db);
  const current = async (cartId: string) => {
    const cart = await carts.view(cartId);
    if (!cart) throw problems.notFound('No such cart.');
    return cartDto(cart);
  };

  return new Hono<{ Variables: AuthVariables }>()
    .use(requireRole(tokens, 'customer'))
    .get('/notifications', async (c) => {
      const q = readQuery(c, pageQuery);
      const page = await notifications.listForCustomer(c.get('principal').id, {
        limit: q.limit,
        cursor: decodeCreatedAtCursor(q.cursor),
      });
      return c.json({
        items: page.items.map(notificationDto),
        nextCursor: nextCreatedAtCursor(page.items.at(-1), page.hasMore),
      });
    })
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
