/**
 * Signed webhooks. The HMAC is checked over the raw body before anything is parsed; a bad signature
 * changes nothing. Each delivery is recorded in the webhook inbox and relayed to its workflow in
 * one database transaction: if the relay fails, the inbox row rolls back and the sender's retry is
 * processed; a redelivery of a recorded event is acknowledged and ignored.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { createOrderRepository } from '../../prisma/repositories/orders';
import { createPaymentRepository } from '../../prisma/repositories/payments';
import { createWebhookEventRepository } from '../../prisma/repositories/webhook-events';
import { paymentConfirmationSignal } from '../../workflows/definitions';
import type { AppDependencies } from '../deps';
import { problems } from '../http/problem';
import { hasValidSignature } from '../http/signature';
import { parseJson, validate } from '../http/validation';

const paymentEventSchema = z.object({
  id: z.string().min(1).max(255),
  type: z.enum(['payment.succeeded', 'payment.failed']),
  providerPaymentId: z.string().min(1).max(255),
});

async function signedJson(c: Context, secret: string): Promise<unknown> {
  const raw = await c.req.text();
  if (!hasValidSignature(secret, raw, c.req.header('X-Signature'))) throw problems.invalidSignature();
  return parseJson(raw);
}

export function webhookRoutes({ db, temporal, config }: AppDependencies) {
  const payments = createPaymentRepository(db);
  const orders = createOrderRepository(db);

  return new Hono().post('/payments', async (c) => {
    const event = validate(paymentEventSchema, await signedJson(c, config.PAYMENT_WEBHOOK_SECRET), 'event');
    const payment = await payments.findByProviderPaymentId(event.providerPaymentId);
    const order = payment ? await orders.findById(payment.orderId) : null;

    const processed = await db.$transaction(async (tx) => {
      if (!(await createWebhookEventRepository(tx).record('payments', event.id, event.type, event))) return 'duplicate';
      if (!order) return 'unmatched'; // not one of ours: acknowledge so the provider stops retrying
      try {
        await temporal.workflow
          .getHandle(order.workflowId)
          .signal(paymentConfirmationSignal, { providerPaymentId: event.providerPaymentId, succeeded: event.type === 'payment.succeeded' });
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error; // the checkout is over: nothing waits
      }
      return 'processed';
    });
    return c.json({ received: true, outcome: processed });
  });
}
