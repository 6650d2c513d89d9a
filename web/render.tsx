/** Renders a page inside the layout, from what the web middleware put on the context. */
import type { Assets } from './assets';
import type { Render } from './context';
import { Layout } from './layout';

export function renderer(assets: Assets): Render {
  return (c, title, content, options = {}) =>
    c.html(
      '<!doctype html>' +
        (
          <Layout
            title={title}
            assets={assets}
            session={c.get('session')}
            csrfToken={c.get('csrfToken')}
            path={c.req.path}
            scripts={options.scripts ?? []}
          >
            {content}
          </Layout>
        ).toString(),
      options.status ?? 200,
    );
}

/**
 * A path of this site to go back to after signing in; anything else is `/`. `next` is resolved
 * against the site's origin by the WHATWG URL parser, the one browsers use on a Location header,
 * so what a browser would read as another host (`//x`, `/\x`, `/<tab>/x`: tabs and newlines
 * are dropped, backslashes are slashes) or another scheme (`javascript:`) is caught here rather
 * than by prefix checks that miss some. What is returned is the parsed path, query and fragment,
 * the form the browser will follow.
 */
export function safeNext(next: string | undefined, siteOrigin: string): string {
  // A path, not a URL or a relative reference: `next` names a page of this site.
  if (!next?.startsWith('/')) return '/';
  let url: URL;
  try {
    url = new URL(next, siteOrigin);
  } catch {
    return '/';
  }
  if (url.origin !== new URL(siteOrigin).origin || !url.pathname.startsWith('/')) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}
