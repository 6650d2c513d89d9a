/**
 * The support console in real Chromium (docs/api.md#support-console): support finds an order by customer
 * email and by id and refunds part of it (typed in dollars, sent as exact cents); an admin approves
 * a large refund; customers and guests land on /login. Each journey's last page is a screenshot.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { checkoutBody, useApiHarness, type ApiHarness } from '../support/api-harness';
import { useBrowser } from '../support/browser';
import { createTestProduct } from '../support/fixtures';
import { waitUntil } from '../support/wait';

const api = useApiHarness();
const browser = useBrowser(() => api.baseUrl);
type User = Awaited<ReturnType<ApiHarness['userWithToken']>>;
let customer: User;
let support: User;
let admin: User;
let orderId: string;

beforeAll(async () => {
  [customer, support, admin] = await Promise.all([
    api.userWithToken('customer'),
    api.userWithToken('support'),
    api.userWithToken('admin'),
  ]);
  // 2 x $400.00, paid and being fulfilled: refundable, $500.00 in refunds need an admin.
  const sku = await createTestProduct(api.deps.db, { onHand: 10, priceCents: 40_000 });
  const checkout = await api.request('POST', '/v1/checkouts', {
    token: customer.token,
    body: checkoutBody([{ sku, quantity: 2 }]),
    headers: { 'Idempotency-Key': randomUUID() },
  });
  orderId = checkout.body.orderId;
  await api.waitForOrder(orderId, customer.token, (o) => o.status === 'FULFILLING');
}, 60_000);

async function signIn(page: Page, user: User, next: string) {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === next);
}

const refundsOf = async (id: string) =>
  (await api.request('GET', `/v1/orders/${id}/refunds`, { token: support.token })).body.items as {
    refundId: string;
    amountCents: number;
    status: string;
  }[];

async function waitForRefunds(done: (refunds: Awaited<ReturnType<typeof refundsOf>>) => boolean) {
  return waitUntil(
    async () => {
      const refunds = await refundsOf(orderId);
      return done(refunds) ? refunds : undefined;
    },
    () => `the refunds of order ${orderId} to settle`,
  );
}

const shortId = () => orderId.slice(0, 8).toUpperCase();

test('support finds the order by email and by id, and refunds part of it', async () => {
  const { page } = await browser.newPage();
  await signIn(page, support, '/console');
  await page.getByLabel('Customer email').fill(customer.email.toUpperCase());
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('link', { name: `Order ${shortId()}` }).click();
  await page.waitForURL(`**/console/orders/${orderId}`);
  await expectHeading(page, `Order ${shortId()}`);

  await page.goto('/console');
  await page.getByLabel('Order id').fill(orderId);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForURL(`**/console/orders/${orderId}`);
  // What the console shows, formatted for people.
  const summary = page.getByRole('region', { name: 'Summary' });
  await expectText(summary, '$800.00');
  await expectText(page.getByRole('region', { name: 'Timeline' }), 'Payment captured: $800.00');
  expect(await page.getByRole('link', { name: 'Open in the Temporal UI' }).getAttribute('href')).toBe(
    `http://localhost:8233/namespaces/default/workflows?query=${encodeURIComponent(`OrderId="${orderId}"`)}`,
  );
  // Support may not decide refunds: no Approve on their page, ever.
  expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);

  const refund = page.getByRole('form', { name: 'Refund' });
  await refund.getByLabel('Amount').fill('12.34');
  await refund.getByLabel('Reason').fill('dented box');
  await refund.getByRole('button', { name: 'Refund' }).click();
  await expectText(page.getByRole('status'), 'Refund requested.');

  // The API took exactly 1234 cents, and paid them back.
  const [done] = await waitForRefunds((r) => r.length === 1 && r[0]?.status === 'SUCCEEDED');
  expect(done).toMatchObject({ amountCents: 1_234, status: 'SUCCEEDED' });
  expect((await api.waitForOrder(orderId, support.token, (o) => o.refundedCents === 1_234)).refundedCents).toBe(1_234);
  await page.reload();
  await expectText(summary, '$12.34');
  const rows = page.getByRole('region', { name: 'Refunds' }).getByRole('row');
  await expectText(rows.nth(1), '$12.34');
  await expectText(rows.nth(1), 'SUCCEEDED');
  await expectText(page.getByRole('region', { name: 'Timeline' }), 'Refund of $12.34 paid back');
  await browser.screenshot(page, 'console-support-partial-refund');
});

