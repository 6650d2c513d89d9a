/**
 * Headers of the HTML pages and their JSON endpoint. The API's edge (api/http/edge.ts) already set
 * its fixed security headers on every answer; a page's own value of the same header wins, and only
 * the CSP needs one: the JSON API's "load nothing" becomes "load only what this origin serves", with
 * no inline script or style anywhere, forms that post only back here and no framing. Pages hold
 * personal data (carts, orders, addresses), so no cache keeps them.
 */
import type { MiddlewareHandler } from 'hono';

export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const pageHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  c.header('Content-Security-Policy', PAGE_CSP);
  if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
};
