/**
 * What the notification emails say about an order, a refund or a customer, read in the shape the
 * templates need (product names, the customer's address) rather than the API's order view.
 */
import type { DbClient } from '../client';
import type { OrderStatus, RefundStatus } from '../../domain/statuses';

export interface OrderNotificationFacts {
  orderId: string;
  customerId: string;
  status: OrderStatus;
  currency: string;
  totalCents: number;
  refundedCents: number;
  failureReason: string | null;
  /** The name on the shipping address: the only name the platform knows for a customer. */
  recipientName: string | null;
  /** Null when the customer's user row is gone: there is no one to write to. */
  email: string | null;
  /** In sku order; the product name falls back to the sku for a product no longer in the catalog. */
  lines: { sku: string; name: string; quantity: number; unitPriceCents: number }[];
  trackingNumber: string | null;
}

export interface RefundNotificationFacts {
  refundId: string;
  orderId: string;
  amountCents: number;
  status: RefundStatus;
}

/** The row of `orderFacts`' statement. */
interface OrderFactsRow {
  id: string;
  customer_id: string;
  status: OrderStatus;
  currency: string;
  total_cents: number;
  refunded_cents: number;
  failure_reason: string | null;
  shipping_address: unknown;
  email: string | null;
  tracking_number: string | null;
  lines: OrderNotificationFacts['lines'];
}

export function createNotificationContextRepository(db: DbClient) {
  const emailOf = async (customerId: string): Promise<string | null> => {
    const user = await db.user.findUnique({ where: { id: customerId }, select: { email: true } });
    return user?.email ?? null;
  };

  return {
    emailOf,

    /**
     * One statement: the order, its customer's address, its shipment and its lines with their
     * product names (it was one per table, on every order email: docs/performance.md#checkout-sql).
     */
    async orderFacts(orderId: string): Promise<OrderNotificationFacts | null> {
      const [order] = await db.$queryRaw<OrderFactsRow[]>`
        SELECT o.id, o.customer_id, o.status::text AS status, o.currency::text AS currency, o.total_cents,
               o.refunded_cents, o.failure_reason, o.shipping_address, u.email, s.tracking_number,
               COALESCE(
                 (SELECT json_agg(json_build_object('sku', i.sku, 'name', COALESCE(p.name, i.sku),
                                                    'quantity', i.quantity, 'unitPriceCents', i.unit_price_cents)
                                  ORDER BY i.sku)
                  FROM order_items i LEFT JOIN products p ON p.sku = i.sku
                  WHERE i.order_id = o.id),
                 '[]') AS lines
        FROM orders o
        LEFT JOIN users u ON u.id = o.customer_id
        LEFT JOIN shipments s ON s.order_id = o.id
        WHERE o.id = ${orderId}::uuid`;
      if (!order) return null;
      const address = order.shipping_address as { name?: unknown } | null;
      return {
        orderId: order.id,
        customerId: order.customer_id,
        status: order.status,
        currency: order.currency,
        totalCents: order.total_cents,
        refundedCents: order.refunded_cents,
        failureReason: order.failure_reason,
        recipientName: typeof address?.name === 'string' && address.name.trim() !== '' ? address.name.trim() : null,
        email: order.email,
        lines: order.lines,
        trackingNumber: order.tracking_number,
      };
    },

    async refundFacts(refundId: string): Promise<RefundNotificationFacts | null> {
      const refund = await db.refund.findUnique({
        where: { id: refundId },
        select: { id: true, orderId: true, amountCents: true, status: true },
      });
      return (
        refund && {
          refundId: refund.id,
          orderId: refund.orderId,
          amountCents: refund.amountCents,
          status: refund.status,
        }
      );
    },
  };
}

export type NotificationContextRepository = ReturnType<typeof createNotificationContextRepository>;
