/** The signed-in customer's own resources: their open cart, merging a guest cart into it, their emails. */
import { z } from 'zod';
import { CartChangeRefused, createCartRepository } from '../../prisma/repositories/carts';
import { createNotificationRepository } from '../../prisma/repositories/notifications';
import { cartProblem } from '../carts/cart-access';
import { cartDto } from '../http/cart-dto';
import { notificationDto } from '../http/notification-dto';
import { decodeCreatedAtCursor, limitParam, nextCreatedAtCursor } from '../http/pagination';
import { problems } from '../http/problem';
import { cartSchema, notificationPageSchema } from '../../contract/response-schemas';
import { readJsonBody, readQuery } from '../http/validation';
import { json } from '../openapi/operation';
import { routeGroup } from './define';

const mergeBody = z.object({ cartId: z.uuid() });
const pageQuery = z.object({ limit: limitParam, cursor: z.string().max(512).optional() });

const cart = json('Cart', cartSchema);

const me = routeGroup({
  prefix: '/v1/me',
  guard: ['customer'],
  setup: ({ deps }) => {
    const carts = createCartRepository(deps.db);
    const current = async (cartId: string) => {
      const found = await carts.view(cartId);
      if (!found) throw problems.notFound('No such cart.');
      return cartDto(found);
    };
    return { carts, current, reminders: deps.cartReminders, notifications: createNotificationRepository(deps.db) };
  },
});

export const meRoutes = me.of([
  me.route({
    method: 'get',
    path: '/v1/me/notifications',
    operationId: 'listMyNotifications',
    summary: "The customer's emails, newest first",
    tag: 'Notifications',
    access: ['customer'],
    query: pageQuery,
    success: {
      200: { description: 'A page of emails.', content: json('NotificationPage', notificationPageSchema) },
    },
    handler:
      ({ notifications }) =>
      async (c) => {
        const q = readQuery(c, pageQuery);
        const page = await notifications.listForCustomer(c.get('principal').id, {
          limit: q.limit,
          cursor: decodeCreatedAtCursor(q.cursor),
        });
        return c.json({
          items: page.items.map(notificationDto),
          nextCursor: nextCreatedAtCursor(page.items.at(-1), page.hasMore),
        });
      },
  }),
  me.route({
    method: 'get',
    path: '/v1/me/cart',
    operationId: 'getMyCart',
    summary: "The customer's open cart, created empty if they have none",
    tag: 'Carts',
    access: ['customer'],
    success: { 200: { description: 'The open cart.', content: cart } },
    handler:
      ({ carts, current }) =>
      async (c) =>
        c.json(await current(await carts.openCartOf(c.get('principal').id))),
  }),
  me.route({
    method: 'post',
    path: '/v1/me/cart/merge',
    operationId: 'mergeCart',
    summary: "Merge a guest cart into the customer's open cart (after sign-in)",
    description:
      'Same sku: quantities summed, capped at what is available. The guest cart becomes MERGED. ' +
      "Another customer's cart is not found (404).",
    tag: 'Carts',
    access: ['customer'],
    body: { name: 'CartMerge', schema: mergeBody },
    success: { 200: { description: 'The open cart with the guest lines added.', content: cart } },
    problems: ['not_found', 'cart_closed', 'cart_too_large'],
    handler:
      ({ carts, current, reminders }) =>
      async (c) => {
        const { cartId } = await readJsonBody(c, mergeBody);
        try {
          const merged = await current(await carts.mergeInto(c.get('principal').id, cartId));
          if (merged.items.length > 0) await reminders.changed(merged.id, c.get('principal').id);
          return c.json(merged);
        } catch (error) {
          if (error instanceof CartChangeRefused) throw cartProblem(error.refusal);
          throw error;
        }
      },
  }),
]);
