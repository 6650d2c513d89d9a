/**
 * The checkout saga: create the order at catalog prices -> reserve stock -> charge -> (wait for
 * 3-D Secure) -> mark paid. Every failure after the order exists compensates (release stock, refund
 * or cancel the charge) and leaves the order FAILED with a reason; business failures end the
 * workflow as a typed, non-retryable ApplicationFailure so operators can filter them in the UI.
 * Until the order is paid, a `cancel` update ends it CANCELLED with the same compensations.
 *
 * The order is marked paid only after the provider itself reported the capture (the
 * `verifyPayment` activity): a `paymentConfirmation` signal, whoever sent it, is only a hint to ask
 * (docs/api.md#limits-and-money-rules).
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  log,
  proxyLocalActivities,
  setHandler,
  startChild,
  upsertMemo,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { CreatedOrder } from '../activities/orders';
import type { ChargeOutput } from '../activities/payments';
import { DATABASE_ACTIVITY, EXTERNAL_API_ACTIVITY } from './activity-profiles';
import {
  cancelCheckoutUpdate,
  checkoutStateQuery,
  paymentConfirmationSignal,
  type CheckoutInput,
  type CheckoutResult,
  type CheckoutState,
  type OrderStatus,
} from './definitions';
import { FailureType, type OrderFailureReason } from '../domain/failure-types';
import { Saga } from './saga';
import { shipmentWorkflowId } from '../domain/ids';
import { UNPAID_STATUSES } from '../domain/order-statuses';
import { orderSearchAttributes } from '../domain/search-attributes';
import { notify } from './notify';
import { recordOrderStatus } from './order-status';
import { restartTimerOfRestoredCart } from './restored-cart';
import { shipment } from './shipment';

/**
 * Every step of the checkout runs as a local activity: in the worker that runs the workflow task,
 * recorded in the history as a marker, with no activity task dispatched through the server. Sound
 * here because each step is short (a few SQL statements, one provider call with its idempotency key)
 * and idempotent: after a crash the next worker runs the step again and finds its effect. It saves
 * the Temporal server most of its work per checkout (docs/performance.md#local-activities). The
 * answer to POST /v1/checkouts does not wait for any of it (the API writes the order row itself).
 */
const db = proxyLocalActivities<Activities>(DATABASE_ACTIVITY);
const payments = proxyLocalActivities<Activities>(EXTERNAL_API_ACTIVITY);

/** How long a 3-D Secure charge may wait for the customer before the order is cancelled. */
export const PAYMENT_CONFIRMATION_TIMEOUT = '30 minutes';
const PAYMENT_CONFIRMATION_TIMEOUT_MS = 30 * 60_000;

const BUSINESS_FAILURES: ReadonlySet<string> = new Set<OrderFailureReason>([
  FailureType.OUT_OF_STOCK,
  FailureType.PAYMENT_DECLINED,
  FailureType.UNKNOWN_SKU,
  FailureType.MIXED_CURRENCY,
  FailureType.TOO_MANY_UNPAID_ORDERS,
]);

/** Ends the saga early as CANCELLED, with `reason` as the order's failureReason. */
class CheckoutCancelled extends Error {
  constructor(readonly reason: OrderFailureReason) {
    super(reason);
  }
}

