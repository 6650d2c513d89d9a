/**
 * How an order's workflow sends an email: it starts `sendNotification` as an abandoned child and
 * goes on. The start is recorded in the parent's history, so the email cannot be lost to a crash,
 * yet the parent never waits for the mail server: an SMTP outage delays the email, never the order.
 * A child rather than an activity: an activity belongs to its workflow's run, so the order's
 * workflow would have to stay open through up to an hour of SMTP retries (SMTP_ACTIVITY) for it.
 *
 * The child's workflow ID is the event's dedupe key, so a second report of the same event (a
 * redelivered webhook, a replayed branch) finds it started and sends nothing; the notification row
 * under the same key is the second guard, for a child that already ended.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { startChild } from '@temporalio/workflow';
import type { NotificationEvent } from '../activities/notifications';
import { notificationWorkflowId } from '../domain/ids';
import { notificationKey } from '../domain/notifications';
import { sendNotification } from './send-notification';

const subjectOf = (event: NotificationEvent): string =>
  event.type === 'refund_succeeded' ? (event.refundId ?? '') : (event.orderId ?? '');

/** Starts the email of `event` (an order or refund event) without waiting for it. */
export async function notify(event: NotificationEvent): Promise<void> {
  try {
    await startChild(sendNotification, {
      workflowId: notificationWorkflowId(notificationKey(event.type, subjectOf(event))),
      args: [event],
      parentClosePolicy: 'ABANDON',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return; // sent, or being sent, already
    throw error;
  }
}
