import { checkoutRequestSchema } from '../checkout/request';
import { createCheckoutStarter } from '../checkout/start-checkout';
import { readIdempotencyKey } from '../http/idempotency';
import { checkoutAcceptedSchema, type CheckoutAccepted } from '../../contract/response-schemas';
import { readJsonBody } from '../http/validation';
import { json } from '../openapi/operation';
import { routeGroup } from './define';

const checkouts = routeGroup({
  prefix: '/v1/checkouts',
  setup: ({ deps }) => ({
    startCheckout: createCheckoutStarter({
      db: deps.db,
      temporal: deps.temporal,
      taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
      maxUnpaidOrders: deps.config.MAX_UNPAID_ORDERS_PER_CUSTOMER,
    }),
    deps,
    reminders: deps.cartReminders,
  }),
});

export const checkoutRoutes = checkouts.of([
  checkouts.route({
    method: 'post',
    path: '/v1/checkouts',
    operationId: 'createCheckout',
    summary: "Check out items, or the customer's open cart (customer)",
    description:
      'Send either `items` or `cartId` (both or neither: 400 validation_failed). Answers as soon as the ' +
      'order exists, without waiting for payment or shipment. The same Idempotency-Key and body again ' +
      'answer the same order (200, `Idempotent-Replayed: true`); the same key with another body is 409 ' +
      'idempotency_key_reuse. Prices always come from the catalog. Rate-limited per customer (429).',
    tag: 'Checkout',
    access: ['customer'],
    idempotencyKey: true,
    body: { name: 'CheckoutRequest', schema: checkoutRequestSchema },
    success: {
      202: {
        description: 'The order exists; its checkout workflow runs.',
        content: json('CheckoutAccepted', checkoutAcceptedSchema),
        headers: ['Location'],
      },
      200: {
        description: 'A replay: the order this Idempotency-Key and body created before.',
        content: json('CheckoutAccepted', checkoutAcceptedSchema),
        headers: ['Location', 'Idempotent-Replayed'],
      },
    },
    problems: [
      'not_found',
      'idempotency_key_reuse',
      'checkout_in_progress',
      'checkout_failed',
      'too_many_unpaid_orders',
      'cart_closed',
      'unknown_sku',
      'mixed_currency',
      'order_too_large',
      'cart_empty',
      'rate_limited',
    ],
    handler:
      ({ startCheckout, deps, reminders }) =>
      async (c) => {
        const customer = c.get('principal');
        const key = readIdempotencyKey(c);
        const request = await readJsonBody(c, checkoutRequestSchema);
        // Counted only for well-formed requests: rejected input changes nothing, not even the allowance.
        await deps.rateLimits.consumeCheckout(customer.id);
        const started = await startCheckout(customer.id, key, request);
        // The cart is closed with its order: its abandoned-cart timer has nothing left to wait for.
        if (started.created && request.cartId !== undefined) await reminders.ended(request.cartId, customer.id);
        c.header('Location', `/v1/orders/${started.orderId}`);
        if (!started.created) c.header('Idempotent-Replayed', 'true');
        return c.json(
          {
            orderId: started.orderId,
            status: started.status,
            workflowId: started.workflowId,
          } satisfies CheckoutAccepted,
          started.created ? 202 : 200,
        );
      },
  }),
]);
