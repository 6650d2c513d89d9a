/**
 * Schedules the workers own. Created idempotently at worker start, so a fresh server gets them and
 * a restart changes nothing. Temporal runs them: no cron process, no "who runs the job" election.
 */
import { ScheduleAlreadyRunning, type Client } from '@temporalio/client';
import { RESERVATION_SWEEP_SCHEDULE_ID } from '../domain/ids';

export async function ensureSchedules(client: Client, taskQueue: string): Promise<void> {
  try {
    await client.schedule.create({
      scheduleId: RESERVATION_SWEEP_SCHEDULE_ID,
      spec: { intervals: [{ every: '5 minutes' }] },
      action: {
        type: 'startWorkflow',
        workflowType: 'sweepExpiredReservations',
        taskQueue,
        args: [],
      },
      policies: { overlap: 'SKIP' },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
}
