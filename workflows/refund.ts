/**
 * One refund (workflow ID `refund-<refundId>`). The request row, with the refundable amount checked
 * under a lock, is written by the API before the workflow starts. Refunds above the approval
 * threshold wait for an admin's decision for at most 72 hours (durable timer), then are REJECTED.
 */
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  proxyActivities,
  setHandler,
  setWorkflowOptions,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { DATABASE_ACTIVITY, EXTERNAL_API_ACTIVITY } from './activity-profiles';
import {
  refundDecisionUpdate,
  refundStateQuery,
  type RefundDecision,
  type RefundInput,
  type RefundState,
} from './definitions';
import { FailureType } from '../domain/failure-types';
import { notify } from './notify';
import { recordOrderStatus } from './order-status';

export const APPROVAL_TIMEOUT = '72 hours';

const db = proxyActivities<Activities>(DATABASE_ACTIVITY);
const provider = proxyActivities<Activities>(EXTERNAL_API_ACTIVITY);

export async function refund(input: RefundInput): Promise<RefundState> {
  const state: RefundState = {
    refundId: input.refundId,
    orderId: input.orderId,
    amountCents: input.amountCents,
    status: input.requiresApproval ? 'AWAITING_APPROVAL' : 'PENDING',
    decidedBy: null,
  };
  let decision: RefundDecision | undefined;

  setHandler(refundStateQuery, () => state);
  setHandler(
    refundDecisionUpdate,
    async (d) => {
      decision = d;
      await condition(() => state.status !== 'AWAITING_APPROVAL');
      return state;
    },
    {
      validator: (_d) => {
        if (state.status !== 'AWAITING_APPROVAL' || decision !== undefined) {
          throw ApplicationFailure.create({
            type: FailureType.REFUND_NOT_AWAITING_APPROVAL,
            message: `refund is ${state.status}`,
            nonRetryable: true,
          });
        }
      },
    },
  );

  try {
    return await run();
  } finally {
    await condition(allHandlersFinished); // let an accepted decision see its outcome
  }

  async function run(): Promise<RefundState> {
    if (input.requiresApproval) {
      const decided = await condition(() => decision !== undefined, APPROVAL_TIMEOUT);
      state.decidedBy = decision?.decidedBy ?? null;
      if (!decided || !decision?.approve) {
        await db.rejectRefund(input.refundId);
        state.status = 'REJECTED';
        return state;
      }
      // False: a full refund of the order superseded this one meanwhile (it is REJECTED in the
      // database).
      if (!(await db.approveRefund(input.refundId))) {
        state.status = 'REJECTED';
        return state;
      }
      state.status = 'PENDING';
    }

    try {
      const orderStatus = await provider.executeRefund(input.refundId);
      recordOrderStatus(orderStatus);
      state.status = 'SUCCEEDED';
      // Refunded in full before pick-up: the parcel must not ship (its units are restocked then).
      if (orderStatus === 'REFUNDED') await provider.stopParcelOfRefundedOrder(input.orderId);
    } catch (error) {
      // Refused for good by the provider (e.g. the charge was refunded elsewhere meanwhile), or the
      // payout could not complete at all: either way the row must not stay PENDING, holding an
      // amount no one pays (the refusal marked it already; this is then a no-op).
      state.status = 'FAILED';
      await db.failRefund(input.refundId);
      const refused =
        error instanceof ActivityFailure &&
        error.cause instanceof ApplicationFailure &&
        error.cause.type === FailureType.REFUND_EXCEEDS_CAPTURED;
      throw ApplicationFailure.create({
        type: refused ? FailureType.REFUND_EXCEEDS_CAPTURED : FailureType.REFUND_PAYOUT_FAILED,
        message: refused ? 'the payment provider refused the refund' : 'the refund could not be paid out',
        nonRetryable: true,
        cause: error instanceof Error ? error : undefined,
      });
    }
    await notify({ type: 'refund_succeeded', refundId: input.refundId });
    return state;
  }
}

// Worker Versioning (workers/versioning.ts): a refund may wait up to APPROVAL_TIMEOUT for a decision,
// days a retired build's workers should not have to stay for, so it moves to each new build at its
// next task; a change to it is patched.
setWorkflowOptions({ versioningBehavior: 'AUTO_UPGRADE' }, refund);
