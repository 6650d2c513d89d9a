import type { DbClient } from '../client';
import { priceLines, type CatalogPrice, type OrderLine, type PricedOrder } from '../../domain/pricing';

/** A product as the storefront sees it: `available` is on hand minus active reservations. */
export interface ProductView {
  sku: string;
  name: string;
  priceCents: number;
  currency: string;
  available: number;
}

export type { CatalogPrice };

const productSelect = {
  sku: true,
  name: true,
  priceCents: true,
  currency: true,
  inventory: { select: { onHand: true, reserved: true } },
} as const;

/** Units that can be sold now: on hand minus active reservations (none without an inventory row). */
export function availableUnits(inventory: { onHand: number; reserved: number } | null): number {
  return inventory ? Math.max(0, inventory.onHand - inventory.reserved) : 0;
}

function toView(row: {
  sku: string;
  name: string;
  priceCents: number;
  currency: string;
  inventory: { onHand: number; reserved: number } | null;
}): ProductView {
  return {
    sku: row.sku,
    name: row.name,
    priceCents: row.priceCents,
    currency: row.currency,
    available: availableUnits(row.inventory),
  };
}

export function createCatalogRepository(db: DbClient) {
  return {
    /** Keyset page ordered by sku; `afterSku` is the last sku of the previous page. */
    async listProducts(page: {
      limit: number;
      afterSku?: string;
    }): Promise<{ items: ProductView[]; hasMore: boolean }> {
      const rows = await db.product.findMany({
        select: productSelect,
        where: page.afterSku === undefined ? {} : { sku: { gt: page.afterSku } },
        orderBy: { sku: 'asc' },
        take: page.limit + 1,
      });
      return { items: rows.slice(0, page.limit).map(toView), hasMore: rows.length > page.limit };
    },

    async getProduct(sku: string): Promise<ProductView | null> {
      const row = await db.product.findUnique({ where: { sku }, select: productSelect });
      return row ? toView(row) : null;
    },

    /** Prices `items` at the catalog's current prices (see domain/pricing.ts). */
    async priceOrder(items: readonly OrderLine[]): Promise<PricedOrder> {
      const prices = await findPrices(
        db,
        items.map((i) => i.sku),
      );
      return priceLines(prices, items);
    },

    /** Catalog prices of the given skus; unknown skus are simply absent from the result. */
    findPrices: (skus: readonly string[]): Promise<Map<string, CatalogPrice>> => findPrices(db, skus),

    /** Creates or updates a product and, for a new one, its stock row (used by the seed). */
    async upsertProduct(p: {
      sku: string;
      name: string;
      priceCents: number;
      currency: string;
      initialOnHand: number;
    }): Promise<void> {
      await db.product.upsert({
        where: { sku: p.sku },
        create: {
          sku: p.sku,
          name: p.name,
          priceCents: p.priceCents,
          currency: p.currency,
          inventory: { create: { onHand: p.initialOnHand } },
        },
        update: { name: p.name, priceCents: p.priceCents, currency: p.currency },
      });
    },
  };
}

export type CatalogRepository = ReturnType<typeof createCatalogRepository>;

async function findPrices(db: DbClient, skus: readonly string[]): Promise<Map<string, CatalogPrice>> {
  const rows = await db.product.findMany({
    where: { sku: { in: [...skus] } },
    select: { sku: true, priceCents: true, currency: true },
  });
  return new Map(rows.map((r) => [r.sku, r]));
}
