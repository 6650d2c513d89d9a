/**
 * Which emails the order workflows start, and that none of them waits for mail: on the
 * time-skipping test server, with activity doubles (the real SMTP path is test/api/notifications).
 */
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { checkoutWorkflowId, notificationWorkflowId, refundWorkflowId, shipmentWorkflowId } from '../../domain/ids';
import { notificationKey, type NotificationType } from '../../domain/notifications';
import type { checkout } from '../../workflows/checkout';
import { carrierEventSignal, shipmentStateQuery, type CheckoutInput } from '../../workflows/definitions';
import type { refund } from '../../workflows/refund';
import type { sendNotification } from '../../workflows/send-notification';
import type { shipment } from '../../workflows/shipment';
import { happyActivities, type ActivityMocks } from '../support/activity-mocks';
import { checkoutInput, failureOf, useTimeSkippingEnv, withWorker } from '../support/workflow-env';

const env = useTimeSkippingEnv();

const startCheckout = (taskQueue: string, args: CheckoutInput) =>
  env().client.workflow.start<typeof checkout>('checkout', {
    taskQueue,
    workflowId: checkoutWorkflowId(args.customerId, args.idempotencyKey),
    args: [args],
  });

/**
 * The result of the email workflow of (type, subject), once its parent has started it. Waiting on
 * a result is also what lets the test server skip time (the email's retry pauses).
 */
