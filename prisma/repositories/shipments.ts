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

export function createShipmentRepository(db: DbClient) {
  return {
    /** Creates the order's one shipment, or returns the existing one (idempotent on the order). */
    async createForOrder(orderId: string, carrier: string, trackingNumber: string): Promise<ShipmentView> {
      await db.shipment.createMany({ data: [{ id: randomUUID(), orderId, carrier, trackingNumber }], skipDuplicates: true });
      return db.shipment.findUniqueOrThrow({ where: { orderId }, select: shipmentSelect });
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
