import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Context } from 'hono';
import { z } from 'zod';
import { createOrderRepository } from '../../prisma/repositories/orders';
import { createRefundRepository } from '../../prisma/repositories/refunds';
import { refundDecisionUpdate } from '../../workflows/definitions';
import type { AuthVariables } from '../auth/middleware';
import { canSee } from '../auth/ownership';
import { createAuditor } from '../http/audit';
import { readIdempotencyKey } from '../http/idempotency';
import { problems } from '../http/problem';
import {
  refundListSchema,
  refundSchema,
  refundStateSchema,
  type Refund,
  type RefundState,
} from '../../contract/response-schemas';
import { refundListItemDto } from '../http/refund-dto';
import { readJsonBody } from '../http/validation';
import { json } from '../openapi/operation';
import { createRefundRequester } from '../refunds/request-refund';
import { routeGroup } from './define';

const refundBody = z.object({
  amountCents: z.number().int().positive().max(100_000_000),
  reason: z.string().trim().min(1).max(500),
  restock: z.boolean().optional(),
});
const uuid = z.uuid();

const STAFF = ['support', 'admin'] as const;
const orderId = z.uuid().describe('The order id');
const refundId = uuid.describe('The refund id');
const refundState = json('RefundState', refundStateSchema);
const decision = { 200: { description: 'The decision is taken.', content: refundState } };
const decisionProblems = ['approval_by_requester', 'not_found', 'refund_not_awaiting_approval'] as const;

/** Support and admin only (customers get 403), but customers may follow refunds of their own orders. */
const refunds = routeGroup({
  prefix: '/v1/orders/{orderId}/refunds',
  setup: ({ deps }) => {
    const requestRefund = createRefundRequester({
      db: deps.db,
      temporal: deps.temporal,
      taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
    });
    const repository = createRefundRepository(deps.db);
    const orders = createOrderRepository(deps.db);
    const audited = createAuditor(deps.db);

    /** The refund, when it belongs to the order in the path. */
    const findRefund = async (orderId: string, refundId: string) => {
      const refund = uuid.safeParse(refundId).success ? await repository.findById(refundId) : null;
      if (!refund || refund.orderId !== orderId) throw problems.notFound('No such refund.');
      return refund;
    };

    /** Admin decision on a refund awaiting approval, delivered as an update to its workflow. */
    const decide = (approve: boolean) => async (c: Context<{ Variables: AuthVariables }>) => {
      const refund = await findRefund(c.req.param('orderId') ?? '', c.req.param('refundId') ?? '');
      const principal = c.get('principal');
      // Four eyes: whoever asked for a refund (an admin may ask too) cannot be the one who decides it.
      if (refund.requestedBy === principal.id) {
        throw problems.approvalByRequester();
      }
      if (approve && refund.restock && refund.status === 'AWAITING_APPROVAL') {
        // The restock rule again at approval: a refund it left room for may have been rejected since.
        const refundableCents = await repository.refundableBesides(refund.id, refund.orderId);
        if (refund.amountCents !== refundableCents) {
          throw problems.unprocessable(
            'restock_requires_full_refund',
            'Restock requires a full refund',
            `restock is accepted only on a refund of everything still refundable (${refundableCents} cents): reject this one and request the rest again.`,
            { refundableCents },
          );
        }
      }
      const action = approve ? 'refund.approve' : 'refund.reject';
      return audited(principal, action, { type: 'refund', id: refund.id }, { orderId: refund.orderId }, async () => {
        try {
          const state = await deps.temporal.workflow
            .getHandle(refund.workflowId)
            .executeUpdate(refundDecisionUpdate, { args: [{ approve, decidedBy: principal.id }] });
          return c.json({ refundId: refund.id, status: state.status } satisfies RefundState);
        } catch (error) {
          if (error instanceof WorkflowUpdateFailedError || error instanceof WorkflowNotFoundError) {
            throw problems.conflict(
              'refund_not_awaiting_approval',
              'Refund not awaiting approval',
              'Only refunds awaiting approval can be approved or rejected.',
            );
          }
          throw error;
        }
      });
    };

    return { requestRefund, refunds: repository, orders, audited, findRefund, decide };
  },
});

