/** The storefront (docs/api.md#storefront): catalog, cart, checkout, orders. */
import { Hono } from 'hono';
import type { WebEnv, WebParts } from '../context';
import { pageErrorHandler } from '../errors';
import { cartRoutes } from './cart';
import { catalogRoutes } from './catalog';
import { checkoutRoutes } from './checkout';
import { orderRoutes } from './orders';

/** The paths (Hono patterns) the storefront answers: each gets the page middleware. */
export const STOREFRONT_PATHS = ['/', '/products/*', '/cart', '/cart/*', '/checkout', '/orders', '/orders/*'];

export function storefrontRoutes(parts: WebParts, options: { simulatedBank: boolean }) {
  return new Hono<WebEnv>()
    .route('/', catalogRoutes(parts))
    .route('/', cartRoutes(parts))
    .route('/', checkoutRoutes(parts))
    .route('/', orderRoutes(parts, options))
    .onError(pageErrorHandler(parts));
}
