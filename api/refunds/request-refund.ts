/**
 * POST /v1/orders/:id/refunds. The request row is written first, with the refundable amount checked
 * under a lock (refund repository), then the `refund` workflow is started under the row's ID. If the
 * API dies in between, the client's retry with the same Idempotency-Key finds the row and starts
 * the workflow again; the workflow ID makes that start idempotent.
 */
import { createHash } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Db } from '../../prisma/client';
import { createOrderRepository } from '../../prisma/repositories/orders';
import { createRefundRepository, type RefundStatus, type RefundView } from '../../prisma/repositories/refunds';
import type { refund as refundWorkflow } from '../../workflows/refund';
import { APPROVAL_THRESHOLD_CENTS } from '../../domain/refunds';
import { orderSearchAttributes } from '../../domain/search-attributes';
import type { Principal } from '../auth/tokens';
import { problems } from '../http/problem';

export interface RefundBody {
  amountCents: number;
  reason: string;
  restock?: boolean | undefined;
}

export function createRefundRequester(deps: { db: Db; temporal: Client; taskQueue: string }) {
  const orders = createOrderRepository(deps.db);
  const refunds = createRefundRepository(deps.db);

  async function ensureWorkflow(refund: RefundView, customerId: string, orderStatus: string): Promise<void> {
    try {
      await deps.temporal.workflow.start<typeof refundWorkflow>('refund', {
        workflowId: refund.workflowId,
        taskQueue: deps.taskQueue,
        args: [
          {
            refundId: refund.id,
            orderId: refund.orderId,
            amountCents: refund.amountCents,
            requiresApproval: refund.status === 'AWAITING_APPROVAL',
          },
        ],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes: orderSearchAttributes(refund.orderId, customerId, orderStatus),
        // No reason in the memo: it is free text, and memos are readable by anyone with the Temporal UI.
        memo: { summary: `refund of ${refund.amountCents} cents` },
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }

  return async function requestRefund(
    principal: Principal,
    orderId: string,
    idempotencyKey: string,
    body: RefundBody,
  ): Promise<{ refundId: string; status: RefundStatus; created: boolean }> {
    const order = await orders.findById(orderId);
    if (!order) throw problems.notFound('No such order.');
    const restock = body.restock ?? false;
    const requestHash = createHash('sha256')
      .update(JSON.stringify([body.amountCents, body.reason, restock]))
      .digest('hex');
    const outcome = await refunds.request({
      orderId,
      idempotencyKey,
      requestHash,
      amountCents: body.amountCents,
      reason: body.reason,
      restock,
      requestedBy: principal.id,
      approvalThresholdCents: APPROVAL_THRESHOLD_CENTS,
    });
    if (outcome.kind === 'exceeds') {
      throw problems.unprocessable(
        'refund_exceeds_captured',
        'Refund exceeds captured amount',
        `At most ${outcome.refundableCents} cents can still be refunded on this order.`,
        { refundableCents: outcome.refundableCents },
      );
    }
    if (outcome.kind === 'restock_requires_full_refund') {
      throw problems.unprocessable(
        'restock_requires_full_refund',
        'Restock requires a full refund',
        `restock is accepted only on a refund of everything still refundable (${outcome.refundableCents} cents).`,
        { refundableCents: outcome.refundableCents },
      );
    }
    if (outcome.kind === 'existing' && outcome.refund.requestHash !== requestHash) {
      throw problems.conflict(
        'idempotency_key_reuse',
        'Idempotency-Key reused',
        'This Idempotency-Key was used with a different refund request.',
      );
    }
    await ensureWorkflow(outcome.refund, order.customerId, order.status);
    const current = (await refunds.findById(outcome.refund.id))?.status ?? outcome.refund.status;
    return { refundId: outcome.refund.id, status: current, created: outcome.kind === 'created' };
  };
}
