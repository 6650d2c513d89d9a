/**
 * The simulated bank's HTML: the 3-D Secure challenge and the page after it. Plain forms that POST
 * without client script, no external assets, no inline style or script, so the page keeps a CSP
 * that loads nothing (see PAGE_CSP). hono/html escapes every interpolated value.
 */
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

/**
 * The JSON API's CSP ("load nothing, no framing") plus the two things a page with forms needs said:
 * forms may only post back here, and no <base> may redirect them.
 */
export const PAGE_CSP = "default-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

type Page = HtmlEscapedString | Promise<HtmlEscapedString>;

function layout(title: string, body: Page): Page {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title}</title>
      </head>
      <body>
        <main>${body}</main>
      </body>
    </html>`;
}

const formatAmount = (cents: number, currency: string): string => `${(cents / 100).toFixed(2)} ${currency}`;

export function challengePage(charge: { id: string; amountCents: number; currency: string }): Page {
  const base = `/sim/3ds/${encodeURIComponent(charge.id)}`;
  return layout(
    'Simulated bank: confirm your payment',
    html`<h1>Confirm your payment</h1>
      <p>
        Simulated bank (test mode). Payment <code>${charge.id}</code> of
        <strong>${formatAmount(charge.amountCents, charge.currency)}</strong> waits for your confirmation.
      </p>
      <form method="post" action="${base}/confirm">
        <button type="submit">Confirm payment</button>
      </form>
      <form method="post" action="${base}/fail">
        <button type="submit">Fail payment</button>
      </form>`,
  );
}

export function resultPage(approved: boolean, delivered: boolean): Page {
  return layout(
    approved ? 'Simulated bank: payment confirmed' : 'Simulated bank: payment failed',
    html`<h1 role="status">${approved ? 'Payment confirmed' : 'Payment failed'}</h1>
      <p>
        ${
          delivered
            ? 'The payment provider has told the shop. You can close this page and return to your order.'
            : 'The payment provider could not reach the shop yet; your order will update when it does.'
        }
      </p>`,
  );
}
