import { randomUUID } from 'node:crypto';
import type { DbClient } from '../client';
import type { CarrierEventType, OrderStatus, ShipmentStatus } from '../../domain/statuses';

export type { ShipmentStatus };

export interface ShipmentView {
  id: string;
  orderId: string;
  carrier: string;
  trackingNumber: string;
  status: ShipmentStatus;
}

const shipmentSelect = { id: true, orderId: true, carrier: true, trackingNumber: true, status: true } as const;

interface ShipmentRow {
  id: string;
  order_id: string;
  carrier: string;
  tracking_number: string;
  status: ShipmentStatus;
}

/** What starting an order's fulfilment needs to know: where it goes, and whether it has started. */
export interface FulfilmentStart {
  orderStatus: OrderStatus;
  shippingAddress: unknown;
  shipment: { id: string; trackingNumber: string } | null;
}

/** The shipment statuses a carrier event may move a parcel out of: forward only. */
const BEFORE: Record<CarrierEventType, readonly ShipmentStatus[]> = {
  PICKED_UP: ['LABEL_CREATED', 'AWAITING_PICKUP_ALERT'],
  IN_TRANSIT: ['LABEL_CREATED', 'AWAITING_PICKUP_ALERT', 'PICKED_UP'],
  DELIVERED: ['LABEL_CREATED', 'AWAITING_PICKUP_ALERT', 'PICKED_UP', 'IN_TRANSIT'],
  RETURNED: ['LABEL_CREATED', 'AWAITING_PICKUP_ALERT', 'PICKED_UP', 'IN_TRANSIT'],
};

/** The carrier's time when the database can hold it, else now (the event is what matters). */
const timeOf = (occurredAt: string): Date => {
  const at = new Date(occurredAt);
  const year = at.getUTCFullYear();
  return Number.isNaN(at.getTime()) || year < 2000 || year > 9999 ? new Date() : at;
};

const shipmentView = (r: ShipmentRow): ShipmentView => ({
  id: r.id,
  orderId: r.order_id,
  carrier: r.carrier,
  trackingNumber: r.tracking_number,
  status: r.status,
});

export function createShipmentRepository(db: DbClient) {
  return {
    /**
     * Records the order's one shipment and moves the order PAID -> FULFILLING, in one statement
     * (atomic by itself, one round trip). Idempotent on the order: a second call changes nothing and
     * returns the shipment the first one recorded.
     */
    async startFulfilment(orderId: string, carrier: string, trackingNumber: string): Promise<ShipmentView> {
      const [row] = await db.$queryRaw<ShipmentRow[]>`
        WITH created AS (
          INSERT INTO shipments (id, order_id, carrier, tracking_number, updated_at)
          VALUES (${randomUUID()}::uuid, ${orderId}::uuid, ${carrier}, ${trackingNumber}, now())
          ON CONFLICT (order_id) DO NOTHING
          RETURNING id, order_id, carrier, tracking_number, status
        ), fulfilling AS (
          UPDATE orders SET status = 'FULFILLING', updated_at = now()
          WHERE id = ${orderId}::uuid AND status = 'PAID'
        )
        SELECT id, order_id, carrier, tracking_number, status::text AS status FROM created`;
      // Nothing created: the shipment was there already (its order moved on with it).
      return row ? shipmentView(row) : db.shipment.findUniqueOrThrow({ where: { orderId }, select: shipmentSelect });
    },

    /**
     * The order's status and address with its shipment, if any, in one round trip (a join; Prisma's
     * relation read takes two). Null for an unknown order.
     */
    async fulfilmentStart(orderId: string): Promise<FulfilmentStart | null> {
      const [row] = await db.$queryRaw<
        { status: OrderStatus; shipping_address: unknown; shipment_id: string | null; tracking_number: string | null }[]
      >`
        SELECT o.status::text AS status, o.shipping_address, s.id AS shipment_id, s.tracking_number
        FROM orders o LEFT JOIN shipments s ON s.order_id = o.id
        WHERE o.id = ${orderId}::uuid`;
      if (!row) return null;
      const shipment =
        row.shipment_id && row.tracking_number ? { id: row.shipment_id, trackingNumber: row.tracking_number } : null;
      return { orderStatus: row.status, shippingAddress: row.shipping_address, shipment };
    },

    findByTrackingNumber(trackingNumber: string): Promise<ShipmentView | null> {
      return db.shipment.findUnique({ where: { trackingNumber }, select: shipmentSelect });
    },

    findByOrder(orderId: string): Promise<ShipmentView | null> {
      return db.shipment.findUnique({ where: { orderId }, select: shipmentSelect });
    },

    /**
     * A carrier event for the parcel of a CANCELLED order: the shipment moves forward to what the
     * carrier reported (its status trigger writes the order timeline), the order does not move.
     * Nothing for any other order, or an event that would move the parcel back. Returns whether it
     * recorded something.
     */
    async recordAfterCancel(orderId: string, type: CarrierEventType, occurredAt: string): Promise<boolean> {
      const at = timeOf(occurredAt);
      const times = type === 'PICKED_UP' ? { pickedUpAt: at } : type === 'DELIVERED' ? { deliveredAt: at } : {};
      const { count } = await db.shipment.updateMany({
        where: { orderId, status: { in: [...BEFORE[type]] }, order: { status: 'CANCELLED' } },
        data: { status: type, ...times },
      });
      return count === 1;
    },

    async setStatus(
      orderId: string,
      status: ShipmentStatus,
      times: { pickedUpAt?: Date; deliveredAt?: Date } = {},
    ): Promise<void> {
      await db.shipment.updateMany({ where: { orderId }, data: { status, ...times } });
    },
  };
}

export type ShipmentRepository = ReturnType<typeof createShipmentRepository>;
