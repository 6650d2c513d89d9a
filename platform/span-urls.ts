/**
 * URLs in HTTP spans without their query strings. A query carries what a client searched for
 * (support's `GET /v1/orders?customerEmail=...`), and traces leave the process for a collector
 * that must hold no personal data (docs/api.md#personal-data). The http instrumentation records
 * the query in `http.target`, `http.url` and `url.full`; its request hook, called right after a
 * span starts, writes them again without it.
 */
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Span } from '@opentelemetry/api';

/** `/v1/orders?customerEmail=x` -> `/v1/orders` (a fragment, never sent, goes too). */
export const withoutQuery = (target: string): string => target.replace(/[?#].*$/su, '');

/**
 * The request hook of HttpInstrumentation, for incoming (IncomingMessage) and outgoing
 * (ClientRequest) requests alike. Told apart by shape, not `instanceof`: importing `http` here
 * would load it before the instrumentation patches it.
 */
export function redactQueryStrings(span: Span, request: ClientRequest | IncomingMessage): void {
  if (!('path' in request)) {
    const path = withoutQuery(request.url ?? '/') || '/';
    const scheme = 'encrypted' in request.socket && request.socket.encrypted ? 'https' : 'http';
    span.setAttribute('http.target', path);
    span.setAttribute('http.url', `${scheme}://${request.headers.host ?? 'localhost'}${path}`);
    return;
  }
  const path = withoutQuery(request.path) || '/';
  const url = `${request.protocol}//${request.host}${path}`;
  span.setAttribute('http.target', path);
  span.setAttribute('http.url', url);
  span.setAttribute('url.full', url);
}
