/**
 * Deletes empty guest carts left alone for the period docs/api.md#carts states, so anonymous
 * `POST /v1/carts` cannot grow the carts table for ever. Run hourly by the `guest-cart-sweep`
 * Temporal schedule (workers/schedules.ts).
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

const { deleteAbandonedGuestCarts } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5 },
});

export async function sweepEmptyGuestCarts(): Promise<number> {
  return deleteAbandonedGuestCarts();
}
