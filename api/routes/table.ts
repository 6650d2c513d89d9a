/**
 * Every route group of the API, in the order the app mounts them (the order matters where
 * prefixes overlap: the refunds are mounted before the orders, whose guard covers /v1/orders/*).
 * The app mounts these and the OpenAPI document renders their operations: adding a route is one
 * entry in its route file (./define.ts), and a new route file is one line here.
 */
import { renderOpenApiDocument, type DocumentOptions } from '../openapi/document';
import type { Operation } from '../openapi/operation';
import { adminAuditRoutes } from './admin-audit';
import { apiDescriptionRoutes } from './api-description';
import { authRoutes } from './auth';
import { cartRoutes } from './carts';
import { checkoutRoutes } from './checkouts';
import type { RouteGroup } from './define';
import { healthRoutes } from './health';
import { meRoutes } from './me';
import { orderRoutes } from './orders';
import { adminInventoryRoutes, productRoutes } from './products';
import { refundRoutes } from './refunds';
import { sim3dsRoutes } from './sim-3ds';
import { webhookRoutes } from './webhooks';

const ROUTE_GROUPS: readonly RouteGroup[] = [
  healthRoutes,
  apiDescriptionRoutes,
  authRoutes,
  productRoutes,
  adminInventoryRoutes,
  adminAuditRoutes,
  cartRoutes,
  meRoutes,
  checkoutRoutes,
  refundRoutes,
  orderRoutes,
  webhookRoutes,
];

/** The groups the app serves: the simulated bank only while the simulated provider is configured. */
export function routeGroupsFor(options: DocumentOptions): readonly RouteGroup[] {
  return options.simulatedBank ? [...ROUTE_GROUPS, sim3dsRoutes] : ROUTE_GROUPS;
}

/** The operations the app serves with these options, in mounting order. */
export function operationsFor(options: DocumentOptions): readonly Operation[] {
  return routeGroupsFor(options).flatMap((group) => group.operations);
}

/** The document GET /openapi.json serves with these options. */
export function buildOpenApiDocument(options: DocumentOptions): ReturnType<typeof renderOpenApiDocument> {
  return renderOpenApiDocument(operationsFor(options), options);
}
