/**
 * The API description (docs/api.md#api-description): the OpenAPI document, rendered from the route
 * catalogue once per process, and the Swagger UI reference page with its assets.
 */
import { Hono } from 'hono';
import { paymentProviderOf } from '../config';
import type { AppDependencies } from '../deps';
import { problems } from '../http/problem';
import { buildOpenApiDocument } from '../openapi/document';
import { ASSETS_PATH, REFERENCE_CSP, REFERENCE_PAGE, referenceAsset } from '../openapi/reference-page';

export function apiDescriptionRoutes({ config }: AppDependencies) {
  let document: string | undefined;
  // Built on first use, not at start-up: a process that is never asked pays nothing.
  const documentText = () =>
    (document ??= JSON.stringify(buildOpenApiDocument({ simulatedBank: paymentProviderOf(config) === 'simulated' })));

  return new Hono()
    .get('/openapi.json', (c) => c.body(documentText(), 200, { 'Content-Type': 'application/json' }))
    .get('/docs', (c) => {
      c.header('Content-Security-Policy', REFERENCE_CSP);
      return c.html(REFERENCE_PAGE);
    })
    .get(`${ASSETS_PATH}/:file`, (c) => {
      const asset = referenceAsset(c.req.param('file'));
      if (!asset) throw problems.notFound('No such file of the API reference.');
      // Their content changes only with the installed package, i.e. with a deployment.
      c.header('Cache-Control', 'public, max-age=3600');
      return c.body(asset.bytes, 200, {
        'Content-Type': asset.type.startsWith('text/') ? `${asset.type}; charset=utf-8` : asset.type,
      });
    });
}
