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

export function createNotificationContextRepository(db: DbClient) {
  const emailOf = async (customerId: string): Promise<string | null> => {
    const user = await db.user.findUnique({ where: { id: customerId }, select: { email: true } });
    return user?.email ?? null;
  };

  return {
    emailOf,

    async orderFacts(orderId: string): Promise<OrderNotificationFacts | null> {
      const order = await db.order.findUnique({
        where: { id: orderId },
        select: {
          id: true,
          customerId: true,
          status: true,
          currency: true,
          totalCents: true,
          refundedCents: true,
          failureReason: true,
          shippingAddress: true,
          items: { select: { sku: true, quantity: true, unitPriceCents: true }, orderBy: { sku: 'asc' } },
          shipment: { select: { trackingNumber: true } },
        },
      });
      if (!order) return null;
      const [email, products] = await Promise.all([
        emailOf(order.customerId),
        db.product.findMany({
          where: { sku: { in: order.items.map((i) => i.sku) } },
          select: { sku: true, name: true },
        }),
      ]);
      const names = new Map(products.map((p) => [p.sku, p.name]));
      const address = order.shippingAddress as { name?: unknown } | null;
      return {
        orderId: order.id,
        customerId: order.customerId,
        status: order.status,
        currency: order.currency,
        totalCents: order.totalCents,
        refundedCents: order.refundedCents,
        failureReason: order.failureReason,
        recipientName: typeof address?.name === 'string' && address.name.trim() !== '' ? address.name.trim() : null,
        email,
        lines: order.items.map((i) => ({ ...i, name: names.get(i.sku) ?? i.sku })),
        trackingNumber: order.shipment?.trackingNumber ?? null,
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
