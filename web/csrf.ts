/**
 * CSRF protection of every form that changes something: a signed double-submit token (OWASP's
 * recommended stateless pattern). The browser holds a random value in the HttpOnly `csrf` cookie;
 * each form carries HMAC-SHA256(key, "csrf:" + that value + the session cookie's value). A forged
 * cross-site post can send the cookie (when SameSite allows) but cannot read it, and cannot
 * compute the HMAC without the server's key, so it cannot produce the field. Bound to the session
 * too: someone who planted a `csrf` cookie of their own (and so knows a token for it) still has no
 * token for the victim's session, and signing in or out ends the forms' old tokens. A request whose Sec-Fetch-Site says it came from
 * another site is refused too, before its body is looked at. A refused post changes nothing.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { WebEnv } from './context';
import { getCookie, setCookie } from 'hono/cookie';
import { cookieBase, csrfCookieName } from './session';

export const CSRF_FIELD = '_csrf';

function tokenFor(key: Uint8Array, cookieValue: string, session: string | undefined): string {
  // The cookie value is base64url (no NUL), so the separator cannot be forged from either side.
  return createHmac('sha256', key)
    .update(`csrf:${cookieValue}\u0000${session ?? ''}`)
    .digest('base64url');
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
// Browsers send Sec-Fetch-Site on every request; same-origin is a form of ours, none a typed URL.
const ALLOWED_FETCH_SITES = new Set(['same-origin', 'none']);

/**
 * Whether the browser says this request came from another site: its Sec-Fetch-Site is neither
 * same-origin nor none, or, from a browser too old to send that, its Origin is not this site's.
 * A request with neither header is not a browser's cross-site post (clients, scripts, curl).
 */
export function isCrossSite(c: Context): boolean {
  const site = c.req.header('Sec-Fetch-Site');
  if (site !== undefined) return !ALLOWED_FETCH_SITES.has(site);
  const origin = c.req.header('Origin');
  return origin !== undefined && origin !== new URL(c.req.url).origin;
}

export interface CsrfOptions {
  key: Uint8Array;
  secure: boolean;
  /** The session cookie's value of the request (undefined for a guest): the token is bound to it. */
  sessionOf: (c: Context<WebEnv>) => string | undefined;
  /** The answer to a refused post (a page saying the form expired). */
  onRefused: (c: Context<WebEnv>) => Response | Promise<Response>;
}

export function csrfProtection({ key, secure, sessionOf, onRefused }: CsrfOptions): MiddlewareHandler<WebEnv> {
  const cookie = csrfCookieName(secure);
  return async (c, next) => {
    let value = getCookie(c, cookie);
    if (!value || !/^[A-Za-z0-9_-]{43}$/.test(value)) {
      value = randomBytes(32).toString('base64url');
      setCookie(c, cookie, value, cookieBase(secure));
      // A post that arrives without the cookie cannot carry a matching token: refused below.
      if (UNSAFE_METHODS.has(c.req.method)) return onRefused(c);
    }
    const expected = tokenFor(key, value, sessionOf(c));
    c.set('csrfToken', expected);
    if (UNSAFE_METHODS.has(c.req.method)) {
      if (isCrossSite(c)) return onRefused(c);
      const type = c.req.header('Content-Type') ?? '';
      if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type)) return onRefused(c);
      const form = await c.req.parseBody();
      const sent = form[CSRF_FIELD];
      if (typeof sent !== 'string' || !sameToken(sent, expected)) return onRefused(c);
    }
    await next();
  };
}
