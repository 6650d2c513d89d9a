import { randomUUID } from 'node:crypto';
import type { DbClient } from '../client';
import type { ShipmentStatus } from '../generated/client';

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

    findByTrackingNumber(trackingNumber: string): Promise<ShipmentView | null> {
      return db.shipment.findUnique({ where: { trackingNumber }, select: shipmentSelect });
    },

    findByOrder(orderId: string): Promise<ShipmentView | null> {
      return db.shipment.findUnique({ where: { orderId }, select: shipmentSelect });
    },

    async setStatus(orderId: string, status: ShipmentStatus, times: { pickedUpAt?: Date; deliveredAt?: Date } = {}): Promise<void> {
      await db.shipment.updateMany({ where: { orderId }, data: { status, ...times } });
    },
  };
}

export type ShipmentRepository = ReturnType<typeof createShipmentRepository>;
