/**
 * The checkout saga on Temporal's time-skipping test server: every path, with activity doubles.
 */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/client';
import type { cancelPaidOrder } from '../../workflows/cancel-paid-order';
import type { checkout } from '../../workflows/checkout';
import {
  cancelCheckoutUpdate,
  checkoutStateQuery,
  paymentConfirmationSignal,
  type CheckoutInput,
} from '../../workflows/definitions';
import { FailureType } from '../../domain/failure-types';
import { happyActivities, PROVIDER_PENDING, type ActivityMocks } from '../support/activity-mocks';
import { CHECKOUT_ITEMS } from '../support/checkout-input';
import { checkoutInput, failureOf, useTimeSkippingEnv, withWorker } from '../support/workflow-env';
import { cancelPaidOrderWorkflowId, checkoutWorkflowId } from '../../domain/ids';
const currentEnv = useTimeSkippingEnv();

/** Runs `fn` with a worker on `activities` (the test's own environment and task queue). */
const runWith = <T>(activities: ActivityMocks, fn: (taskQueue: string) => Promise<T>): Promise<T> =>
  withWorker(currentEnv(), activities, fn);

function start(taskQueue: string, args: CheckoutInput) {
  return currentEnv().client.workflow.start<typeof checkout>('checkout', {
    taskQueue,
    workflowId: checkoutWorkflowId(args.customerId, args.idempotencyKey),
    args: [args],
  });
}

test('happy path: reserves, charges the catalog total and marks the order paid', async () => {
  const acts = happyActivities();
  const args = checkoutInput();
  const result = await runWith(acts, async (tq) => (await start(tq, args)).result());

  expect(result).toEqual({ orderId: args.orderId, status: 'PAID' });
  expect(acts.createShipment).toHaveBeenCalledWith(args.orderId); // the shipment child started
  // The lines come from the order createOrder wrote (the input carries ids only).
  expect(acts.reserveStock).toHaveBeenCalledWith(args.orderId, CHECKOUT_ITEMS);
  // No token in the workflow: the activity reads it from the checkout request row.
  expect(acts.chargePayment).toHaveBeenCalledWith({ orderId: args.orderId, amountCents: 2500, currency: 'USD' });
  expect(acts.markOrderPaid).toHaveBeenCalledWith(args.orderId);
  expect(acts.releaseStock).not.toHaveBeenCalled();
  expect(acts.markOrderFailed).not.toHaveBeenCalled();
});

test('immediate capture: the provider itself is asked for the capture before the order is marked paid', async () => {
  const acts = happyActivities();
  const args = checkoutInput();
  const result = await runWith(acts, async (tq) => (await start(tq, args)).result());

  expect(result.status).toBe('PAID');
  expect(acts.verifyPayment).toHaveBeenCalledWith({ orderId: args.orderId, providerPaymentId: 'pi_test_1' });
  expect(acts.verifyPayment.mock.invocationCallOrder[0]).toBeLessThan(acts.markOrderPaid.mock.invocationCallOrder[0]!);
});

test('the provider captured another amount than the total: what it took is refunded, order FAILED, never paid', async () => {
  const acts = happyActivities();
  acts.verifyPayment.mockResolvedValue({ outcome: 'captured', capturedCents: 2400, currency: 'USD' });
  const args = checkoutInput();
  const failure = await runWith(acts, async (tq) => failureOf((await start(tq, args)).result()));

  expect(failure.type).toBe(FailureType.PAYMENT_DECLINED);
  expect(acts.markOrderPaid).not.toHaveBeenCalled();
  expect(acts.refundPayment).toHaveBeenCalledWith(
    expect.objectContaining({ orderId: args.orderId, amountCents: 2400 }),
  );
  expect(acts.releaseStock).toHaveBeenCalledWith(args.orderId);
  expect(acts.markOrderFailed).toHaveBeenCalledWith(args.orderId, 'PAYMENT_DECLINED');
});

test('the provider captured the total in another currency: what it took is refunded, order FAILED, never paid', async () => {
  const acts = happyActivities();
  acts.verifyPayment.mockResolvedValue({ outcome: 'captured', capturedCents: 2500, currency: 'EUR' });
  const args = checkoutInput();
  const failure = await runWith(acts, async (tq) => failureOf((await start(tq, args)).result()));

  expect(failure.type).toBe(FailureType.PAYMENT_DECLINED);
  expect(acts.markOrderPaid).not.toHaveBeenCalled();
  expect(acts.refundPayment).toHaveBeenCalledWith(
    expect.objectContaining({ orderId: args.orderId, amountCents: 2500 }),
  );
  expect(acts.releaseStock).toHaveBeenCalledWith(args.orderId);
  expect(acts.markOrderFailed).toHaveBeenCalledWith(args.orderId, 'PAYMENT_DECLINED');
});

