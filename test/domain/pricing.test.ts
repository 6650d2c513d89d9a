/**
 * domain/pricing.ts: an order's lines priced from catalog prices, with the order limits (units of
 * one sku, total) applied to the merged lines.
 */
import fc from 'fast-check';
import { MAX_ORDER_TOTAL_CENTS, MAX_UNITS_PER_SKU, priceLines, type CatalogPrice } from '../../domain/pricing';

const catalog = (entries: [string, number, string?][]): Map<string, CatalogPrice> =>
  new Map(entries.map(([sku, priceCents, currency = 'EUR']) => [sku, { priceCents, currency }]));

describe('priceLines', () => {
  test('prices each line from the catalog and totals them', () => {
    expect(
      priceLines(
        catalog([
          ['A', 1250],
          ['B', 99],
        ]),
        [
          { sku: 'A', quantity: 2 },
          { sku: 'B', quantity: 3 },
        ],
      ),
    ).toEqual({
      kind: 'priced',
      currency: 'EUR',
      totalCents: 2797,
      items: [
        { sku: 'A', quantity: 2, unitPriceCents: 1250 },
        { sku: 'B', quantity: 3, unitPriceCents: 99 },
      ],
    });
  });

  test.each([
    [
      'an unknown sku',
      catalog([['A', 100]]),
      [
        { sku: 'A', quantity: 1 },
        { sku: 'X', quantity: 1 },
        { sku: 'Y', quantity: 2 },
      ],
      { kind: 'unknown_sku', skus: ['X', 'Y'] },
    ],
    [
      'two currencies',
      catalog([
        ['A', 100, 'EUR'],
        ['B', 100, 'USD'],
      ]),
      [
        { sku: 'A', quantity: 1 },
        { sku: 'B', quantity: 1 },
      ],
      { kind: 'mixed_currency' },
    ],
    ['no prices at all', catalog([]), [], { kind: 'mixed_currency' }],
    [
      'one sku above the unit limit',
      catalog([['A', 1]]),
      [{ sku: 'A', quantity: MAX_UNITS_PER_SKU + 1 }],
      { kind: 'too_large', reason: `${MAX_UNITS_PER_SKU + 1} units of A, more than ${MAX_UNITS_PER_SKU}` },
    ],
    [
      'one sku above the unit limit, split over two lines',
      catalog([['A', 1]]),
      [
        { sku: 'A', quantity: MAX_UNITS_PER_SKU },
        { sku: 'A', quantity: 1 },
      ],
      { kind: 'too_large', reason: `${MAX_UNITS_PER_SKU + 1} units of A, more than ${MAX_UNITS_PER_SKU}` },
    ],
    [
      'a total above the limit',
      catalog([['A', MAX_ORDER_TOTAL_CENTS / 100 + 1]]),
      [{ sku: 'A', quantity: 100 }],
      {
        kind: 'too_large',
        reason: `a total of ${MAX_ORDER_TOTAL_CENTS + 100} cents, more than ${MAX_ORDER_TOTAL_CENTS}`,
      },
    ],
  ])('refuses %s', (_name, prices, items, outcome) => {
    expect(priceLines(prices, items)).toEqual(outcome);
  });

  test('the limits themselves are allowed: exactly MAX_UNITS_PER_SKU units, a total of exactly MAX_ORDER_TOTAL_CENTS', () => {
    expect(priceLines(catalog([['A', 10_000]]), [{ sku: 'A', quantity: MAX_UNITS_PER_SKU }])).toMatchObject({
      kind: 'priced',
      totalCents: MAX_ORDER_TOTAL_CENTS,
    });
  });

  const skus = ['A', 'B', 'C', 'D'];
  const prices = fc.record(Object.fromEntries(skus.map((s) => [s, fc.integer({ min: 0, max: 2 ** 31 - 1 })])));
  const lines = fc.array(fc.record({ sku: fc.constantFrom(...skus), quantity: fc.integer({ min: 1, max: 12_000 }) }), {
    maxLength: 100,
  });

  test('property: line totals add up to the total exactly, and the outcome follows the limits', () => {
    fc.assert(
      fc.property(prices, lines, (byS, items) => {
        const outcome = priceLines(catalog(skus.map((s) => [s, byS[s] ?? 0])), items);
        const units = new Map<string, number>();
        for (const i of items) units.set(i.sku, (units.get(i.sku) ?? 0) + i.quantity);
        // The expected total computed in bigints, which cannot round.
        const exact = items.reduce((sum, i) => sum + BigInt(i.quantity) * BigInt(byS[i.sku] ?? 0), 0n);
        if ([...units.values()].some((q) => q > MAX_UNITS_PER_SKU)) {
          expect(outcome.kind).toBe('too_large');
        } else if (exact > BigInt(MAX_ORDER_TOTAL_CENTS)) {
          expect(outcome).toEqual({
            kind: 'too_large',
            reason: `a total of ${exact} cents, more than ${MAX_ORDER_TOTAL_CENTS}`,
          });
        } else {
          if (outcome.kind !== 'priced') throw new Error(`expected a priced order, got ${outcome.kind}`);
          expect(BigInt(outcome.totalCents)).toBe(exact);
          expect(outcome.items.map(({ sku, quantity }) => ({ sku, quantity }))).toEqual(items);
          for (const i of outcome.items) expect(i.unitPriceCents).toBe(byS[i.sku]);
          expect(outcome.totalCents).toBe(outcome.items.reduce((sum, i) => sum + i.quantity * i.unitPriceCents, 0));
        }
      }),
    );
  });

  test('property: splitting or reordering lines does not change what is decided or the total', () => {
    fc.assert(
      fc.property(prices, lines, fc.nat(), (byS, items, seed) => {
        const priceMap = catalog(skus.map((s) => [s, byS[s] ?? 0]));
        // Every line of two or more units split in two, then the lines rotated.
        const split = items.flatMap((i) =>
          i.quantity > 1
            ? [
                { ...i, quantity: 1 },
                { ...i, quantity: i.quantity - 1 },
              ]
            : [i],
        );
        const turn = split.length === 0 ? 0 : seed % split.length;
        const reshaped = [...split.slice(turn), ...split.slice(0, turn)];
        const a = priceLines(priceMap, items);
        const b = priceLines(priceMap, reshaped);
        expect(b.kind).toBe(a.kind);
        if (a.kind === 'priced' && b.kind === 'priced') expect(b.totalCents).toBe(a.totalCents);
      }),
    );
  });
});
