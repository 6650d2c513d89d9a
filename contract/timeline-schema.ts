import { z } from 'zod';

/** One entry of GET /v1/orders/:orderId/timeline. */
export const timelineItemSchema = z.object({
  at: z.iso.datetime().describe('When it happened (ISO 8601, UTC).'),
  type: z
    .string()
    .describe(
      'What happened, as a stable dotted code: order.placed, order.<status>, payment.<status>, ' +
        'refund.requested | approved | rejected | succeeded | failed, shipment.label_created, ' +
        'shipment.<status>, email.<notification type>, action.<audited action> (e.g. action.order.cancel).',
    ),
  summary: z.string().describe('The same for people, with amounts, reasons and tracking numbers.'),
  actor: z
    .string()
    .nullable()
    .describe(
      "The email address of the person who acted (the user's id if they no longer exist); null for the platform.",
    ),
});

/** GET /v1/orders/:orderId/timeline (support, admin): oldest first, every event once. */
export const timelineResponseSchema = z.object({ items: z.array(timelineItemSchema) });

export type TimelineResponse = z.infer<typeof timelineResponseSchema>;
export type TimelineItem = z.infer<typeof timelineItemSchema>;
