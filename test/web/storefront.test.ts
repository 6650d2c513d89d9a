/**
 * The storefront's journeys in real Chromium, on the real API, worker, PostgreSQL, Redis and
 * Temporal: a guest cart carried through sign-in to a paid order that the page follows live, 3-D
 * Secure through the simulated bank, a declined card that gives the cart back, the order list; and
 * at the HTTP level, a double submit that makes one order and CSRF refusals that change nothing.
 * Each journey saves a screenshot of its last page under test-artifacts/screenshots/.
 */
import type { Page } from 'playwright-core';
import { createTestProduct } from '../support/fixtures';
import { checkoutBody, paidOrLater, trackingNumberOf, useApiHarness, type OrderView } from '../support/api-harness';
import { sendCarrierEvent } from '../support/carrier-webhook';
import { markDocument, stillSameDocument, useBrowser } from '../support/browser';
import { WebClient } from '../support/web-client';
import { waitUntil } from '../support/wait';

const api = useApiHarness();
const browser = useBrowser(() => api.baseUrl);

/** How long an order may take to move on, on a slow shared machine: outcomes, never sleeps. */
const ORDER_TIMEOUT_MS = 90_000;
jest.setTimeout(240_000);

async function signIn(page: Page, user: { email: string; password: string }) {
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

async function signInFromLogin(page: Page, user: { email: string; password: string }, next = '/') {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await signIn(page, user);
}

async function addToCart(page: Page, sku: string, quantity: number) {
  await page.goto(`/products/${sku}`);
  await page.getByLabel('Quantity').fill(String(quantity));
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.waitForURL((url) => url.pathname === '/cart');
}

/** Fills the checkout form, chooses `card`, places the order; returns the order id of the page. */
async function placeOrder(page: Page, card: 'tok_visa' | 'tok_3ds' | 'tok_declined'): Promise<string> {
  await page.getByRole('link', { name: 'Checkout' }).click();
  await page.waitForURL((url) => url.pathname === '/checkout');
  await page.getByLabel('Name').fill('Ada Lovelace');
  await page.getByLabel('Address').fill('12 Analytical Row');
  await page.getByLabel('City').fill('London');
  await page.getByLabel('Postal code').fill('N1 7AA');
  await page.getByLabel('Country').fill('GB');
  await page.getByLabel('Card').selectOption(card);
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.waitForURL((url) => /^\/orders\/[0-9a-f-]{36}$/.test(url.pathname));
  return new URL(page.url()).pathname.split('/')[2] ?? '';
}

/** What the carrier's signed webhook reports about a parcel (docs/api.md#carrier-webhook). */
const carrierEvent = (trackingNumber: string, type: 'PICKED_UP' | 'DELIVERED') =>
  sendCarrierEvent(api, trackingNumber, type);

const liveStatus = (page: Page, statuses: string[]) =>
  page
    .locator(statuses.map((s) => `[data-live-order][data-status="${s}"]`).join(', '))
    .waitFor({ timeout: ORDER_TIMEOUT_MS });

describe('storefront journeys (Chromium)', () => {
  it('lists the products as the API does, each linking to its page with "Add to cart"', async () => {
    await createTestProduct(api.deps.db, { priceCents: 1250 });
    const { page } = await browser.newPage();
    // Other test files add products while this one runs, so the first page can shift between the
    // API's answer and the page's: compare the two until one pair was read with no product added.
    const items = await waitUntil(
      async () => {
        const catalog = await api.request('GET', '/v1/products?limit=24');
        await page.goto('/');
        const listed = catalog.body.items as { sku: string; name: string }[];
        for (const product of listed) {
          if ((await page.getByRole('link', { name: product.name, exact: true }).count()) !== 1) return undefined;
        }
        return listed.length > 0 ? listed : undefined;
      },
      'the storefront to list the products of GET /v1/products',
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    const first = items[0] as { sku: string; name: string };
    await page.getByRole('link', { name: first.name, exact: true }).click();
    await page.waitForURL((url) => url.pathname === `/products/${first.sku}`);
    await page.getByRole('heading', { name: first.name }).waitFor();
    await page.getByRole('button', { name: 'Add to cart' }).waitFor();
    await browser.screenshot(page, 'storefront-product');
  });

  it('guest cart -> sign in (cart merged) -> tok_visa -> the order page follows FULFILLING, SHIPPED, DELIVERED without a reload', async () => {
    const sku = await createTestProduct(api.deps.db, { priceCents: 1999 });
    const user = await api.userWithToken('customer');
    const { context, page, problems } = await browser.newPage();

    await addToCart(page, sku, 2);
    const guestLine = page.locator(`tr[data-sku="${sku}"]`);
    expect(await guestLine.getByLabel('Quantity').inputValue()).toBe('2');
    expect(await page.locator('[data-subtotal]').textContent()).toBe('$39.98');
    const guestCart = (await context.cookies()).find((c) => c.name === 'cart');
    expect(guestCart).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });

    await page.getByRole('link', { name: 'Sign in' }).click();
    await signIn(page, user);
    await page.waitForURL((url) => url.pathname === '/cart');
    // Merged into the customer's own cart (POST /v1/me/cart/merge); the guest cookie is gone.
    expect(await page.locator(`tr[data-sku="${sku}"]`).getByLabel('Quantity').inputValue()).toBe('2');
    const mine = await api.request('GET', '/v1/me/cart', { token: user.token });
    expect(mine.body.items).toEqual([expect.objectContaining({ sku, quantity: 2 })]);
    expect((await context.cookies()).find((c) => c.name === 'cart')).toBeUndefined();

    const orderId = await placeOrder(page, 'tok_visa');
    await markDocument(page);
    await liveStatus(page, ['FULFILLING']);
    expect(await stillSameDocument(page)).toBe(true);
    await page.getByRole('status').filter({ hasText: 'Paid: being packed' }).waitFor();
    expect(await page.locator('[data-total]').textContent()).toBe('$39.98');

    const order = await api.waitForOrder(orderId, user.token, (o) => o.status === 'FULFILLING');
    expect(order.items).toEqual([{ sku, quantity: 2, unitPriceCents: 1999 }]);
    expect(order.totalCents).toBe(3998);
    await browser.screenshot(page, 'storefront-visa-order-fulfilling');

    // The carrier's reports move the same page on: shipped, then delivered (settled).
    const tracking = trackingNumberOf(order);
    expect((await carrierEvent(tracking, 'PICKED_UP')).status).toBe(200);
    await liveStatus(page, ['SHIPPED']);
    await page.getByText(`tracking number ${tracking}`).waitFor();
    expect((await carrierEvent(tracking, 'DELIVERED')).status).toBe(200);
    await liveStatus(page, ['DELIVERED']);
    await page.getByRole('status').filter({ hasText: 'Delivered' }).waitFor();
    expect(await stillSameDocument(page)).toBe(true);
    await browser.screenshot(page, 'storefront-visa-order-delivered');
    // No CSP violation, script error or failed request on any page of the journey.
    expect(problems).toEqual([]);
  });

  it('tok_3ds: the order page links to the bank, "Confirm payment" there, and the page follows it to PAID', async () => {
    const sku = await createTestProduct(api.deps.db, { priceCents: 4500 });
    const user = await api.userWithToken('customer');
    const { context, page, problems } = await browser.newPage();
    await signInFromLogin(page, user);
    await addToCart(page, sku, 1);
    const orderId = await placeOrder(page, 'tok_3ds');
    await markDocument(page);

    await liveStatus(page, ['AWAITING_PAYMENT_CONFIRMATION']);
    const bankLink = page.getByRole('link', { name: 'Confirm the payment with your bank' });
    await bankLink.waitFor();
    const [bank] = await Promise.all([context.waitForEvent('page'), bankLink.click()]);
    await bank.waitForLoadState();
    expect(new URL(bank.url()).pathname).toMatch(/^\/sim\/3ds\/\w+$/);
    await bank.getByRole('button', { name: 'Confirm payment' }).click();
    await bank.getByRole('status').filter({ hasText: 'Payment confirmed' }).waitFor();
    await browser.screenshot(bank, 'storefront-3ds-bank-confirmed');
    await bank.close();

    await liveStatus(page, ['PAID', 'FULFILLING']);
    expect(await stillSameDocument(page)).toBe(true);
    const order = await api.waitForOrder(orderId, user.token, paidOrLater);
    expect(order.payment?.status).toBe('CAPTURED');
    await browser.screenshot(page, 'storefront-3ds-order-paid');
    // The bank's page too ran under its own CSP with nothing refused.
    expect(problems).toEqual([]);
  });

  it('tok_declined: the order page says the card was declined, and the cart holds the lines again', async () => {
    const sku = await createTestProduct(api.deps.db, { priceCents: 700 });
    const user = await api.userWithToken('customer');
    const { page } = await browser.newPage();
    await signInFromLogin(page, user);
    await addToCart(page, sku, 3);
    const orderId = await placeOrder(page, 'tok_declined');

    await liveStatus(page, ['FAILED']);
    await page.getByText('Your card was declined. Nothing was charged.').waitFor();
    await page.getByText('Your cart holds these items again.').waitFor();
    const order = await api.waitForOrder(orderId, user.token, (o) => o.status === 'FAILED');
    expect(order.failureReason).toBe('PAYMENT_DECLINED');

    await page.getByRole('link', { name: 'Go to your cart' }).click();
    await page.waitForURL((url) => url.pathname === '/cart');
    expect(await page.locator(`tr[data-sku="${sku}"]`).getByLabel('Quantity').inputValue()).toBe('3');
    await page.getByRole('link', { name: 'Checkout' }).waitFor();
    await browser.screenshot(page, 'storefront-declined-cart-back');
  });

  it('/orders lists the customer orders newest first, each linking to its page', async () => {
    const sku = await createTestProduct(api.deps.db);
    const user = await api.userWithToken('customer');
    const ids: string[] = [];
    for (const key of ['first', 'second']) {
      const res = await api.request('POST', '/v1/checkouts', {
        token: user.token,
        headers: { 'Idempotency-Key': `${key}-${user.id}` },
        body: checkoutBody([{ sku, quantity: 1 }]),
      });
      expect(res.status).toBe(202);
      ids.push(res.body.orderId as string);
      // Newest first needs distinct creation times: the second order starts after the first exists.
      await api.waitForOrder(res.body.orderId as string, user.token, (o: OrderView) => o.status !== 'PENDING');
    }
    const { page } = await browser.newPage();
    await signInFromLogin(page, user, '/orders');
    await page.waitForURL((url) => url.pathname === '/orders');
    const rows = page.locator('tr[data-order-id]');
    await rows.first().waitFor();
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-order-id')))).toEqual([
      ids[1],
      ids[0],
    ]);
    await rows.first().getByRole('link').click();
    await page.waitForURL((url) => url.pathname === `/orders/${ids[1]}`);
    await page.locator('[data-live-order]').waitFor();
    await browser.screenshot(page, 'storefront-orders');
  });

  it('changes a line with its Quantity field and removes it with Remove, at phone width', async () => {
    const sku = await createTestProduct(api.deps.db, { priceCents: 1000 });
    const { page } = await browser.newPage({ viewport: { width: 375, height: 740 } });
    await addToCart(page, sku, 1);
    const line = page.locator(`tr[data-sku="${sku}"]`);
    await line.getByLabel('Quantity').fill('3');
    await line.getByRole('button', { name: 'Update' }).click();
    await page.locator('[data-subtotal]', { hasText: '$30.00' }).waitFor();
    expect(await line.getByLabel('Quantity').inputValue()).toBe('3');
    // Readable on a phone: nothing wider than the screen, so no sideways scrolling.
    expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(375);
    await browser.screenshot(page, 'storefront-cart-phone');

    await line.getByRole('button', { name: 'Remove' }).click();
    await page.getByText('Your cart is empty.').waitFor();
    await browser.screenshot(page, 'storefront-cart-emptied');
  });
});

