/**
 * The order timeline (docs/api.md#order-timeline): one list, oldest first, of what happened to an order,
 * merged at read time from the three places that already record it exactly once:
 *
 * - `order_events`, the status log that database triggers append to in the transaction of every
 *   status change of the order, its payment, its refunds and its shipment
 *   (docs/architecture.md#order-timeline says why triggers, and not Temporal histories);
 * - `notifications`, one row per email (its dedupe key);
 * - `audit_entries`, every support and admin action with its actor and outcome.
 *
 * An action and the change it made are one event, told once: an accepted refund request is the
 * refund's `refund.requested` event (which names its requester), and an accepted approval or
 * rejection is the actor of the refund's `refund.approved` / `refund.rejected` event. Every other
 * action (a cancellation request, anything refused) is an item of its own.
 */
import { formatMoney } from '../../domain/money';
import type { Db, Prisma } from '../../prisma/client';
import { createAuditRepository, type AuditEntryView } from '../../prisma/repositories/audit';
import { createNotificationRepository, type NotificationView } from '../../prisma/repositories/notifications';
import { createOrderEventRepository, type OrderEventView } from '../../prisma/repositories/order-events';
import { createRefundRepository } from '../../prisma/repositories/refunds';
import { createUserRepository } from '../../prisma/repositories/users';
import type { TimelineResponse } from '../../contract/timeline-schema';

interface TimelineItem {
  at: Date;
  type: string;
  summary: string;
  /** The user id of whoever acted; null for the platform's own steps. */
  actorId: string | null;
}

const ORDER_STATUS_TEXT: Record<string, string> = {
  PENDING: 'Order placed',
  AWAITING_PAYMENT_CONFIRMATION: 'Waiting for the customer to confirm the payment (3-D Secure)',
  PAID: 'Order paid',
  FULFILLING: 'Order being fulfilled',
  SHIPPED: 'Order shipped',
  DELIVERED: 'Order delivered',
  FAILED: 'Order failed',
  CANCELLED: 'Order cancelled',
  RETURNED: 'Order returned',
  REFUNDED: 'Order fully refunded',
};

const PAYMENT_STATUS_TEXT: Record<string, string> = {
  PENDING: 'Payment started',
  REQUIRES_ACTION: 'Payment needs the customer to confirm it (3-D Secure)',
  CAPTURED: 'Payment captured',
  FAILED: 'Payment declined',
  VOIDED: 'Payment voided',
  PARTIALLY_REFUNDED: 'Payment partially refunded',
  REFUNDED: 'Payment fully refunded',
};

const SHIPMENT_STATUS_TEXT: Record<string, string> = {
  LABEL_CREATED: 'Shipping label created',
  AWAITING_PICKUP_ALERT: 'Parcel not picked up within 48 hours',
  PICKED_UP: 'Parcel picked up by the carrier',
  IN_TRANSIT: 'Parcel in transit',
  DELIVERED: 'Parcel delivered',
  RETURNED: 'Parcel returned to sender',
  LOST: 'Parcel declared lost',
};

const ACTION_TEXT: Record<string, string> = {
  'order.cancel': 'Cancellation requested',
  'refund.request': 'Refund requested',
  'refund.approve': 'Refund approved',
  'refund.reject': 'Refund rejected',
};

type Details = Record<string, unknown>;
const detailsOf = (json: Prisma.JsonValue): Details =>
  json !== null && typeof json === 'object' && !Array.isArray(json) ? json : {};
