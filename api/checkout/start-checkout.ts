/**
 * Starting a checkout: idempotency, pricing, then start the checkout workflow and write the order.
 *
 * The Idempotency-Key maps to the workflow ID (`checkout-<customer>-<key>`); the start refuses a
 * second execution for it (conflict policy FAIL, reuse policy REJECT_DUPLICATE), so exactly one
 * request per key starts a workflow, and only that request writes the order row. Every other request
 * with the key reads that row: 200 with its order, or 409 when its body differed.
 *
 * The workflow is started before the row is written, so the order is never left without its saga:
 * if this process dies in between, the workflow's first step writes the same row (same input, same
 * catalog prices). The client gets a real order ID after one workflow start and one insert, without
 * waiting for a worker.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Db } from '../../prisma/client';
import { createCatalogRepository } from '../../prisma/repositories/catalog';
import { createOrderRepository, type OrderStatus } from '../../prisma/repositories/orders';
import type { checkout } from '../../workflows/checkout';
import type { CheckoutInput } from '../../workflows/definitions';
import { checkoutWorkflowId } from '../../domain/ids';
import { orderSearchAttributes } from '../../domain/search-attributes';
import { problems, type ProblemError } from '../http/problem';
import { canonicalCheckout, checkoutRequestHash, type CheckoutRequest } from './request';

export interface CheckoutStarted {
  orderId: string;
  status: OrderStatus;
  workflowId: string;
  /** False when the key was seen before and the existing order is returned. */
  created: boolean;
}

/** How long a duplicate waits for the first request's order row (normally milliseconds away). */
const DUPLICATE_WAIT_MS = 5_000;

const keyReuse = (): ProblemError =>
  problems.conflict(
    'idempotency_key_reuse',
    'Idempotency-Key reused',
    'This Idempotency-Key was used with a different request body.',
  );
const checkoutFailed = (): ProblemError =>
  problems.conflict(
    'checkout_failed',
    'Checkout failed',
    'The checkout for this Idempotency-Key failed before an order was created; use a new key.',
  );

export function createCheckoutStarter(deps: { db: Db; temporal: Client; taskQueue: string }) {
  const orders = createOrderRepository(deps.db);

  return async function startCheckout(
    customerId: string,
    idempotencyKey: string,
    request: CheckoutRequest,
  ): Promise<CheckoutStarted> {
    const canonical = canonicalCheckout(request);
    const requestHash = checkoutRequestHash(canonical);
    const workflowId = checkoutWorkflowId(customerId, idempotencyKey);

    /** The order an earlier request with this key created, if any; 409 when its body differed. */
    const findPrevious = async (): Promise<CheckoutStarted | null> => {
      const previous = await orders.findByIdempotencyKey(customerId, idempotencyKey);
      if (!previous) return null;
      if (previous.requestHash !== requestHash) throw keyReuse();
      return { orderId: previous.id, status: previous.status, workflowId: previous.workflowId, created: false };
    };

    /** Another request owns the key's workflow: answer with its order once the row is there. */
    const awaitFirstRequest = async (): Promise<CheckoutStarted> => {
      const deadline = Date.now() + DUPLICATE_WAIT_MS;
      for (let attempt = 0; Date.now() < deadline; attempt++) {
        const found = await findPrevious();
        if (found) return found;
        // A closed workflow without an order row failed before creating one (e.g. a sku vanished).
        if (attempt % 10 === 9) {
          const { status } = await deps.temporal.workflow.getHandle(workflowId).describe();
          if (status.name !== 'RUNNING' && !(await findPrevious())) throw checkoutFailed();
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw problems.conflict(
        'checkout_in_progress',
        'Checkout in progress',
        'A request with this Idempotency-Key is still being processed; retry shortly.',
      );
    };

    const previous = await findPrevious();
    if (previous) return previous;

    // Refuse what can only fail before starting anything.
    const priced = await createCatalogRepository(deps.db).priceOrder(canonical.items);
    if (priced.kind === 'unknown_sku') {
      throw problems.unprocessable('unknown_sku', 'Unknown sku', `No product with sku ${priced.skus.join(', ')}.`, {
        skus: priced.skus,
      });
    }
    if (priced.kind === 'mixed_currency') {
      throw problems.unprocessable(
        'mixed_currency',
        'Mixed currencies',
        'All items of one order must be priced in the same currency.',
      );
    }

    const orderId = randomUUID();
    const input: CheckoutInput = {
      orderId,
      customerId,
      idempotencyKey,
      requestHash,
      items: canonical.items,
      shippingAddress: canonical.shippingAddress,
      paymentToken: canonical.paymentMethod.token,
    };
    try {
      await deps.temporal.workflow.start<typeof checkout>('checkout', {
        workflowId,
        taskQueue: deps.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes: orderSearchAttributes(orderId, customerId, 'PENDING'),
        memo: { summary: `checkout of ${canonical.items.length} line(s) for customer ${customerId}` },
      });
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return awaitFirstRequest();
      throw error;
    }
    // This request owns the key's workflow: its body is the order's. The workflow may have written
    // the same row first; createPending then returns that row.
    const order = await orders.createPending({
      id: orderId,
      customerId,
      workflowId,
      idempotencyKey,
      requestHash,
      currency: priced.currency,
      shippingAddress: canonical.shippingAddress,
      items: priced.items,
    });
    return { orderId: order.id, status: order.status, workflowId, created: true };
  };
}

export type StartCheckout = ReturnType<typeof createCheckoutStarter>;