test('declined payment: stock released, order FAILED with PAYMENT_DECLINED, failure chain typed', async () => {
  const acts = happyActivities();
  acts.chargePayment.mockRejectedValue(
    ApplicationFailure.create({ type: FailureType.PAYMENT_DECLINED, message: 'declined', nonRetryable: true }),
  );
  const args = checkoutInput();
  const failure = await runWith(acts, async (tq) => failureOf((await start(tq, args)).result()));

  expect(failure.type).toBe(FailureType.PAYMENT_DECLINED);
  expect(failure.nonRetryable).toBe(true);
  // The provider's decline, raised by the (local) chargePayment activity, is the typed cause.
  const causes: unknown[] = [];
  for (let e: unknown = failure.cause; e instanceof Error; e = e.cause) causes.push(e);
  expect(
    causes.some(
      (e) => e instanceof ApplicationFailure && e.type === FailureType.PAYMENT_DECLINED && e.message === 'declined',
    ),
  ).toBe(true);
  expect(acts.chargePayment).toHaveBeenCalledTimes(1); // non-retryable: asked once
  expect(acts.releaseStock).toHaveBeenCalledWith(args.orderId);
  expect(acts.refundPayment).not.toHaveBeenCalled();
  expect(acts.markOrderFailed).toHaveBeenCalledWith(args.orderId, 'PAYMENT_DECLINED');
  expect(acts.markOrderPaid).not.toHaveBeenCalled();
});

test('out of stock: no payment attempted, nothing to release, order FAILED with OUT_OF_STOCK', async () => {
  const acts = happyActivities();
  acts.reserveStock.mockRejectedValue(
    ApplicationFailure.create({ type: FailureType.OUT_OF_STOCK, message: 'short', nonRetryable: true }),
  );
  const args = checkoutInput();
  const failure = await runWith(acts, async (tq) => failureOf((await start(tq, args)).result()));

  expect(failure.type).toBe(FailureType.OUT_OF_STOCK);
  expect(acts.chargePayment).not.toHaveBeenCalled();
  expect(acts.releaseStock).not.toHaveBeenCalled();
  expect(acts.markOrderFailed).toHaveBeenCalledWith(args.orderId, 'OUT_OF_STOCK');
});

test('a transient infrastructure error is retried and the checkout still succeeds', async () => {
  const acts = happyActivities();
  acts.reserveStock
    .mockRejectedValueOnce(new Error('connection reset by peer'))
    .mockRejectedValueOnce(new Error('connection reset by peer'))
    .mockResolvedValue(undefined);
  const args = checkoutInput();
  const result = await runWith(acts, async (tq) => (await start(tq, args)).result());

  expect(result.status).toBe('PAID');
  expect(acts.reserveStock).toHaveBeenCalledTimes(3);
  expect(acts.releaseStock).not.toHaveBeenCalled();
});

test('a sku gone from the catalog before the order row was written: the workflow fails typed, nothing else runs', async () => {
  const acts = happyActivities();
  acts.createOrder.mockRejectedValue(
    ApplicationFailure.create({ type: FailureType.UNKNOWN_SKU, message: 'unknown sku: X', nonRetryable: true }),
  );
  const args = checkoutInput();
  const failure = await runWith(acts, async (tq) => failureOf((await start(tq, args)).result()));

  expect(failure.type).toBe(FailureType.UNKNOWN_SKU);
  expect(acts.reserveStock).not.toHaveBeenCalled();
  expect(acts.markOrderFailed).not.toHaveBeenCalled();
});

test('3-D Secure: waits in AWAITING_PAYMENT_CONFIRMATION, then the confirmation signal pays the order', async () => {
  const acts = happyActivities();
  acts.chargePayment.mockResolvedValue({ outcome: 'requires_action', providerPaymentId: 'pi_3ds' });
  const args = checkoutInput();
  const { state, result } = await runWith(acts, async (tq) => {
    const handle = await start(tq, args);
    // Wait until the workflow reached the confirmation wait (the query is answered from its state).
    let state = await handle.query(checkoutStateQuery);
    while (state.status !== 'AWAITING_PAYMENT_CONFIRMATION') state = await handle.query(checkoutStateQuery);
    await handle.signal(paymentConfirmationSignal, { providerPaymentId: 'pi_3ds' });
    return { state, result: await handle.result() };
  });

  expect(state.providerPaymentId).toBe('pi_3ds');
  expect(acts.markOrderAwaitingPaymentConfirmation).toHaveBeenCalledWith(args.orderId);
  expect(result.status).toBe('PAID');
  expect(acts.verifyPayment).toHaveBeenCalledWith({ orderId: args.orderId, providerPaymentId: 'pi_3ds' });
  expect(acts.cancelPayment).not.toHaveBeenCalled();
});

