/**
 * Returns the stock of abandoned checkouts (e.g. a checkout an operator terminated mid-way). Run
 * every few minutes by the `reservation-sweep` Temporal schedule (workers/schedules.ts).
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

const { releaseExpiredReservations } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5 },
});

export async function sweepExpiredReservations(): Promise<number> {
  return releaseExpiredReservations();
}
