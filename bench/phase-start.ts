/**
 * What each measured phase of `npm run bench` starts from. The dev server slows as open workflows
 * pile up (every paid order leaves its shipment open for days): measured on this machine, checkout
 * capacity fell from 22/s with 20 open workflows to 16/s with 5000, and the phases before the
 * capacity runs used to leave about 9000. So on its own stack the bench gives every phase an empty
 * in-memory dev server, and a figure no longer depends on which phases ran before it. A running
 * stack's Temporal is not the bench's to empty: there each phase waits for the previous phases'
 * shipments to have started instead, so at least no backlog spills over.
 */
import type { Client } from '@temporalio/client';
import { baselineToCompletion } from './baseline-load';
import { checkoutToCompletion } from './checkout-load';
import type { Outcome } from './closed-loop';
import type { BenchTarget } from '../tooling/stack-target';

/** Running workflows that have not reached their resting state: checkouts not yet over, shipments without a label yet. */
const UNSETTLED = 'ExecutionStatus = "Running" AND OrderStatus IN ("PENDING", "PAID")';

export function phaseStart(target: BenchTarget, client: Client): () => Promise<void> {
  const { emptyTemporal } = target;
  if (!emptyTemporal) return () => settled(client, 300_000);
  return async () => {
    await emptyTemporal();
    // One of each end to end: the API, both workers and this client have reconnected.
    await untilOk(() => checkoutToCompletion(target, client), 60_000);
    await untilOk(() => baselineToCompletion(client), 60_000);
  };
}

async function untilOk(once: () => Promise<Outcome>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const outcome = await once().catch((): Outcome => ({ ms: Number.NaN, ok: false }));
    if (outcome.ok) return;
    if (Date.now() > deadline)
      throw new Error('the stack did not complete a unit of work after its dev server was replaced');
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Resolves once no workflow is unsettled, read twice a second apart (visibility trails a little). */
async function settled(client: Client, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let zeros = 0;
  while (zeros < 2) {
    if (Date.now() > deadline) throw new Error(`workflows still unsettled after ${timeoutMs} ms`);
    zeros = (await client.workflow.count(UNSETTLED)).count === 0 ? zeros + 1 : 0;
    await new Promise((r) => setTimeout(r, 1_000));
  }
}
