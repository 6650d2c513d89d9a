import { Hono } from 'hono';
import { requireRole, type AuthVariables } from '../auth/middleware';
import type { TokenSettings } from '../auth/tokens';
import { checkoutRequestSchema } from '../checkout/request';
import { createCheckoutStarter } from '../checkout/start-checkout';
import type { AppDependencies } from '../deps';
import { problems } from '../http/problem';
import { readJsonBody } from '../http/validation';

export function checkoutRoutes(deps: AppDependencies, tokens: TokenSettings) {
  const startCheckout = createCheckoutStarter({ db: deps.db, temporal: deps.temporal, taskQueue: deps.config.TEMPORAL_TASK_QUEUE });

  return new Hono<{ Variables: AuthVariables }>().post('/', requireRole(tokens, 'customer'), async (c) => {
    const customer = c.get('principal');
    const key = c.req.header('Idempotency-Key');
    if (key === undefined || key.length < 1 || key.length > 255) throw problems.idempotencyKeyRequired();
    const request = await readJsonBody(c, checkoutRequestSchema);
    // Counted only for well-formed requests: rejected input changes nothing, not even the allowance.
    await deps.rateLimits.consumeCheckout(customer.id);
    const started = await startCheckout(customer.id, key, request);
    c.header('Location', `/v1/orders/${started.orderId}`);
    if (!started.created) c.header('Idempotent-Replayed', 'true');
    return c.json({ orderId: started.orderId, status: started.status, workflowId: started.workflowId }, started.created ? 202 : 200);
  });
}
