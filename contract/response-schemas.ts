/**
 * The response bodies of the HTTP contract, as zod schemas. They are written once and used twice:
 * the DTO mappers and handlers return their `z.infer` types (so a field the code adds, drops or
 * retypes fails `tsc`), and the OpenAPI document (api/openapi/) renders them as its component
 * schemas. Responses are described, not parsed: no handler pays for a parse on its way out; the
 * API tests check every answer against the document instead (test/support/openapi-conformance.ts).
 */
import { z } from 'zod';
import { NOTIFICATION_TYPES } from '../domain/notifications';
import {
  CART_STATUSES,
  NOTIFICATION_STATUSES,
  ORDER_STATUSES,
  PAYMENT_STATUSES,
  REFUND_STATUSES,
  ROLES,
  SHIPMENT_STATUSES,
} from '../domain/statuses';

const cents = (description: string) => z.number().int().describe(description);
const timestamp = z.iso.datetime().describe('ISO 8601, UTC');
const nextCursor = z
  .string()
  .nullable()
  .describe('Pass as `cursor` to read the next page; null on the last page. Opaque: do not parse it.');

export const problemSchema = z
  .looseObject({
    type: z.string().describe('`/problems/<code>`'),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string().optional(),
    code: z.string().describe('Stable snake_case machine code; each operation lists the codes it answers.'),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe('validation_failed: the invalid fields (paths, never the values sent).'),
    skus: z.array(z.string()).optional().describe('unknown_sku: the skus no product has.'),
    sku: z.string().optional().describe('insufficient_stock: the sku of the line.'),
    available: z.number().int().optional().describe('insufficient_stock: the units available.'),
    refundableCents: z
      .number()
      .int()
      .optional()
      .describe('refund_exceeds_captured, restock_requires_full_refund: what can still be refunded.'),
    failing: z.array(z.string()).optional().describe('not_ready: the dependencies that do not answer.'),
  })
  .describe('RFC 9457 problem details, served as application/problem+json.');
export type Problem = z.infer<typeof problemSchema>;

export const productSchema = z
  .object({
    sku: z.string(),
    name: z.string(),
    priceCents: cents('Unit price in minor units of `currency`'),
    currency: z.string(),
    available: z.number().int().min(0).describe('On hand minus active reservations'),
  })
  .describe('A product of the catalog.');
export type Product = z.infer<typeof productSchema>;

export const productPageSchema = z.object({ items: z.array(productSchema), nextCursor });

export const tokenSchema = z.object({
  accessToken: z.string().describe('Send as `Authorization: Bearer <accessToken>`'),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().int().positive().describe('Seconds until the token expires'),
});
export type TokenAnswer = z.infer<typeof tokenSchema>;

const orderItemSchema = z.object({
  sku: z.string(),
  quantity: z.number().int().positive(),
  unitPriceCents: cents('The catalog price when the order was placed'),
});

