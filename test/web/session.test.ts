/**
 * The web foundation: signing in and out in real Chromium, the session cookie's attributes, CSRF
 * refusals that change nothing, and the page CSP. Real API, worker, PostgreSQL, Redis, Temporal.
 */
import { createApp } from '../../api/app';
import { PAGE_CSP } from '../../web/page-headers';
import { useApiHarness } from '../support/api-harness';
import { useBrowser } from '../support/browser';
import { setCookieAttributes, WebClient } from '../support/web-client';

const api = useApiHarness();
const browser = useBrowser(() => api.baseUrl);

describe('signing in and out (Chromium)', () => {
  it('signs in with Email and Password, shows Sign out, and signs out again', async () => {
    const user = await api.userWithToken('customer');
    const { context, page } = await browser.newPage();
    await page.goto('/login?next=/login');
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();

    const session = (await context.cookies()).find((c) => c.name === 'session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false, path: '/' });
    // The cookie holds the API's access token: the API itself accepts it.
    const orders = await api.request('GET', '/v1/orders', { token: session?.value ?? '' });
    expect(orders.status).toBe(200);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    expect((await context.cookies()).find((c) => c.name === 'session')).toBeUndefined();
    // Signing out ended the token itself, not only the cookie: a copy of it is refused.
    expect((await api.request('GET', '/v1/orders', { token: session?.value ?? '' })).status).toBe(401);
    await page.goto('/login');
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    await browser.screenshot(page, 'session-signed-out');
  });

  it('says in words when the password is wrong, and sets no session', async () => {
    const user = await api.userWithToken('customer');
    const { context, page } = await browser.newPage();
    await page.goto('/login');
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'That email and password do not match an account.' }).waitFor();
    expect((await context.cookies()).find((c) => c.name === 'session')).toBeUndefined();
    await browser.screenshot(page, 'session-wrong-password');
  });
});

