import { inTransaction, type Db } from '../prisma/client';
import { createOrderRepository, type OrderStatus, type ShippingAddress } from '../prisma/repositories/orders';
import { createRefundRepository } from '../prisma/repositories/refunds';
import { createShipmentRepository } from '../prisma/repositories/shipments';
import { createWebhookEventRepository } from '../prisma/repositories/webhook-events';
import { z } from 'zod';
import type { CarrierEventType } from '../domain/statuses';
import type { Carrier } from './adapters/carrier';

export interface CreatedShipment {
  shipmentId: string;
  trackingNumber: string;
}

/** Statuses a carrier event may move the order out of, per event. */
const ORDER_MOVES: Record<Exclude<CarrierEventType, 'RETURNED'>, { from: readonly OrderStatus[]; to: OrderStatus }> = {
  PICKED_UP: { from: ['FULFILLING'], to: 'SHIPPED' },
  IN_TRANSIT: { from: ['FULFILLING'], to: 'SHIPPED' },
  DELIVERED: { from: ['FULFILLING', 'SHIPPED'], to: 'DELIVERED' },
};

/** A carrier event as the workflow's signal carries it. */
export interface InboxCarrierEvent {
  id: string;
  type: CarrierEventType;
  occurredAt: string;
}

/** A carrier event as the webhook stored it in the inbox (validated there, so read back as it was). */
const storedCarrierEventSchema = z.object({
  type: z.enum(['PICKED_UP', 'IN_TRANSIT', 'DELIVERED', 'RETURNED']),
  occurredAt: z.string(),
});

export function createShipmentActivities({ db, carrier }: { db: Db; carrier: Carrier }) {
  const orders = createOrderRepository(db);
  const shipments = createShipmentRepository(db);
  const inbox = createWebhookEventRepository(db);

  return {
    /**
     * Buys the label (carrier idempotency key `shipment-<orderId>`) and records the shipment; the
     * order moves PAID -> FULFILLING. Null when the order is no longer PAID (cancelled meanwhile):
     * there is nothing to ship.
     */
    async createShipment(orderId: string): Promise<CreatedShipment | null> {
      const order = await shipments.fulfilmentStart(orderId);
      if (order?.shipment) return { shipmentId: order.shipment.id, trackingNumber: order.shipment.trackingNumber };
      if (order?.orderStatus !== 'PAID') return null;
      const { trackingNumber } = await carrier.createLabel({
        idempotencyKey: `shipment-${orderId}`,
        orderId,
        recipient: order.shippingAddress as unknown as ShippingAddress,
      });
      const shipment = await shipments.startFulfilment(orderId, carrier.name, trackingNumber);
      return { shipmentId: shipment.id, trackingNumber: shipment.trackingNumber };
    },

    async cancelShipmentLabel(orderId: string): Promise<void> {
      const shipment = await shipments.findByOrder(orderId);
      if (shipment) await carrier.cancelLabel(shipment.trackingNumber);
    },

    /**
     * Applies a carrier event to shipment and order; returns the order's status afterwards. Without
     * `occurredAt` (the carrier's time was refused) the time is now.
     */
    async recordCarrierEvent(
      orderId: string,
      type: Exclude<CarrierEventType, 'RETURNED'>,
      occurredAt: string | null,
    ): Promise<OrderStatus | null> {
      const at = occurredAt === null ? new Date() : new Date(occurredAt);
      await inTransaction(db, async (tx) => {
        const shipmentRepo = createShipmentRepository(tx);
        if (type === 'DELIVERED') await shipmentRepo.setStatus(orderId, 'DELIVERED', { deliveredAt: at });
        else await shipmentRepo.setStatus(orderId, type, type === 'PICKED_UP' ? { pickedUpAt: at } : {});
        const move = ORDER_MOVES[type];
        await createOrderRepository(tx).transition(orderId, move.from, move.to);
      });
      return orders.statusOf(orderId);
    },

    /**
     * A carrier event for a parcel whose order was cancelled: the shipment records how far the
     * carrier took it (the order stays CANCELLED), so support sees it on the order's timeline.
     */
    async recordCarrierEventAfterCancel(orderId: string, type: CarrierEventType, occurredAt: string): Promise<void> {
      await shipments.recordAfterCancel(orderId, type, occurredAt);
    },

    /**
     * The carrier's events for this parcel that came before it was recorded (answered `unmatched`,
     * never resent), for the workflow to apply as if they had been signalled. A row whose payload is
     * not a carrier event is left alone.
     */
    async takeUnrelayedCarrierEvents(trackingNumber: string): Promise<InboxCarrierEvent[]> {
      const rows = await inbox.unrelayedCarrierEvents(trackingNumber);
      return rows.flatMap(({ id, payload }) => {
        const event = storedCarrierEventSchema.safeParse(payload);
        return event.success ? [{ id, type: event.data.type, occurredAt: event.data.occurredAt }] : [];
      });
    },

    /** Those events reached the workflow: a redelivery of one is answered `duplicate`. */
    async markCarrierEventsRelayed(ids: string[]): Promise<void> {
      for (const id of ids) await inbox.markRelayed('carrier', id);
    },

    /** No pick-up within 48 hours: visible to operators on the shipment (and the workflow query). */
    async flagPickupOverdue(orderId: string): Promise<void> {
      await shipments.setStatus(orderId, 'AWAITING_PICKUP_ALERT');
    },

    async markShipmentLost(orderId: string): Promise<void> {
      await shipments.setStatus(orderId, 'LOST');
    },

    /** The parcel came back: shipment RETURNED and order RETURNED (the refund restocks it). */
    async markOrderReturned(orderId: string): Promise<void> {
      await inTransaction(db, async (tx) => {
        await createShipmentRepository(tx).setStatus(orderId, 'RETURNED');
        await createOrderRepository(tx).transition(orderId, ['FULFILLING', 'SHIPPED', 'DELIVERED'], 'RETURNED');
      });
    },

    /**
     * A full refund the platform itself decides (lost or returned parcel, cancellation): everything
     * captured and not yet refunded or being refunded, never waiting for approval; refunds still
     * awaiting approval are superseded by it (refunds repository `requestRemainder`). Idempotent per
     * (order, purpose). Returns the refund to execute, or null when nothing is left to refund.
     */
    async requestSystemRefund(
      orderId: string,
      purpose: string,
      restock: boolean,
    ): Promise<{ refundId: string; amountCents: number } | null> {
      const { refund } = await createRefundRepository(db).requestRemainder({
        orderId,
        idempotencyKey: `system-${purpose}`,
        requestHash: purpose,
        reason: purpose,
        restock,
        requestedBy: 'system',
      });
      // A repeat after the refund ran finds it SUCCEEDED: running its workflow again changes nothing.
      return refund ? { refundId: refund.id, amountCents: refund.amountCents } : null;
    },
  };
}
