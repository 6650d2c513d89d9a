/**
 * GET /docs: Swagger UI rendering /openapi.json. Its script and style sheet are the installed
 * swagger-ui-dist package's own files, served by this process (no CDN), and the few lines that start
 * it are a served file too, so the page's CSP allows scripts and styles from this origin only: no
 * inline script, no eval, no other host.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const ASSETS_PATH = '/docs/assets';

/** Starts Swagger UI on the document; read-only ("Try it out" still works for whoever wants it). */
const INIT_SCRIPT = `'use strict';
window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    defaultModelsExpandDepth: 0,
  });
});
`;

interface Asset {
  type: string;
  /** A file of the swagger-ui-dist package, or this module's own text. */
  source: { packageFile: string } | { text: string };
}

/** Every file the page loads: the whole allowlist of /docs/assets/{file}. */
export const REFERENCE_ASSETS: Readonly<Record<string, Asset>> = {
  'swagger-ui.css': { type: 'text/css', source: { packageFile: 'swagger-ui.css' } },
  'swagger-ui-bundle.js': { type: 'text/javascript', source: { packageFile: 'swagger-ui-bundle.js' } },
  'favicon-32x32.png': { type: 'image/png', source: { packageFile: 'favicon-32x32.png' } },
  'init.js': { type: 'text/javascript', source: { text: INIT_SCRIPT } },
};

/**
 * The reference page's own policy, looser than the JSON API's "load nothing" only where Swagger UI
 * needs it: its script and styles from here, the document fetched from here, and the data: images
 * its style sheet embeds.
 */
export const REFERENCE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const REFERENCE_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>API reference</title>
    <link rel="stylesheet" href="${ASSETS_PATH}/swagger-ui.css">
    <link rel="icon" type="image/png" href="${ASSETS_PATH}/favicon-32x32.png">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${ASSETS_PATH}/swagger-ui-bundle.js"></script>
    <script src="${ASSETS_PATH}/init.js"></script>
  </body>
</html>
`;

const packageDir = (): string => dirname(require.resolve('swagger-ui-dist/package.json'));
const loaded = new Map<string, Uint8Array<ArrayBuffer>>();

/** The file's bytes and media type, read from the package once; undefined for anything not listed. */
export function referenceAsset(file: string): { type: string; bytes: Uint8Array<ArrayBuffer> } | undefined {
  const asset = Object.hasOwn(REFERENCE_ASSETS, file) ? REFERENCE_ASSETS[file] : undefined;
  if (!asset) return undefined;
  let bytes = loaded.get(file);
  if (!bytes) {
    bytes =
      'text' in asset.source
        ? new TextEncoder().encode(asset.source.text)
        : new Uint8Array(readFileSync(join(packageDir(), asset.source.packageFile)));
    loaded.set(file, bytes);
  }
  return { type: asset.type, bytes };
}