const numberIn = (d: Details, key: string): number | undefined => {
  const v = d[key];
  return typeof v === 'number' ? v : undefined;
};
const textIn = (d: Details, key: string): string | undefined => {
  const v = d[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
};

function eventItem(e: OrderEventView, currency: string): TimelineItem {
  const d = detailsOf(e.details);
  const money = (key: string) => {
    const cents = numberIn(d, key);
    return cents === undefined ? '' : formatMoney(cents, currency);
  };
  const base = { at: e.at, actorId: e.actorId };
  const inserted = e.fromStatus === null;
  switch (e.subject) {
    case 'order': {
      if (inserted && e.toStatus === 'PENDING') {
        return { ...base, type: 'order.placed', summary: `Order placed: ${money('total_cents')}` };
      }
      const reason = textIn(d, 'failure_reason');
      const text = ORDER_STATUS_TEXT[e.toStatus] ?? `Order ${e.toStatus}`;
      const withReason = reason && ['FAILED', 'CANCELLED'].includes(e.toStatus) ? `${text} (${reason})` : text;
      return { ...base, type: `order.${e.toStatus.toLowerCase()}`, summary: withReason };
    }
    case 'payment': {
      const text = PAYMENT_STATUS_TEXT[e.toStatus] ?? `Payment ${e.toStatus}`;
      const amount =
        e.toStatus === 'CAPTURED' && numberIn(d, 'captured_cents')
          ? money('captured_cents')
          : e.toStatus.endsWith('REFUNDED')
            ? `${money('refunded_cents')} refunded`
            : money('amount_cents');
      return { ...base, type: `payment.${e.toStatus.toLowerCase()}`, summary: amount ? `${text}: ${amount}` : text };
    }
    case 'refund': {
      const amount = money('amount_cents');
      const reason = textIn(d, 'reason');
      if (inserted && e.toStatus !== 'SUCCEEDED') {
        const waits = e.toStatus === 'AWAITING_APPROVAL' ? ', waiting for an admin to approve it' : '';
        return {
          ...base,
          type: 'refund.requested',
          summary: `Refund of ${amount} requested${reason ? `: ${reason}` : ''}${waits}`,
        };
      }
      if (e.fromStatus === 'AWAITING_APPROVAL' && e.toStatus === 'PENDING') {
        return { ...base, type: 'refund.approved', summary: `Refund of ${amount} approved` };
      }
      const verb = { SUCCEEDED: 'paid back', REJECTED: 'rejected', FAILED: 'refused by the payment provider' }[
        e.toStatus
      ];
      return {
        ...base,
        type: `refund.${e.toStatus.toLowerCase()}`,
        summary: `Refund of ${amount} ${verb ?? e.toStatus.toLowerCase()}${inserted && reason ? `: ${reason}` : ''}`,
      };
    }
    case 'shipment': {
      const text = SHIPMENT_STATUS_TEXT[e.toStatus] ?? `Shipment ${e.toStatus}`;
      const tracking = textIn(d, 'tracking_number');
      const summary = inserted && tracking ? `${text}: ${textIn(d, 'carrier') ?? 'carrier'} ${tracking}` : text;
      const type = inserted ? 'shipment.label_created' : `shipment.${e.toStatus.toLowerCase()}`;
      return { ...base, type, summary };
    }
  }
}

function emailItem(n: NotificationView): TimelineItem {
  const state = { SENT: 'sent', PENDING: 'queued', FAILED: 'could not be sent' }[n.status];
  return {
    at: n.sentAt ?? n.createdAt,
    type: `email.${n.type}`,
    summary: `Email "${n.subject}" ${state} to ${n.to}`,
    actorId: null,
  };
}

function actionItem(a: AuditEntryView, currency: string): TimelineItem {
  const d = detailsOf(a.details);
  const amount = numberIn(d, 'amountCents');
  const reason = textIn(d, 'reason');
  const text =
    a.action === 'refund.request' && amount !== undefined
      ? `Refund of ${formatMoney(amount, currency)} requested`
      : (ACTION_TEXT[a.action] ?? a.action);
  const outcome = a.outcome === 'accepted' ? '' : ` (refused: ${a.outcome})`;
  return {
    at: a.createdAt,
    type: `action.${a.action}`,
    summary: `${text}${reason ? `: ${reason}` : ''}${outcome}`,
    actorId: a.actorId,
  };
}

/** The change an accepted decision made: approving moves the refund to PENDING, rejecting to REJECTED. */
const DECISION_EFFECT: Record<string, string> = { 'refund.approve': 'PENDING', 'refund.reject': 'REJECTED' };

/** The timeline's items, oldest first, with the actors' user ids. */
async function buildTimeline(db: Db, order: { id: string; currency: string }): Promise<TimelineItem[]> {
  const refundIds = (await createRefundRepository(db).listForOrder(order.id)).map((r) => r.id);
  const [events, emails, actions] = await Promise.all([
    createOrderEventRepository(db).listForOrder(order.id),
    createNotificationRepository(db).listForOrder(order.id),
    createAuditRepository(db).listForOrder(order.id, refundIds),
  ]);

  const items = events.map((e) => eventItem(e, order.currency));
  // Accepted decisions name the actor of the change they made (one event, told once).
  const decided = new Map<string, TimelineItem>();
  events.forEach((e, i) => {
    const item = items[i];
    if (item && e.subject === 'refund' && e.fromStatus === 'AWAITING_APPROVAL') {
      decided.set(`${e.subjectId}:${e.toStatus}`, item);
    }
  });
  for (const a of actions) {
    if (a.outcome === 'accepted' && a.action === 'refund.request') continue;
    const effect = DECISION_EFFECT[a.action];
    const change = a.outcome === 'accepted' && effect ? decided.get(`${a.targetId}:${effect}`) : undefined;
    if (change && change.actorId === null) {
      change.actorId = a.actorId;
      continue;
    }
    items.push(actionItem(a, order.currency));
  }
  items.push(...emails.map(emailItem));
  // Stable: items of one millisecond keep their source's order (the log's own is the id's).
  return items.sort((x, y) => x.at.getTime() - y.at.getTime());
}

/** The HTTP answer: actors as their email address (the user's id if the user no longer exists). */
export async function timelineResponse(db: Db, order: { id: string; currency: string }): Promise<TimelineResponse> {
  const items = await buildTimeline(db, order);
  const emails = await createUserRepository(db).emailsOf(
    items.map((i) => i.actorId).filter((id): id is string => id !== null),
  );
  return {
    items: items.map((i) => ({
      at: i.at.toISOString(),
      type: i.type,
      summary: i.summary,
      actor: i.actorId === null ? null : (emails.get(i.actorId) ?? i.actorId),
    })),
  };
}
