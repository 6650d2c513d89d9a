/**
 * The second build of the worker-versioning drill (test/faults/drills/worker-versioning.ts): the
 * product's workflows, but a checkout that does one thing more, observably: it writes
 * `{ release: 'build-2' }` into its memo before it starts. A checkout of build 1 replayed on this
 * code would fail its next workflow task with a nondeterminism error (the memo command is not in
 * its history), so build 1's orders completing at all shows that none ran here. Only the drill
 * bundles this entry point; no product code imports it.
 */
import { upsertMemo } from '@temporalio/workflow';
import { checkout as releasedCheckout } from '../../../workflows/checkout';
import type { CheckoutInput, CheckoutResult } from '../../../workflows/definitions';

export * from '../../../workflows/index';

export async function checkout(input: CheckoutInput): Promise<CheckoutResult> {
  upsertMemo({ release: 'build-2' });
  return releasedCheckout(input);
}
