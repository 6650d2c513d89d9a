import { Hono } from 'hono';
import { requireRole, type AuthVariables } from '../auth/middleware';
import type { TokenSettings } from '../auth/tokens';
import { checkoutRequestSchema } from '../checkout/request';
import { createCheckoutStarter } from '../checkout/start-checkout';
import type { AppDependencies } from '../deps';
import { readIdempotencyKey } from '../http/idempotency';
import type { CheckoutAccepted } from '../http/response-schemas';
import { readJsonBody } from '../http/validation';

export function checkoutRoutes(deps: AppDependencies, tokens: TokenSettings) {
  const startCheckout = createCheckoutStarter({
    db: deps.db,
    temporal: deps.temporal,
    taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
    maxUnpaidOrders: deps.config.MAX_UNPAID_ORDERS_PER_CUSTOMER,
  });

  const reminders = deps.cartReminders;

  return new Hono<{ Variables: AuthVariables }>().post('/', requireRole(tokens, 'customer'), async (c) => {
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
      { orderId: started.orderId, status: started.status, workflowId: started.workflowId } satisfies CheckoutAccepted,
      started.created ? 202 : 200,
    );
  });
}
