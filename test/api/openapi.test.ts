/**
 * The API description matches the app: GET /openapi.json is a valid OpenAPI 3.1 document, every
 * route the app serves is in it and every operation in it is served, and GET /docs renders it in
 * Chromium from this process's own files under its own CSP. (That every answer of every API test
 * conforms to the document is checked by the API harness itself: test/support/openapi-conformance.ts.)
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { createApp } from '../../api/app';
import { SECURITY_HEADERS } from '../../api/http/security-headers';
import { buildOpenApiDocument, operationsFor } from '../../api/routes/table';
import { REFERENCE_ASSETS, REFERENCE_CSP } from '../../api/openapi/reference-page';
import { useApiHarness } from '../support/api-harness';
import { createConformance } from '../support/openapi-conformance';
import { isPagePath } from '../../web/paths';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/browser';

const api = useApiHarness();

/** The verdict of @seriousme/openapi-schema-validator (see validate-openapi.mjs for why a process). */
function validateOpenApi(document: unknown): { valid: boolean; errors: unknown[] } {
  const script = join(__dirname, '../support/validate-openapi.mjs');
  return JSON.parse(execFileSync(process.execPath, [script], { input: JSON.stringify(document), encoding: 'utf8' }));
}

/**
 * What the document covers: every route the app serves except the HTML pages of the storefront
 * and the support console (docs/api.md#web-pages), which are built on this API rather than part of
 * it. Every other route (all of /v1, /healthz, /readyz, /openapi.json, /docs and its assets, the
 * simulated bank's /sim/3ds) must be documented; a new route outside the page prefixes of
 * web/paths.ts is too.
 */
const isPageRoute = isPagePath;

/** `METHOD /path` of the app's routes, in OpenAPI's path form (`{param}` for Hono's `:param`). */
function servedRoutes(): string[] {
  const routes = createApp(api.deps)
    .routes // Middleware is registered on wildcard paths (`*`, `/v1/carts/*`): not a route of its own.
    .filter((r) => !r.path.endsWith('*') && r.method !== 'ALL')
    .filter((r) => !isPageRoute(r.path))
    .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
  return [...new Set(routes)].sort();
}

function documentedRoutes(document: { paths: Record<string, Record<string, unknown>> }): string[] {
  return Object.entries(document.paths)
    .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();
}

test('the validator refuses what is not OpenAPI 3.1', () => {
  expect(validateOpenApi({ openapi: '3.1.0', info: { title: 'x' }, paths: { 'no-slash': {} } }).valid).toBe(false);
});

test('GET /openapi.json is a valid OpenAPI 3.1 document, the one the catalogue renders', async () => {
  const res = await api.request('GET', '/openapi.json');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(res.body.openapi).toBe('3.1.0');
  const result = validateOpenApi(res.body);
  expect(result.errors).toEqual([]);
  expect(result.valid).toBe(true);
  // The harness runs with the simulated provider: the simulated bank is served, so documented.
  expect(res.body).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument({ simulatedBank: true }))));
});

test('every route the app serves is documented, and every documented operation is served', async () => {
  const { body: document } = await api.request('GET', '/openapi.json');
  const served = servedRoutes();
  expect(served).toContain('POST /v1/checkouts');
  expect(served).toContain('GET /sim/3ds/{providerPaymentId}');
  expect(documentedRoutes(document)).toEqual(served);
});

test('without the simulated provider the simulated bank is neither served nor documented', () => {
  const paths = operationsFor({ simulatedBank: false }).map((op) => op.path);
  expect(paths.some((p) => p.startsWith('/sim/'))).toBe(false);
  expect(Object.keys(buildOpenApiDocument({ simulatedBank: false }).paths as object)).toEqual([...new Set(paths)]);
});

test('each problem answer states the codes of its route, and the Problem schema restricts them', async () => {
  const { body: document } = await api.request('GET', '/openapi.json');
  const checkout = document.paths['/v1/checkouts'].post;
  expect(checkout.security).toEqual([{ bearerAuth: [] }]);
  expect(checkout.parameters).toContainEqual({ $ref: '#/components/parameters/IdempotencyKey' });
  expect(checkout.responses['202'].headers.Location).toEqual({ $ref: '#/components/headers/Location' });
  const conflict = checkout.responses['409'].content['application/problem+json'].schema;
  expect(conflict.allOf[1].properties.code.enum).toEqual(
    expect.arrayContaining(['idempotency_key_reuse', 'too_many_unpaid_orders']),
  );
  expect(checkout.responses['409'].description).toContain('`idempotency_key_reuse`');
  expect(checkout.responses['422'].content['application/problem+json'].schema.allOf[1].properties.code.enum).toEqual([
    'unknown_sku',
    'mixed_currency',
    'order_too_large',
    'cart_empty',
  ]);
  expect(document.paths['/v1/webhooks/payments'].post.parameters).toContainEqual({
    $ref: '#/components/parameters/Signature',
  });
  expect(document.paths['/v1/products'].get.security).toEqual([]);
  // The problem codes an answer carries are the route's own: a cart change is never a checkout's 409.
  const res = await api.request('POST', '/v1/checkouts', { body: {} });
  expect(res.status).toBe(401);
  expect(res.body.code).toBe('unauthorized');
});

