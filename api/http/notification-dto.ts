import type { NotificationView } from '../../prisma/repositories/notifications';
import type { Notification } from '../../contract/response-schemas';

/** The Notification of the HTTP contract: dates as ISO strings. */
export function notificationDto(n: NotificationView): Notification {
  return { ...n, createdAt: n.createdAt.toISOString(), sentAt: n.sentAt?.toISOString() ?? null };
}
