/**
 * The API answers the support console reads, beyond the storefront's (../api-schemas.ts): the order
 * with its owner and workflow, the timeline, emails and refunds (docs/api.md#orders, #order-timeline,
 * #notifications, #refunds). Parsed at this edge like every answer the pages read.
 */
import { z } from 'zod';
import { orderSchema } from '../api-schemas';

export const consoleOrderSchema = orderSchema.extend({ customerId: z.string(), workflowId: z.string() });
export type ConsoleOrder = z.infer<typeof consoleOrderSchema>;
export const consoleOrderPageSchema = z.object({
  items: z.array(consoleOrderSchema),
  nextCursor: z.string().nullable(),
});

export const timelineSchema = z.object({
  items: z.array(z.object({ at: z.string(), type: z.string(), summary: z.string(), actor: z.string().nullable() })),
});
export type TimelineEntry = z.infer<typeof timelineSchema>['items'][number];

export const notificationListSchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      type: z.string(),
      to: z.string(),
      subject: z.string(),
      status: z.enum(['PENDING', 'SENT', 'FAILED']),
      createdAt: z.string(),
      sentAt: z.string().nullable(),
    }),
  ),
});
export type Email = z.infer<typeof notificationListSchema>['items'][number];

export const refundStatusSchema = z.enum(['PENDING', 'AWAITING_APPROVAL', 'SUCCEEDED', 'REJECTED', 'FAILED']);

export const refundListSchema = z.object({
  items: z.array(
    z.object({
      refundId: z.string(),
      amountCents: z.number().int(),
      status: refundStatusSchema,
      reason: z.string(),
      restock: z.boolean(),
      requestedBy: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
});
export type RefundEntry = z.infer<typeof refundListSchema>['items'][number];

export const refundAcceptedSchema = z.object({ refundId: z.string(), status: refundStatusSchema });
export const cancelAcceptedSchema = z.object({ orderId: z.string(), status: z.string() });
