/**
 * workers/schedules.ts on the test run's Temporal dev server: the workers create the
 * reservation-sweep and guest-cart-sweep schedules (docs/api.md#carts: empty guest carts are
 * deleted), idempotently, each starting its sweep workflow.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { GUEST_CART_SWEEP_SCHEDULE_ID, RESERVATION_SWEEP_SCHEDULE_ID } from '../../domain/ids';
import { ensureSchedules } from '../../workers/schedules';
import { testEnv } from '../support/test-env';

test('both sweeps are scheduled on the task queue, and creating them again changes nothing', async () => {
  const connection = await Connection.connect({ address: testEnv.temporalAddress });
  const client = new Client({ connection });
  const taskQueue = `schedules-${randomUUID()}`;
  try {
    await ensureSchedules(client, taskQueue);
    await ensureSchedules(client, `${taskQueue}-again`);
    // Worker processes of other test files may have created them first, on their own task queue.
    const queue = expect.stringMatching(/./);
    const actions = new Map<string, unknown>();
    for (const id of [RESERVATION_SWEEP_SCHEDULE_ID, GUEST_CART_SWEEP_SCHEDULE_ID]) {
      const described = await client.schedule.getHandle(id).describe();
      const action = described.action as { workflowType: string; taskQueue: string };
      actions.set(id, { workflowType: action.workflowType, taskQueue: action.taskQueue });
    }
    expect(Object.fromEntries(actions)).toEqual({
      [RESERVATION_SWEEP_SCHEDULE_ID]: { workflowType: 'sweepExpiredReservations', taskQueue: queue },
      [GUEST_CART_SWEEP_SCHEDULE_ID]: { workflowType: 'sweepEmptyGuestCarts', taskQueue: queue },
    });
  } finally {
    for (const id of [RESERVATION_SWEEP_SCHEDULE_ID, GUEST_CART_SWEEP_SCHEDULE_ID])
      await client.schedule
        .getHandle(id)
        .delete()
        .catch(() => undefined);
    await connection.close();
  }
});