test('GET /docs has its own CSP; the assets come from the installed package; other routes keep theirs', async () => {
  const page = await api.request('GET', '/docs');
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  expect(page.headers.get('content-security-policy')).toBe(REFERENCE_CSP);
  expect(page.body).toContain('/docs/assets/swagger-ui-bundle.js');
  expect(page.body).not.toMatch(/<script>(?!<\/script>)|https?:\/\//);

  for (const [file, { type }] of Object.entries(REFERENCE_ASSETS)) {
    const asset = await fetch(`${api.baseUrl}/docs/assets/${file}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(new RegExp(`^${type}`));
    expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(100);
  }
  const missing = await api.request('GET', '/docs/assets/..%2Fpackage.json');
  expect(missing.status).toBe(404);
  expect(missing.body.code).toBe('not_found');

  const jsonApi = await api.request('GET', '/healthz');
  const csp = SECURITY_HEADERS.find(([name]) => name === 'Content-Security-Policy')?.[1];
  expect(jsonApi.headers.get('content-security-policy')).toBe(csp);
});

test('GET /docs renders every operation in Chromium, loading nothing from elsewhere and breaking no CSP rule', async () => {
  const { body: document } = await api.request('GET', '/openapi.json');
  const operations = documentedRoutes(document).length;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    const requested: string[] = [];
    const consoleErrors: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.goto(`${api.baseUrl}/docs`);
    await page
      .locator('.opblock')
      .nth(operations - 1)
      .waitFor({ timeout: 20_000 });
    expect(await page.locator('.opblock').count()).toBe(operations);
    await expect(page.getByText('temporal-commerce API').first().isVisible()).resolves.toBe(true);
    expect(consoleErrors).toEqual([]);
    const origin = new URL(api.baseUrl).origin;
    expect(requested.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:'))).toEqual([]);
  } finally {
    await browser.close();
  }
});

test('the conformance check that runs on every API answer refuses what the document does not say', async () => {
  const { body: document } = await api.request('GET', '/openapi.json');
  const check = createConformance(document).check;
  const json = new Headers({ 'content-type': 'application/json' });
  const problemJson = new Headers({ 'content-type': 'application/problem+json' });
  const notFound = { type: '/problems/not_found', title: 'Not found', status: 404, code: 'not_found' };

  expect(check({ method: 'GET', url: '/healthz', status: 200, headers: json, body: { status: 'ok' } })).toEqual([]);
  // A field the document does not have, a status it does not list, a code the route does not answer.
  expect(
    check({ method: 'GET', url: '/healthz', status: 200, headers: json, body: { status: 'ok', extra: 1 } }),
  ).toEqual([expect.stringContaining('must NOT have additional properties')]);
  expect(check({ method: 'GET', url: '/v1/orders/x', status: 409, headers: problemJson, body: notFound })).toEqual([
    expect.stringContaining('status 409 is not documented'),
  ]);
  expect(
    check({
      method: 'POST',
      url: '/v1/checkouts',
      status: 409,
      headers: problemJson,
      body: { ...notFound, status: 409, code: 'cart_too_large' },
    }),
  ).toEqual([expect.stringContaining('/code must be equal to one of the allowed values')]);
  // A documented required header missing; a content type the status does not list.
  const accepted = { orderId: '6f1d0c1e-8a3b-4c5d-9e7f-0a1b2c3d4e5f', status: 'PENDING', workflowId: 'checkout-x' };
  expect(check({ method: 'POST', url: '/v1/checkouts', status: 202, headers: json, body: accepted })).toEqual([
    expect.stringContaining('no Location header'),
  ]);
  expect(
    check({
      method: 'GET',
      url: '/v1/products?limit=2',
      status: 200,
      headers: new Headers({ 'content-type': 'text/html' }),
      body: '',
    }),
  ).toEqual([expect.stringContaining('content type text/html')]);
  // An unknown route is only ever the app-wide 404.
  expect(check({ method: 'GET', url: '/v2/nothing', status: 404, headers: problemJson, body: notFound })).toEqual([]);
  expect(check({ method: 'GET', url: '/v2/nothing', status: 200, headers: json, body: {} })).toEqual([
    expect.stringContaining('no operation'),
  ]);
});
