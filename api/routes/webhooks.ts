/**
 * Signed webhooks. The HMAC is checked over the raw body before anything is parsed; a bad signature
 * changes nothing. Each delivery is first committed to the webhook inbox (claiming its relay), and
 * only then signalled to its workflow: no database transaction or pool connection is held while
 * Temporal answers, so a slow Temporal cannot exhaust the pool. If the signal fails the answer is
 * 5xx and the claim is released, so the sender's retry finds the row unrelayed and signals again;
 * once relayed, a redelivery is acknowledged and ignored. An event of no order or parcel we know
 * (yet) is answered `unmatched` and stays unrelayed, so its redelivery is handed over once the
 * parcel is recorded. Two deliveries may rarely both signal
 * (a claim's lease outlived); the workflows treat a signal as a hint, so that is harmless.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Context } from 'hono';
import { z } from 'zod';
import { createOrderRepository } from '../../prisma/repositories/orders';
import { createPaymentRepository } from '../../prisma/repositories/payments';
import type { Prisma } from '../../prisma/client';
import { createShipmentRepository } from '../../prisma/repositories/shipments';
import { createWebhookEventRepository, type WebhookSource } from '../../prisma/repositories/webhook-events';
import { carrierEventSignal, paymentConfirmationSignal } from '../../workflows/definitions';
import { shipmentWorkflowId } from '../../domain/ids';
import { problems } from '../http/problem';
import { hasValidSignature } from '../http/signature';
import { webhookAckSchema, type WebhookAck } from '../../contract/response-schemas';
import { parseJson, validate } from '../http/validation';
import { json } from '../openapi/operation';
import { routeGroup } from './define';

const EARLIEST_EVENT = Date.UTC(2000, 0, 1);
const LATEST_EVENT_AHEAD_MS = 24 * 60 * 60 * 1000;

const carrierEventSchema = z.object({
  id: z.string().min(1).max(255),
  type: z.enum(['PICKED_UP', 'IN_TRANSIT', 'DELIVERED', 'RETURNED']),
  trackingNumber: z.string().min(1).max(64),
  // docs/api.md: not before 2000 and at most a day ahead; a wild time (year 0000) never reaches the
  // workflow or the database.
  occurredAt: z.iso.datetime({ offset: true }).refine((value) => {
    const at = Date.parse(value);
    return at >= EARLIEST_EVENT && at <= Date.now() + LATEST_EVENT_AHEAD_MS;
  }, 'occurredAt must be from 2000 on and at most a day ahead'),
});

const paymentEventSchema = z.object({
  id: z.string().min(1).max(255),
  type: z.enum(['payment.succeeded', 'payment.failed']),
  providerPaymentId: z.string().min(1).max(255),
});

/** Bytes as text without dropping a byte-order mark (JSON must not start with one: it is refused). */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

async function signedJson(c: Context, secret: string): Promise<unknown> {
  const raw = new Uint8Array(await c.req.arrayBuffer());
  if (!hasValidSignature(secret, raw, c.req.header('X-Signature'))) throw problems.invalidSignature();
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    throw problems.validationFailed('The body is not valid UTF-8.');
  }
  return parseJson(text);
}

const received = { 200: { description: 'Received.', content: json('WebhookAck', webhookAckSchema) } };

