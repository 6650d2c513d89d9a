/**
 * POST /v1/orders/:id/cancel. Before payment the checkout workflow cancels itself (an update whose
 * validator refuses synchronously once the order is paid); after payment and before shipping the
 * `cancelPaidOrder` workflow refunds and restocks. Anything later or terminal is a 409.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { Db } from '../../prisma/client';
import { createOrderRepository, type OrderStatus } from '../../prisma/repositories/orders';
import type { cancelPaidOrder } from '../../workflows/cancel-paid-order';
import { cancelCheckoutUpdate, cancelShipmentUpdate } from '../../workflows/definitions';
import { cancelPaidOrderWorkflowId, shipmentWorkflowId } from '../../domain/ids';
import { PAID_UNSHIPPED_STATUSES, UNPAID_STATUSES } from '../../domain/order-statuses';
import { orderSearchAttributes } from '../../domain/search-attributes';
import { canSee } from '../auth/ownership';
import type { Principal } from '../auth/tokens';
import { problems } from '../http/problem';

export interface CancelOutcome {
  orderId: string;
  status: OrderStatus;
}

const notCancellable = (status: string) =>
  problems.conflict(
    'order_not_cancellable',
    'Order not cancellable',
    `An order in status ${status} can no longer be cancelled.`,
  );

/**
 * Where a workflow is: never started, running, or closed (describe finds closed ones too, where an
 * update answers "not found" for both).
 */
async function whereIs(handle: WorkflowHandle): Promise<'not-started' | 'running' | 'closed'> {
  try {
    const { status } = await handle.describe();
    return status.name === 'RUNNING' ? 'running' : 'closed';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return 'not-started';
    throw error;
  }
}

export function createOrderCanceller(deps: { db: Db; temporal: Client; taskQueue: string }) {
  const orders = createOrderRepository(deps.db);

  /**
   * The reason is not passed to the workflows: it is free text, and their histories are readable
   * by anyone with the Temporal UI. It is kept in the audit trail (routes/orders.ts).
   */
  return async function cancelOrder(principal: Principal, orderId: string): Promise<CancelOutcome> {
    const order = await orders.findById(orderId);
    if (!order || !canSee(principal, order)) throw problems.notFound('No such order.');

    if (UNPAID_STATUSES.includes(order.status)) {
      try {
        const state = await deps.temporal.workflow
          .getHandle(order.workflowId)
          .executeUpdate(cancelCheckoutUpdate, { args: [{ requestedBy: principal.id }] });
        if (state.status !== 'PAID') return { orderId, status: state.status };
        // Payment won the race: the paid order is cancelled below.
      } catch (error) {
        // Refused by the validator or the checkout already ended: decide on the order's status now.
        if (!(error instanceof WorkflowUpdateFailedError) && !(error instanceof WorkflowNotFoundError)) throw error;
      }
    }

    const status = await orders.statusOf(orderId);
    if (status && PAID_UNSHIPPED_STATUSES.includes(status)) {
      // Normally the shipment workflow owns a paid order: it voids the label and refunds, and its
      // validator refuses once the carrier has the parcel.
      const shipment = deps.temporal.workflow.getHandle(shipmentWorkflowId(orderId));
      // Twice at most: a shipment that was not found may have started between the update and the
      // describe below, and then it owns the cancel.
      for (let attempt = 1; ; attempt++) {
        try {
          const state = await shipment.executeUpdate(cancelShipmentUpdate, { args: [{ requestedBy: principal.id }] });
          if (state.phase === 'CANCELLED') return { orderId, status: 'CANCELLED' };
          throw notCancellable('SHIPPED');
        } catch (error) {
          if (error instanceof WorkflowUpdateFailedError)
            throw notCancellable((await orders.statusOf(orderId)) ?? status);
          if (!(error instanceof WorkflowNotFoundError)) throw error;
        }
        // Not found is also what a closed workflow answers: one that ended (even failed) owned the
        // parcel, and may have handed it to the carrier, so only one never started is cancelled here.
        const where = await whereIs(shipment);
        if (where === 'not-started') break;
        if (where === 'closed' || attempt === 2) throw notCancellable((await orders.statusOf(orderId)) ?? status);
      }
      // Paid an instant ago, shipment not started yet: cancel the paid order directly (the
      // shipment, when it starts, finds nothing to ship).
      await deps.temporal.workflow.start<typeof cancelPaidOrder>('cancelPaidOrder', {
        workflowId: cancelPaidOrderWorkflowId(orderId),
        taskQueue: deps.taskQueue,
        args: [{ orderId, requestedBy: principal.id }],
        // A second request while one runs joins it: one refund, one restock.
        workflowIdConflictPolicy: 'USE_EXISTING',
        typedSearchAttributes: orderSearchAttributes(orderId, order.customerId, status),
      });
      return { orderId, status };
    }
    throw notCancellable(status ?? 'unknown');
  };
}