export const orderSchema = z
  .object({
    id: z.uuid(),
    customerId: z.uuid(),
    status: z.enum(ORDER_STATUSES),
    currency: z.string(),
    totalCents: cents('Sum of the lines'),
    refundedCents: cents('Grows with each succeeded refund'),
    items: z.array(orderItemSchema),
    payment: z.object({ status: z.enum(PAYMENT_STATUSES), providerPaymentId: z.string().nullable() }).nullable(),
    shipment: z
      .object({
        id: z.uuid(),
        status: z.enum(SHIPMENT_STATUSES),
        carrier: z.string(),
        trackingNumber: z.string(),
      })
      .nullable(),
    failureReason: z.string().nullable().describe('Why a FAILED or CANCELLED order ended, e.g. PAYMENT_DECLINED'),
    workflowId: z.string().describe("The checkout workflow's id in Temporal"),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .describe('An order.');
export type Order = z.infer<typeof orderSchema>;

export const orderPageSchema = z.object({ items: z.array(orderSchema), nextCursor });

export const checkoutAcceptedSchema = z.object({
  orderId: z.uuid(),
  status: z.enum(ORDER_STATUSES),
  workflowId: z.string(),
});
export type CheckoutAccepted = z.infer<typeof checkoutAcceptedSchema>;

export const cancelAcceptedSchema = z.object({ orderId: z.uuid(), status: z.enum(ORDER_STATUSES) });
export type CancelAccepted = z.infer<typeof cancelAcceptedSchema>;

export const refundStateSchema = z.object({ refundId: z.uuid(), status: z.enum(REFUND_STATUSES) });
export type RefundState = z.infer<typeof refundStateSchema>;

export const refundSchema = z.object({
  refundId: z.uuid(),
  amountCents: cents('The amount to pay back'),
  status: z.enum(REFUND_STATUSES),
});
export type Refund = z.infer<typeof refundSchema>;

/** One refund of GET /v1/orders/:orderId/refunds (support, admin): what a console shows and decides on. */
export const refundListItemSchema = z.object({
  refundId: z.uuid(),
  amountCents: cents('The amount to pay back'),
  status: z.enum(REFUND_STATUSES),
  reason: z.string(),
  restock: z.boolean(),
  requestedBy: z
    .uuid()
    .nullable()
    .describe('The requesting user; null when the platform refunded (cancel, return, lost parcel)'),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type RefundListItem = z.infer<typeof refundListItemSchema>;
export const refundListSchema = z.object({ items: z.array(refundListItemSchema) });

const cartLineSchema = z.object({
  sku: z.string(),
  name: z.string(),
  quantity: z.number().int().positive(),
  unitPriceCents: cents("The catalog's current price"),
  lineTotalCents: cents('quantity x unitPriceCents'),
  available: z.number().int().describe('Units available in the catalog now'),
});

export const cartSchema = z
  .object({
    id: z.uuid().describe("A guest cart's id is its key: whoever holds it may use the cart"),
    customerId: z.uuid().nullable().describe('null for a guest cart'),
    status: z.enum(CART_STATUSES),
    currency: z.string().nullable().describe('null while the cart is empty'),
    items: z.array(cartLineSchema),
    subtotalCents: cents('Sum of the lines at current prices'),
    orderId: z.uuid().nullable().describe('The order it was checked out as'),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .describe("A cart: lines at the catalog's current prices. It holds no stock.");
export type Cart = z.infer<typeof cartSchema>;

export const notificationSchema = z
  .object({
    id: z.uuid(),
    type: z.enum(NOTIFICATION_TYPES),
    channel: z.string().describe('`email`, the only channel so far'),
    to: z.string(),
    subject: z.string(),
    status: z.enum(NOTIFICATION_STATUSES),
    orderId: z.uuid().nullable(),
    cartId: z.uuid().nullable(),
    createdAt: timestamp,
    sentAt: timestamp.nullable(),
  })
  .describe('One email of an order or a cart, sent exactly once.');
export type Notification = z.infer<typeof notificationSchema>;

export const notificationListSchema = z.object({ items: z.array(notificationSchema) });
export const notificationPageSchema = z.object({ items: z.array(notificationSchema), nextCursor });

export const auditEntrySchema = z
  .object({
    id: z.uuid(),
    actorId: z.uuid(),
    actorRole: z.enum(ROLES),
    action: z.string().describe('e.g. order.cancel, refund.request, refund.approve, inventory.set_on_hand'),
    targetType: z.string(),
    targetId: z.string(),
    outcome: z.string().describe('`accepted`, `error`, or the problem code the action was refused with'),
    details: z.unknown().describe('What was asked (JSON)'),
    createdAt: timestamp,
  })
  .describe('A support or admin action.');
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditPageSchema = z.object({ items: z.array(auditEntrySchema), nextCursor });

export const webhookAckSchema = z.object({
  received: z.literal(true),
  outcome: z
    .enum(['processed', 'duplicate', 'unmatched'])
    .describe('unmatched: acknowledged, but no order or shipment of this API is concerned'),
});
export type WebhookAck = z.infer<typeof webhookAckSchema>;

export const livenessSchema = z.object({ status: z.literal('ok') });
export const readinessSchema = z.object({
  status: z.literal('ready'),
  checks: z.record(z.string(), z.literal('ok')).describe('Each dependency checked: postgres, redis, temporal'),
});
export type Liveness = z.infer<typeof livenessSchema>;
export type Readiness = z.infer<typeof readinessSchema>;

/** The document served at /openapi.json (described only as far as a client relies on it). */
export const openApiDocumentSchema = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.unknown()),
});
