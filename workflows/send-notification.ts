/**
 * One email, as a workflow of its own: write the notification row (PENDING), then deliver it over
 * SMTP with Temporal retrying on a backoff while the mail server is down; after the retry budget
 * the row is FAILED, visible to support. The order workflows start it as an abandoned child: they
 * never wait for mail, so a mail outage cannot fail, block or slow an order.
 *
 * Both steps are local activities: the email is one workflow task (the row, the send and the
 * completion together) instead of three workflow tasks and two activity tasks dispatched through
 * the server (docs/performance.md#emails-in-one-workflow-task). Sound because both steps are short
 * and idempotent (the row is keyed, the message has a fixed Message-ID); an SMTP outage still
 * retries on SMTP_ACTIVITY's backoff, the SDK turning the longer pauses into timers.
 */
import { ApplicationFailure, proxyLocalActivities, TimeoutFailure } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { NotificationEvent } from '../activities/notifications';
import { DATABASE_ACTIVITY, SMTP_ACTIVITY } from './activity-profiles';

const db = proxyLocalActivities<Activities>(DATABASE_ACTIVITY);
// Every pause between sends is a durable timer (SMTP_ACTIVITY's shortest is 5 s): none is slept
// inside a workflow task, and the time-skipping test server skips them all.
const smtp = proxyLocalActivities<Activities>({ ...SMTP_ACTIVITY, localRetryThreshold: '1 second' });

export type NotificationOutcome = 'SENT' | 'FAILED' | 'NOTHING_TO_SEND';

export async function sendNotification(event: NotificationEvent): Promise<NotificationOutcome> {
  const prepared = await db.prepareNotification(event);
  if (!prepared) return 'NOTHING_TO_SEND';
  try {
    await smtp.deliverNotification(prepared.notificationId);
    return 'SENT';
  } catch (error) {
    // A local activity's last failure reaches the workflow as it is, not inside an ActivityFailure.
    if (!(error instanceof ApplicationFailure || error instanceof TimeoutFailure)) throw error;
    await db.failNotification(prepared.notificationId, error.message || 'delivery failed');
    return 'FAILED';
  }
}
