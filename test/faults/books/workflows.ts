/**
 * Statuses and workflows: every order is in a status its request allows, terminal or resting with
 * its workflow alive and idle, and its checkout (and shipment) workflow ended the way the order says.
 */
import { shipmentWorkflowId } from '../../../domain/ids';
import { PAID_STATUSES } from '../../../domain/order-statuses';
import type { OrderStatus } from '../../../domain/statuses';
import type { BooksInput } from './input';
import { TRANSIENT_STATUSES } from '../settle';
import type { Ledger } from './ledger';
import { PAID_BACK_STATUSES } from './statuses';

/** The order waits for the outside world (3-D Secure, the carrier) in a live workflow. */
const RESTING_STATUSES: readonly OrderStatus[] = ['AWAITING_PAYMENT_CONFIRMATION', 'FULFILLING', 'SHIPPED'];

export async function checkWorkflows(
  input: BooksInput,
  { orders }: Ledger,
): Promise<{ problems: string[]; stuck: number }> {
  const problems: string[] = [];
  const { rest } = input;
  const stuck = rest.transientOrders.length + rest.busyWorkflows.length;
  for (const o of rest.transientOrders)
    problems.push(`order ${o.id} still ${o.status} after ${Math.round(rest.waitedMs / 1000)} s`);
  for (const w of rest.busyWorkflows) problems.push(`workflow ${w.workflowId} still busy: ${w.busyWith.join('; ')}`);

  const describeStatus = async (workflowId: string): Promise<string> => {
    try {
      return (await input.temporal.workflow.getHandle(workflowId).describe()).status.name;
    } catch (error) {
      return `missing (${(error as Error).name})`;
    }
  };
  await inBatches(orders, 8, async (o) => {
    const checkout = await describeStatus(o.workflowId);
    const expected =
      o.status === 'AWAITING_PAYMENT_CONFIRMATION' ? 'RUNNING' : o.status === 'FAILED' ? 'FAILED' : 'COMPLETED';
    if (!TRANSIENT_STATUSES.includes(o.status) && checkout !== expected) {
      problems.push(`order ${o.id} is ${o.status} but its checkout workflow is ${checkout} (expected ${expected})`);
    }
    if ([...PAID_STATUSES, ...PAID_BACK_STATUSES].includes(o.status) && o.status !== 'PAID') {
      const shipment = await describeStatus(shipmentWorkflowId(o.id));
      const want = RESTING_STATUSES.includes(o.status) ? 'RUNNING' : 'COMPLETED';
      if (shipment !== want)
        problems.push(`order ${o.id} is ${o.status} but its shipment workflow is ${shipment} (expected ${want})`);
    }
  });
  const runsPerCheckout = new Map<string, number>();
  for await (const wf of input.temporal.workflow.list({ query: 'WorkflowType="checkout"' })) {
    runsPerCheckout.set(wf.workflowId, (runsPerCheckout.get(wf.workflowId) ?? 0) + 1);
  }
  for (const [id, runs] of runsPerCheckout) if (runs > 1) problems.push(`${runs} checkout runs for one key (${id})`);
  return { problems, stuck };
}

async function inBatches<T>(items: readonly T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}
