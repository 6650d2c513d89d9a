/**
 * The shipment workflow on the time-skipping server: carrier events (duplicated, out of order),
 * the 48-hour pick-up alert, the 14-day lost-parcel refund, returns and cancellation.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, WorkflowUpdateStage } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../../domain/failure-types';
import {
  cancelShipmentUpdate,
  carrierEventSignal,
  shipmentStateQuery,
  type CarrierEventType,
} from '../../workflows/definitions';
import type { shipment } from '../../workflows/shipment';
import { happyActivities } from '../support/activity-mocks';
import { useTimeSkippingEnv, withWorker } from '../support/workflow-env';
import { shipmentWorkflowId } from '../../domain/ids';

const env = useTimeSkippingEnv();

const orderId = () => randomUUID();
const start = (taskQueue: string, id: string) =>
  env().client.workflow.start<typeof shipment>('shipment', {
    taskQueue,
    workflowId: shipmentWorkflowId(id),
    args: [{ orderId: id, customerId: 'c1' }],
  });
const event = (type: CarrierEventType, id = `evt-${randomUUID()}`) => ({
  id,
  type,
  occurredAt: new Date().toISOString(),
});

async function untilPhase(handle: Awaited<ReturnType<typeof start>>, phase: string): Promise<void> {
  while ((await handle.query(shipmentStateQuery)).phase !== phase);
}

test('label, pick-up, delivery: the order moves FULFILLING -> SHIPPED -> DELIVERED', async () => {
  const acts = happyActivities();
  const id = orderId();
  const result = await withWorker(env(), acts, async (tq) => {
    const handle = await start(tq, id);
    await untilPhase(handle, 'AWAITING_PICKUP');
    await handle.signal(carrierEventSignal, event('PICKED_UP'));
    await untilPhase(handle, 'IN_TRANSIT');
    await handle.signal(carrierEventSignal, event('IN_TRANSIT'));
    await handle.signal(carrierEventSignal, event('DELIVERED'));
    return handle.result();
  });
  expect(result).toMatchObject({ phase: 'DELIVERED', trackingNumber: 'SIM1', pickupOverdue: false, eventsSeen: 3 });
  expect(acts.createShipment).toHaveBeenCalledWith(id);
  // A local activity can run again when its workflow task is retried (a signal arriving meanwhile):
  // it is idempotent by design, so the steps and their order are what counts.
  expect(new Set(acts.recordCarrierEvent.mock.calls.map((c) => c[1]))).toEqual(new Set(['PICKED_UP', 'DELIVERED']));
  expect(acts.recordCarrierEvent.mock.calls[0]?.[1]).toBe('PICKED_UP');
  expect(acts.requestSystemRefund).not.toHaveBeenCalled();
});

test('duplicates and out-of-order events: a late PICKED_UP after DELIVERED changes nothing', async () => {
  const acts = happyActivities();
  const id = orderId();
  const result = await withWorker(env(), acts, async (tq) => {
    const handle = await start(tq, id);
    await untilPhase(handle, 'AWAITING_PICKUP');
    const transit = event('IN_TRANSIT');
    await handle.signal(carrierEventSignal, transit); // IN_TRANSIT first implies pick-up
    await handle.signal(carrierEventSignal, transit); // duplicate delivery
    await handle.signal(carrierEventSignal, event('DELIVERED'));
    await handle.signal(carrierEventSignal, event('PICKED_UP')); // late
    return handle.result();
  });
  expect(result.phase).toBe('DELIVERED');
  // A local activity may run again when its workflow task is retried (a signal arriving meanwhile),
  // so a step can repeat; what counts is that pick-up came first and nothing after the delivery.
  const calls = acts.recordCarrierEvent.mock.calls.map((c) => c[1]);
  const delivered = calls.indexOf('DELIVERED');
  expect(new Set(calls.slice(0, delivered))).toEqual(new Set(['PICKED_UP']));
  expect(new Set(calls.slice(delivered))).toEqual(new Set(['DELIVERED']));
});

test('no pick-up in 48 hours raises the operator alert; a late pick-up still proceeds', async () => {
  const acts = happyActivities();
  const id = orderId();
  const { overdue, result } = await withWorker(env(), acts, async (tq) => {
    const handle = await start(tq, id);
    await env().sleep('49 hours');
    const overdue = await handle.query(shipmentStateQuery);
    await handle.signal(carrierEventSignal, event('PICKED_UP'));
    await handle.signal(carrierEventSignal, event('DELIVERED'));
    return { overdue, result: await handle.result() };
  });
  expect(overdue).toMatchObject({ phase: 'PICKUP_OVERDUE', pickupOverdue: true });
  expect(acts.flagPickupOverdue).toHaveBeenCalledWith(id);
  expect(result.phase).toBe('DELIVERED');
});

test('no delivery 14 days after pick-up: declared lost and refunded in full', async () => {
  const acts = happyActivities();
  const id = orderId();
  const result = await withWorker(env(), acts, async (tq) => {
    const handle = await start(tq, id);
    await untilPhase(handle, 'AWAITING_PICKUP');
    await handle.signal(carrierEventSignal, event('PICKED_UP'));
    return handle.result(); // 14 days skip by
  });
  expect(result.phase).toBe('LOST');
  expect(acts.markShipmentLost).toHaveBeenCalledWith(id);
  expect(acts.requestSystemRefund).toHaveBeenCalledWith(id, `lost-${id}`, false);
  expect(acts.executeRefund).toHaveBeenCalledTimes(1); // the refund child workflow ran
});

test('RETURNED: order RETURNED and a full refund with restock', async () => {
  const acts = happyActivities();
  const id = orderId();
  const result = await withWorker(env(), acts, async (tq) => {
    const handle = await start(tq, id);
    await untilPhase(handle, 'AWAITING_PICKUP');
    await handle.signal(carrierEventSignal, event('PICKED_UP'));
    await handle.signal(carrierEventSignal, event('RETURNED'));
    return handle.result();
  });
  expect(result.phase).toBe('RETURNED');
  expect(acts.markOrderReturned).toHaveBeenCalledWith(id);
  expect(acts.requestSystemRefund).toHaveBeenCalledWith(id, `return-${id}`, true);
  expect(acts.executeRefund).toHaveBeenCalledTimes(1);
});

test('cancel before pick-up voids the label, cancels and refunds; after pick-up it is refused', async () => {
  const acts = happyActivities();
  const [a, b] = [orderId(), orderId()];
  const { cancelled, refused } = await withWorker(env(), acts, async (tq) => {
    const first = await start(tq, a);
    await untilPhase(first, 'AWAITING_PICKUP');
    const cancelled = await first.executeUpdate(cancelShipmentUpdate, { args: [{ requestedBy: 'support-1' }] });
    const second = await start(tq, b);
    await untilPhase(second, 'AWAITING_PICKUP');
    await second.signal(carrierEventSignal, event('PICKED_UP'));
    await untilPhase(second, 'IN_TRANSIT');
    const refused = await second.executeUpdate(cancelShipmentUpdate, { args: [{ requestedBy: 'support-1' }] }).then(
      () => false,
      () => true,
    );
    await second.terminate('test over');
    return { cancelled, refused };
  });
  expect(cancelled.phase).toBe('CANCELLED');
  expect(acts.cancelShipmentLabel).toHaveBeenCalledWith(a);
  expect(acts.completePaidOrderCancellation).toHaveBeenCalledWith(a);
  expect(acts.requestSystemRefund).toHaveBeenCalledWith(a, `cancellation-${a}`, false);
  expect(refused).toBe(true);
});

test('a pick-up right after the cancel was accepted: the cancellation completes, answers CANCELLED, and the pick-up is recorded', async () => {
  const acts = happyActivities();
  // The label void waits until the carrier's pick-up has reached the server.
  let pickUpSent!: () => void;
  const pickedUp = new Promise<void>((resolve) => (pickUpSent = resolve));
  acts.cancelShipmentLabel.mockImplementation(() => pickedUp);
  const id = orderId();
  const answer = await withWorker(env(), acts, async (tq) => {
    const handle = await start(tq, id);
    await untilPhase(handle, 'AWAITING_PICKUP');
    const update = await handle.startUpdate(cancelShipmentUpdate, {
      args: [{ requestedBy: 'c1' }],
      waitForStage: WorkflowUpdateStage.ACCEPTED,
    });
    // In the history now; the workflow sees it once the label void (a local activity) returns.
    await handle.signal(carrierEventSignal, event('PICKED_UP'));
    pickUpSent();
    const answer = await update.result();
    expect(await handle.result()).toMatchObject({ phase: 'CANCELLED' });
    return answer;
  });
  expect(answer.phase).toBe('CANCELLED');
  expect(acts.completePaidOrderCancellation).toHaveBeenCalledWith(id); // restocked
  expect(acts.requestSystemRefund).toHaveBeenCalledWith(id, `cancellation-${id}`, false);
  expect(acts.executeRefund).toHaveBeenCalled(); // refunded
  expect(acts.recordCarrierEvent).not.toHaveBeenCalled(); // the order did not move to SHIPPED
  expect(acts.recordCarrierEventAfterCancel).toHaveBeenCalledWith(id, 'PICKED_UP', expect.any(String));
});

test('a pick-up before the cancel: the cancel is refused as not cancellable and nothing is refunded', async () => {
  const acts = happyActivities();
  const id = orderId();
  const failure = await withWorker(env(), acts, async (tq) => {
    const handle = await start(tq, id);
    await untilPhase(handle, 'AWAITING_PICKUP');
    await handle.signal(carrierEventSignal, event('PICKED_UP'));
    const failure = await handle.executeUpdate(cancelShipmentUpdate, { args: [{ requestedBy: 'c1' }] }).then(
      () => null,
      (error: unknown) => (error instanceof WorkflowUpdateFailedError ? error.cause : error),
    );
    await handle.terminate('test over');
    return failure;
  });
  expect(failure).toBeInstanceOf(ApplicationFailure);
  expect((failure as ApplicationFailure).type).toBe(FailureType.ORDER_NOT_CANCELLABLE);
  expect(acts.completePaidOrderCancellation).not.toHaveBeenCalled();
  expect(acts.requestSystemRefund).not.toHaveBeenCalled();
});

test('a carrier event the database refuses (a data error) does not end the shipment: applied without its time', async () => {
  const acts = happyActivities();
  acts.recordCarrierEvent.mockImplementation(async (_orderId, type, occurredAt) => {
    if (occurredAt !== null && occurredAt.startsWith('0000')) {
      throw ApplicationFailure.create({
        type: FailureType.DATA_ERROR,
        message: 'date out of range',
        nonRetryable: true,
      });
    }
    return type === 'PICKED_UP' ? 'SHIPPED' : 'DELIVERED';
  });
  const id = orderId();
  const result = await withWorker(env(), acts, async (tq) => {
    const handle = await start(tq, id);
    await untilPhase(handle, 'AWAITING_PICKUP');
    await handle.signal(carrierEventSignal, { ...event('PICKED_UP'), occurredAt: '0000-01-01T00:00:00Z' });
    await untilPhase(handle, 'IN_TRANSIT');
    await handle.signal(carrierEventSignal, event('DELIVERED'));
    return handle.result();
  });
  expect(result.phase).toBe('DELIVERED');
  expect(acts.recordCarrierEvent).toHaveBeenCalledWith(id, 'PICKED_UP', null);
  expect(acts.recordCarrierEvent).toHaveBeenCalledWith(id, 'DELIVERED', expect.any(String));
});

test('events the inbox kept from before the label was recorded are applied as signals and marked relayed', async () => {
  const acts = happyActivities();
  // The same PICKED_UP twice (two rows cannot share an id, but a signal may repeat one): seen once.
  const early = [event('PICKED_UP', 'evt-early-1'), event('PICKED_UP', 'evt-early-1')];
  acts.takeUnrelayedCarrierEvents.mockImplementation(async () => early);
  const id = orderId();
  const result = await withWorker(env(), acts, async (tq) => {
    const handle = await start(tq, id);
    // In transit with no signal at all: the inbox's PICKED_UP moved it.
    await untilPhase(handle, 'IN_TRANSIT');
    await handle.signal(carrierEventSignal, event('PICKED_UP', 'evt-early-1')); // a redelivery signalled
    await handle.signal(carrierEventSignal, event('DELIVERED'));
    return handle.result();
  });
  expect(result).toMatchObject({ phase: 'DELIVERED', trackingNumber: 'SIM1', eventsSeen: 2 });
  expect(acts.takeUnrelayedCarrierEvents).toHaveBeenCalledWith('SIM1');
  expect(acts.markCarrierEventsRelayed).toHaveBeenCalledWith(early.map((e) => e.id));
  expect(acts.recordCarrierEvent.mock.calls[0]?.[1]).toBe('PICKED_UP');
  expect(new Set(acts.recordCarrierEvent.mock.calls.map((c) => c[1]))).toEqual(new Set(['PICKED_UP', 'DELIVERED']));
});