export const refundRoutes = refunds.of([
  refunds.route({
    method: 'get',
    path: '/v1/orders/{orderId}/refunds',
    operationId: 'listRefunds',
    summary: "The order's refunds, oldest first (support, admin)",
    tag: 'Refunds',
    access: STAFF,
    pathParams: { orderId },
    success: { 200: { description: 'The refunds.', content: json('RefundList', refundListSchema) } },
    problems: ['not_found'],
    handler:
      ({ orders, refunds }) =>
      async (c) => {
        const orderId = c.req.param('orderId') ?? '';
        const order = uuid.safeParse(orderId).success ? await orders.findById(orderId) : null;
        if (!order) throw problems.notFound('No such order.');
        const items = await refunds.listForOrder(order.id);
        return c.json({ items: items.map(refundListItemDto) });
      },
  }),
  refunds.route({
    method: 'post',
    path: '/v1/orders/{orderId}/refunds',
    operationId: 'requestRefund',
    summary: 'Refund part or all of an order (support, admin)',
    description:
      "A refund that takes the order's refunds (succeeded, pending and awaiting approval) above 50000 " +
      'cents waits for an admin (AWAITING_APPROVAL; REJECTED after 72 hours without a decision). The same ' +
      'Idempotency-Key again answers the same refund (200).',
    tag: 'Refunds',
    access: STAFF,
    pathParams: { orderId },
    idempotencyKey: true,
    body: { name: 'RefundRequest', schema: refundBody },
    success: {
      202: { description: 'The refund is requested.', content: refundState },
      200: { description: 'A replay: the refund this Idempotency-Key requested before.', content: refundState },
    },
    problems: ['not_found', 'idempotency_key_reuse', 'refund_exceeds_captured', 'restock_requires_full_refund'],
    handler:
      ({ audited, requestRefund }) =>
      async (c) => {
        const orderId = c.req.param('orderId') ?? '';
        if (!uuid.safeParse(orderId).success) throw problems.notFound('No such order.');
        const key = readIdempotencyKey(c);
        const body = await readJsonBody(c, refundBody);
        const principal = c.get('principal');
        const result = await audited(
          principal,
          'refund.request',
          { type: 'order', id: orderId },
          { ...body, idempotencyKey: key },
          () => requestRefund(principal, orderId, key, body),
        );
        return c.json(
          { refundId: result.refundId, status: result.status } satisfies RefundState,
          result.created ? 202 : 200,
        );
      },
  }),
  refunds.route({
    method: 'get',
    path: '/v1/orders/{orderId}/refunds/{refundId}',
    operationId: 'getRefund',
    summary: 'One refund (customers: of their own orders)',
    tag: 'Refunds',
    access: ['customer', 'support', 'admin'],
    pathParams: { orderId, refundId },
    success: { 200: { description: 'The refund.', content: json('Refund', refundSchema) } },
    problems: ['not_found'],
    handler:
      ({ orders, findRefund }) =>
      async (c) => {
        const orderId = c.req.param('orderId') ?? '';
        const principal = c.get('principal');
        const order = uuid.safeParse(orderId).success ? await orders.findById(orderId) : null;
        // Customers may follow refunds of their own orders.
        if (!order || !canSee(principal, order)) throw problems.notFound('No such refund.');
        const refund = await findRefund(orderId, c.req.param('refundId') ?? '');
        return c.json({ refundId: refund.id, amountCents: refund.amountCents, status: refund.status } satisfies Refund);
      },
  }),
  refunds.route({
    method: 'post',
    path: '/v1/orders/{orderId}/refunds/{refundId}/approve',
    operationId: 'approveRefund',
    summary: 'Approve a refund awaiting approval (admin; not the one who requested it)',
    tag: 'Refunds',
    access: ['admin'],
    pathParams: { orderId, refundId },
    success: decision,
    problems: [...decisionProblems, 'restock_requires_full_refund'],
    handler: ({ decide }) => decide(true),
  }),
  refunds.route({
    method: 'post',
    path: '/v1/orders/{orderId}/refunds/{refundId}/reject',
    operationId: 'rejectRefund',
    summary: 'Reject a refund awaiting approval (admin; not the one who requested it)',
    tag: 'Refunds',
    access: ['admin'],
    pathParams: { orderId, refundId },
    success: decision,
    problems: decisionProblems,
    handler: ({ decide }) => decide(false),
  }),
]);