export async function checkout(input: CheckoutInput): Promise<CheckoutResult> {
  const state: CheckoutState = {
    orderId: input.orderId,
    customerId: input.customerId,
    status: 'PENDING',
    failureReason: null,
    totalCents: null,
    currency: null,
    providerPaymentId: null,
    cancelRequested: false,
  };
  /** Payment ids some signal claimed news about, not yet checked with the provider. */
  const hinted = new Set<string>();
  let ended = false;

  const setStatus = (status: OrderStatus): void => {
    state.status = status;
    recordOrderStatus(status);
    // One line per transition: the SDK adds workflowId/runId, the tracing interceptor the trace id.
    log.info('order status changed', { orderId: input.orderId, status, failureReason: state.failureReason ?? null });
  };

  setHandler(checkoutStateQuery, () => state);
  // Anyone who reaches Temporal can send this: it only makes the workflow ask the provider. It may
  // arrive before chargePayment's result is processed: kept, and matched with the charge later.
  setHandler(paymentConfirmationSignal, (c) => {
    if (state.providerPaymentId === null || state.providerPaymentId === c.providerPaymentId) {
      hinted.add(c.providerPaymentId);
    }
  });
  // Cancellation before payment. The validator refuses synchronously (the API answers 409) once the
  // order is paid or over; an accepted request is answered with the state the checkout ended in
  // (CANCELLED, or PAID if payment won the race: the caller then cancels the paid order).
  setHandler(
    cancelCheckoutUpdate,
    async (_request) => {
      state.cancelRequested = true;
      await condition(() => ended);
      return state;
    },
    {
      validator: (_request) => {
        if (!UNPAID_STATUSES.includes(state.status) || ended) {
          throw ApplicationFailure.create({
            type: FailureType.ORDER_NOT_CANCELLABLE,
            message: `order is ${state.status}`,
            nonRetryable: true,
          });
        }
      },
    },
  );

  /**
   * The 3-D Secure wait begins: AWAITING_PAYMENT_CONFIRMATION and its email. The activity answers
   * false when the customer has too many orders holding stock for it already (racing checkouts the
   * API could not refuse).
   */
  async function beginConfirmationWait(): Promise<void> {
    if (!(await db.markOrderAwaitingPaymentConfirmation(input.orderId))) {
      throw ApplicationFailure.create({
        type: FailureType.TOO_MANY_UNPAID_ORDERS,
        message: 'too many orders awaiting payment confirmation',
        nonRetryable: true,
      });
    }
    setStatus('AWAITING_PAYMENT_CONFIRMATION');
    await notify({ type: 'payment_action_required', orderId: input.orderId });
  }

  /**
   * The amount and currency the provider reports captured for `charge`, asking it after the charge
   * and after every signal about it; a 3-D Secure charge waits (up to the timeout from the first
   * wait) until the provider reports an outcome. Declines and cancellations at the provider throw.
   */
  async function capturedAtProvider(
    charge: ChargeOutput,
    saga: Saga,
    checkpoint: () => void,
  ): Promise<{ capturedCents: number; currency: string }> {
    const ask = { orderId: input.orderId, providerPaymentId: charge.providerPaymentId };
    let verdict = charge.outcome === 'captured' ? await payments.verifyPayment(ask) : ({ outcome: 'pending' } as const);
    if (verdict.outcome === 'pending') {
      saga.push('cancelPayment', () => payments.cancelPayment(input.orderId));
      await beginConfirmationWait();
      const deadline = Date.now() + PAYMENT_CONFIRMATION_TIMEOUT_MS; // workflow time: deterministic
      while (verdict.outcome === 'pending') {
        const remaining = deadline - Date.now();
        const hint = (): boolean => hinted.has(charge.providerPaymentId) || state.cancelRequested;
        const arrived = remaining > 0 && (await condition(hint, remaining));
        checkpoint();
        if (!arrived) throw new CheckoutCancelled(FailureType.PAYMENT_TIMEOUT);
        hinted.delete(charge.providerPaymentId);
        verdict = await payments.verifyPayment(ask);
      }
    }
    if (verdict.outcome === 'failed') {
      throw ApplicationFailure.create({
        type: FailureType.PAYMENT_DECLINED,
        message: `payment ${verdict.providerStatus} at the provider`,
        nonRetryable: true,
      });
    }
    return { capturedCents: verdict.capturedCents, currency: verdict.currency };
  }

  try {
    return await run();
  } finally {
    // Let accepted updates see the final state before the workflow completes.
    ended = true;
    await condition(allHandlersFinished);
  }

  async function run(): Promise<CheckoutResult> {
    let order: CreatedOrder;
    try {
      order = await db.createOrder({
        orderId: input.orderId,
        customerId: input.customerId,
        workflowId: workflowInfo().workflowId,
        idempotencyKey: input.idempotencyKey,
        cartId: input.cartId,
      });
    } catch (error) {
      // No order row was written, so there is nothing to compensate.
      setStatus('FAILED');
      throw (
        asBusinessFailure(error) ?? ApplicationFailure.create({ type: 'ORDER_CREATION_FAILED', nonRetryable: true })
      );
    }
    state.totalCents = order.totalCents;
    state.currency = order.currency;
    upsertMemo({ summary: `${order.items.length} line(s), ${order.totalCents} ${order.currency}` });

    const saga = new Saga();
    /** The confirmation email's start, awaited with the shipment's. */
    let confirmationStarted: Promise<void> | undefined;
    const checkpoint = (): void => {
      if (state.cancelRequested) throw new CheckoutCancelled(FailureType.CANCELLED_BY_REQUEST);
    };
    try {
      checkpoint();
      await db.reserveStock(input.orderId, order.items);
      saga.push('releaseStock', () => db.releaseStock(input.orderId));
      checkpoint();

      const charge = await payments.chargePayment({
        orderId: input.orderId,
        amountCents: order.totalCents,
        currency: order.currency,
      });
      state.providerPaymentId = charge.providerPaymentId;

      const { capturedCents, currency } = await capturedAtProvider(charge, saga, checkpoint);
      // Whatever the provider took is given back if the checkout does not complete.
      saga.push('refundPayment', () =>
        payments.refundPayment({
          orderId: input.orderId,
          amountCents: capturedCents,
          idempotencyKey: `order-${input.orderId}-compensation`,
          reason: 'checkout did not complete',
          requestedBy: 'system',
        }),
      );
      if (capturedCents !== order.totalCents || currency !== order.currency) {
        // Less would ship goods unpaid, more would keep the customer's money, and cents of another
        // currency are another amount: refund, never pay.
        log.warn('provider captured another amount than the order total', {
          orderId: input.orderId,
          capturedCents,
          capturedCurrency: currency,
          totalCents: order.totalCents,
          currency: order.currency,
        });
        throw ApplicationFailure.create({
          type: FailureType.PAYMENT_DECLINED,
          message: `provider captured ${capturedCents} ${currency}, order total is ${order.totalCents} ${order.currency}`,
          nonRetryable: true,
        });
      }
      checkpoint();

      // False when the reservation expired meanwhile and the sweeper cancelled the order.
      if (!(await db.markOrderPaid(input.orderId))) throw new CheckoutCancelled(FailureType.RESERVATION_EXPIRED);
      setStatus('PAID');
      confirmationStarted = notify({ type: 'order_confirmed', orderId: input.orderId });
    } catch (error) {
      return await failOrCancel(error);
    }

    // Fulfilment is the shipment workflow's: a child recorded in this history (it cannot be lost
    // to a crash), abandoned on completion so it outlives the checkout by days.
    const shipmentStarted = startChild(shipment, {
      workflowId: shipmentWorkflowId(input.orderId),
      args: [{ orderId: input.orderId, customerId: input.customerId }],
      parentClosePolicy: 'ABANDON',
      typedSearchAttributes: orderSearchAttributes(input.orderId, input.customerId, 'PAID'),
    });
    // Both starts go out in one workflow task; the checkout ends once the server has started both.
    await Promise.all([confirmationStarted, shipmentStarted]);
    return { orderId: input.orderId, status: 'PAID' };

    async function failOrCancel(error: unknown): Promise<CheckoutResult> {
      await saga.compensate();
      if (error instanceof CheckoutCancelled) {
        await db.markOrderCancelled(input.orderId, error.reason);
        state.failureReason = error.reason;
        setStatus('CANCELLED');
        await notify({ type: 'order_cancelled', orderId: input.orderId });
        await restartTimerOfRestoredCart(input.orderId);
        return { orderId: input.orderId, status: 'CANCELLED' };
      }
      const failure = asBusinessFailure(error);
      const reason = (failure?.type ?? 'CHECKOUT_ERROR') as OrderFailureReason;
      await db.markOrderFailed(input.orderId, reason);
      state.failureReason = reason;
      setStatus('FAILED');
      await notify({ type: 'order_failed', orderId: input.orderId });
      await restartTimerOfRestoredCart(input.orderId);
      throw ApplicationFailure.create({
        type: reason,
        message: failure?.message ?? 'checkout failed',
        nonRetryable: true,
        cause: error instanceof Error ? error : undefined,
      });
    }
  }
}

/** The business ApplicationFailure inside `error` (directly or as an activity's cause), if any. */
function asBusinessFailure(error: unknown): ApplicationFailure | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (e instanceof ApplicationFailure && e.type && BUSINESS_FAILURES.has(e.type)) return e;
  }
  return undefined;
}
