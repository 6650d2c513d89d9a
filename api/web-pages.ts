/**
 * Mounts the web pages (web/) on the API's app and hands them what they need: a transport that
 * calls this same app in-process (./http/in-process.ts), a CSRF key and the cookie policy.
 */
import { hkdfSync } from 'node:crypto';
import type { Hono } from 'hono';
import { webRoutes } from '../web';
import { paymentProviderOf } from './config';
import type { AppDependencies } from './deps';
import { inProcessTransport } from './http/in-process';

/**
 * The forms' CSRF key, derived from JWT_SECRET (HKDF with its own label): every API process of a
 * deployment has the same one with no new secret to distribute, and it is not the token key itself.
 */
function csrfKeyOf(jwtSecret: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', jwtSecret, 'temporal-commerce', 'web-csrf-v1', 32));
}

export function mountWebPages(app: Hono, { config }: AppDependencies): void {
  app.route(
    '/',
    webRoutes({
      transport: inProcessTransport(app),
      csrfKey: csrfKeyOf(config.JWT_SECRET),
      secureCookies: config.NODE_ENV === 'production',
      simulatedBank: paymentProviderOf(config) === 'simulated',
      temporalUi: { baseUrl: config.TEMPORAL_UI_URL, namespace: config.TEMPORAL_NAMESPACE },
    }),
  );
}
