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
 * a `cancel` update voids the label, cancels the order (restock) and refunds it; once that branch
 * is chosen the update waits for it, and carrier events arriving meanwhile are recorded on the
 * cancelled order's shipment (support sees them on the timeline), never dropped. A `stopParcel`
 * update (the order was refunded in full) voids the label and restocks if the refund asked. An
 * event the database refuses (a data error) is recorded without its time and the workflow goes on.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  log,
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
  type CarrierEvent,
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
  let latest: CarrierEventType | undefined;
  let cancelRequested = false;
  let stopRequested = false;
  /** Set when run() takes the stop branch, as `cancelling` for the cancel branch. */
  let stopping = false;
  /** Set when run() takes the cancel branch: from then on the cancellation happens, whatever comes. */
  let cancelling = false;

  const orderStatus = (status: OrderStatus | null): void => {
    if (status) recordOrderStatus(status);
  };
  const notifyOrder = (type: 'order_shipped' | 'order_delivered' | 'order_cancelled'): Promise<void> =>
    notify({ type, orderId: input.orderId });

  setHandler(shipmentStateQuery, () => state);
  /** A carrier event, signalled or taken from the webhook inbox: duplicates and late ones change nothing. */
  const onCarrierEvent = (event: CarrierEvent): void => {
    if (seen.has(event.id)) return; // duplicate delivery
    seen.add(event.id);
    state.eventsSeen = seen.size;
    if (PROGRESS[event.type] <= progress || final !== undefined) return; // late or out of order
    progress = PROGRESS[event.type];
    occurredAt = event.occurredAt;
    latest = event.type;
    if (event.type === 'DELIVERED' || event.type === 'RETURNED') final = event.type;
  };
  setHandler(carrierEventSignal, onCarrierEvent);

  /** The cancel's and the stop's shared rule: only a parcel the carrier has not taken can be held back. */
  const refuseUnlessWaitingForPickup = (otherwiseRefused: boolean): void => {
    if (
      otherwiseRefused ||
      progress > 0 ||
      !['CREATING_LABEL', 'AWAITING_PICKUP', 'PICKUP_OVERDUE'].includes(state.phase)
    ) {
      throw ApplicationFailure.create({
        type: FailureType.ORDER_NOT_CANCELLABLE,
        message: `shipment is ${state.phase}`,
        nonRetryable: true,
      });
    }
  };
  setHandler(
    cancelShipmentUpdate,
    async (_request) => {
      cancelRequested = true;
      // A pick-up before the branch is chosen wins (refused below); after, the cancellation does.
      await condition(() => state.phase === 'CANCELLED' || (progress > 0 && !cancelling));
      return state;
    },
    {
      validator: (_request) => {
        // A second cancel while one is under way is accepted and joins it (same answer).
        if (cancelling) return;
        // A parcel being stopped belongs to an order refunded in full: nothing is left to cancel.
        refuseUnlessWaitingForPickup(stopping);
      },
    },
  );

  // A refund of everything before pick-up (workflows/refund.ts): the parcel must not ship.
  setHandler(
    stopParcelUpdate,
    async () => {
      stopRequested = true;
      // As for a cancel: a pick-up before the branch is chosen wins, after it the stop does.
      await condition(
        () => ['STOPPED', 'CANCELLED', 'NOTHING_TO_SHIP'].includes(state.phase) || (progress > 0 && !stopping),
      );
      return state;
    },
    {
      validator: () => {
        if (stopping) return;
        refuseUnlessWaitingForPickup(false);
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

  /**
   * Applies the parcel's progress to shipment and order. A value the database refuses (a data error,
   * not retryable) must not end a workflow that lives for weeks: the event is applied again without
   * its time (the database's clock stands in) and the refusal logged.
   */
  async function applyCarrierEvent(type: 'PICKED_UP' | 'DELIVERED'): Promise<OrderStatus | null> {
    try {
      return await db.recordCarrierEvent(input.orderId, type, occurredAt);
    } catch (error) {
      // A local activity's last failure reaches the workflow as it is, not inside an ActivityFailure.
      if (!(error instanceof ApplicationFailure) || error.type !== FailureType.DATA_ERROR) throw error;
      log.warn('carrier event refused by the database; applied without its time', {
        orderId: input.orderId,
        type,
        failure: error.type,
      });
      return db.recordCarrierEvent(input.orderId, type, null);
    }
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
    // Events the carrier sent before the parcel was recorded were answered `unmatched` and are not
    // resent: the inbox kept them, so they are applied here as if signalled, then marked relayed.
    const early = await db.takeUnrelayedCarrierEvents(created.trackingNumber);
    for (const event of early) onCarrierEvent(event);
    if (early.length > 0) await db.markCarrierEventsRelayed(early.map((event) => event.id));

    const moved = (): boolean => progress > 0 || cancelRequested || stopRequested;
    if (!(await condition(moved, PICKUP_ALERT_AFTER))) {
      await db.flagPickupOverdue(input.orderId);
      state.pickupOverdue = true;
      state.phase = 'PICKUP_OVERDUE';
      await condition(moved);
    }

    if (progress === 0 && cancelRequested) {
      cancelling = true;
      await carrierApi.cancelShipmentLabel(input.orderId);
      await db.completePaidOrderCancellation(input.orderId);
      await refundAll(`cancellation-${input.orderId}`, false);
      state.phase = 'CANCELLED';
      orderStatus('CANCELLED');
      await notifyOrder('order_cancelled');
      await restartTimerOfRestoredCart(input.orderId);
      // The carrier moved the parcel while it was being cancelled: recorded for support to chase.
      let recorded = 0;
      while (latest !== undefined && recorded < progress) {
        recorded = progress;
        await db.recordCarrierEventAfterCancel(input.orderId, latest, occurredAt);
      }
      return state;
    }

    if (progress === 0 && stopRequested) {
      stopping = true;
      // The order is REFUNDED already; its units are back on the shelf, restocked if a refund asked.
      await carrierApi.cancelShipmentLabel(input.orderId);
      await db.restockStoppedParcel(input.orderId);
      state.phase = 'STOPPED';
      return state;
    }

    if (final === undefined) {
      state.phase = 'IN_TRANSIT';
      const shipped = await applyCarrierEvent('PICKED_UP');
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
      const delivered = await applyCarrierEvent('DELIVERED');
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
