import type { Context } from 'hono';
import { z } from 'zod';
import { createCatalogRepository } from '../../prisma/repositories/catalog';
import { createInventoryRepository } from '../../prisma/repositories/inventory';
import { skuSchema } from '../checkout/request';
import { decodeCursor, encodeCursor, limitParam } from '../http/pagination';
import { createAuditor } from '../http/audit';
import { problems } from '../http/problem';
import { productPageSchema, productSchema, type Product } from '../../contract/response-schemas';
import { isUnstorableText, readJsonBody, readQuery } from '../http/validation';
import { json } from '../openapi/operation';
import { routeGroup } from './define';

const listQuery = z.object({ limit: limitParam, cursor: z.string().max(512).optional() });
const skuCursor = z.object({ sku: skuSchema });
const JSON_HEADERS = { 'Content-Type': 'application/json' } as const;
const inventoryBody = z.object({ onHand: z.number().int().min(0).max(1_000_000_000) });

/**
 * Path skus do not pass through validate(): one with NUL or a lone surrogate reached the query and
 * failed it (a 500, also for PUT after the audit insert failed). The catalog stores skus as text,
 * so no product can have such a sku: it is simply not found.
 */
function isPossibleSku(sku: string): boolean {
  return !isUnstorableText(sku);
}

const product = json('Product', productSchema);
const skuPath = z.string().describe('The product sku');

/** Public catalog reads. */
const products = routeGroup({
  prefix: '/v1/products',
  setup: ({ deps: { db, productCache: cache } }) => {
    const catalog = createCatalogRepository(db);

    /** Below the memory tier: Redis, then the database (which fills both tiers). */
    async function readThrough(c: Context, sku: string): Promise<Response> {
      const cached = await cache.get(sku);
      if (cached !== null) return c.body(cached, 200, JSON_HEADERS);
      const product = await catalog.getProduct(sku);
      if (!product) throw problems.notFound('No product with this sku.');
      const document = JSON.stringify(product);
      await cache.set(sku, document);
      return c.body(document, 200, JSON_HEADERS);
    }
    return { catalog, cache, readThrough };
  },
});

export const productRoutes = products.of([
  products.route({
    method: 'get',
    path: '/v1/products',
    operationId: 'listProducts',
    summary: 'The catalog, a page at a time (by sku)',
    tag: 'Catalog',
    access: 'public',
    query: listQuery,
    success: { 200: { description: 'A page of products.', content: json('ProductPage', productPageSchema) } },
    handler:
      ({ catalog }) =>
      async (c) => {
        const q = readQuery(c, listQuery);
        const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor, skuCursor).sku;
        const page = await catalog.listProducts({
          limit: q.limit,
          ...(after === undefined ? {} : { afterSku: after }),
        });
        const last = page.items.at(-1);
        return c.json({
          items: page.items satisfies Product[],
          nextCursor: page.hasMore && last ? encodeCursor({ sku: last.sku }) : null,
        });
      },
  }),
  products.route({
    method: 'get',
    path: '/v1/products/{sku}',
    operationId: 'getProduct',
    summary: 'One product',
    tag: 'Catalog',
    access: 'public',
    pathParams: { sku: skuPath },
    success: { 200: { description: 'The product.', content: product } },
    problems: ['not_found'],
    handler:
      ({ cache, readThrough }) =>
      (c) => {
        const sku = c.req.param('sku') ?? '';
        if (!isPossibleSku(sku)) throw problems.notFound('No product with this sku.');
        // The cached document is served as stored: no parse, no re-serialisation on the hot path, and
        // for a hit in this process's memory not even a promise.
        const hit = cache.peek(sku);
        if (hit !== undefined) return c.body(hit, 200, JSON_HEADERS);
        return readThrough(c, sku);
      },
  }),
]);

const inventory = routeGroup({
  prefix: '/v1/admin/inventory',
  setup: ({ deps: { db, productCache: cache } }) => ({
    catalog: createCatalogRepository(db),
    inventory: createInventoryRepository(db),
    audited: createAuditor(db),
    cache,
  }),
});

/** PUT /v1/admin/inventory/:sku: an admin records the counted on-hand stock. */
export const adminInventoryRoutes = inventory.of([
  inventory.route({
    method: 'put',
    path: '/v1/admin/inventory/{sku}',
    operationId: 'setOnHand',
    summary: 'Record the counted on-hand stock of a product (admin)',
    tag: 'Admin',
    access: ['admin'],
    pathParams: { sku: skuPath },
    body: { name: 'InventoryUpdate', schema: inventoryBody },
    success: { 200: { description: 'The product with its new availability.', content: product } },
    problems: ['not_found', 'on_hand_below_reserved'],
    handler:
      ({ catalog, inventory, audited, cache }) =>
      async (c) => {
        const sku = c.req.param('sku') ?? '';
        if (!isPossibleSku(sku)) throw problems.notFound('No product with this sku.');
        const { onHand } = await readJsonBody(c, inventoryBody);
        await audited(
          c.get('principal'),
          'inventory.set_on_hand',
          { type: 'product', id: sku },
          { onHand },
          async () => {
            const outcome = await inventory.setOnHand(sku, onHand);
            if (outcome === 'not_found') throw problems.notFound('No product with this sku.');
            if (outcome === 'below_reserved') {
              throw problems.conflict(
                'on_hand_below_reserved',
                'Stock is reserved',
                'onHand cannot be set below the units reserved by open checkouts.',
              );
            }
          },
        );
        await cache.evict(sku);
        const product = await catalog.getProduct(sku);
        if (!product) throw problems.notFound('No product with this sku.');
        return c.json(product satisfies Product);
      },
  }),
]);
