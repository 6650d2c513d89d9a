/** The refund workflow on the time-skipping server: approval, rejection, the 72-hour timeout. */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/client';
import { refundDecisionUpdate, refundStateQuery, type RefundInput } from '../../workflows/definitions';
import type { refund } from '../../workflows/refund';
import { happyActivities } from '../support/activity-mocks';
import { failureOf, useTimeSkippingEnv, withWorker } from '../support/workflow-env';
import { refundWorkflowId } from '../../domain/ids';
import { FailureType } from '../../domain/failure-types';

const env = useTimeSkippingEnv();

const input = (amountCents: number): RefundInput => ({
  refundId: randomUUID(),
  orderId: randomUUID(),
  amountCents,
  requiresApproval: amountCents > 50_000,
});
const start = (taskQueue: string, args: RefundInput) =>
  env().client.workflow.start<typeof refund>('refund', {
    taskQueue,
    workflowId: refundWorkflowId(args.refundId),
    args: [args],
  });

test('a refund within the threshold is paid back at once', async () => {
  const acts = happyActivities();
  const args = input(1_000);
  const result = await withWorker(env(), acts, async (tq) => (await start(tq, args)).result());
  expect(result.status).toBe('SUCCEEDED');
  expect(acts.executeRefund).toHaveBeenCalledWith(args.refundId);
  expect(acts.approveRefund).not.toHaveBeenCalled();
});

test('above the threshold it waits for approval; approval executes it', async () => {
  const acts = happyActivities();
  const args = input(60_000);
  const { waiting, answer, result } = await withWorker(env(), acts, async (tq) => {
    const handle = await start(tq, args);
    const waiting = await handle.query(refundStateQuery);
    const answer = await handle.executeUpdate(refundDecisionUpdate, {
      args: [{ approve: true, decidedBy: 'admin-1' }],
    });
    return { waiting, answer, result: await handle.result() };
  });
  expect(waiting.status).toBe('AWAITING_APPROVAL');
  expect(answer.status).not.toBe('AWAITING_APPROVAL');
  expect(result).toMatchObject({ status: 'SUCCEEDED', decidedBy: 'admin-1' });
  expect(acts.approveRefund).toHaveBeenCalledWith(args.refundId);
  expect(acts.executeRefund).toHaveBeenCalledWith(args.refundId);
});

test('a rejected refund moves no money, and a second decision is refused', async () => {
  const acts = happyActivities();
  const args = input(60_000);
  const { result, second } = await withWorker(env(), acts, async (tq) => {
    const handle = await start(tq, args);
    await handle.executeUpdate(refundDecisionUpdate, { args: [{ approve: false, decidedBy: 'admin-1' }] });
    const result = await handle.result();
    const second = await handle
      .executeUpdate(refundDecisionUpdate, { args: [{ approve: true, decidedBy: 'admin-2' }] })
      .then(
        () => 'accepted',
        () => 'refused',
      );
    return { result, second };
  });
  expect(result.status).toBe('REJECTED');
  expect(second).toBe('refused');
  expect(acts.rejectRefund).toHaveBeenCalledWith(args.refundId);
  expect(acts.executeRefund).not.toHaveBeenCalled();
});

test('no decision within 72 hours: REJECTED (the days pass in milliseconds)', async () => {
  const acts = happyActivities();
  const args = input(75_000);
  const { result, elapsed } = await withWorker(env(), acts, async (tq) => {
    const before = await env().currentTimeMs();
    const result = await (await start(tq, args)).result();
    return { result, elapsed: (await env().currentTimeMs()) - before };
  });
  expect(result.status).toBe('REJECTED');
  expect(elapsed).toBeGreaterThanOrEqual(72 * 3_600_000);
  expect(acts.executeRefund).not.toHaveBeenCalled();
});

test('a payout that fails for another reason than a refusal marks the refund FAILED, so it holds no amount', async () => {
  const acts = happyActivities();
  acts.executeRefund.mockRejectedValue(
    ApplicationFailure.create({ type: FailureType.DATA_ERROR, message: 'refused a value', nonRetryable: true }),
  );
  const args = input(1_000);
  const failure = await withWorker(env(), acts, async (tq) => failureOf((await start(tq, args)).result()));
  expect(failure.type).toBe(FailureType.REFUND_PAYOUT_FAILED);
  expect(acts.failRefund).toHaveBeenCalledWith(args.refundId);
});

test('a refund the provider refuses is FAILED with REFUND_EXCEEDS_CAPTURED', async () => {
  const acts = happyActivities();
  acts.executeRefund.mockRejectedValue(
    ApplicationFailure.create({ type: FailureType.REFUND_EXCEEDS_CAPTURED, message: 'no', nonRetryable: true }),
  );
  const args = input(1_000);
  const failure = await withWorker(env(), acts, async (tq) => failureOf((await start(tq, args)).result()));
  expect(failure.type).toBe(FailureType.REFUND_EXCEEDS_CAPTURED);
  expect(acts.failRefund).toHaveBeenCalledWith(args.refundId);
});