const webhooks = routeGroup({
  prefix: '/v1/webhooks',
  setup: ({ deps: { db, temporal, config } }) => {
    const payments = createPaymentRepository(db);
    const orders = createOrderRepository(db);

    const shipments = createShipmentRepository(db);

    const inbox = createWebhookEventRepository(db);

    /** Records the delivery, then relays it outside any transaction (see the module comment). */
    const relay = async (
      source: WebhookSource,
      id: string,
      type: string,
      payload: Prisma.InputJsonValue,
      target: () => Promise<{ send: () => Promise<void>; closed: () => Promise<void> } | null>,
    ): Promise<'duplicate' | 'unmatched' | 'processed'> => {
      if ((await inbox.claim(source, id, type, payload)) !== 'claimed') return 'duplicate';
      // Looked up after the claim is committed, so a shipment recorded meanwhile is found here.
      const found = await target().catch(async (error: unknown) => {
        await inbox.releaseClaim(source, id).catch(() => undefined);
        throw error;
      });
      if (!found) {
        // Not one of ours yet (a parcel whose label is being recorded): the row stays unrelayed, so
        // a redelivery once it is recorded is handed over instead of ignored.
        await inbox.releaseClaim(source, id);
        return 'unmatched';
      }
      try {
        // Its workflow has ended (not found): whatever must be kept of it is recorded directly.
        await found.send().catch((error: unknown) => {
          if (error instanceof WorkflowNotFoundError) return found.closed();
          throw error;
        });
      } catch (error) {
        // Answered 5xx (the app's error handler): the sender retries, and the retry signals again.
        await inbox.releaseClaim(source, id).catch(() => undefined);
        throw error;
      }
      await inbox.markRelayed(source, id);
      return 'processed';
    };

    return { payments, orders, shipments, relay, temporal, config };
  },
});

export const webhookRoutes = webhooks.of([
  webhooks.route({
    method: 'post',
    path: '/v1/webhooks/carrier',
    operationId: 'receiveCarrierEvent',
    summary: "The carrier's signed parcel events",
    description:
      'PICKED_UP and IN_TRANSIT move the order to SHIPPED, DELIVERED to DELIVERED, RETURNED refunds in ' +
      'full, restocks and ends RETURNED. Duplicate or out-of-order deliveries are harmless.',
    tag: 'Webhooks',
    access: 'public',
    signed: true,
    body: { name: 'CarrierEvent', schema: carrierEventSchema },
    success: received,
    handler:
      ({ shipments, relay, temporal, config }) =>
      async (c) => {
        const event = validate(carrierEventSchema, await signedJson(c, config.CARRIER_WEBHOOK_SECRET), 'event');
        const outcome = await relay('carrier', event.id, event.type, event, async () => {
          const shipment = await shipments.findByTrackingNumber(event.trackingNumber);
          if (!shipment) return null;
          // The parcel of a cancelled order: kept on its shipment and timeline (no-op otherwise). Also
          // after a signal, which a workflow completing at that instant would not act on.
          const keepIfCancelled = async (): Promise<void> => {
            await shipments.recordAfterCancel(shipment.orderId, event.type, event.occurredAt);
          };
          return {
            send: async () => {
              await temporal.workflow
                .getHandle(shipmentWorkflowId(shipment.orderId))
                .signal(carrierEventSignal, { id: event.id, type: event.type, occurredAt: event.occurredAt });
              await keepIfCancelled();
            },
            closed: keepIfCancelled,
          };
        });
        return c.json({ received: true, outcome } satisfies WebhookAck);
      },
  }),
  webhooks.route({
    method: 'post',
    path: '/v1/webhooks/payments',
    operationId: 'receivePaymentEvent',
    summary: "The payment provider's signed events",
    description:
      'A hint to ask the provider, never proof of payment. Duplicate deliveries are acknowledged and ' +
      'change nothing. A 5xx asks the provider to deliver again.',
    tag: 'Webhooks',
    access: 'public',
    signed: true,
    body: { name: 'PaymentEvent', schema: paymentEventSchema },
    success: received,
    handler:
      ({ payments, orders, relay, temporal, config }) =>
      async (c) => {
        const event = validate(paymentEventSchema, await signedJson(c, config.PAYMENT_WEBHOOK_SECRET), 'event');
        const outcome = await relay('payments', event.id, event.type, event, async () => {
          const payment = await payments.findByProviderPaymentId(event.providerPaymentId);
          const order = payment ? await orders.findById(payment.orderId) : null;
          if (!order) return null;
          return {
            send: () =>
              temporal.workflow
                .getHandle(order.workflowId)
                .signal(paymentConfirmationSignal, { providerPaymentId: event.providerPaymentId }),
            closed: async () => undefined, // the checkout is over: nothing waits for the hint
          };
        });
        return c.json({ received: true, outcome } satisfies WebhookAck);
      },
  }),
]);
