/**
 * Customer emails, in two steps a workflow runs one after the other:
 * - `prepareNotification` renders the event's email and writes it PENDING under the event's dedupe
 *   key: idempotent, however often the event is reported;
 * - `deliverNotification` sends the stored message and marks it SENT. A mail server that is down
 *   makes it throw, and Temporal retries it with backoff; the workflow gives up with
 *   `failNotification` once its retry budget is spent. Orders never wait on either.
 * A crash between the server's acceptance and `markSent` resends the message with the same
 * Message-ID (mailer.ts), which receivers deduplicate.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Db } from '../../prisma/client';
import { createCartRepository } from '../../prisma/repositories/carts';
import { createNotificationContextRepository } from '../../prisma/repositories/notification-context';
import { createNotificationRepository } from '../../prisma/repositories/notifications';
import { NotificationFailureType, notificationKey, type NotificationType } from '../../domain/notifications';
import { isPermanentRefusal, mailFailureSummary } from './mail-failure';
import { messageIdFor, type Mailer } from './mailer';
import { renderNotification, type NotificationContent, type OrderFacts } from './templates';

export interface NotificationEvent {
  type: NotificationType;
  /** The order of every order event (not needed for `refund_succeeded`: the refund names it). */
  orderId?: string | undefined;
  /** The cart of `cart_reminder`. */
  cartId?: string | undefined;
  /** The refund of `refund_succeeded`. */
  refundId?: string | undefined;
}

export interface NotificationDependencies {
  db: Db;
  mailer: Mailer;
  /** The From header, e.g. `Temporal Commerce <shop@commerce.local>`. */
  mailFrom: string;
  /** Base of the links in emails (the storefront the API serves): the worker's STOREFRONT_URL. */
  storefrontUrl: string;
  now?: () => Date;
}

/** What one prepared email is about and to whom it goes, before rendering. */
interface Prepared {
  to: string;
  content: NotificationContent;
  orderId: string | null;
  cartId: string | null;
  customerId: string;
}

function invalidEvent(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: NotificationFailureType.EVENT_INVALID, message, nonRetryable: true });
}

function required(value: string | undefined, event: NotificationEvent, field: keyof NotificationEvent): string {
  if (value === undefined || value === '') throw invalidEvent(`${event.type} needs ${field}`);
  return value;
}

