/** What every page handler finds on its context, set by ./index.ts's middleware. */
import type { ApiClient } from './api-client';
import type { Assets } from './assets';
import type { Formatter } from './format';
import type { Render } from './render';
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

/** What the page routers share: the renderer, the cookies, the assets. The support console too. */
export interface WebParts {
  render: Render;
  cookies: CookieJar;
  assets: Assets;
}
