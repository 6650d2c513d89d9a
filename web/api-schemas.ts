/**
 * The shapes of the API answers the pages read (docs/api.md), as zod schemas: the pages get typed data,
 * and an API change that breaks a page fails loudly at this edge instead of rendering nonsense.
 * Fields the pages do not use are left out (zod drops them).
 */
import { z } from 'zod';
import { ORDER_STATUSES } from '../domain/statuses';

export const problemSchema = z.object({
  status: z.number(),
  code: z.string(),
  title: z.string(),
  detail: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  available: z.number().optional(),
  sku: z.string().optional(),
  /** Refund refusals say how much can still be refunded (the support console shows it). */
  refundableCents: z.number().optional(),
});
export type Problem = z.infer<typeof problemSchema>;

export const tokenSchema = z.object({ accessToken: z.string(), expiresIn: z.number() });

export const productSchema = z.object({
  sku: z.string(),
  name: z.string(),
  priceCents: z.number().int(),
  currency: z.string(),
  available: z.number().int(),
});
export type Product = z.infer<typeof productSchema>;
export const productPageSchema = z.object({ items: z.array(productSchema), nextCursor: z.string().nullable() });

export const cartSchema = z.object({
  id: z.string(),
  customerId: z.string().nullable(),
  status: z.enum(['OPEN', 'CHECKED_OUT', 'MERGED']),
  currency: z.string().nullable(),
  items: z.array(
    z.object({
      sku: z.string(),
      name: z.string(),
      quantity: z.number().int(),
      unitPriceCents: z.number().int(),
      lineTotalCents: z.number().int(),
      available: z.number().int(),
    }),
  ),
  subtotalCents: z.number().int(),
  orderId: z.string().nullable(),
});
export type Cart = z.infer<typeof cartSchema>;

export const checkoutAcceptedSchema = z.object({ orderId: z.string(), status: z.string() });

export const orderSchema = z.object({
  id: z.string(),
  status: z.enum(ORDER_STATUSES),
  currency: z.string(),
  totalCents: z.number().int(),
  refundedCents: z.number().int(),
  items: z.array(z.object({ sku: z.string(), quantity: z.number().int(), unitPriceCents: z.number().int() })),
  payment: z.object({ status: z.string(), providerPaymentId: z.string().nullable() }).nullable(),
  shipment: z
    .object({ id: z.string(), status: z.string(), carrier: z.string(), trackingNumber: z.string() })
    .nullable(),
  failureReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Order = z.infer<typeof orderSchema>;
export const orderPageSchema = z.object({ items: z.array(orderSchema), nextCursor: z.string().nullable() });