/** What the event is about: the refund, the cart, or the order (see domain/notifications.ts). */
function subjectIdOf(event: NotificationEvent): string {
  if (event.type === 'refund_succeeded') return required(event.refundId, event, 'refundId');
  if (event.type === 'cart_reminder') return required(event.cartId, event, 'cartId');
  return required(event.orderId, event, 'orderId');
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export function createNotificationActivities({
  db,
  mailer,
  mailFrom,
  storefrontUrl,
  now = () => new Date(),
}: NotificationDependencies) {
  const notifications = createNotificationRepository(db);
  const facts = createNotificationContextRepository(db);

  /** The order's facts for its email; null when there is no order or no one to write to. */
  async function orderEmail(orderId: string) {
    const order = await facts.orderFacts(orderId);
    if (!order?.email) return null;
    const orderFacts: OrderFacts = {
      orderId: order.orderId,
      customerName: order.recipientName,
      currency: order.currency,
      totalCents: order.totalCents,
      lines: order.lines,
    };
    return { order, orderFacts, to: order.email };
  }

  /** Reads what the event's email says; null when there is nothing to send. */
  async function prepare(event: NotificationEvent, subjectId: string): Promise<Prepared | null> {
    switch (event.type) {
      case 'cart_reminder': {
        const cartId = subjectId;
        const cart = await createCartRepository(db).view(cartId);
        // Guests have no address; a cart checked out or merged meanwhile, or emptied, needs no reminder.
        if (!cart?.customerId || cart.status !== 'OPEN' || cart.items.length === 0 || cart.currency === null) {
          return null;
        }
        const to = await facts.emailOf(cart.customerId);
        if (!to) return null;
        return {
          to,
          content: {
            type: 'cart_reminder',
            cart: {
              cartId,
              customerName: null,
              currency: cart.currency,
              subtotalCents: cart.subtotalCents,
              lines: cart.items.map((i) => ({
                sku: i.sku,
                name: i.name,
                quantity: i.quantity,
                unitPriceCents: i.unitPriceCents,
              })),
            },
          },
          orderId: null,
          cartId,
          customerId: cart.customerId,
        };
      }
      case 'refund_succeeded': {
        const refund = await facts.refundFacts(subjectId);
        // Only a refund that was paid out is news; any other state is not this email.
        if (refund?.status !== 'SUCCEEDED') return null;
        const found = await orderEmail(refund.orderId);
        if (!found) return null;
        return {
          to: found.to,
          content: { type: 'refund_succeeded', order: found.orderFacts, refundAmountCents: refund.amountCents },
          orderId: refund.orderId,
          cartId: null,
          customerId: found.order.customerId,
        };
      }
      default: {
        const orderId = subjectId;
        const found = await orderEmail(orderId);
        if (!found) return null;
        const { order, orderFacts } = found;
        let content: NotificationContent;
        if (event.type === 'order_shipped') {
          if (order.trackingNumber === null) throw invalidEvent(`order ${orderId} has no shipment to announce`);
          content = { type: 'order_shipped', order: orderFacts, trackingNumber: order.trackingNumber };
        } else if (event.type === 'order_failed') {
          content = { type: 'order_failed', order: orderFacts, failureReason: order.failureReason };
        } else {
          content = { type: event.type, order: orderFacts };
        }
        return { to: found.to, content, orderId, cartId: null, customerId: order.customerId };
      }
    }
  }

  return {
    /**
     * Renders the event's email and records it PENDING, once per event (its dedupe key): a repeat
     * returns the notification the first call wrote (its first rendering is the one kept). Null
     * when there is nothing to send (no such order, refund or cart, a guest or empty cart) and
     * nothing was prepared before: a repeat whose cart was emptied since still sends the first.
     */
    async prepareNotification(event: NotificationEvent): Promise<{ notificationId: string } | null> {
      const subjectId = subjectIdOf(event);
      const dedupeKey = notificationKey(event.type, subjectId);
      // No look-up by the key first: a repeat is rare (a retried step), and the insert finds the
      // key's row itself; the look-up is left for the case with nothing to insert.
      const prepared = await prepare(event, subjectId);
      if (!prepared) {
        const existing = await notifications.findIdByDedupeKey(dedupeKey);
        return existing ? { notificationId: existing } : null;
      }
      const rendered = renderNotification(prepared.content, { storefrontUrl });
      const notificationId = await notifications.createPending({
        dedupeKey,
        type: event.type,
        to: prepared.to,
        subject: rendered.subject,
        textBody: rendered.text,
        htmlBody: rendered.html,
        orderId: prepared.orderId,
        cartId: prepared.cartId,
        customerId: prepared.customerId,
      });
      return { notificationId };
    },

    /**
     * Sends the stored message unless it was SENT already, then marks it SENT. A failed send is
     * counted on the row (attempts, lastError: the server's full answer) and thrown again as a
     * failure that names only its codes (mail-failure.ts: it goes into the workflow history), so
     * Temporal retries it; an SMTP 5xx refusal is non-retryable (MAIL_REJECTED).
     */
    async deliverNotification(notificationId: string): Promise<void> {
      const n = await notifications.findOutgoing(notificationId);
      if (!n) {
        throw ApplicationFailure.create({
          type: NotificationFailureType.NOT_FOUND,
          message: `no notification ${notificationId}`,
          nonRetryable: true,
        });
      }
      if (n.status === 'SENT') return;
      try {
        await mailer.send({
          messageId: messageIdFor(n.dedupeKey),
          from: mailFrom,
          to: n.to,
          subject: n.subject,
          text: n.textBody,
          html: n.htmlBody,
        });
      } catch (error) {
        // Best effort: the send's own error is the one Temporal must see, even if the database is down too.
        await notifications.recordFailedAttempt(notificationId, errorText(error)).catch(() => undefined);
        const permanent = isPermanentRefusal(error);
        throw ApplicationFailure.create({
          type: permanent ? NotificationFailureType.MAIL_REJECTED : NotificationFailureType.MAIL_SEND_FAILED,
          message: mailFailureSummary(error),
          nonRetryable: permanent,
        });
      }
      await notifications.markSent(notificationId, now());
    },

    /**
     * The workflow gave up on this notification (retry budget spent): FAILED. The row keeps the
     * last attempt's full error; `error` (codes only, from the history) fills it when none was
     * recorded.
     */
    async failNotification(notificationId: string, error: string): Promise<void> {
      await notifications.markFailed(notificationId, error);
    },
  };
}

export type NotificationActivities = ReturnType<typeof createNotificationActivities>;
