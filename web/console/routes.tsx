/**
 * The support console (docs/api.md#support-console): `/console` and `/console/orders/:orderId`, for support
 * and admin. Everything goes through the public API as the signed-in staff member, so the API's
 * roles, four-eyes rule, idempotency and audit trail apply exactly as to any other client; the pages
 * only decide what to show. Customers and guests are sent to `/login`.
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { parseMajorUnits } from '../../domain/money';
import { ORDER_STATUSES } from '../../domain/statuses';
import { ApiProblem } from '../api-client';
import type { WebEnv, WebParts } from '../context';
import { loginRedirect } from '../errors';
import {
  cancelAcceptedSchema,
  notificationListSchema,
  orderPageSchema,
  orderSchema,
  refundListSchema,
  refundStateSchema,
} from '../../contract/response-schemas';
import { timelineResponseSchema } from '../../contract/timeline-schema';
import { consoleProblemMessage, isNoticeKey, NOTICES, type NoticeKey } from './messages';
import { OrderPage, shortId } from './order-page';
import { SearchPage, type SearchQuery, type SearchResults } from './search-page';
import { orderWorkflowsUrl, type TemporalUi } from './temporal-link';

export const CONSOLE_PATHS = ['/console', '/console/*'];

const uuid = z.uuid();
const statusSchema = z.enum(ORDER_STATUSES);

/** Support and admin only; anyone else (a guest, a customer, an expired session) signs in first. */
const staffOnly: MiddlewareHandler<WebEnv> = async (c, next) => {
  const session = c.get('session');
  if (!session || session.role === 'customer') return loginRedirect(c);
  await next();
};

const field = (form: Record<string, unknown>, name: string): string => {
  const value = form[name];
  return typeof value === 'string' ? value : '';
};

