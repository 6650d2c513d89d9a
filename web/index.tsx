/**
 * The web pages (docs/api.md#web-pages), as one Hono router that api/app.ts mounts at `/`. Pages are
 * built only on the public HTTP API, reached through the transport api/ hands in; this layer
 * imports nothing but domain/ and platform/ (ESLint enforces it).
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { ApiClient, type ApiTransport } from './api-client';
import { loadAssets } from './assets';
import { authRoutes } from './auth-routes';
import { CONSOLE_PATHS, consoleRoutes } from './console/routes';
import type { TemporalUi } from './console/temporal-link';
import type { WebEnv, WebParts } from './context';
import { csrfProtection } from './csrf';
import { createFormatter, negotiateLocale } from './format';
import { pageHeaders } from './page-headers';
import { renderer } from './render';
import { cookieJar } from './session';
import { STOREFRONT_PATHS, storefrontRoutes } from './storefront';

export interface WebOptions {
  /** Calls the HTTP API on behalf of a page request (api/http/in-process.ts). */
  transport: ApiTransport;
  /** The key the forms' CSRF tokens are signed with: secret, stable across the API's processes. */
  csrfKey: Uint8Array;
  /** Secure cookies (HTTPS only): on in production. */
  secureCookies: boolean;
  /** Where the simulated bank's 3-D Secure pages are, when the simulated provider is configured. */
  simulatedBank: boolean;
  /** The Temporal Web UI the support console links an order's workflows to. */
  temporalUi: TemporalUi;
}

/** Every path (Hono pattern) a page router answers: each gets the page middleware below. */
const PAGE_PATHS = ['/login', '/logout', ...STOREFRONT_PATHS, ...CONSOLE_PATHS];

export function webRoutes(options: WebOptions): Hono<WebEnv> {
  const assets = loadAssets();
  const cookies = cookieJar({ secure: options.secureCookies });
  const render = renderer(assets);
  const parts: WebParts = { render, cookies, assets };

  const context: MiddlewareHandler<WebEnv> = async (c, next) => {
    const session = cookies.session(c);
    c.set('session', session);
    c.set('api', new ApiClient(options.transport, c, session?.token));
    c.set('fmt', createFormatter(negotiateLocale(c.req.header('Accept-Language'))));
    await next();
  };
  const csrf = csrfProtection({
    key: options.csrfKey,
    secure: options.secureCookies,
    sessionOf: (c) => cookies.sessionCookie(c),
    onRefused: (c) =>
      render(
        c,
        'Form expired',
        <>
          <h1>This form has expired</h1>
          <p class="alert" role="alert">
            Nothing was changed. Please go back, reload the page and try again.
          </p>
        </>,
        { status: 403 },
      ),
  });

  // Registered per page path, never on `*`: this router is mounted on the API's app, whose /v1
  // routes must not get page headers or CSRF checks.
  const pages = new Hono<WebEnv>();
  for (const path of PAGE_PATHS) pages.use(path, pageHeaders, context, csrf);
  pages.route('/', authRoutes(parts));
  pages.route('/', storefrontRoutes(parts, { simulatedBank: options.simulatedBank }));
  pages.route('/', consoleRoutes(parts, options.temporalUi));

  return new Hono<WebEnv>().route('/assets', assets.routes).route('/', pages);
}