describe('storefront forms (HTTP)', () => {
  async function signedInClient() {
    const user = await api.userWithToken('customer');
    const web = new WebClient(api.baseUrl);
    const token = await web.csrfTokenOf('/login');
    expect((await web.post('/login', { email: user.email, password: user.password, _csrf: token })).status).toBe(303);
    return { user, web };
  }

  it('a double-submitted checkout form makes one order', async () => {
    const sku = await createTestProduct(api.deps.db);
    const { user, web } = await signedInClient();
    const csrf = await web.csrfTokenOf(`/products/${sku}`);
    expect((await web.post(`/products/${sku}`, { quantity: '1', _csrf: csrf })).status).toBe(303);

    const form = (await web.get('/checkout')).text;
    const hidden = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(form)?.[1] ?? '';
    const fields = {
      _csrf: hidden('_csrf'),
      idempotencyKey: hidden('idempotencyKey'),
      cartId: hidden('cartId'),
      name: 'Ada',
      line1: '1 Main St',
      city: 'Springfield',
      postalCode: '12345',
      country: 'US',
      card: 'tok_visa',
    };
    const [first, second] = [await web.post('/checkout', fields), await web.post('/checkout', fields)];
    expect(first.status).toBe(303);
    expect(second.status).toBe(303);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    const orders = await api.request('GET', '/v1/orders', { token: user.token });
    expect(orders.body.items).toHaveLength(1);
    expect(first.headers.get('location')).toBe(`/orders/${orders.body.items[0].id}`);
  });

  it('refuses cart and checkout posts without the CSRF token, changing nothing', async () => {
    const sku = await createTestProduct(api.deps.db);
    const { user, web } = await signedInClient();
    expect((await web.post(`/products/${sku}`, { quantity: '1' })).status).toBe(403);
    expect((await web.post(`/products/${sku}`, { quantity: '1', _csrf: 'forged' })).status).toBe(403);
    const cart = await api.request('GET', '/v1/me/cart', { token: user.token });
    expect(cart.body.items).toEqual([]);

    const csrf = await web.csrfTokenOf(`/products/${sku}`);
    expect((await web.post(`/products/${sku}`, { quantity: '2', _csrf: csrf })).status).toBe(303);
    expect((await web.post(`/cart/items/${sku}/remove`, {})).status).toBe(403);
    expect((await web.post(`/cart/items/${sku}`, { quantity: '7' })).status).toBe(403);
    const checkout = await web.post('/checkout', {
      cartId: (await api.request('GET', '/v1/me/cart', { token: user.token })).body.id,
      idempotencyKey: 'no-csrf',
      name: 'A',
      line1: 'B',
      city: 'C',
      postalCode: 'D',
      country: 'GB',
      card: 'tok_visa',
    });
    expect(checkout.status).toBe(403);
    const after = await api.request('GET', '/v1/me/cart', { token: user.token });
    expect(after.body.items).toEqual([expect.objectContaining({ sku, quantity: 2 })]);
    expect((await api.request('GET', '/v1/orders', { token: user.token })).body.items).toEqual([]);
  });

  it("shows another customer's order as Not found, and sends guests to sign in", async () => {
    const sku = await createTestProduct(api.deps.db);
    const owner = await api.userWithToken('customer');
    const placed = await api.request('POST', '/v1/checkouts', {
      token: owner.token,
      headers: { 'Idempotency-Key': `mine-${owner.id}` },
      body: checkoutBody([{ sku, quantity: 1 }]),
    });
    const { web } = await signedInClient();
    const page = await web.get(`/orders/${placed.body.orderId}`);
    expect(page.status).toBe(404);
    expect(page.text).toContain('Not found');
    expect(page.text).not.toContain(sku);

    const guest = await new WebClient(api.baseUrl).get(`/orders/${placed.body.orderId}`);
    expect(guest.status).toBe(303);
    expect(guest.headers.get('location')).toBe(`/login?next=${encodeURIComponent(`/orders/${placed.body.orderId}`)}`);
  });

  it('sends a guest from /checkout to sign in, and back to /checkout after', async () => {
    const user = await api.userWithToken('customer');
    const web = new WebClient(api.baseUrl);
    const guest = await web.get('/checkout');
    expect(guest.status).toBe(303);
    expect(guest.headers.get('location')).toBe('/login?next=%2Fcheckout');
    const form = (await web.get('/login?next=%2Fcheckout')).text;
    expect(form).toContain('name="next" value="/checkout"');
    const token = /name="_csrf" value="([^"]+)"/.exec(form)?.[1] ?? '';
    const signedIn = await web.post('/login', {
      email: user.email,
      password: user.password,
      next: '/checkout',
      _csrf: token,
    });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/checkout');
    expect((await web.get('/checkout')).status).toBe(200);
  });

  it('shows a refused quantity in words and keeps the cart as it was', async () => {
    const sku = await createTestProduct(api.deps.db, { onHand: 5 });
    const web = new WebClient(api.baseUrl);
    const csrf = await web.csrfTokenOf(`/products/${sku}`);
    const refused = await web.post(`/products/${sku}`, { quantity: '6', _csrf: csrf });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('We only have 5 of those in stock.');
    const cartPage = await web.get('/cart');
    expect(cartPage.text).toContain('Your cart is empty.');
  });
});
