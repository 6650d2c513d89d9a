/**
 * The headers every answer of this JSON API carries (OWASP REST Security Cheat Sheet): no sniffing,
 * no framing, no referrers, HTTPS only, a CSP that lets a response load nothing, and no use of the
 * answer by other origins' pages. Hono's secureHeaders() defaults add six more meant for HTML pages
 * (XSS filter, DNS prefetch, download options...); none of them means anything to a JSON client.
 *
 * Kept as a fixed list rather than Hono's secureHeaders() middleware because that middleware sets
 * them after the handler, on the finished response, as one more async layer per request
 * (docs/performance.md#security-headers).
 * api/http/edge.ts sets these before the handler runs (through ./response-headers.ts), so every
 * answer carries them: handlers' bodies, problem+json errors, 404s, CORS preflights.
 */
export const SECURITY_HEADERS: readonly (readonly [name: string, value: string])[] = [
  ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Referrer-Policy', 'no-referrer'],
  ['Strict-Transport-Security', 'max-age=15552000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
];