test('an admin approves a large refund that support asked for', async () => {
  const supportPage = (await browser.newPage()).page;
  await signIn(supportPage, support, `/console/orders/${orderId}`);
  const form = supportPage.getByRole('form', { name: 'Refund' });
  await form.getByLabel('Amount').fill('600');
  await form.getByLabel('Reason').fill('one item arrived broken');
  await form.getByRole('button', { name: 'Refund' }).click();
  await expectText(supportPage.getByRole('status'), 'waits for an admin');
  const [, waiting] = await waitForRefunds((r) => r[1]?.status === 'AWAITING_APPROVAL');
  expect(waiting).toMatchObject({ amountCents: 60_000 });

  const { page } = await browser.newPage();
  await signIn(page, admin, `/console/orders/${orderId}`);
  const row = page.getByRole('row').filter({ hasText: 'AWAITING_APPROVAL' });
  await expectText(row, '$600.00');
  await row.getByRole('button', { name: 'Approve' }).click();
  await expectText(page.getByRole('status'), 'Refund approved.');

  await waitForRefunds((r) => r[1]?.status === 'SUCCEEDED');
  const order = await api.waitForOrder(orderId, admin.token, (o) => o.refundedCents === 61_234);
  expect(order.payment?.status).toBe('PARTIALLY_REFUNDED');
  await page.reload();
  await expectText(page.getByRole('region', { name: 'Summary' }), '$612.34');
  await expectText(page.getByRole('region', { name: 'Timeline' }), 'Refund of $600.00 approved');
  expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
  await browser.screenshot(page, 'console-admin-approves-refund');

  // On a phone's width the page reflows instead of scrolling sideways (wide tables scroll on their own).
  await page.setViewportSize({ width: 390, height: 844 });
  // The callback runs in the page; this file is compiled without DOM types, hence the narrow cast.
  const overflow = await page.evaluate(() => {
    const { document, innerWidth } = globalThis as unknown as {
      document: { documentElement: { scrollWidth: number } };
      innerWidth: number;
    };
    return document.documentElement.scrollWidth - innerWidth;
  });
  expect(overflow).toBeLessThanOrEqual(0);
  await browser.screenshot(page, 'console-order-phone');
});

test('customers and guests cannot open the console: they land on /login', async () => {
  const guest = (await browser.newPage()).page;
  await guest.goto(`/console/orders/${orderId}`);
  expect(new URL(guest.url()).pathname).toBe('/login');

  const { page } = await browser.newPage();
  await signIn(page, customer, '/');
  await page.goto('/console');
  expect(new URL(page.url()).pathname).toBe('/login');
  await page.goto(`/console/orders/${orderId}`);
  expect(new URL(page.url()).pathname).toBe('/login');
  await expectHeading(page, 'Sign in');
  // Nothing of the order was shown on the way (its id is only in the form's way back).
  const html = await page.content();
  expect(html).not.toContain('$800.00');
  expect(html).not.toContain('Timeline');
  await browser.screenshot(page, 'console-customer-sent-to-login');
});

async function expectText(locator: ReturnType<Page['locator']>, text: string) {
  await locator.filter({ hasText: text }).first().waitFor();
  expect(await locator.first().innerText()).toContain(text);
}

async function expectHeading(page: Page, name: string) {
  await page.getByRole('heading', { level: 1, name }).waitFor();
}
