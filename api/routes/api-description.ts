/**
 * The API description (docs/api.md#api-description): the OpenAPI document, rendered from the route
 * declarations once per process, and the Swagger UI reference page with its assets.
 */
import { z } from 'zod';
import { paymentProviderOf } from '../config';
import { problems } from '../http/problem';
import { openApiDocumentSchema } from '../../contract/response-schemas';
import { renderOpenApiDocument } from '../openapi/document';
import { html, json } from '../openapi/operation';
import {
  ASSETS_PATH,
  REFERENCE_ASSETS,
  REFERENCE_CSP,
  REFERENCE_PAGE,
  referenceAsset,
} from '../openapi/reference-page';
import { routeGroup } from './define';

const description = routeGroup({
  prefix: '',
  setup: ({ deps: { config }, served }) => {
    let document: string | undefined;
    // Built on first use, not at start-up: a process that is never asked pays nothing.
    const documentText = () =>
      (document ??= JSON.stringify(
        renderOpenApiDocument(served, { simulatedBank: paymentProviderOf(config) === 'simulated' }),
      ));
    return { documentText };
  },
});

export const apiDescriptionRoutes = description.of([
  description.route({
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApiDocument',
    summary: 'This document (OpenAPI 3.1)',
    tag: 'API description',
    access: 'public',
    success: { 200: { description: 'The OpenAPI document.', content: json('OpenApiDocument', openApiDocumentSchema) } },
    handler:
      ({ documentText }) =>
      (c) =>
        c.body(documentText(), 200, { 'Content-Type': 'application/json' }),
  }),
  description.route({
    method: 'get',
    path: '/docs',
    operationId: 'getApiReference',
    summary: 'The rendered API reference (Swagger UI) of this document',
    tag: 'API description',
    access: 'public',
    success: { 200: { description: 'The reference page.', content: html } },
    handler: () => (c) => {
      c.header('Content-Security-Policy', REFERENCE_CSP);
      return c.html(REFERENCE_PAGE);
    },
  }),
  description.route({
    method: 'get',
    path: `${ASSETS_PATH}/{file}`,
    operationId: 'getApiReferenceAsset',
    summary: 'A script, style sheet or image of the reference page, served from the installed package',
    tag: 'API description',
    access: 'public',
    pathParams: { file: z.enum(Object.keys(REFERENCE_ASSETS) as [string, ...string[]]) },
    success: {
      200: {
        description: 'The file.',
        content: { kind: 'asset', mediaTypes: [...new Set(Object.values(REFERENCE_ASSETS).map((a) => a.type))] },
      },
    },
    problems: ['not_found'],
    handler: () => (c) => {
      const asset = referenceAsset(c.req.param('file') ?? '');
      if (!asset) throw problems.notFound('No such file of the API reference.');
      // Their content changes only with the installed package, i.e. with a deployment.
      c.header('Cache-Control', 'public, max-age=3600');
      return c.body(asset.bytes, 200, {
        'Content-Type': asset.type.startsWith('text/') ? `${asset.type}; charset=utf-8` : asset.type,
      });
    },
  }),
]);
