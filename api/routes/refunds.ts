import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { createOrderRepository } from '../../prisma/repositories/orders';
import { createRefundRepository } from '../../prisma/repositories/refunds';
import { refundDecisionUpdate } from '../../workflows/definitions';
import { requireRole, type AuthVariables } from '../auth/middleware';
import { canSee } from '../auth/ownership';
import type { TokenSettings } from '../auth/tokens';
import type { AppDependencies } from '../deps';
import { createAuditor } from '../http/audit';
import { readIdempotencyKey } from '../http/idempotency';
import { problems } from '../http/problem';
import type { Refund, RefundState } from '../http/response-schemas';
import { refundListItemDto } from '../http/refund-dto';
import { readJsonBody } from '../http/validation';
import { createRefundRequester } from '../refunds/request-refund';

export const refundBody = z.object({
  amountCents: z.number().int().positive().max(100_000_000),
  reason: z.string().trim().min(1).max(500),
  restock: z.boolean().optional(),
});
export const uuid = z.uuid();

/** Mounted at /v1/orders/:orderId/refunds. Support and admin only (customers get 403). */
export function refundRoutes(deps: AppDependencies, tokens: TokenSettings) {
  const requestRefund = createRefundRequester({
    db: deps.db,
    temporal: deps.temporal,
    taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
  });
  const refunds = createRefundRepository(deps.db);
  const orders = createOrderRepository(deps.db);
  const audited = createAuditor(deps.db);

  /** The refund, when it belongs to the order in the path. */
  const findRefund = async (orderId: string, refundId: string) => {
    const refund = uuid.safeParse(refundId).success ? await refunds.findById(refundId) : null;
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

  return new Hono<{ Variables: AuthVariables }>()
    .get('/', requireRole(tokens, 'support', 'admin'), async (c) => {
      const orderId = c.req.param('orderId') ?? '';
      const order = uuid.safeParse(orderId).success ? await orders.findById(orderId) : null;
      if (!order) throw problems.notFound('No such order.');
      const items = await refunds.listForOrder(order.id);
      return c.json({ items: items.map(refundListItemDto) });
    })
    .post('/', requireRole(tokens, 'support', 'admin'), async (c) => {
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
    })
    .get('/:refundId', requireRole(tokens, 'customer', 'support', 'admin'), async (c) => {
      const orderId = c.req.param('orderId') ?? '';
      const principal = c.get('principal');
      const order = uuid.safeParse(orderId).success ? await orders.findById(orderId) : null;
      // Customers may follow refunds of their own orders.
      if (!order || !canSee(principal, order)) throw problems.notFound('No such refund.');
      const refund = await findRefund(orderId, c.req.param('refundId'));
      return c.json({ refundId: refund.id, amountCents: refund.amountCents, status: refund.status } satisfies Refund);
    })
    .post('/:refundId/approve', requireRole(tokens, 'admin'), decide(true))
    .post('/:refundId/reject', requireRole(tokens, 'admin'), decide(false));
}
