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

/** A path of this site to go back to after signing in; anything else (other hosts, //x) is `/`. */
export function safeNext(next: string | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}
