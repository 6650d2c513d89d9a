import type { NotificationView } from '../../prisma/repositories/notifications';

/** The Notification of the HTTP contract: dates as ISO strings. */
export function notificationDto(n: NotificationView) {
  return { ...n, createdAt: n.createdAt.toISOString(), sentAt: n.sentAt?.toISOString() ?? null };
}
