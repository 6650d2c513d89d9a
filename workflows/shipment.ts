/**
 * From paid to delivered (workflow ID `shipment-<orderId>`), started by checkout as a child with
 * parent-close policy ABANDON: the start is recorded in the checkout's history (no paid order
 * without a shipment, whatever crashes), yet the shipment lives its own 14+ days with its own
 * history after the checkout completes.
 *
 * Label -> FULFILLING -> carrier events (signals from the signed webhook; duplicates and reordering
 * are absorbed: events only move the parcel forward) -> SHIPPED -> DELIVERED. No pick-up within 48
 * hours flags the shipment for operators; no delivery 14 days after pick-up declares the parcel
 * lost and refunds in full; RETURNED refunds in full with restock and ends RETURNED. Before pick-up
 * a `cancel` update voids the label, cancels the order (restock) and refunds it, and a `stopParcel`
 * update (the order was refunded in full) voids the label and restocks if the refund asked.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  proxyLocalActivities,
  setHandler,
  setWorkflowOptions,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { DATABASE_ACTIVITY, EXTERNAL_API_ACTIVITY } from './activity-profiles';
import {
  cancelShipmentUpdate,
  carrierEventSignal,
  shipmentStateQuery,
  stopParcelUpdate,
  type CarrierEventType,
  type OrderStatus,
  type ShipmentInput,
  type ShipmentState,
} from './definitions';
import { FailureType } from '../domain/failure-types';
import { notify } from './notify';
import { recordOrderStatus } from './order-status';
import { restartTimerOfRestoredCart } from './restored-cart';
import { refundInFull } from './refund-in-full';

export const PICKUP_ALERT_AFTER = '48 hours';
export const LOST_AFTER = '14 days';

// Local activities, as in the checkout: short, idempotent steps that need no task of their own on
// the server (see workflows/checkout.ts for the measurement).
const db = proxyLocalActivities<Activities>(DATABASE_ACTIVITY);
const carrierApi = proxyLocalActivities<Activities>(EXTERNAL_API_ACTIVITY);

/** How far along each event puts the parcel; an event that does not move it forward is ignored. */
const PROGRESS: Record<CarrierEventType, number> = { PICKED_UP: 1, IN_TRANSIT: 2, DELIVERED: 3, RETURNED: 3 };

