/**
 * `/console/orders/:orderId`: everything support needs about one order on one page (items, payment,
 * shipment, refunds, emails, timeline, its workflows in the Temporal UI) and the actions they may
 * take on it. Every form posts back here with its CSRF field and comes back by a redirect.
 */
import type { Child } from 'hono/jsx';
import { CANCELLABLE_STATUSES } from '../../domain/order-statuses';
import { APPROVAL_THRESHOLD_CENTS } from '../../domain/refunds';
import type { Session } from '../session';
import type { Formatter } from '../format';
import { Alert, CsrfField } from '../layout';
import type { Notification, Order, RefundListItem } from '../../contract/response-schemas';
import type { TimelineItem } from '../../contract/timeline-schema';

export interface OrderPageProps {
  order: Order;
  timeline: TimelineItem[];
  emails: Notification[];
  refunds: RefundListItem[];
  workflowsUrl: string;
  session: Session;
  csrfToken: string;
  fmt: Formatter;
  /** A fresh Idempotency-Key for the refund form: sending the form twice makes one refund. */
  refundKey: string;
  notice?: string | undefined;
  error?: string | undefined;
  /** What the refund form held when the API refused it, so nothing typed is lost. */
  refundDraft?: { amount: string; reason: string } | undefined;
}

/** A captured payment with something left to give back. */
const REFUNDABLE_PAYMENT = new Set(['CAPTURED', 'PARTIALLY_REFUNDED']);

export const shortId = (id: string) => id.slice(0, 8).toUpperCase();

function Facts({ rows }: { rows: [string, Child][] }) {
  return (
    <dl class="facts">
      {rows.map(([term, value]) => (
        <>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </>
      ))}
    </dl>
  );
}

function RefundDecision({
  refund,
  session,
  csrfToken,
  orderId,
}: {
  refund: RefundListItem;
  session: Session;
  csrfToken: string;
  orderId: string;
}) {
  if (refund.status !== 'AWAITING_APPROVAL') return null;
  if (session.role !== 'admin') return <span class="muted">Waiting for an admin</span>;
  if (refund.requestedBy === session.userId) return <span class="muted">You requested it: another admin decides</span>;
  const base = `/console/orders/${orderId}/refunds/${refund.refundId}`;
  return (
    <span class="actions">
      <form method="post" action={`${base}/approve`} class="inline">
        <CsrfField token={csrfToken} />
        <button type="submit">Approve</button>
      </form>
      <form method="post" action={`${base}/reject`} class="inline">
        <CsrfField token={csrfToken} />
        <button type="submit" class="secondary">
          Reject
        </button>
      </form>
    </span>
  );
}

