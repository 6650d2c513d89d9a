import { z } from 'zod';
import { ORDER_STATUSES } from '../../domain/statuses';
import { createNotificationRepository } from '../../prisma/repositories/notifications';
import { createOrderRepository } from '../../prisma/repositories/orders';
import { createUserRepository } from '../../prisma/repositories/users';
import { canSee } from '../auth/ownership';
import type { Principal } from '../auth/tokens';
import { createAuditor } from '../http/audit';
import { notificationDto } from '../http/notification-dto';
import { orderDto } from '../http/order-dto';
import { decodeCreatedAtCursor, limitParam, nextCreatedAtCursor } from '../http/pagination';
import { problems } from '../http/problem';
import {
  cancelAcceptedSchema,
  notificationListSchema,
  orderPageSchema,
  orderSchema,
  type CancelAccepted,
} from '../../contract/response-schemas';
import { timelineResponseSchema } from '../../contract/timeline-schema';
import { parseJson, readQuery, validate } from '../http/validation';
import { json } from '../openapi/operation';
import { createOrderCanceller } from '../orders/cancel-order';
import { timelineResponse } from '../orders/timeline';
import { routeGroup } from './define';

const listQuery = z.object({
  status: z.enum(ORDER_STATUSES).optional(),
  /** Support and admin: the orders of the customer with this email (exact, case-insensitive). */
  customerEmail: z.string().trim().min(1).max(320).optional(),
  limit: limitParam,
  cursor: z.string().max(512).optional(),
});
const orderIdSchema = z.uuid();
const cancelBody = z.object({ reason: z.string().trim().max(500).optional() });

const STAFF = ['support', 'admin'] as const;
const ANY_ROLE = ['customer', 'support', 'admin'] as const;
const orderId = orderIdSchema.describe('The order id');

const orders = routeGroup({
  prefix: '/v1/orders',
  guard: ANY_ROLE,
  setup: ({ deps: { db, temporal, config } }) => {
    const repository = createOrderRepository(db);
    /** The order the principal may see; someone else's is "not found", never "forbidden". */
    const visibleOrder = async (principal: Principal, rawId: string) => {
      const id = orderIdSchema.safeParse(rawId);
      const order = id.success ? await repository.findById(id.data) : null;
      if (!order || !canSee(principal, order)) throw problems.notFound('No such order.');
      return order;
    };
    return {
      db,
      orders: repository,
      notifications: createNotificationRepository(db),
      users: createUserRepository(db),
      visibleOrder,
      cancelOrder: createOrderCanceller({ db, temporal, taskQueue: config.TEMPORAL_TASK_QUEUE }),
      audited: createAuditor(db),
    };
  },
});

export const orderRoutes = orders.of([
  orders.route({
    method: 'get',
    path: '/v1/orders',
    operationId: 'listOrders',
    summary: 'Orders, newest first (customers: their own; support and admin: all)',
    description:
      'Filter by `status`; support and admin also by `customerEmail` (exact, case-insensitive). A customer ' +
      'passing `customerEmail` gets 403 rather than a list that only looks filtered.',
    tag: 'Orders',
    access: ANY_ROLE,
    query: listQuery,
    success: { 200: { description: 'A page of orders.', content: json('OrderPage', orderPageSchema) } },
    problems: ['forbidden'],
    handler:
      ({ orders, users }) =>
      async (c) => {
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
      },
  }),
  orders.route({
    method: 'post',
    path: '/v1/orders/{orderId}/cancel',
    operationId: 'cancelOrder',
    summary: 'Cancel an order before it ships (owner, support, admin)',
    description:
      'Voids or refunds the payment, releases the stock, ends CANCELLED. The body is optional. After ' +
      'SHIPPED, or once terminal: 409 order_not_cancellable.',
    tag: 'Orders',
    access: ANY_ROLE,
    pathParams: { orderId },
    body: { name: 'CancelRequest', schema: cancelBody, required: false },
    success: {
      202: { description: 'Cancelled, or being cancelled.', content: json('CancelAccepted', cancelAcceptedSchema) },
    },
    problems: ['not_found', 'order_not_cancellable'],
    handler:
      ({ audited, cancelOrder }) =>
      async (c) => {
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
      },
  }),
  orders.route({
    method: 'get',
    path: '/v1/orders/{orderId}/notifications',
    operationId: 'listOrderNotifications',
    summary: "The order's emails, oldest first (owner, support, admin)",
    tag: 'Notifications',
    access: ANY_ROLE,
    pathParams: { orderId },
    success: { 200: { description: 'The emails.', content: json('NotificationList', notificationListSchema) } },
    problems: ['not_found'],
    handler:
      ({ visibleOrder, notifications }) =>
      async (c) => {
        const order = await visibleOrder(c.get('principal'), c.req.param('orderId') ?? '');
        return c.json({ items: (await notifications.listForOrder(order.id)).map(notificationDto) });
      },
  }),
  orders.route({
    method: 'get',
    path: '/v1/orders/{orderId}/timeline',
    operationId: 'getOrderTimeline',
    summary: "The order's story, oldest first (support, admin)",
    description:
      'Every status change of the order, its payment, refunds and shipment, every email and every ' +
      'support or admin action (refused ones too), each once, with who acted (null for the platform). ' +
      'Customers get 403, even for their own order.',
    tag: 'Orders',
    // Support and admin only; a customer learns nothing, not even whether the order exists.
    access: STAFF,
    pathParams: { orderId },
    success: { 200: { description: 'The timeline.', content: json('OrderTimeline', timelineResponseSchema) } },
    problems: ['not_found'],
    handler:
      ({ db, visibleOrder }) =>
      async (c) => {
        const order = await visibleOrder(c.get('principal'), c.req.param('orderId') ?? '');
        return c.json(await timelineResponse(db, order));
      },
  }),
  orders.route({
    method: 'get',
    path: '/v1/orders/{orderId}',
    operationId: 'getOrder',
    summary: 'One order',
    description: "A customer asking for another customer's order gets 404, never 403.",
    tag: 'Orders',
    access: ANY_ROLE,
    pathParams: { orderId },
    success: { 200: { description: 'The order.', content: json('Order', orderSchema) } },
    problems: ['not_found'],
    handler:
      ({ visibleOrder }) =>
      async (c) => {
        const order = await visibleOrder(c.get('principal'), c.req.param('orderId') ?? '');
        return c.json(orderDto(order));
      },
  }),
]);
