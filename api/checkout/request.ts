/** The body of POST /v1/checkouts, its canonical form, and the hash that detects key reuse. */
import { createHash } from 'node:crypto';
import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);

export const skuSchema = z.string().min(1).max(64);

export const checkoutRequestSchema = z.object({
  items: z
    .array(z.object({ sku: skuSchema, quantity: z.number().int().positive().max(10_000) }))
    .min(1)
    .max(100),
  shippingAddress: z.object({
    name: text(200),
    line1: text(200),
    line2: z.string().trim().max(200).optional(),
    city: text(100),
    postalCode: text(32),
    country: text(64),
  }),
  paymentMethod: z.object({ token: z.string().min(1).max(255) }),
});

export type CheckoutRequest = z.infer<typeof checkoutRequestSchema>;

/**
 * One representation per meaning: lines of the same sku are merged and lines sorted by sku, so the
 * same cart sent in another order is the same request (same hash, same order).
 */
export function canonicalCheckout(request: CheckoutRequest): CheckoutRequest {
  const quantities = new Map<string, number>();
  for (const item of request.items) quantities.set(item.sku, (quantities.get(item.sku) ?? 0) + item.quantity);
  const a = request.shippingAddress;
  return {
    items: [...quantities.entries()]
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
      .map(([sku, quantity]) => ({ sku, quantity })),
    shippingAddress: {
      name: a.name,
      line1: a.line1,
      ...(a.line2 ? { line2: a.line2 } : {}),
      city: a.city,
      postalCode: a.postalCode,
      country: a.country,
    },
    paymentMethod: { token: request.paymentMethod.token },
  };
}

/** sha256 over the canonical request with keys in a fixed order. */
export function checkoutRequestHash(canonical: CheckoutRequest): string {
  const a = canonical.shippingAddress;
  const ordered = [
    canonical.items.map((i) => [i.sku, i.quantity]),
    [a.name, a.line1, a.line2 ?? null, a.city, a.postalCode, a.country],
    canonical.paymentMethod.token,
  ];
  return createHash('sha256').update(JSON.stringify(ordered)).digest('hex');
}
