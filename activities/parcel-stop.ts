/**
 * A refund of everything before the carrier picks the parcel up stops it, as a cancellation does,
 * and only then do its units go back on hand (docs/api.md#limits-and-money-rules): a refund never
 * restocks units that still ship.
 */
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { inTransaction, type Db } from '../prisma/client';
import { createOrderRepository } from '../prisma/repositories/orders';
import { createShipmentRepository } from '../prisma/repositories/shipments';
import { shipmentWorkflowId } from '../domain/ids';
import { STOP_PARCEL_UPDATE } from '../domain/parcel-stop';
import type { ShipmentStatus } from '../domain/statuses';
import { restockOrderOnce } from './orders';

/** A parcel the carrier does not have yet. */
const WAITING_FOR_PICKUP: readonly ShipmentStatus[] = ['LABEL_CREATED', 'AWAITING_PICKUP_ALERT'];

export function createParcelStopActivities({ db }: { db: Db }) {
  const orders = createOrderRepository(db);
  const shipments = createShipmentRepository(db);

  return {
    /**
     * After a refund made the order REFUNDED: asks its shipment workflow to stop a parcel still
     * waiting for pick-up and waits for the answer. True when the parcel was stopped; false when
     * there is none to stop (never made, picked up already, or the shipment is over). Safe to
     * repeat: a second call finds the shipment over.
     */
    async stopParcelOfRefundedOrder(orderId: string): Promise<boolean> {
      if ((await orders.statusOf(orderId)) !== 'REFUNDED') return false;
      const shipment = await shipments.findByOrder(orderId);
      // No row yet: the shipment may be buying its label right now; the update reaches it then.
      if (shipment && !WAITING_FOR_PICKUP.includes(shipment.status)) return false;
      try {
        const state = await Context.current()
          .client.workflow.getHandle(shipmentWorkflowId(orderId))
          .executeUpdate<{ phase: string }, []>(STOP_PARCEL_UPDATE);
        return state.phase === 'STOPPED';
      } catch (error) {
        // Refused (the carrier has it) or no shipment running: nothing to stop.
        if (error instanceof WorkflowUpdateFailedError || error instanceof WorkflowNotFoundError) return false;
        throw error;
      }
    },

    /**
     * The stopped parcel's units are back: on hand again (once per order) if a succeeded refund of
     * the fully refunded order asked for restock.
     */
    async restockStoppedParcel(orderId: string): Promise<void> {
      await inTransaction(db, async (tx) => {
        const order = await createOrderRepository(tx).findById(orderId);
        if (order?.status !== 'REFUNDED') return;
        const restocking = await tx.refund.count({ where: { orderId, status: 'SUCCEEDED', restock: true } });
        if (restocking > 0) await restockOrderOnce(tx, orderId);
      });
    },
  };
}