export function consoleRoutes({ render, cookies }: WebParts, temporalUi: TemporalUi) {
  /** A refused call that means the session is over (expired, role changed): sign in again, then back. */
  const signInAgain = (c: Context<WebEnv>, error: unknown) => {
    if (!(error instanceof ApiProblem) || error.status !== 401) return undefined;
    cookies.endSession(c);
    return loginRedirect(c);
  };

  async function search(c: Context<WebEnv>, query: SearchQuery, cursor: string | undefined) {
    const api = c.get('api');
    if (query.orderId !== '') {
      const id = query.orderId.trim();
      if (!uuid.safeParse(id).success) return { error: 'An order id looks like 3f2c0a5e-8d1b-4c9e-9a7f-1b2c3d4e5f60.' };
      try {
        await api.call('GET', `/v1/orders/${id}`, orderSchema);
        return { redirect: `/console/orders/${id}` };
      } catch (error) {
        if (error instanceof ApiProblem && error.status === 404) return { error: 'No order has that id.' };
        throw error;
      }
    }
    const params = new URLSearchParams({ limit: '20' });
    const words: string[] = [];
    if (query.email !== '') {
      params.set('customerEmail', query.email.trim());
      words.push(`of ${query.email.trim()}`);
    }
    if (query.status !== '') {
      if (!statusSchema.safeParse(query.status).success) return { error: 'Choose a status from the list.' };
      params.set('status', query.status);
      words.push(`that are ${query.status}`);
    }
    if (cursor) params.set('cursor', cursor);
    const page = await api.call('GET', `/v1/orders?${params}`, orderPageSchema);
    const nextParams = new URLSearchParams({ orderId: '', email: query.email, status: query.status });
    if (page.nextCursor) nextParams.set('cursor', page.nextCursor);
    const results: SearchResults = {
      heading: words.length === 0 ? 'Latest orders' : `Orders ${words.join(' ')}`,
      orders: page.items,
      next: page.nextCursor ? `/console?${nextParams}` : null,
    };
    return { results };
  }

  async function orderPage(
    c: Context<WebEnv>,
    orderId: string,
    extra: {
      notice?: string;
      error?: string;
      refundDraft?: { amount: string; reason: string };
      status?: 200 | 400 | 403 | 404 | 409 | 422;
    } = {},
  ) {
    const session = c.get('session');
    if (!session) return c.redirect('/login', 303);
    const api = c.get('api');
    if (!uuid.safeParse(orderId).success) return render(c, 'Order not found', <NotFound />, { status: 404 });
    try {
      const path = `/v1/orders/${orderId}`;
      const [order, timeline, emails, refunds] = await Promise.all([
        api.call('GET', path, orderSchema),
        api.call('GET', `${path}/timeline`, timelineResponseSchema),
        api.call('GET', `${path}/notifications`, notificationListSchema),
        api.call('GET', `${path}/refunds`, refundListSchema),
      ]);
      return render(
        c,
        `Order ${shortId(order.id)}`,
        <OrderPage
          order={order}
          timeline={timeline.items}
          emails={emails.items}
          refunds={refunds.items}
          workflowsUrl={orderWorkflowsUrl(temporalUi, order.id)}
          session={session}
          csrfToken={c.get('csrfToken')}
          fmt={c.get('fmt')}
          refundKey={crypto.randomUUID()}
          notice={extra.notice}
          error={extra.error}
          refundDraft={extra.refundDraft}
        />,
        { status: extra.status ?? 200 },
      );
    } catch (error) {
      const again = signInAgain(c, error);
      if (again) return again;
      if (error instanceof ApiProblem && error.status === 404)
        return render(c, 'Order not found', <NotFound />, { status: 404 });
      throw error;
    }
  }

  /** Runs a console action through the API; back to the order page with a notice, or its error. */
  async function act(
    c: Context<WebEnv>,
    orderId: string,
    run: () => Promise<NoticeKey>,
    draft?: { amount: string; reason: string },
    currency?: string,
  ) {
    // Ids go into API paths: only well-formed ones leave this page.
    const ids = [orderId, c.req.param('refundId')].filter((id) => id !== undefined);
    if (!ids.every((id) => uuid.safeParse(id).success))
      return render(c, 'Order not found', <NotFound />, { status: 404 });
    try {
      const notice = await run();
      return c.redirect(`/console/orders/${orderId}?notice=${notice}`, 303);
    } catch (error) {
      const again = signInAgain(c, error);
      if (again) return again;
      if (!(error instanceof ApiProblem) || error.status >= 500) throw error;
      const fmt = c.get('fmt');
      const message = consoleProblemMessage(error.problem, (cents) => fmt.money(cents, currency ?? 'USD'));
      const status = ([400, 403, 404, 409, 422] as const).find((s) => s === error.status) ?? 400;
      return orderPage(c, orderId, { error: message, status, ...(draft ? { refundDraft: draft } : {}) });
    }
  }

  return new Hono<WebEnv>()
    .use('/console', staffOnly)
    .use('/console/*', staffOnly)
    .get('/console', async (c) => {
      const query: SearchQuery = {
        orderId: c.req.query('orderId') ?? '',
        email: c.req.query('email') ?? '',
        status: c.req.query('status') ?? '',
      };
      const fmt = c.get('fmt');
      try {
        const outcome = await search(c, query, c.req.query('cursor'));
        if ('redirect' in outcome && outcome.redirect) return c.redirect(outcome.redirect, 303);
        const props = 'results' in outcome ? { results: outcome.results } : { error: outcome.error };
        return render(c, 'Support console', <SearchPage query={query} fmt={fmt} {...props} />, {
          status: 'error' in props && props.error ? 404 : 200,
        });
      } catch (error) {
        const again = signInAgain(c, error);
        if (again) return again;
        if (!(error instanceof ApiProblem) || error.status >= 500) throw error;
        const message = consoleProblemMessage(error.problem, (cents) => fmt.money(cents, 'USD'));
        return render(c, 'Support console', <SearchPage query={query} fmt={fmt} error={message} />, { status: 400 });
      }
    })
    .get('/console/orders/:orderId', (c) => {
      const notice = c.req.query('notice');
      return orderPage(c, c.req.param('orderId'), isNoticeKey(notice) ? { notice: NOTICES[notice] } : {});
    })
    .post('/console/orders/:orderId/cancel', (c) => {
      const orderId = c.req.param('orderId');
      return act(c, orderId, async () => {
        await c.get('api').call('POST', `/v1/orders/${orderId}/cancel`, cancelAcceptedSchema, { body: {} });
        return 'cancel';
      });
    })
    .post('/console/orders/:orderId/refunds', async (c) => {
      const orderId = c.req.param('orderId');
      const form = await c.req.parseBody();
      const draft = { amount: field(form, 'amount'), reason: field(form, 'reason') };
      const key = field(form, 'idempotencyKey');
      const api = c.get('api');
      if (!uuid.safeParse(orderId).success) return orderPage(c, orderId);
      let order;
      try {
        order = await api.call('GET', `/v1/orders/${orderId}`, orderSchema);
      } catch (error) {
        return signInAgain(c, error) ?? orderPage(c, orderId);
      }
      // People type major units; the API takes exact minor units. Parsed as digits, never floats.
      const amount = parseMajorUnits(draft.amount, order.currency);
      if (!amount.ok || amount.cents === 0) {
        const error = amount.ok ? 'Enter an amount above zero.' : `Amount: ${amount.message}`;
        return orderPage(c, orderId, { error, refundDraft: draft, status: 400 });
      }
      if (draft.reason.trim() === '') {
        return orderPage(c, orderId, {
          error: 'Reason: say why the customer is refunded.',
          refundDraft: draft,
          status: 400,
        });
      }
      return act(
        c,
        orderId,
        async () => {
          const accepted = await api.call('POST', `/v1/orders/${orderId}/refunds`, refundStateSchema, {
            body: { amountCents: amount.cents, reason: draft.reason.trim() },
            // The form's own key: a second send of the same form is the same refund, never a second one.
            headers: { 'Idempotency-Key': uuid.safeParse(key).success ? key : crypto.randomUUID() },
          });
          return accepted.status === 'AWAITING_APPROVAL' ? 'refund-awaiting' : 'refund';
        },
        draft,
        order.currency,
      );
    })
    .post('/console/orders/:orderId/refunds/:refundId/:decision{approve|reject}', (c) => {
      const { orderId, refundId, decision } = c.req.param();
      return act(c, orderId, async () => {
        await c.get('api').call('POST', `/v1/orders/${orderId}/refunds/${refundId}/${decision}`, refundStateSchema);
        return decision === 'approve' ? 'approve' : 'reject';
      });
    });
}

function NotFound() {
  return (
    <>
      <h1>Order not found</h1>
      <p>
        No order has that id. <a href="/console">Search again</a>
      </p>
    </>
  );
}
