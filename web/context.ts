/**
 * What every page handler finds on its context, set by ./index.ts's middleware, and what the page
 * routers share. The types live here, not beside their makers (./render.tsx), so that the modules
 * below the pages import this one and it imports none of them back.
 */
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ApiClient } from './api-client';
import type { AssetName, Assets } from './assets';
import type { Formatter } from './format';
import type { CookieJar, Session } from './session';

export interface WebEnv {
  Variables: {
    /** The API, as the signed-in shopper (or as a guest). */
    api: ApiClient;
    /** Who is signed in, from the session cookie; null for a guest. */
    session: Session | null;
    /** The token this page's forms carry in their `_csrf` field (./csrf.ts). */
    csrfToken: string;
    fmt: Formatter;
  };
}

interface PageOptions {
  status?: ContentfulStatusCode;
  scripts?: AssetName[];
}

/** Renders a page inside the layout (./render.tsx makes it). */
export type Render = (
  c: Context<WebEnv>,
  title: string,
  content: Child,
  options?: PageOptions,
) => Response | Promise<Response>;

/** What the page routers share: the renderer, the cookies, the assets. The support console too. */
export interface WebParts {
  render: Render;
  cookies: CookieJar;
  assets: Assets;
}