/**
 * Polls until `mock` was called `times` times (the workflow acted on a signal). Not raced with
 * handle.result(): awaiting a result lets the test server skip time, past the 30-minute timer.
 */
async function calledTimes(mock: jest.Mock, times: number): Promise<void> {
  const giveUp = Date.now() + 10_000;
  while (mock.mock.calls.length < times && Date.now() < giveUp) await new Promise((r) => setTimeout(r, 20));
}

test('a confirmation signal the provider does not confirm (forged, or early) pays nothing; 30 minutes later the order is cancelled', async () => {
  const acts = happyActivities();
  acts.chargePayment.mockResolvedValue({ outcome: 'requires_action', providerPaymentId: 'pi_3ds' });
  acts.verifyPayment.mockResolvedValue(PROVIDER_PENDING);
  const args = checkoutInput();
  const { afterSignal, result } = await runWith(acts, async (tq) => {
    const handle = await start(tq, args);
    while ((await handle.query(checkoutStateQuery)).status !== 'AWAITING_PAYMENT_CONFIRMATION');
    await handle.signal(paymentConfirmationSignal, { providerPaymentId: 'pi_3ds' });
    await calledTimes(acts.verifyPayment, 1);
    const afterSignal = await handle.query(checkoutStateQuery);
    return { afterSignal, result: await handle.result() };
  });

  expect(afterSignal.status).toBe('AWAITING_PAYMENT_CONFIRMATION');
  expect(acts.verifyPayment).toHaveBeenCalledWith({ orderId: args.orderId, providerPaymentId: 'pi_3ds' });
  expect(result).toEqual({ orderId: args.orderId, status: 'CANCELLED' });
  expect(acts.markOrderCancelled).toHaveBeenCalledWith(args.orderId, 'PAYMENT_TIMEOUT');
  expect(acts.markOrderPaid).not.toHaveBeenCalled();
});

test('a signal while the provider still reports the charge pending fails nothing; the next one, once it reports the capture, pays', async () => {
  const acts = happyActivities();
  acts.chargePayment.mockResolvedValue({ outcome: 'requires_action', providerPaymentId: 'pi_3ds' });
  acts.verifyPayment.mockResolvedValueOnce(PROVIDER_PENDING);
  const args = checkoutInput();
  const { afterFirst, result } = await runWith(acts, async (tq) => {
    const handle = await start(tq, args);
    while ((await handle.query(checkoutStateQuery)).status !== 'AWAITING_PAYMENT_CONFIRMATION');
    await handle.signal(paymentConfirmationSignal, { providerPaymentId: 'pi_3ds' });
    await calledTimes(acts.verifyPayment, 1);
    const afterFirst = await handle.query(checkoutStateQuery);
    await handle.signal(paymentConfirmationSignal, { providerPaymentId: 'pi_3ds' });
    return { afterFirst, result: await handle.result() };
  });

  expect(afterFirst.status).toBe('AWAITING_PAYMENT_CONFIRMATION');
  expect(result.status).toBe('PAID');
  expect(acts.verifyPayment).toHaveBeenCalledTimes(2);
  expect(acts.markOrderFailed).not.toHaveBeenCalled();
});

test('3-D Secure failure: compensates and fails with PAYMENT_DECLINED; a failing undo does not stop the others', async () => {
  const acts = happyActivities();
  acts.chargePayment.mockResolvedValue({ outcome: 'requires_action', providerPaymentId: 'pi_3ds' });
  acts.verifyPayment.mockResolvedValue({ outcome: 'failed', providerStatus: 'failed' });
  acts.cancelPayment.mockRejectedValue(
    ApplicationFailure.create({ type: 'PROVIDER_BROKEN', message: 'gone', nonRetryable: true }),
  );
  const args = checkoutInput();
  const failure = await runWith(acts, async (tq) => {
    const handle = await start(tq, args);
    await handle.signal(paymentConfirmationSignal, { providerPaymentId: 'pi_3ds' });
    return failureOf(handle.result());
  });

  expect(failure.type).toBe(FailureType.PAYMENT_DECLINED);
  expect(acts.cancelPayment).toHaveBeenCalledTimes(1);
  expect(acts.releaseStock).toHaveBeenCalledWith(args.orderId);
  expect(acts.markOrderFailed).toHaveBeenCalledWith(args.orderId, 'PAYMENT_DECLINED');
});

