/**
 * Prices an order's lines from catalog prices (never from the client). Shared by the API, which
 * refuses unknown skus and mixed currencies before starting a checkout, and by the checkout's first
 * activity, which writes the order itself if the API could not (it crashed between starting the
 * workflow and writing the row): both price the same input the same way.
 */

/**
 * Limits of one order (API.md "Limits and money rules"), applied to the merged lines. They also
 * bound every amount the platform stores: an order's total, and so its payments and refunds, stay
 * below 10^8 cents, far inside PostgreSQL's INTEGER (2^31 - 1), and the database checks it too.
 */
export const MAX_UNITS_PER_SKU = 10_000;
export const MAX_ORDER_TOTAL_CENTS = 100_000_000;

export interface CatalogPrice {
  priceCents: number;
  currency: string;
}

export interface OrderLine {
  sku: string;
  quantity: number;
}

export type PricedOrder =
  | { kind: 'priced'; currency: string; totalCents: number; items: (OrderLine & { unitPriceCents: number })[] }
  | { kind: 'unknown_sku'; skus: string[] }
  | { kind: 'mixed_currency' }
  | { kind: 'too_large'; reason: string };

/** Lines of one sku summed: the limits apply to what the order holds, however the lines were split. */
function mergeLines(items: readonly OrderLine[]): OrderLine[] {
  const quantities = new Map<string, number>();
  for (const i of items) quantities.set(i.sku, (quantities.get(i.sku) ?? 0) + i.quantity);
  return [...quantities].map(([sku, quantity]) => ({ sku, quantity }));
}

export function priceLines(prices: ReadonlyMap<string, CatalogPrice>, items: readonly OrderLine[]): PricedOrder {
  const unknown = items.filter((i) => !prices.has(i.sku)).map((i) => i.sku);
  if (unknown.length > 0) return { kind: 'unknown_sku', skus: unknown };
  const currencies = new Set([...prices.values()].map((p) => p.currency));
  const [currency] = currencies;
  if (currency === undefined || currencies.size > 1) return { kind: 'mixed_currency' };
  const tooMany = mergeLines(items).find((i) => i.quantity > MAX_UNITS_PER_SKU);
  if (tooMany) {
    return { kind: 'too_large', reason: `${tooMany.quantity} units of ${tooMany.sku}, more than ${MAX_UNITS_PER_SKU}` };
  }
  const priced = items.map((i) => ({ ...i, unitPriceCents: prices.get(i.sku)?.priceCents ?? 0 }));
  // Exact in a double: at most 100 lines x 10^4 units x 2^31 cents is below 2^53.
  const totalCents = priced.reduce((sum, i) => sum + i.quantity * i.unitPriceCents, 0);
  if (totalCents > MAX_ORDER_TOTAL_CENTS) {
    return { kind: 'too_large', reason: `a total of ${totalCents} cents, more than ${MAX_ORDER_TOTAL_CENTS}` };
  }
  return { kind: 'priced', currency, totalCents, items: priced };
}
