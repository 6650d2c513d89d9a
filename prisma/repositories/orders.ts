import { inTransaction, type DbClient } from '../client';
import { NEWEST_FIRST, newestFirstAfter, type CreatedAtKey } from '../keyset';
import type { OrderStatus, PaymentStatus, ShipmentStatus } from '../../domain/statuses';
import type { ShippingAddress } from '../../domain/shipping-address';

export type { OrderStatus };

export type { ShippingAddress };

export interface NewOrder {
  id: string;
  customerId: string;
  workflowId: string;
  idempotencyKey: string;
  requestHash: string;
  currency: string;
  shippingAddress: ShippingAddress;
  items: { sku: string; quantity: number; unitPriceCents: number }[];
}

/** The order as the API presents it (docs/api.md#order). */
export interface OrderView {
  id: string;
  customerId: string;
  status: OrderStatus;
  currency: string;
  totalCents: number;
  refundedCents: number;
  items: { sku: string; quantity: number; unitPriceCents: number }[];
  payment: { status: PaymentStatus; providerPaymentId: string | null } | null;
  shipment: { id: string; status: ShipmentStatus; carrier: string; trackingNumber: string } | null;
  failureReason: string | null;
  workflowId: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface OrderKeyMatch {
  id: string;
  status: OrderStatus;
  workflowId: string;
  requestHash: string;
}

export interface OrderPageQuery {
  customerId?: string;
  status?: OrderStatus;
  limit: number;
  /** Keyset cursor: the (createdAt, id) of the last order of the previous page. */
  after?: CreatedAtKey;
}

const orderSelect = {
  id: true,
  customerId: true,
  status: true,
  currency: true,
  totalCents: true,
  refundedCents: true,
  failureReason: true,
  workflowId: true,
  createdAt: true,
  updatedAt: true,
  items: { select: { sku: true, quantity: true, unitPriceCents: true }, orderBy: { sku: 'asc' } },
  payment: { select: { status: true, providerPaymentId: true } },
  shipment: { select: { id: true, status: true, carrier: true, trackingNumber: true } },
} as const;

/** Another order already uses this (customer, Idempotency-Key): a second checkout run for one key. */
export class DuplicateIdempotencyKeyError extends Error {
  override readonly name = 'DuplicateIdempotencyKeyError';
  constructor(customerId: string, idempotencyKey: string) {
    super(`customer ${customerId} already has an order for Idempotency-Key ${JSON.stringify(idempotencyKey)}`);
  }
}

export function createOrderRepository(db: DbClient) {
  return {
    /**
     * Inserts the order with its items in PENDING, in one statement (the API runs it on every
     * checkout; a nested create took five round trips, and the existence check before it one more).
     * Idempotent on the order id: an activity retried after a lost acknowledgement, or the API and
     * the workflow both writing it, find the row already there and get it back.
     */
    async createPending(order: NewOrder): Promise<{ id: string; totalCents: number; status: OrderStatus }> {
      const totalCents = order.items.reduce((sum, i) => sum + i.unitPriceCents * i.quantity, 0);
      const [row] = await db.$queryRaw<{ id: string; total_cents: number; status: OrderStatus }[]>`
        WITH created AS (
          INSERT INTO orders (id, customer_id, workflow_id, idempotency_key, request_hash, currency, total_cents, shipping_address)
          VALUES (${order.id}::uuid, ${order.customerId}::uuid, ${order.workflowId}, ${order.idempotencyKey}, ${order.requestHash},
                  ${order.currency}, ${totalCents}, ${JSON.stringify(order.shippingAddress)}::jsonb)
          ON CONFLICT DO NOTHING
          RETURNING id, total_cents, status
        ), items AS (
          INSERT INTO order_items (order_id, sku, quantity, unit_price_cents)
          SELECT c.id, i.sku, i.quantity, i.unit_price_cents FROM created c,
            unnest(${order.items.map((i) => i.sku)}::text[], ${order.items.map((i) => i.quantity)}::int[],
                   ${order.items.map((i) => i.unitPriceCents)}::int[]) AS i(sku, quantity, unit_price_cents)
        )
        SELECT id, total_cents, status::text AS status FROM created
        UNION ALL SELECT id, total_cents, status::text FROM orders WHERE id = ${order.id}::uuid
        LIMIT 1`;
      if (row) return { id: row.id, totalCents: row.total_cents, status: row.status };
      // Nothing inserted and no row of this id in the statement's snapshot: either a concurrent
      // write of this very order committed meanwhile (that row is ours), or the customer's
      // idempotency key belongs to another order.
      const mine = await db.order.findUnique({
        where: { id: order.id },
        select: { id: true, totalCents: true, status: true },
      });
      if (mine) return mine;
      throw new DuplicateIdempotencyKeyError(order.customerId, order.idempotencyKey);
    },

    findById(id: string): Promise<OrderView | null> {
      return db.order.findUnique({ where: { id }, select: orderSelect });
    },

    findByIdempotencyKey(customerId: string, idempotencyKey: string): Promise<OrderKeyMatch | null> {
      return db.order.findUnique({
        where: { customerId_idempotencyKey: { customerId, idempotencyKey } },
        select: { id: true, status: true, workflowId: true, requestHash: true },
      });
    },

    /** Newest first, keyset-paged on (createdAt, id) so pages stay stable while orders arrive. */
    async list(q: OrderPageQuery): Promise<{ items: OrderView[]; hasMore: boolean }> {
      const rows = await db.order.findMany({
        select: orderSelect,
        where: {
          ...(q.customerId === undefined ? {} : { customerId: q.customerId }),
          ...(q.status === undefined ? {} : { status: q.status }),
          ...newestFirstAfter(q.after),
        },
        orderBy: NEWEST_FIRST,
        take: q.limit + 1,
      });
      return { items: rows.slice(0, q.limit), hasMore: rows.length > q.limit };
    },

    /**
     * Moves the order to `status` only from one of `from`; returns false when the order was not in
     * one of them (the caller decides whether that is a conflict or an already-applied retry).
     */
    async transition(
      id: string,
      from: readonly OrderStatus[],
      status: OrderStatus,
      failureReason?: string,
    ): Promise<boolean> {
      const result = await db.order.updateMany({
        where: { id, status: { in: [...from] } },
        data: { status, ...(failureReason === undefined ? {} : { failureReason }) },
      });
      return result.count === 1;
    },

    /** Claims the order's one restock; true for the caller that should put the units back. */
    async claimRestock(id: string): Promise<boolean> {
      const { count } = await db.order.updateMany({
        where: { id, restockedAt: null },
        data: { restockedAt: new Date() },
      });
      return count === 1;
    },

    /**
     * What the order charges, as written when it was created; null when there is no such order.
     * One statement (the lines as json_agg): every checkout's first step reads it.
     */
    async totalsOf(id: string): Promise<{
      totalCents: number;
      currency: string;
      items: { sku: string; quantity: number }[];
    } | null> {
      const [row] = await db.$queryRaw<
        { total_cents: number; currency: string; items: { sku: string; quantity: number }[] }[]
      >`
        SELECT o.total_cents, o.currency::text AS currency,
               COALESCE((SELECT json_agg(json_build_object('sku', i.sku, 'quantity', i.quantity) ORDER BY i.sku)
                         FROM order_items i WHERE i.order_id = o.id), '[]') AS items
        FROM orders o WHERE o.id = ${id}::uuid`;
      return row ? { totalCents: row.total_cents, currency: row.currency, items: row.items } : null;
    },

    /** How many of the customer's orders wait for a 3-D Secure confirmation (and hold their stock). */
    countAwaitingConfirmation(customerId: string): Promise<number> {
      return db.order.count({ where: { customerId, status: 'AWAITING_PAYMENT_CONFIRMATION' } });
    },

    /**
     * PENDING -> AWAITING_PAYMENT_CONFIRMATION, unless the customer has `max` orders waiting already:
     * then false and nothing changes. The count and the move run under a per-customer advisory lock,
     * so concurrent checkouts of one customer cannot together pass the cap. Only the cap answers
     * false: an order already moved (a retry) or no longer PENDING (cancelled meanwhile) is left as it
     * is, as a plain transition would.
     */
    async enterAwaitingConfirmation(id: string, max: number): Promise<boolean> {
      return inTransaction(db, async (tx) => {
        const order = await tx.order.findUnique({ where: { id }, select: { customerId: true, status: true } });
        if (order?.status !== 'PENDING') return true;
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`unpaid:${order.customerId}`}, 0))`;
        const waiting = await tx.order.count({
          where: { customerId: order.customerId, status: 'AWAITING_PAYMENT_CONFIRMATION' },
        });
        if (waiting >= max) return false;
        await tx.order.updateMany({
          where: { id, status: 'PENDING' },
          data: { status: 'AWAITING_PAYMENT_CONFIRMATION' },
        });
        return true;
      });
    },

    async statusOf(id: string): Promise<OrderStatus | null> {
      const row = await db.order.findUnique({ where: { id }, select: { status: true } });
      return row?.status ?? null;
    },
  };
}

export type OrderRepository = ReturnType<typeof createOrderRepository>;
