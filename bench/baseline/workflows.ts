/**
 * The benchmark's yardstick: what Temporal does for one paid order, with none of the order's work.
 * Step for step as the checkout's happy path, every activity a no-op:
 * - baselineCheckout, as workflows/checkout.ts: five local activities in sequence (createOrder,
 *   reserveStock, chargePayment, verifyPayment, markOrderPaid), the memo, the PAID status (search
 *   attribute and log line), then the confirmation email and the shipment started together as
 *   abandoned children;
 * - baselineNotification, as workflows/send-notification.ts: two local activities
 *   (prepareNotification, deliverNotification);
 * - baselineShipment, as workflows/shipment.ts until pick-up: one local activity (createShipment),
 *   the FULFILLING status, then the pick-up wait's 48-hour timer, so it stays open as shipments do.
 * The email and the cart timer came with the cart/email work; the email is in both shapes, so the
 * ratio does not count it against the checkout (a checkout without a cart has no cart timer).
 * Its client starts it as the API starts a checkout (ID policies, search attributes, memo), and its
 * worker runs with the checkout worker's tuning, niceness and logging (./worker.ts).
 *
 * What this sustains on the same dev server and machine is what Temporal itself allows there for
 * this shape; the checkout's figure divided by it is the share left after the real work (HTTP,
 * JSON, tokens, SQL, the payment and carrier calls). A yardstick without the shipment child, as
 * this was before, left a third of a checkout's Temporal cost out of the comparison.
 */
import {
  log,
  proxyLocalActivities,
  sleep,
  startChild,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { orderSearchAttributes, OrderStatusKey } from '../../domain/search-attributes';
import { PICKUP_ALERT_AFTER } from '../../workflows/shipment';
import type { BaselineActivities } from './activities';

// The checkout's database profile (workflows/activity-profiles.ts) minus retries: a no-op never fails.
const { noop } = proxyLocalActivities<BaselineActivities>({ startToCloseTimeout: '10 seconds' });

export interface BaselineInput {
  orderId: string;
  customerId: string;
}

export async function baselineCheckout(input: BaselineInput): Promise<void> {
  for (let step = 0; step < 5; step++) await noop();
  upsertMemo({ summary: '1 line(s), 1000 USD' });
  upsertSearchAttributes([{ key: OrderStatusKey, value: 'PAID' }]);
  log.info('order status changed', { orderId: input.orderId, status: 'PAID', failureReason: null });
  const email = startChild(baselineNotification, {
    workflowId: `${workflowInfo().workflowId}-email`,
    args: [input],
    parentClosePolicy: 'ABANDON',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
  });
  const shipment = startChild(baselineShipment, {
    workflowId: `${workflowInfo().workflowId}-shipment`,
    args: [input],
    parentClosePolicy: 'ABANDON',
    typedSearchAttributes: orderSearchAttributes(input.orderId, input.customerId, 'PAID'),
  });
  await Promise.all([email, shipment]);
}

export async function baselineNotification(_input: BaselineInput): Promise<void> {
  await noop();
  await noop();
}

export async function baselineShipment(_input: BaselineInput): Promise<void> {
  await noop();
  upsertSearchAttributes([{ key: OrderStatusKey, value: 'FULFILLING' }]);
  await sleep(PICKUP_ALERT_AFTER);
}
