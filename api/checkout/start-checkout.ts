/**
 * Starting a checkout: idempotency, catalog check, then update-with-start of the checkout workflow.
 *
 * The Idempotency-Key maps to the workflow ID (`checkout-<customer>-<key>`) and the workflow is
 * started with conflict policy USE_EXISTING, so concurrent duplicates attach to one workflow and get
 * its one order. The update `orderCreated` returns as soon as the order row exists: the client gets
 * a real order ID without waiting for stock, payment or shipping.
 */
import { randomUUID } from 'node:crypto';
import {
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../../prisma/client';
import { createCatalogRepository } from '../../prisma/repositories/catalog';
import { createOrderRepository, type OrderStatus } from '../../prisma/repositories/orders';
import type { checkout } from '../../workflows/checkout';
import { orderCreatedUpdate, type CheckoutInput } from '../../workflows/definitions';
import { FailureType } from '../../workflows/failure-types';
import { checkoutWorkflowId } from '../../workflows/ids';
import { CustomerIdKey, OrderIdKey, OrderStatusKey } from '../../workflows/search-attributes';
import { problems, type ProblemError } from '../http/problem';
import { canonicalCheckout, checkoutRequestHash, type CheckoutRequest } from './request';

export interface CheckoutStarted {
  orderId: string;
  status: OrderStatus;
  workflowId: string;
  /** False when the key was seen before and the existing order is returned. */
  created: boolean;
}

const keyReuse = (): ProblemError =>
  problems.conflict('idempotency_key_reuse', 'Idempotency-Key reused', 'This Idempotency-Key was used with a different request body.');

export function createCheckoutStarter(deps: { db: Db; temporal: Client; taskQueue: string }) {
  const orders = createOrderRepository(deps.db);
  const catalog = createCatalogRepository(deps.db);

  return async function startCheckout(customerId: string, idempotencyKey: string, request: CheckoutRequest): Promise<CheckoutStarted> {
    const canonical = canonicalCheckout(request);
    const requestHash = checkoutRequestHash(canonical);

    /** The order an earlier request with this key created, if any; 409 when its body differed. */
    const findPrevious = async (): Promise<CheckoutStarted | null> => {
      const previous = await orders.findByIdempotencyKey(customerId, idempotencyKey);
      if (!previous) return null;
      if (previous.requestHash !== requestHash) throw keyReuse();
      return { orderId: previous.id, status: previous.status, workflowId: previous.workflowId, created: false };
    };

    const previous = await findPrevious();
    if (previous) return previous;

    const prices = await catalog.findPrices(canonical.items.map((i) => i.sku));
    const unknown = canonical.items.map((i) => i.sku).filter((sku) => !prices.has(sku));
    if (unknown.length > 0) {
      throw problems.unprocessable('unknown_sku', 'Unknown sku', `No product with sku ${unknown.join(', ')}.`, { skus: unknown });
    }

    const orderId = randomUUID();
    const workflowId = checkoutWorkflowId(customerId, idempotencyKey);
    const input: CheckoutInput = {
      orderId,
      customerId,
      idempotencyKey,
      requestHash,
      items: canonical.items,
      shippingAddress: canonical.shippingAddress,
      paymentToken: canonical.paymentMethod.token,
    };
    const startWorkflowOperation = new WithStartWorkflowOperation<typeof checkout>('checkout', {
      workflowId,
      taskQueue: deps.taskQueue,
      args: [input],
      // Running: attach to it (concurrent duplicates). Closed: never start a second run for the key;
      // the closed run's order is answered from the database below.
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        { key: OrderIdKey, value: orderId },
        { key: CustomerIdKey, value: customerId },
        { key: OrderStatusKey, value: 'PENDING' },
      ],
      memo: { summary: `checkout of ${canonical.items.length} line(s) for customer ${customerId}` },
    });

    let accepted;
    try {
      accepted = await deps.temporal.workflow.executeUpdateWithStart(orderCreatedUpdate, { startWorkflowOperation });
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) {
        // The key's checkout finished between our lookup and the start: answer with its order.
        const finished = await findPrevious();
        if (finished) return finished;
        throw problems.conflict('checkout_failed', 'Checkout failed', 'The checkout for this Idempotency-Key failed before an order was created; use a new key.');
      }
      throw toProblem(error) ?? error;
    }
    // A concurrent request with the same key but another body may have started the workflow first.
    if (accepted.requestHash !== requestHash) throw keyReuse();
    return { orderId: accepted.orderId, status: accepted.status, workflowId, created: accepted.orderId === orderId };
  };
}

/** Business failures of order creation that the client must hear about; anything else is a 500. */
function toProblem(error: unknown): ProblemError | undefined {
  if (!(error instanceof WorkflowUpdateFailedError) || !(error.cause instanceof ApplicationFailure)) return undefined;
  if (error.cause.type === FailureType.UNKNOWN_SKU) {
    return problems.unprocessable('unknown_sku', 'Unknown sku', error.cause.message);
  }
  if (error.cause.type === FailureType.MIXED_CURRENCY) {
    return problems.unprocessable('mixed_currency', 'Mixed currencies', error.cause.message);
  }
  return undefined;
}

export type StartCheckout = ReturnType<typeof createCheckoutStarter>;
