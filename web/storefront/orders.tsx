/**
 * `/orders`: the customer's orders, newest first (GET /v1/orders keeps that order), each linking to
 * `/orders/:orderId`, which shows the order and follows it live: ./order-live.js polls
 * `/orders/:orderId/live`, this page's JSON view of the same API answer, and rewrites the status,
 * payment and shipment lines. While the payment waits for 3-D Secure it links to the bank's
 * challenge page (the bundled simulator's, while the simulated provider is configured).
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { ApiProblem } from '../api-client';
import { orderPageSchema, orderSchema, type Order } from '../../contract/response-schemas';
import type { WebEnv, WebParts } from '../context';
import { loginRedirect } from '../errors';
import type { Formatter } from '../format';
import { cartRestoredAfter, failureWords, SETTLED_STATUSES, STATUS_WORDS } from '../order-words';

const PAGE_SIZE = 20;

/** What the order page shows that changes as the order moves: rendered once, then polled. */
export interface LiveOrderView {
  status: Order['status'];
  statusText: string;
  failureText: string | null;
  paymentText: string | null;
  shipmentText: string | null;
  challengeUrl: string | null;
  cartRestored: boolean;
  settled: boolean;
}

const PAYMENT_WORDS: Record<string, string> = {
  PENDING: 'Payment: being taken',
  REQUIRES_ACTION: 'Payment: waiting for your bank’s confirmation',
  CAPTURED: 'Payment: received',
  FAILED: 'Payment: not taken',
  VOIDED: 'Payment: released, nothing charged',
  REFUNDED: 'Payment: refunded',
  PARTIALLY_REFUNDED: 'Payment: partly refunded',
};

const SHIPMENT_WORDS: Record<string, string> = {
  LABEL_CREATED: 'Shipment: label printed, waiting for the carrier',
  AWAITING_PICKUP_ALERT: 'Shipment: waiting for the carrier',
  PICKED_UP: 'Shipment: with the carrier',
  IN_TRANSIT: 'Shipment: on its way',
  DELIVERED: 'Shipment: delivered',
  RETURNED: 'Shipment: returned to us',
  LOST: 'Shipment: lost by the carrier, refunded',
};

function liveView(order: Order, simulatedBank: boolean, fmt: Formatter): LiveOrderView {
  const providerPaymentId = order.payment?.providerPaymentId;
  const challenge =
    simulatedBank && order.status === 'AWAITING_PAYMENT_CONFIRMATION' && providerPaymentId
      ? `/sim/3ds/${encodeURIComponent(providerPaymentId)}`
      : null;
  const refunded = order.refundedCents > 0 ? ` (${fmt.money(order.refundedCents, order.currency)} refunded)` : '';
  return {
    status: order.status,
    statusText: STATUS_WORDS[order.status],
    failureText: failureWords(order.failureReason),
    paymentText: order.payment ? `${PAYMENT_WORDS[order.payment.status] ?? 'Payment: processing'}${refunded}` : null,
    shipmentText: order.shipment
      ? `${SHIPMENT_WORDS[order.shipment.status] ?? 'Shipment: on its way'} · ${order.shipment.carrier} tracking number ${order.shipment.trackingNumber}`
      : null,
    challengeUrl: challenge,
    cartRestored: cartRestoredAfter(order.status),
    settled: SETTLED_STATUSES.includes(order.status),
  };
}