async function emailOutcome(type: NotificationType, subjectId: string) {
  const id = notificationWorkflowId(notificationKey(type, subjectId));
  const handle = env().client.workflow.getHandle<typeof sendNotification>(id);
  for (let tries = 0; ; tries++) {
    try {
      return await handle.result();
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError) || tries > 200) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

const preparedTypes = (acts: ActivityMocks): string[] => acts.prepareNotification.mock.calls.map(([e]) => e.type);

test('a paid checkout starts order_confirmed, and its result does not wait for the email', async () => {
  const acts = happyActivities();
  // The mail server does not answer until the checkout has its result: the order must not care.
  let answer: () => void = () => undefined;
  const answered = new Promise<void>((resolve) => (answer = resolve));
  acts.deliverNotification.mockImplementation(() => answered);
  const args = checkoutInput();
  const { result, email } = await withWorker(env(), acts, async (tq) => {
    const result = await (await startCheckout(tq, args)).result();
    answer();
    return { result, email: await emailOutcome('order_confirmed', args.orderId) };
  });
  expect(result).toEqual({ orderId: args.orderId, status: 'PAID' });
  expect(email).toBe('SENT');
  expect(acts.prepareNotification).toHaveBeenCalledWith({ type: 'order_confirmed', orderId: args.orderId });
});

test('SMTP down for the whole retry budget: the order is PAID at once, the email ends FAILED and visible', async () => {
  const acts = happyActivities();
  acts.deliverNotification.mockRejectedValue(new Error('connect ECONNREFUSED 127.0.0.1:1025'));
  const args = checkoutInput();
  const { result, email } = await withWorker(env(), acts, async (tq) => {
    const result = await (await startCheckout(tq, args)).result();
    return { result, email: await emailOutcome('order_confirmed', args.orderId) };
  });
  expect(result.status).toBe('PAID');
  expect(email).toBe('FAILED');
  expect(acts.deliverNotification).toHaveBeenCalledTimes(12); // SMTP_ACTIVITY's budget
  expect(acts.failNotification).toHaveBeenCalledWith('notification-1', 'connect ECONNREFUSED 127.0.0.1:1025');
});

test('a mail server that refuses the message for good: one attempt, FAILED', async () => {
  const acts = happyActivities();
  acts.deliverNotification.mockRejectedValue(
    ApplicationFailure.create({ type: 'MAIL_REJECTED', message: '550 no such mailbox', nonRetryable: true }),
  );
  const args = checkoutInput();
  const email = await withWorker(env(), acts, async (tq) => {
    await (await startCheckout(tq, args)).result();
    return emailOutcome('order_confirmed', args.orderId);
  });
  expect(email).toBe('FAILED');
  expect(acts.deliverNotification).toHaveBeenCalledTimes(1);
  expect(acts.failNotification).toHaveBeenCalledWith('notification-1', '550 no such mailbox');
});

test('a declined payment starts order_failed', async () => {
  const acts = happyActivities();
  acts.chargePayment.mockRejectedValue(
    ApplicationFailure.create({ type: 'PAYMENT_DECLINED', message: 'declined', nonRetryable: true }),
  );
  const args = checkoutInput();
  await withWorker(env(), acts, async (tq) => {
    await failureOf((await startCheckout(tq, args)).result());
    return emailOutcome('order_failed', args.orderId);
  });
  expect(preparedTypes(acts)).toEqual(['order_failed']);
});

test('3-D Secure: payment_action_required when the wait begins, order_cancelled when 30 minutes pass', async () => {
  const acts = happyActivities();
  acts.chargePayment.mockResolvedValue({ outcome: 'requires_action', providerPaymentId: 'pi_3ds' });
  const args = checkoutInput();
  const result = await withWorker(env(), acts, async (tq) => {
    const handle = await startCheckout(tq, args);
    await emailOutcome('payment_action_required', args.orderId);
    const result = await handle.result();
    await emailOutcome('order_cancelled', args.orderId);
    return result;
  });
  expect(result.status).toBe('CANCELLED');
  expect(preparedTypes(acts)).toEqual(['payment_action_required', 'order_cancelled']);
});

test('a shipment starts order_shipped and order_delivered once each, whatever the carrier repeats', async () => {
  const acts = happyActivities();
  acts.recordCarrierEvent.mockImplementation(async (_orderId, type) =>
    type === 'DELIVERED' ? 'DELIVERED' : 'SHIPPED',
  );
  const orderId = randomUUID();
  await withWorker(env(), acts, async (tq) => {
    const handle = await env().client.workflow.start<typeof shipment>('shipment', {
      taskQueue: tq,
      workflowId: shipmentWorkflowId(orderId),
      args: [{ orderId, customerId: 'c1' }],
    });
    while ((await handle.query(shipmentStateQuery)).phase !== 'AWAITING_PICKUP');
    const pickedUp = { id: 'evt-1', type: 'PICKED_UP' as const, occurredAt: new Date().toISOString() };
    await handle.signal(carrierEventSignal, pickedUp);
    await handle.signal(carrierEventSignal, pickedUp);
    await handle.signal(carrierEventSignal, { ...pickedUp, id: 'evt-2', type: 'DELIVERED' });
    await handle.result();
    await emailOutcome('order_shipped', orderId);
    await emailOutcome('order_delivered', orderId);
  });
  expect(preparedTypes(acts)).toEqual(['order_shipped', 'order_delivered']);
});

test('a refund paid out starts refund_succeeded under its refund id; a rejected one sends nothing', async () => {
  const acts = happyActivities();
  const paid = { refundId: randomUUID(), orderId: randomUUID(), amountCents: 500 };
  const rejected = { refundId: randomUUID(), orderId: paid.orderId, amountCents: 90_000 };
  await withWorker(env(), acts, async (tq) => {
    // The rejected one first: once an email child outlives its parent the test server stops skipping time.
    for (const r of [{ ...rejected, requiresApproval: true }, paid]) {
      await env()
        .client.workflow.start<typeof refund>('refund', {
          taskQueue: tq,
          workflowId: refundWorkflowId(r.refundId),
          args: [{ requiresApproval: false, ...r }],
        })
        .then((h) => h.result());
    }
    await emailOutcome('refund_succeeded', paid.refundId);
  });
  expect(acts.prepareNotification.mock.calls).toEqual([[{ type: 'refund_succeeded', refundId: paid.refundId }]]);
});
