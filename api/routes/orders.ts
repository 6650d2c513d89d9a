import { Hono } from 'hono';
import { z } from 'zod';
import { OrderStatus } from '../../prisma/generated/enums';
import { createOrderRepository, type OrderView } from '../../prisma/repositories/orders';
import { requireRole, type AuthVariables } from '../auth/middleware';
import type { Principal, TokenSettings } from '../auth/tokens';
import type { AppDependencies } from '../deps';
import { createAuditor } from '../http/audit';
import { orderDto } from '../http/order-dto';
import { decodeCursor, encodeCursor, limitParam } from '../http/pagination';
import { problems } from '../http/problem';
import { parseJson, readQuery, validate } from '../http/validation';
import { createOrderCanceller } from '../orders/cancel-order';

const listQuery = z.object({
  status: z.enum(OrderStatus).optional(),
  limit: limitParam,
  cursor: z.string().max(512).optional(),
});
const orderCursor = z.object({ createdAt: z.iso.datetime(), id: z.uuid() });
const orderIdSchema = z.uuid();
const cancelBody = z.object({ reason: z.string().trim().max(500).optional() });

/** Customers see only their own orders; support and admin see all. */
export function canSee(principal: Principal, order: Pick<OrderView, 'customerId'>): boolean {
  return principal.role !== 'customer' || order.customerId === principal.id;
}

export function orderRoutes({ db, temporal, config }: AppDependencies, tokens: TokenSettings) {
  const orders = createOrderRepository(db);
  const cancelOrder = createOrderCanceller({ db, temporal, taskQueue: config.TEMPORAL_TASK_QUEUE });
  const audited = createAuditor(db);

  return new Hono<{ Variables: AuthVariables }>()
    .use(requireRole(tokens, 'customer', 'support', 'admin'))
    .get('/', async (c) => {
      const principal = c.get('principal');
      const q = readQuery(c, listQuery);
      const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor, orderCursor);
      const page = await orders.list({
        limit: q.limit,
        ...(principal.role === 'customer' ? { customerId: principal.id } : {}),
        ...(q.status === undefined ? {} : { status: q.status }),
        ...(after === undefined ? {} : { after: { createdAt: new Date(after.createdAt), id: after.id } }),
      });
      const last = page.items.at(-1);
      return c.json({
        items: page.items.map(orderDto),
        nextCursor: page.hasMore && last ? encodeCursor({ createdAt: last.createdAt.toISOString(), id: last.id }) : null,
      });
    })
    .post('/:orderId/cancel', async (c) => {
      const id = orderIdSchema.safeParse(c.req.param('orderId'));
      if (!id.success) throw problems.notFound('No such order.');
      // The body is optional; when present it must be valid.
      const text = await c.req.text();
      const body = text.trim() === '' ? {} : validate(cancelBody, parseJson(text), 'request body');
      const principal = c.get('principal');
      const outcome = await audited(principal, 'order.cancel', { type: 'order', id: id.data }, { reason: body.reason ?? null }, () =>
        cancelOrder(principal, id.data, body.reason),
      );
      return c.json(outcome, 202);
    })
    .get('/:orderId', async (c) => {
      const id = orderIdSchema.safeParse(c.req.param('orderId'));
      const order = id.success ? await orders.findById(id.data) : null;
      // Someone else's order is "not found", never "forbidden": its existence is not revealed.
      if (!order || !canSee(c.get('principal'), order)) throw problems.notFound('No such order.');
      return c.json(orderDto(order));
    });
}