test('cancel while waiting for 3-D Secure: the charge is cancelled, stock released, order CANCELLED', async () => {
  const acts = happyActivities();
  acts.chargePayment.mockResolvedValue({ outcome: 'requires_action', providerPaymentId: 'pi_3ds' });
  const args = checkoutInput();
  const { answer, result } = await runWith(acts, async (tq) => {
    const handle = await start(tq, args);
    let state = await handle.query(checkoutStateQuery);
    while (state.status !== 'AWAITING_PAYMENT_CONFIRMATION') state = await handle.query(checkoutStateQuery);
    const answer = await handle.executeUpdate(cancelCheckoutUpdate, { args: [{ requestedBy: 'u1' }] });
    return { answer, result: await handle.result() };
  });

  expect(answer.status).toBe('CANCELLED');
  expect(answer.failureReason).toBe('CANCELLED_BY_REQUEST');
  expect(result).toEqual({ orderId: args.orderId, status: 'CANCELLED' });
  expect(acts.cancelPayment).toHaveBeenCalledWith(args.orderId);
  expect(acts.releaseStock).toHaveBeenCalledWith(args.orderId);
  expect(acts.markOrderCancelled).toHaveBeenCalledWith(args.orderId, 'CANCELLED_BY_REQUEST');
  expect(acts.markOrderPaid).not.toHaveBeenCalled();
  expect(acts.refundPayment).not.toHaveBeenCalled();
});

test('cancel accepted while the charge is in flight: the captured money is refunded', async () => {
  const acts = happyActivities();
  let release!: () => void;
  const charging = new Promise<void>((r) => (release = r));
  let charged!: () => void;
  const chargeStarted = new Promise<void>((r) => (charged = r));
  acts.chargePayment.mockImplementation(async () => {
    charged();
    await charging;
    return { outcome: 'captured', providerPaymentId: 'pi_1' };
  });
  const args = checkoutInput();
  const { answer, result } = await runWith(acts, async (tq) => {
    const handle = await start(tq, args);
    await chargeStarted;
    const pending = handle.executeUpdate(cancelCheckoutUpdate, { args: [{ requestedBy: 'u1' }] });
    // Let the update be accepted before the charge completes.
    let state = await handle.query(checkoutStateQuery);
    while (!state.cancelRequested) state = await handle.query(checkoutStateQuery);
    release();
    return { answer: await pending, result: await handle.result() };
  });

  expect(answer.status).toBe('CANCELLED');
  expect(result.status).toBe('CANCELLED');
  expect(acts.refundPayment).toHaveBeenCalledWith(
    expect.objectContaining({ orderId: args.orderId, amountCents: 2500 }),
  );
  expect(acts.releaseStock).toHaveBeenCalledWith(args.orderId);
  expect(acts.markOrderPaid).not.toHaveBeenCalled();
});

test('once paid, the checkout refuses cancellation (the API then cancels the paid order)', async () => {
  const acts = happyActivities();
  const args = checkoutInput();
  const error = await runWith(acts, async (tq) => {
    const handle = await start(tq, args);
    await handle.result();
    return handle.executeUpdate(cancelCheckoutUpdate, { args: [{ requestedBy: 'u1' }] }).then(
      () => undefined,
      (e: unknown) => e,
    );
  });
  expect(error).toBeDefined();
  expect(acts.releaseStock).not.toHaveBeenCalled();
});

test('an expired reservation (sweeper cancelled the order) refunds the charge and ends CANCELLED', async () => {
  const acts = happyActivities();
  acts.markOrderPaid.mockResolvedValue(false);
  const args = checkoutInput();
  const result = await runWith(acts, async (tq) => (await start(tq, args)).result());

  expect(result.status).toBe('CANCELLED');
  expect(acts.refundPayment).toHaveBeenCalledWith(
    expect.objectContaining({ orderId: args.orderId, amountCents: 2500, requestedBy: 'system' }),
  );
  expect(acts.markOrderCancelled).toHaveBeenCalledWith(args.orderId, 'RESERVATION_EXPIRED');
});

test('cancelPaidOrder cancels and restocks first, then refunds in full through the refund workflow', async () => {
  const acts = happyActivities();
  const orderId = randomUUID();
  const result = await runWith(acts, async (taskQueue) =>
    currentEnv().client.workflow.execute<typeof cancelPaidOrder>('cancelPaidOrder', {
      taskQueue,
      workflowId: cancelPaidOrderWorkflowId(orderId),
      args: [{ orderId, requestedBy: 'support-1', reason: 'customer called' }],
    }),
  );
  expect(result).toEqual({ orderId, status: 'CANCELLED' });
  expect(acts.completePaidOrderCancellation).toHaveBeenCalledWith(orderId);
  expect(acts.requestSystemRefund).toHaveBeenCalledWith(orderId, `cancellation-${orderId}`, false);
  expect(acts.executeRefund).toHaveBeenCalledTimes(1);
  expect(acts.completePaidOrderCancellation.mock.invocationCallOrder[0]).toBeLessThan(
    acts.requestSystemRefund.mock.invocationCallOrder[0]!,
  );
});