export async function shipment(input: ShipmentInput): Promise<ShipmentState> {
  const state: ShipmentState = {
    orderId: input.orderId,
    phase: 'CREATING_LABEL',
    trackingNumber: null,
    pickupOverdue: false,
    eventsSeen: 0,
  };
  const seen = new Set<string>();
  let progress = 0;
  let final: CarrierEventType | undefined;
  let occurredAt = '';
  let cancelRequested = false;
  let stopRequested = false;

  const orderStatus = (status: OrderStatus | null): void => {
    if (status) recordOrderStatus(status);
  };
  const notifyOrder = (type: 'order_shipped' | 'order_delivered' | 'order_cancelled'): Promise<void> =>
    notify({ type, orderId: input.orderId });

  setHandler(shipmentStateQuery, () => state);
  setHandler(carrierEventSignal, (event) => {
    if (seen.has(event.id)) return; // duplicate delivery
    seen.add(event.id);
    state.eventsSeen = seen.size;
    if (PROGRESS[event.type] <= progress || final !== undefined) return; // late or out of order
    progress = PROGRESS[event.type];
    occurredAt = event.occurredAt;
    if (event.type === 'DELIVERED' || event.type === 'RETURNED') final = event.type;
  });
  setHandler(
    cancelShipmentUpdate,
    async (_request) => {
      cancelRequested = true;
      await condition(() => state.phase === 'CANCELLED' || progress > 0);
      return state;
    },
    {
      validator: (_request) => {
        // A second cancel while one is under way is accepted and joins it (same answer).
        if (progress > 0 || !['CREATING_LABEL', 'AWAITING_PICKUP', 'PICKUP_OVERDUE'].includes(state.phase)) {
          throw ApplicationFailure.create({
            type: FailureType.ORDER_NOT_CANCELLABLE,
            message: `shipment is ${state.phase}`,
            nonRetryable: true,
          });
        }
      },
    },
  );

  // A refund of everything before pick-up (workflows/refund.ts): the parcel must not ship.
  setHandler(
    stopParcelUpdate,
    async () => {
      stopRequested = true;
      await condition(() => ['STOPPED', 'CANCELLED', 'NOTHING_TO_SHIP'].includes(state.phase) || progress > 0);
      return state;
    },
    {
      validator: () => {
        if (progress > 0 || !['CREATING_LABEL', 'AWAITING_PICKUP', 'PICKUP_OVERDUE'].includes(state.phase)) {
          throw ApplicationFailure.create({
            type: FailureType.ORDER_NOT_CANCELLABLE,
            message: `shipment is ${state.phase}`,
            nonRetryable: true,
          });
        }
      },
    },
  );

  try {
    return await run();
  } finally {
    await condition(allHandlersFinished);
  }

  /** A full refund through the refund workflow (its own history, findable by OrderId). */
  async function refundAll(purpose: string, restock: boolean): Promise<void> {
    await refundInFull(input.orderId, await db.requestSystemRefund(input.orderId, purpose, restock));
  }

  async function run(): Promise<ShipmentState> {
    const created = await carrierApi.createShipment(input.orderId);
    if (!created) {
      state.phase = 'NOTHING_TO_SHIP';
      return state;
    }
    state.trackingNumber = created.trackingNumber;
    state.phase = 'AWAITING_PICKUP';
    orderStatus('FULFILLING');

    const moved = (): boolean => progress > 0 || cancelRequested || stopRequested;
    if (!(await condition(moved, PICKUP_ALERT_AFTER))) {
      await db.flagPickupOverdue(input.orderId);
      state.pickupOverdue = true;
      state.phase = 'PICKUP_OVERDUE';
      await condition(moved);
    }

    if (progress === 0 && cancelRequested) {
      await carrierApi.cancelShipmentLabel(input.orderId);
      await db.completePaidOrderCancellation(input.orderId);
      await refundAll(`cancellation-${input.orderId}`, false);
      state.phase = 'CANCELLED';
      orderStatus('CANCELLED');
      await notifyOrder('order_cancelled');
      await restartTimerOfRestoredCart(input.orderId);
      return state;
    }

    if (progress === 0 && stopRequested) {
      // The order is REFUNDED already; its units are back on the shelf, restocked if a refund asked.
      await carrierApi.cancelShipmentLabel(input.orderId);
      await db.restockStoppedParcel(input.orderId);
      state.phase = 'STOPPED';
      return state;
    }

    if (final === undefined) {
      state.phase = 'IN_TRANSIT';
      const shipped = await db.recordCarrierEvent(input.orderId, 'PICKED_UP', occurredAt);
      orderStatus(shipped);
      if (shipped === 'SHIPPED') await notifyOrder('order_shipped');
      // The 14 days run from pick-up; later events in transit do not restart them.
      if (!(await condition(() => final !== undefined, LOST_AFTER))) {
        await db.markShipmentLost(input.orderId);
        state.phase = 'LOST';
        await refundAll(`lost-${input.orderId}`, false);
        orderStatus('REFUNDED');
        return state;
      }
    }

    if (final === 'DELIVERED') {
      const delivered = await db.recordCarrierEvent(input.orderId, 'DELIVERED', occurredAt);
      orderStatus(delivered);
      state.phase = 'DELIVERED';
      if (delivered === 'DELIVERED') await notifyOrder('order_delivered');
      return state;
    }
    await db.markOrderReturned(input.orderId);
    await refundAll(`return-${input.orderId}`, true);
    state.phase = 'RETURNED';
    orderStatus('RETURNED');
    return state;
  }
}

// Worker Versioning (workers/versioning.ts): a shipment lives for days, longer than a build's workers
// should, so it moves to each new build at its next task; a change to it is patched.
setWorkflowOptions({ versioningBehavior: 'AUTO_UPGRADE' }, shipment);
