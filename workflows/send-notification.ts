/**
 * One email, as a workflow of its own: write the notification row (PENDING), then deliver it over
 * SMTP with Temporal retrying on a backoff while the mail server is down; after the retry budget
 * the row is FAILED, visible to support. The order workflows start it as an abandoned child: they
 * never wait for mail, so a mail outage cannot fail, block or slow an order.
 */
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { NotificationEvent } from '../activities/notifications';
import { DATABASE_ACTIVITY, SMTP_ACTIVITY } from './activity-profiles';

const { prepareNotification, failNotification } = proxyActivities<Activities>(DATABASE_ACTIVITY);
const { deliverNotification } = proxyActivities<Activities>(SMTP_ACTIVITY);

export type NotificationOutcome = 'SENT' | 'FAILED' | 'NOTHING_TO_SEND';

export async function sendNotification(event: NotificationEvent): Promise<NotificationOutcome> {
  const prepared = await prepareNotification(event);
  if (!prepared) return 'NOTHING_TO_SEND';
  try {
    await deliverNotification(prepared.notificationId);
    return 'SENT';
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    const cause = error.cause instanceof ApplicationFailure ? error.cause.message : error.message;
    await failNotification(prepared.notificationId, cause ?? 'delivery failed');
    return 'FAILED';
  }
}
