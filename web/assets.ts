/**
 * The pages' stylesheet, scripts and icon: files in web/assets, read once when the app is built and
 * served by this process (no CDN, nothing fetched at run time). Each is linked with a hash of its
 * content in the query, so browsers may keep it for a year and still see a new version at once.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Hono } from 'hono';

const CONTENT_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

const ASSET_NAMES = ['site.css', 'order-live.js', 'favicon.svg'] as const;
export type AssetName = (typeof ASSET_NAMES)[number];

interface Asset {
  body: string;
  contentType: string;
  version: string;
}

export interface Assets {
  /** The URL a page links: `/assets/site.css?v=<hash>`. */
  url(name: AssetName): string;
  routes: Hono;
}

export function loadAssets(dir = path.join(__dirname, 'assets')): Assets {
  const assets = new Map<string, Asset>();
  for (const name of ASSET_NAMES) {
    const body = readFileSync(path.join(dir, name), 'utf8');
    assets.set(name, {
      body,
      contentType: CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream',
      version: createHash('sha256').update(body).digest('base64url').slice(0, 16),
    });
  }
  const routes = new Hono().get('/:name', (c) => {
    const asset = assets.get(c.req.param('name'));
    if (!asset) return c.notFound();
    const current = c.req.query('v') === asset.version;
    c.header('Cache-Control', current ? 'public, max-age=31536000, immutable' : 'no-cache');
    c.header('Content-Type', asset.contentType);
    return c.body(asset.body);
  });
  return {
    url: (name) => `/assets/${name}?v=${assets.get(name)?.version ?? ''}`,
    routes,
  };
}
