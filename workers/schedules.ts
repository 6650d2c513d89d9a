/**
 * Schedules the workers own. Created idempotently at worker start, so a fresh server gets them and
 * a restart changes nothing. Temporal runs them: no cron process, no "who runs the job" election.
 */
import { ScheduleAlreadyRunning, type Client } from '@temporalio/client';
import { GUEST_CART_SWEEP_SCHEDULE_ID, RESERVATION_SWEEP_SCHEDULE_ID } from '../domain/ids';

const SCHEDULES = [
  { scheduleId: RESERVATION_SWEEP_SCHEDULE_ID, every: '5 minutes', workflowType: 'sweepExpiredReservations' },
  { scheduleId: GUEST_CART_SWEEP_SCHEDULE_ID, every: '1 hour', workflowType: 'sweepEmptyGuestCarts' },
] as const;

export async function ensureSchedules(client: Client, taskQueue: string): Promise<void> {
  for (const { scheduleId, every, workflowType } of SCHEDULES) {
    try {
      await client.schedule.create({
        scheduleId,
        spec: { intervals: [{ every }] },
        action: { type: 'startWorkflow', workflowType, taskQueue, args: [] },
        policies: { overlap: 'SKIP' },
      });
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    }
  }
}
