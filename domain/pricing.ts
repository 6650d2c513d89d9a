/**
 * Prices an order's lines from catalog prices (never from the client). Shared by the API, which
 * refuses unknown skus and mixed currencies before starting a checkout, and by the checkout's first
 * activity, which writes the order itself if the API could not (it crashed between starting the
 * workflow and writing the row): both price the same input the same way.
 */

export interface CatalogPrice {
  priceCents: number;
  currency: string;
}

export interface OrderLine {
  sku: string;
  quantity: number;
}

export type PricedOrder =
  | { kind: 'priced'; currency: string; items: (OrderLine & { unitPriceCents: number })[] }
  | { kind: 'unknown_sku'; skus: string[] }
  | { kind: 'mixed_currency' };

export function priceLines(prices: ReadonlyMap<string, CatalogPrice>, items: readonly OrderLine[]): PricedOrder {
  const unknown = items.filter((i) => !prices.has(i.sku)).map((i) => i.sku);
  if (unknown.length > 0) return { kind: 'unknown_sku', skus: unknown };
  const currencies = new Set([...prices.values()].map((p) => p.currency));
  const [currency] = currencies;
  if (currency === undefined || currencies.size > 1) return { kind: 'mixed_currency' };
  return {
    kind: 'priced',
    currency,
    items: items.map((i) => ({ ...i, unitPriceCents: prices.get(i.sku)?.priceCents ?? 0 })),
  };
}
