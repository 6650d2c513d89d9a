/**
 * The checkout's durable 30-minute 3-D Secure timeout, in an environment of its own: paid
 * checkouts elsewhere leave abandoned shipment children that hold the test server's time-skipping
 * lock, so timer tests must not share an environment with them.
 */
import type { checkout } from '../../workflows/checkout';
import { paymentConfirmationSignal } from '../../workflows/definitions';
import { happyActivities } from '../support/activity-mocks';
import { checkoutInput, useTimeSkippingEnv, withWorker } from '../support/workflow-env';
import { checkoutWorkflowId } from '../../domain/ids';

const env = useTimeSkippingEnv();

test('3-D Secure: a confirmation for another payment is ignored; 30 minutes of silence cancel the order', async () => {
  const acts = happyActivities();
  acts.chargePayment.mockResolvedValue({ outcome: 'requires_action', providerPaymentId: 'pi_3ds' });
  const args = checkoutInput();
  const { result, startedAt, endedAt } = await withWorker(env(), acts, async (tq) => {
    const startedAt = (await env().currentTimeMs()) ?? 0;
    const handle = await env().client.workflow.start<typeof checkout>('checkout', {
      taskQueue: tq,
      workflowId: checkoutWorkflowId(args.customerId, args.idempotencyKey),
      args: [args],
    });
    await handle.signal(paymentConfirmationSignal, { providerPaymentId: 'pi_someone_else' });
    const result = await handle.result(); // time skips over the 30-minute timer
    return { result, startedAt, endedAt: await env().currentTimeMs() };
  });

  expect(result).toEqual({ orderId: args.orderId, status: 'CANCELLED' });
  expect(endedAt - startedAt).toBeGreaterThanOrEqual(30 * 60_000);
  expect(acts.cancelPayment).toHaveBeenCalledWith(args.orderId);
  expect(acts.releaseStock).toHaveBeenCalledWith(args.orderId);
  expect(acts.markOrderCancelled).toHaveBeenCalledWith(args.orderId, 'PAYMENT_TIMEOUT');
  expect(acts.markOrderPaid).not.toHaveBeenCalled();
});
