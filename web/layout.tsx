/**
 * The frame of every page: a header with the shop's name, the navigation and the account control
 * ("Sign in" link for guests, "Sign out" button when signed in), then the page's content. Nothing
 * inline: the stylesheet and any script come from ./assets.ts, as the page CSP requires.
 */
import type { FC, PropsWithChildren } from 'hono/jsx';
import type { AssetName, Assets } from './assets';
import { CSRF_FIELD } from './csrf';
import type { Session } from './session';

const SHOP_NAME = 'Temporal Commerce';

interface NavLink {
  href: string;
  label: string;
}

/** The navigation for who is signed in. The support console adds its link for support and admin. */
function navFor(session: Session | null): NavLink[] {
  const links: NavLink[] = [
    { href: '/', label: 'Products' },
    { href: '/cart', label: 'Cart' },
  ];
  if (session?.role === 'customer') links.push({ href: '/orders', label: 'Orders' });
  if (session && session.role !== 'customer') links.push({ href: '/console', label: 'Console' });
  return links;
}

export interface LayoutProps {
  title: string;
  assets: Assets;
  session: Session | null;
  csrfToken: string;
  /** The path of this page, where "Sign in" brings the shopper back to. */
  path: string;
  scripts?: AssetName[];
  nav?: NavLink[];
}

/** The hidden field every state-changing form carries (./csrf.ts). */
export const CsrfField: FC<{ token: string }> = ({ token }) => <input type="hidden" name={CSRF_FIELD} value={token} />;

export const Layout: FC<PropsWithChildren<LayoutProps>> = (props) => {
  const nav = props.nav ?? navFor(props.session);
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · ${SHOP_NAME}`}</title>
        <link rel="icon" href={props.assets.url('favicon.svg')} type="image/svg+xml" />
        <link rel="stylesheet" href={props.assets.url('site.css')} />
        {(props.scripts ?? []).map((name) => (
          <script type="module" src={props.assets.url(name)}></script>
        ))}
      </head>
      <body>
        <header class="site-header">
          <a class="brand" href="/">
            {SHOP_NAME}
          </a>
          <nav aria-label="Main">
            <ul>
              {nav.map((link) => (
                <li>
                  <a href={link.href} aria-current={link.href === props.path ? 'page' : undefined}>
                    {link.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <div class="account">
            {props.session ? (
              <form method="post" action="/logout">
                <CsrfField token={props.csrfToken} />
                <button type="submit" class="link-button">
                  Sign out
                </button>
              </form>
            ) : (
              <a href={`/login?next=${encodeURIComponent(props.path)}`}>Sign in</a>
            )}
          </div>
        </header>
        <main id="main">{props.children}</main>
      </body>
    </html>
  );
};

/** A message the page shows after a refused action: announced by screen readers at once. */
export const Alert: FC<{ message: string | undefined }> = ({ message }) =>
  message ? (
    <p class="alert" role="alert">
      {message}
    </p>
  ) : null;