export function OrderPage(p: OrderPageProps) {
  const { order, fmt } = p;
  const money = (cents: number) => fmt.money(cents, order.currency);
  const refundable = order.payment !== null && REFUNDABLE_PAYMENT.has(order.payment.status);
  return (
    <>
      <p>
        <a href="/console">Back to search</a>
      </p>
      <h1>Order {shortId(order.id)}</h1>
      {p.notice && (
        <p class="notice" role="status">
          {p.notice}
        </p>
      )}
      <Alert message={p.error} />
      <section aria-labelledby="summary-heading" class="card">
        <h2 id="summary-heading">Summary</h2>
        <Facts
          rows={[
            ['Status', <span class={`badge status-${order.status.toLowerCase()}`}>{order.status}</span>],
            ['Order id', <code>{order.id}</code>],
            ['Customer id', <code>{order.customerId}</code>],
            ['Total', money(order.totalCents)],
            ['Refunded', money(order.refundedCents)],
            ['Placed', fmt.dateTime(order.createdAt)],
            ['Last change', fmt.dateTime(order.updatedAt)],
            ...(order.failureReason ? ([['Reason', order.failureReason]] as [string, Child][]) : []),
            ['Workflows', <a href={p.workflowsUrl}>Open in the Temporal UI</a>],
          ]}
        />
      </section>

      <section aria-labelledby="items-heading">
        <h2 id="items-heading">Items</h2>
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">SKU</th>
                <th scope="col" class="num">
                  Quantity
                </th>
                <th scope="col" class="num">
                  Unit price
                </th>
                <th scope="col" class="num">
                  Line total
                </th>
              </tr>
            </thead>
            <tbody>
              {order.items.map((i) => (
                <tr>
                  <td>{i.sku}</td>
                  <td class="num">{fmt.number(i.quantity)}</td>
                  <td class="num">{money(i.unitPriceCents)}</td>
                  <td class="num">{money(i.unitPriceCents * i.quantity)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <td colspan={3}>Total</td>
                <td class="num">{money(order.totalCents)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      </section>

      <div class="two-columns">
        <section aria-labelledby="payment-heading" class="card">
          <h2 id="payment-heading">Payment</h2>
          {order.payment ? (
            <Facts
              rows={[
                ['Status', order.payment.status],
                ['Provider payment', <code>{order.payment.providerPaymentId ?? 'none yet'}</code>],
              ]}
            />
          ) : (
            <p class="muted">No payment yet.</p>
          )}
        </section>
        <section aria-labelledby="shipment-heading" class="card">
          <h2 id="shipment-heading">Shipment</h2>
          {order.shipment ? (
            <Facts
              rows={[
                ['Status', order.shipment.status],
                ['Carrier', order.shipment.carrier],
                ['Tracking number', <code>{order.shipment.trackingNumber}</code>],
              ]}
            />
          ) : (
            <p class="muted">Not shipped yet.</p>
          )}
        </section>
      </div>

      <section aria-labelledby="refunds-heading">
        <h2 id="refunds-heading">Refunds</h2>
        {p.refunds.length === 0 ? (
          <p class="muted">No refunds.</p>
        ) : (
          <div class="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Requested</th>
                  <th scope="col" class="num">
                    Amount
                  </th>
                  <th scope="col">Reason</th>
                  <th scope="col">Status</th>
                  <th scope="col">Decision</th>
                </tr>
              </thead>
              <tbody>
                {p.refunds.map((r) => (
                  <tr data-refund-id={r.refundId}>
                    <td>{fmt.dateTime(r.createdAt)}</td>
                    <td class="num">{money(r.amountCents)}</td>
                    <td>{r.reason}</td>
                    <td>{r.status}</td>
                    <td>
                      <RefundDecision refund={r} session={p.session} csrfToken={p.csrfToken} orderId={order.id} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <div class="two-columns">
        {refundable && (
          <section aria-labelledby="refund-heading" class="card">
            <h2 id="refund-heading">Refund</h2>
            <form
              method="post"
              action={`/console/orders/${order.id}/refunds`}
              class="stack"
              aria-labelledby="refund-heading"
            >
              <CsrfField token={p.csrfToken} />
              <input type="hidden" name="idempotencyKey" value={p.refundKey} />
              <div class="field">
                <label for="refund-amount">Amount</label>
                <input
                  id="refund-amount"
                  name="amount"
                  inputmode="decimal"
                  required
                  autocomplete="off"
                  aria-describedby="refund-amount-hint"
                  value={p.refundDraft?.amount ?? ''}
                />
                <span id="refund-amount-hint" class="muted">
                  In {order.currency}, for example 12.50. Refunds above {money(APPROVAL_THRESHOLD_CENTS)} in total wait
                  for an admin.
                </span>
              </div>
              <div class="field">
                <label for="refund-reason">Reason</label>
                <input id="refund-reason" name="reason" required maxlength={500} value={p.refundDraft?.reason ?? ''} />
              </div>
              <div>
                <button type="submit">Refund</button>
              </div>
            </form>
          </section>
        )}
        {CANCELLABLE_STATUSES.includes(order.status) && (
          <section aria-labelledby="cancel-heading" class="card">
            <h2 id="cancel-heading">Cancel</h2>
            <p class="muted">Before pick-up only. A paid order is refunded in full and restocked.</p>
            <form method="post" action={`/console/orders/${order.id}/cancel`}>
              <CsrfField token={p.csrfToken} />
              <button type="submit" class="danger">
                Cancel order
              </button>
            </form>
          </section>
        )}
      </div>

      <section aria-labelledby="emails-heading">
        <h2 id="emails-heading">Emails</h2>
        {p.emails.length === 0 ? (
          <p class="muted">No emails.</p>
        ) : (
          <div class="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Subject</th>
                  <th scope="col">To</th>
                  <th scope="col">Status</th>
                  <th scope="col">Sent</th>
                </tr>
              </thead>
              <tbody>
                {p.emails.map((e) => (
                  <tr>
                    <td>{e.subject}</td>
                    <td>{e.to}</td>
                    <td>{e.status}</td>
                    <td>{e.sentAt ? fmt.dateTime(e.sentAt) : <span class="muted">not yet</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Timeline</h2>
        <ol class="timeline">
          {p.timeline.map((t) => (
            <li data-type={t.type}>
              <time datetime={t.at}>{fmt.dateTime(t.at)}</time>
              <span class="summary">{t.summary}</span>
              <span class="actor">{t.actor ?? 'System'}</span>
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
