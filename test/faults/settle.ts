/**
 * Waiting for a stack to come to rest after a drill: no order in a transient status and no open
 * workflow with work in progress (a pending activity or child). What still moves when the deadline
 * passes is reported as stuck, with the activity's attempt count and last failure, so a drill tells
 * "slow" from "will never finish".
 */
import type { Client } from '@temporalio/client';
import type { Db } from '../../prisma/client';
import type { OrderStatus } from '../../domain/statuses';

/** Orders in these statuses are mid-step: their workflow is about to move them on. */
export const TRANSIENT_STATUSES: readonly OrderStatus[] = ['PENDING', 'PAID'];

/** The reservation sweep runs on its own schedule and is not part of any drill's books. */
const IGNORED_WORKFLOW_TYPES = new Set(['sweepExpiredReservations', 'sweepEmptyGuestCarts']);

export interface OpenWorkflow {
  workflowId: string;
  type: string;
  /** `activity attempt N: last failure` of each pending activity, and pending children. */
  busyWith: string[];
}

export interface RestState {
  settled: boolean;
  transientOrders: { id: string; status: OrderStatus }[];
  busyWorkflows: OpenWorkflow[];
  waitedMs: number;
}

/** Every running workflow of the drill's kinds, with what it is waiting on. */
export async function openWorkflows(client: Client): Promise<OpenWorkflow[]> {
  const open: OpenWorkflow[] = [];
  for await (const wf of client.workflow.list({ query: 'ExecutionStatus="Running"' })) {
    if (IGNORED_WORKFLOW_TYPES.has(wf.type)) continue;
    const { raw } = await client.workflow.getHandle(wf.workflowId, wf.runId).describe();
    const busyWith = [
      ...(raw.pendingActivities ?? []).map(
        (a) =>
          `${a.activityType?.name ?? 'activity'} attempt ${a.attempt}${a.lastFailure?.message ? `: ${a.lastFailure.message}` : ''}`,
      ),
      ...(raw.pendingChildren ?? []).map((c) => `child ${c.workflowTypeName ?? ''} ${c.workflowId ?? ''}`.trim()),
    ];
    open.push({ workflowId: wf.workflowId, type: wf.type, busyWith });
  }
  return open;
}

/** Polls until the stack rests or `timeoutMs` passes; the last observation is returned either way. */
export async function waitForRest(db: Db, client: Client, timeoutMs: number): Promise<RestState> {
  const started = Date.now();
  for (;;) {
    const transientOrders = await db.order.findMany({
      where: { status: { in: [...TRANSIENT_STATUSES] } },
      select: { id: true, status: true },
    });
    // A temporarily unreachable server (just restarted) is not rest; keep polling.
    const busyWorkflows = await openWorkflows(client)
      .then((open) => open.filter((w) => w.busyWith.length > 0))
      .catch((error: unknown) => [
        { workflowId: '(visibility)', type: '', busyWith: [`list failed: ${(error as Error).message}`] },
      ]);
    const waitedMs = Date.now() - started;
    const settled = transientOrders.length === 0 && busyWorkflows.length === 0;
    if (settled || waitedMs > timeoutMs) return { settled, transientOrders, busyWorkflows, waitedMs };
    await new Promise((r) => setTimeout(r, 2_000));
  }
}
