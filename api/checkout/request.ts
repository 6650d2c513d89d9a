/** The body of POST /v1/checkouts, its canonical form, and the hash that detects key reuse. */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { MAX_UNITS_PER_SKU, mergeLines } from '../../domain/pricing';
import { SHIPPING_ADDRESS_MAX_LENGTH as MAX } from '../../domain/shipping-address';

const text = (max: number) => z.string().trim().min(1).max(max);

export const skuSchema = z.string().min(1).max(64);

export const checkoutRequestSchema = z
  .object({
    items: z
      .array(z.object({ sku: skuSchema, quantity: z.number().int().positive().max(MAX_UNITS_PER_SKU) }))
      .min(1)
      .max(100)
      .optional(),
    /** A checkout of the caller's open cart, in place of `items`. */
    cartId: z.uuid().optional(),
    shippingAddress: z.object({
      name: text(MAX.name),
      line1: text(MAX.line1),
      line2: z.string().trim().max(MAX.line2).optional(),
      city: text(MAX.city),
      postalCode: text(MAX.postalCode),
      country: text(MAX.country),
    }),
    paymentMethod: z.object({ token: z.string().min(1).max(255) }),
  })
  .refine((r) => (r.items === undefined) !== (r.cartId === undefined), {
    message: 'Send either items or cartId, not both',
    path: ['items'],
  })
  // The refinement above, said in JSON Schema for the OpenAPI document (zod cannot render a refine).
  .meta({
    description: "A checkout of `items`, or of the caller's open cart (`cartId`): exactly one of the two.",
    oneOf: [{ required: ['items'] }, { required: ['cartId'] }],
  });

export type CheckoutRequestBody = z.infer<typeof checkoutRequestSchema>;

/** The request once a cart checkout's lines are known: what the rest of the checkout works on. */
export type CheckoutRequest = Omit<CheckoutRequestBody, 'items'> & { items: { sku: string; quantity: number }[] };

/**
 * One representation per meaning: lines of the same sku are merged (domain/pricing.ts, the merge
 * the order limits apply to) and sorted by sku, so the same cart sent in another order is the same
 * request (same hash, same order).
 */
export function canonicalCheckout(request: CheckoutRequest): CheckoutRequest {
  const a = request.shippingAddress;
  return {
    ...(request.cartId === undefined ? {} : { cartId: request.cartId }),
    items: mergeLines(request.items).sort((x, y) => (x.sku < y.sku ? -1 : x.sku > y.sku ? 1 : 0)),
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

/**
 * sha256 over the canonical request with keys in a fixed order. A cart checkout hashes the cart's id
 * where an item checkout hashes its lines: the body the client sent, so the same key and body again
 * is a replay even after the cart has closed.
 */
export function checkoutRequestHash(canonical: CheckoutRequestBody): string {
  const a = canonical.shippingAddress;
  const ordered = [
    canonical.cartId === undefined
      ? (canonical.items ?? []).map((i) => [i.sku, i.quantity])
      : ['cart', canonical.cartId],
    [a.name, a.line1, a.line2 ?? null, a.city, a.postalCode, a.country],
    canonical.paymentMethod.token,
  ];
  return createHash('sha256').update(JSON.stringify(ordered)).digest('hex');
}
