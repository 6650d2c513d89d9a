/**
 * The paths the web pages own. Everything else the API process serves is the HTTP API and is in
 * its OpenAPI document; the pages are built on that API, not part of it. The route test of the
 * document and the API harness's conformance check both read this list, so a page added under a
 * new prefix is either added here or must be documented as an API route.
 */
const PAGE_PREFIXES = ['/products', '/cart', '/login', '/logout', '/checkout', '/orders', '/console', '/assets'];

/** True for `/` and any path under a page prefix (a query string is ignored). */
export function isPagePath(pathOrUrl: string): boolean {
  const path = pathOrUrl.split('?', 1)[0] ?? pathOrUrl;
  return path === '/' || PAGE_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}