function OrderPage({ order, view, fmt }: { order: Order; view: LiveOrderView; fmt: Formatter }) {
  const path = `/orders/${encodeURIComponent(order.id)}`;
  return (
    <>
      <p>
        <a href="/orders">Your orders</a>
      </p>
      <h1>Order {order.id.slice(0, 8)}</h1>
      <section
        class="card"
        aria-labelledby="order-status"
        data-live-order={`${path}/live`}
        data-status={order.status}
        data-settled={String(view.settled)}
      >
        <h2 id="order-status">Status</h2>
        <p class="status" role="status" aria-live="polite" data-field="status">
          {view.statusText}
        </p>
        <p class="alert" data-field="failure" hidden={!view.failureText}>
          {view.failureText ?? ''}
        </p>
        <p class="notice" data-field="cart-restored" hidden={!view.cartRestored}>
          Your cart holds these items again. <a href="/cart">Go to your cart</a> to try again.
        </p>
        <p data-field="challenge" hidden={!view.challengeUrl}>
          <a href={view.challengeUrl ?? '#'} target="_blank" rel="noopener">
            Confirm the payment with your bank
          </a>{' '}
          <span class="muted">(opens in a new tab; this page updates by itself)</span>
        </p>
        <p data-field="payment" hidden={!view.paymentText}>
          {view.paymentText ?? ''}
        </p>
        <p data-field="shipment" hidden={!view.shipmentText}>
          {view.shipmentText ?? ''}
        </p>
        <p class="muted">Placed {fmt.dateTime(order.createdAt)}</p>
      </section>
      <h2>Items</h2>
      <table class="lines">
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col" class="num">
              Quantity
            </th>
            <th scope="col" class="num">
              Price
            </th>
            <th scope="col" class="num">
              Total
            </th>
          </tr>
        </thead>
        <tbody>
          {order.items.map((item) => (
            <tr>
              <td>
                <a href={`/products/${encodeURIComponent(item.sku)}`}>{item.sku}</a>
              </td>
              <td class="num">{fmt.number(item.quantity)}</td>
              <td class="num">{fmt.money(item.unitPriceCents, order.currency)}</td>
              <td class="num">{fmt.money(item.unitPriceCents * item.quantity, order.currency)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td colspan={3}>Total</td>
            <td class="num" data-total>
              {fmt.money(order.totalCents, order.currency)}
            </td>
          </tr>
        </tfoot>
      </table>
    </>
  );
}

export function orderRoutes({ render }: WebParts, { simulatedBank }: { simulatedBank: boolean }) {
  const fetchOrder = (c: Context<WebEnv>) =>
    c.get('api').call('GET', `/v1/orders/${encodeURIComponent(c.req.param('orderId') ?? '')}`, orderSchema);

  return new Hono<WebEnv>()
    .get('/orders', async (c) => {
      if (!c.get('session')) return loginRedirect(c);
      const cursor = c.req.query('cursor');
      const query = new URLSearchParams({ limit: String(PAGE_SIZE), ...(cursor ? { cursor } : {}) });
      const page = await c.get('api').call('GET', `/v1/orders?${query}`, orderPageSchema);
      const fmt = c.get('fmt');
      return render(
        c,
        'Your orders',
        <>
          <h1>Your orders</h1>
          {page.items.length === 0 ? (
            <p>
              No orders yet. <a href="/">Browse the products</a>
            </p>
          ) : (
            <table class="lines">
              <thead>
                <tr>
                  <th scope="col">Order</th>
                  <th scope="col">Placed</th>
                  <th scope="col">Status</th>
                  <th scope="col" class="num">
                    Total
                  </th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((order) => (
                  <tr data-order-id={order.id}>
                    <td>
                      <a href={`/orders/${encodeURIComponent(order.id)}`}>Order {order.id.slice(0, 8)}</a>
                    </td>
                    <td>{fmt.dateTime(order.createdAt)}</td>
                    <td>{STATUS_WORDS[order.status]}</td>
                    <td class="num">{fmt.money(order.totalCents, order.currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {page.nextCursor ? (
            <p>
              <a href={`/orders?cursor=${encodeURIComponent(page.nextCursor)}`}>Older orders</a>
            </p>
          ) : null}
        </>,
      );
    })
    .get('/orders/:orderId', async (c) => {
      if (!c.get('session')) return loginRedirect(c);
      const order = await fetchOrder(c);
      const fmt = c.get('fmt');
      return render(
        c,
        `Order ${order.id.slice(0, 8)}`,
        <OrderPage order={order} view={liveView(order, simulatedBank, fmt)} fmt={fmt} />,
        {
          scripts: ['order-live.js'],
        },
      );
    })
    .get('/orders/:orderId/live', async (c) => {
      // JSON for the script, whatever happens: it reloads the page on 401 and backs off otherwise.
      if (!c.get('session')) return c.json({ code: 'unauthorized' }, 401);
      try {
        return c.json(liveView(await fetchOrder(c), simulatedBank, c.get('fmt')));
      } catch (error) {
        if (error instanceof ApiProblem && error.status < 500)
          return c.json({ code: error.problem.code }, error.status === 401 ? 401 : 404);
        throw error;
      }
    });
}
