/**
 * The emails the platform sends (docs/api.md#notifications) and their dedupe key. The key names the
 * event, never the attempt: every retry, redelivered webhook or restarted worker that reports the
 * same event computes the same key, which the notifications table holds once.
 * Nothing here does I/O or imports values, so workflow code may import it by value.
 */
export const NOTIFICATION_TYPES = [
  'order_confirmed',
  'payment_action_required',
  'order_shipped',
  'order_delivered',
  'order_cancelled',
  'order_failed',
  'refund_succeeded',
  'cart_reminder',
] as const;

export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/**
 * The dedupe key of one event: `<type>:<subjectId>`. The subject is the order for order events, the
 * cart for `cart_reminder`, and the refund for `refund_succeeded` (an order can have several
 * refunds, each worth its own email).
 */
export const notificationKey = (type: NotificationType, subjectId: string): string => `${type}:${subjectId}`;

/**
 * `ApplicationFailure.type` strings of the notification activities, all non-retryable but
 * MAIL_SEND_FAILED. Kept here
 * beside the notification vocabulary; domain/failure-types.ts holds the order and refund ones.
 */
export const NotificationFailureType = {
  /** An event that names no subject it could be about: a bug in its caller. */
  EVENT_INVALID: 'NOTIFICATION_EVENT_INVALID',
  NOT_FOUND: 'NOTIFICATION_NOT_FOUND',
  /** The mail server refused the message for good (an SMTP 5xx answer): resending cannot help. */
  MAIL_REJECTED: 'MAIL_REJECTED',
  /** A send that failed for now (server down, 4xx answer): Temporal retries it. */
  MAIL_SEND_FAILED: 'MAIL_SEND_FAILED',
} as const;

export type NotificationFailureType = (typeof NotificationFailureType)[keyof typeof NotificationFailureType];
