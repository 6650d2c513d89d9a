/**
 * The browser's state, all in cookies, none readable by page script (HttpOnly), none sent on
 * cross-site subrequests or form posts (SameSite=Lax), Secure in production:
 * - `session`: the API's access token, so the pages call the API as the shopper;
 * - `cart`: a guest's cart id, which is the guest's only key to that cart (docs/api.md#carts);
 * - `csrf`: the random value the forms' CSRF tokens are bound to, with the session (./csrf.ts).
 * Served over HTTPS (Secure cookies) their names carry the `__Host-` prefix: the browser then
 * keeps only cookies set by this host itself, Secure, for path /, so a neighbouring subdomain or a
 * plain-http page cannot plant a `csrf` or `session` value. Over plain http in development the
 * browser would refuse prefixed cookies, so the names stay bare there.
 * The token's claims are read (not verified) only to know who is signed in for the layout; every
 * decision is the API's, which verifies the token on each call.
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { CookieOptions } from 'hono/utils/cookie';
import { z } from 'zod';

const SESSION_COOKIE = 'session';
const GUEST_CART_COOKIE = 'cart';
const CSRF_COOKIE = 'csrf';

/** A cookie's name: `__Host-name` when the cookies are Secure (see above), else `name`. */
export const cookieName = (name: string, secure: boolean): string => (secure ? `__Host-${name}` : name);

/** The name of the CSRF cookie (./csrf.ts). */
export const csrfCookieName = (secure: boolean): string => cookieName(CSRF_COOKIE, secure);

const GUEST_CART_MAX_AGE_SECONDS = 30 * 24 * 3600;

export interface Session {
  token: string;
  userId: string;
  role: 'customer' | 'support' | 'admin';
  expiresAt: number;
}

const claimsSchema = z.object({
  sub: z.string(),
  role: z.enum(['customer', 'support', 'admin']),
  exp: z.number(),
});

export interface CookieJar {
  session(c: Context): Session | null;
  /** The session cookie's value as it is (expired or not), what forms' CSRF tokens are bound to. */
  sessionCookie(c: Context): string | undefined;
  startSession(c: Context, token: string, expiresInSeconds: number): void;
  endSession(c: Context): void;
  guestCartId(c: Context): string | undefined;
  setGuestCart(c: Context, cartId: string): void;
  forgetGuestCart(c: Context): void;
}

/** The claims of an unexpired access token, or null (malformed or expired: treated as signed out). */
export function sessionOf(token: string | undefined, nowMs = Date.now()): Session | null {
  if (!token) return null;
  const payload = token.split('.')[1];
  if (!payload) return null;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const claims = claimsSchema.safeParse(json);
  if (!claims.success || claims.data.exp * 1000 <= nowMs) return null;
  return { token, userId: claims.data.sub, role: claims.data.role, expiresAt: claims.data.exp * 1000 };
}

export function cookieBase(secure: boolean): CookieOptions {
  return { httpOnly: true, sameSite: 'Lax', secure, path: '/' };
}

export function cookieJar({ secure }: { secure: boolean }): CookieJar {
  const base = cookieBase(secure);
  const session = cookieName(SESSION_COOKIE, secure);
  const cart = cookieName(GUEST_CART_COOKIE, secure);
  return {
    session: (c) => sessionOf(getCookie(c, session)),
    sessionCookie: (c) => getCookie(c, session),
    startSession(c, token, expiresInSeconds) {
      setCookie(c, session, token, { ...base, maxAge: expiresInSeconds });
    },
    endSession: (c) => void deleteCookie(c, session, base),
    guestCartId(c) {
      const id = getCookie(c, cart);
      return id && /^[0-9a-f-]{36}$/i.test(id) ? id : undefined;
    },
    setGuestCart(c, cartId) {
      setCookie(c, cart, cartId, { ...base, maxAge: GUEST_CART_MAX_AGE_SECONDS });
    },
    forgetGuestCart: (c) => void deleteCookie(c, cart, base),
  };
}