describe('CSRF', () => {
  it('refuses a sign-in post without the token, and signs nobody in', async () => {
    const user = await api.userWithToken('customer');
    const web = new WebClient(api.baseUrl);
    await web.get('/login'); // holds the csrf cookie, as a browser that saw the site would
    const res = await web.post('/login', { email: user.email, password: user.password });
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie().some((l) => l.startsWith('session='))).toBe(false);
    expect(web.cookies.has('session')).toBe(false);
  });

  it('refuses a wrong token, a token without its cookie, and a cross-site post with a good token', async () => {
    const user = await api.userWithToken('customer');
    const web = new WebClient(api.baseUrl);
    const token = await web.csrfTokenOf('/login');
    const fields = { email: user.email, password: user.password };

    expect((await web.post('/login', { ...fields, _csrf: `${token.slice(0, -2)}AA` })).status).toBe(403);
    const stranger = new WebClient(api.baseUrl);
    expect((await stranger.post('/login', { ...fields, _csrf: token })).status).toBe(403);
    expect((await web.post('/login', { ...fields, _csrf: token }, { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(
      403,
    );
    expect(web.cookies.has('session')).toBe(false);

    // The same form with its token goes through: the refusals above were the token's doing.
    const accepted = await web.post('/login', { ...fields, _csrf: token }, { 'Sec-Fetch-Site': 'same-origin' });
    expect(accepted.status).toBe(303);
    expect(web.cookies.has('session')).toBe(true);
  });

  it('never sends a signed-in shopper off the site, whatever next says', async () => {
    const user = await api.userWithToken('customer');
    // `/\t/evil.example` is what `?next=/%09/evil.example` decodes to: browsers drop the tab.
    const hostile = [
      '//evil.example/',
      'https://evil.example/',
      '/\\evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      '/\\\t\\evil.example',
      'javascript:alert(1)',
      ' //evil.example',
    ];
    for (const next of hostile) {
      const web = new WebClient(api.baseUrl);
      const token = await web.csrfTokenOf('/login');
      const res = await web.post('/login', { email: user.email, password: user.password, next, _csrf: token });
      expect(res.status).toBe(303);
      expect({ next, location: res.headers.get('location') }).toEqual({ next, location: '/' });
    }
    // A path of the site, with its query, is where the shopper goes back to.
    const web = new WebClient(api.baseUrl);
    const token = await web.csrfTokenOf('/login');
    const home = await web.post('/login', {
      email: user.email,
      password: user.password,
      next: '/orders?page=2',
      _csrf: token,
    });
    expect(home.headers.get('location')).toBe('/orders?page=2');
  });

  it('keeps Chromium on the site when next is /%09/evil.example', async () => {
    const user = await api.userWithToken('customer');
    const { page } = await browser.newPage();
    await page.goto('/login?next=/%09/evil.example');
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(new URL(page.url()).origin).toBe(new URL(api.baseUrl).origin);
    expect(new URL(page.url()).pathname).toBe('/');
  });

  it('refuses a sign-out post without the token: the session stays', async () => {
    const user = await api.userWithToken('customer');
    const web = new WebClient(api.baseUrl);
    const token = await web.csrfTokenOf('/login');
    await web.post('/login', { email: user.email, password: user.password, _csrf: token });
    expect(web.cookies.has('session')).toBe(true);
    const res = await web.post('/logout', {});
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie().some((l) => l.startsWith('session='))).toBe(false);
    expect(web.cookies.has('session')).toBe(true);
  });
});

describe('CSRF tokens are bound to the session', () => {
  it('refuses a form token minted before signing in once signed in, even with the same csrf cookie', async () => {
    const user = await api.userWithToken('customer');
    const web = new WebClient(api.baseUrl);
    const guestToken = await web.csrfTokenOf('/login');
    const signedIn = await web.post('/login', { email: user.email, password: user.password, _csrf: guestToken });
    expect(signedIn.status).toBe(303);

    const stale = await web.post('/logout', { _csrf: guestToken });
    expect(stale.status).toBe(403);
    expect(web.cookies.has('session')).toBe(true);
    // The token of a page rendered for this session goes through.
    const out = await web.post('/logout', { _csrf: await web.csrfTokenOf('/login') });
    expect(out.status).toBe(303);
    expect(web.cookies.has('session')).toBe(false);
  });
});

describe('cookies and headers', () => {
  it('sets the session cookie HttpOnly, SameSite=Lax, path / and not Secure outside production', async () => {
    const user = await api.userWithToken('customer');
    const web = new WebClient(api.baseUrl);
    const token = await web.csrfTokenOf('/login');
    const res = await web.post('/login', { email: user.email, password: user.password, _csrf: token });
    const attributes = setCookieAttributes(res.headers, 'session');
    expect(attributes?.has('httponly')).toBe(true);
    expect(attributes?.get('samesite')).toBe('Lax');
    expect(attributes?.get('path')).toBe('/');
    expect(attributes?.has('secure')).toBe(false);
  });

  it('marks every cookie Secure when NODE_ENV is production', async () => {
    const user = await api.userWithToken('customer');
    const app = createApp({ ...api.deps, config: { ...api.deps.config, NODE_ENV: 'production' } });
    const login = await app.request('/login');
    // Over HTTPS the names carry __Host- (the browser keeps them host-only, Secure, path /).
    const csrfCookie = login.headers.getSetCookie().find((l) => l.startsWith('__Host-csrf='));
    expect(setCookieAttributes(login.headers, 'csrf')).toBeUndefined();
    expect(setCookieAttributes(login.headers, '__Host-csrf')?.has('secure')).toBe(true);
    expect(setCookieAttributes(login.headers, '__Host-csrf')?.get('path')).toBe('/');
    const token = /name="_csrf" value="([^"]+)"/.exec(await login.text())?.[1] ?? '';
    const res = await app.request('/login', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Cookie: csrfCookie?.split(';')[0] ?? '',
      },
      body: new URLSearchParams({ email: user.email, password: user.password, _csrf: token }).toString(),
    });
    expect(res.status).toBe(303);
    expect(setCookieAttributes(res.headers, 'session')).toBeUndefined();
    const attributes = setCookieAttributes(res.headers, '__Host-session');
    expect(attributes?.has('secure')).toBe(true);
    expect(attributes?.has('httponly')).toBe(true);
  });

  it("serves pages with their own CSP and no caching, and leaves the API routes' headers as they were", async () => {
    const page = await api.request('GET', '/login');
    expect(page.headers.get('content-security-policy')).toBe(PAGE_CSP);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const apiAnswer = await api.request('GET', '/v1/products');
    expect(apiAnswer.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(apiAnswer.headers.get('set-cookie')).toBeNull();
  });

  it('serves the stylesheet from this process, cacheable for a year at its hashed URL', async () => {
    const page = await api.request('GET', '/login');
    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(String(page.body))?.[1] ?? '';
    expect(href).toMatch(/^\/assets\/site\.css\?v=[\w-]{16}$/);
    const css = await fetch(`${api.baseUrl}${href.replace(/&amp;/g, '&')}`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });
});
