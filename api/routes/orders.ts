import { Hono } from 'hono';
import { z } from 'zod';
import { ORDER_STATUSES } from '../../domain/statuses';
import { createNotificationRepository } from '../../prisma/repositories/notifications';
import { createOrderRepository } from '../../prisma/repositories/orders';
import { createUserRepository } from '../../prisma/repositories/users';
import { requireRole, type AuthVariables } from '../auth/middleware';
import { canSee } from '../auth/ownership';
import type { Principal, TokenSettings } from '../auth/tokens';
import type { AppDependencies } from '../deps';
import { createAuditor } from '../http/audit';
import { notificationDto } from '../http/notification-dto';
import { orderDto } from '../http/order-dto';
import { decodeCreatedAtCursor, limitParam, nextCreatedAtCursor } from '../http/pagination';
import { problems } from '../http/problem';
import type { CancelAccepted } from '../http/response-schemas';
import { parseJson, readQuery, validate } from '../http/validation';
import { createOrderCanceller } from '../orders/cancel-order';
import { timelineResponse } from '../orders/timeline';

export const listQuery = z.object({
  status: z.enum(ORDER_STATUSES).optional(),
  /** Support and admin: the orders of the customer with this email (exact, case-insensitive). */
  customerEmail: z.string().trim().min(1).max(320).optional(),
  limit: limitParam,
  cursor: z.string().max(512).optional(),
});
export const orderIdSchema = z.uuid();
export const cancelBody = z.object({ reason: z.string().trim().max(500).optional() });

export function orderRoutes({ db, temporal, config }: AppDependencies, tokens: TokenSettings) {
  const orders = createOrderRepository(db);
  const notifications = createNotificationRepository(db);
  const users = createUserRepository(db);
  /** The order the principal may see; someone else's is "not found", never "forbidden". */
  const visibleOrder = async (principal: Principal, rawId: string) => {
    const id = orderIdSchema.safeParse(rawId);
    const order = id.success ? await orders.findById(id.data) : null;
    if (!order || !canSee(principal, order)) throw problems.notFound('No such order.');
    return order;
  };
  const cancelOrder = createOrderCanceller({ db, temporal, taskQueue: config.TEMPORAL_TASK_QUEUE });
  const audited = createAuditor(db);

  return new Hono<{ Variables: AuthVariables }>()
    .use(requireRole(tokens, 'customer', 'support', 'admin'))
    .get('/', async (c) => {
      const principal = c.get('principal');
      const q = readQuery(c, listQuery);
      // Refused rather than ignored: a customer's client that believed it filtered would show wrong orders.
      if (q.customerEmail !== undefined && principal.role === 'customer') throw problems.forbidden();
      const after = decodeCreatedAtCursor(q.cursor);
      let customerId = principal.role === 'customer' ? principal.id : undefined;
      if (q.customerEmail !== undefined) {
        const found = await users.findIdByEmail(q.customerEmail);
        if (found === null) return c.json({ items: [], nextCursor: null });
        customerId = found;
      }
      const page = await orders.list({
        limit: q.limit,
        ...(customerId === undefined ? {} : { customerId }),
        ...(q.status === undefined ? {} : { status: q.status }),
        ...(after === undefined ? {} : { after }),
      });
      return c.json({
        items: page.items.map(orderDto),
        nextCursor: nextCreatedAtCursor(page.items.at(-1), page.hasMore),
      });
    })
    .post('/:orderId/cancel', async (c) => {
      const id = orderIdSchema.safeParse(c.req.param('orderId'));
      if (!id.success) throw problems.notFound('No such order.');
      // The body is optional; when present it must be valid.
      const text = await c.req.text();
      const body = text.trim() === '' ? {} : validate(cancelBody, parseJson(text), 'request body');
      const principal = c.get('principal');
      const outcome = await audited(
        principal,
        'order.cancel',
        { type: 'order', id: id.data },
        { reason: body.reason ?? null },
        () => cancelOrder(principal, id.data),
      );
      return c.json(outcome satisfies CancelAccepted, 202);
    })
    .get('/:orderId/notifications', async (c) => {
      const order = await visibleOrder(c.get('principal'), c.req.param('orderId'));
      return c.json({ items: (await notifications.listForOrder(order.id)).map(notificationDto) });
    })
    .get('/:orderId/timeline', async (c) => {
      const principal = c.get('principal');
      // Support and admin only; a customer learns nothing, not even whether the order exists.
      if (principal.role === 'customer') throw problems.forbidden();
      const order = await visibleOrder(principal, c.req.param('orderId'));
      return c.json(await timelineResponse(db, order));
    })
    .get('/:orderId', async (c) => {
      const order = await visibleOrder(c.get('principal'), c.req.param('orderId'));
      return c.json(orderDto(order));
    });
}
