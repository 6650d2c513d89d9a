/**
 * Starting a checkout: idempotency, pricing, then start the checkout workflow and write the order.
 *
 * The Idempotency-Key maps to the workflow ID (`checkout-<customer>-<key>`); the start refuses a
 * second execution for it (conflict policy FAIL, reuse policy REJECT_DUPLICATE), so exactly one
 * request per key starts a workflow, and only that request writes the order row. Every other request
 * with the key reads that row: 200 with its order, or 409 when its body differed.
 *
 * What the customer asked for (lines, address, payment token) is written first, as the key's
 * checkout request row, which also fixes the order's id; the workflow's input carries ids only, so
 * no personal data or token reaches Temporal's histories. The workflow is started before the order
 * row is written, so the order is never left without its saga: if this process dies in between,
 * the workflow's first step writes the same row from the request row (same catalog prices). A
 * request row whose workflow never started (the process died right after writing it) holds no
 * stock and no order; the client's retry with the key starts it. The client gets a real order ID
 * after one insert, one workflow start and one more insert, without waiting for a worker.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { inTransaction, type Db } from '../../prisma/client';
import { createCartRepository } from '../../prisma/repositories/carts';
import { createCatalogRepository } from '../../prisma/repositories/catalog';
import { createCheckoutRequestRepository } from '../../prisma/repositories/checkout-requests';
import { createOrderRepository, type OrderStatus } from '../../prisma/repositories/orders';
import type { checkout } from '../../workflows/checkout';
import type { CheckoutInput } from '../../workflows/definitions';
import { checkoutWorkflowId } from '../../domain/ids';
import { MAX_ORDER_TOTAL_CENTS, MAX_UNITS_PER_SKU } from '../../domain/pricing';
import { orderSearchAttributes } from '../../domain/search-attributes';
import { problems, type ProblemError } from '../http/problem';
import { canonicalCheckout, checkoutRequestHash, type CheckoutRequest, type CheckoutRequestBody } from './request';

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

const cartClosed = (): ProblemError =>
  problems.conflict('cart_closed', 'Cart closed', 'This cart was checked out or merged meanwhile.');

export function createCheckoutStarter(deps: {
  db: Db;
  temporal: Client;
  taskQueue: string;
  /** MAX_UNPAID_ORDERS_PER_CUSTOMER. */
  maxUnpaidOrders: number;
}) {
  const orders = createOrderRepository(deps.db);
  const carts = createCartRepository(deps.db);

  /** The checkout of the caller's OPEN cart: its lines, canonical; 404 unless it is theirs and open. */
  const cartCheckout = async (cartId: string, customerId: string, sent: CheckoutRequest): Promise<CheckoutRequest> => {
    const lines = await carts.linesForCheckout(cartId, customerId);
    if (!lines) throw problems.notFound('No open cart of yours has this id.');
    if (lines.length === 0) throw problems.unprocessable('cart_empty', 'Cart empty', 'The cart has no lines to order.');
    return canonicalCheckout({ ...sent, items: lines });
  };

  return async function startCheckout(
    customerId: string,
    idempotencyKey: string,
    body: CheckoutRequestBody,
  ): Promise<CheckoutStarted> {
    // The hash is over the body as sent (a cart checkout: the cart's id), so a replay is known
    // before the cart is read, even once the cart has closed.
    const sent = canonicalCheckout({ ...body, items: body.items ?? [] });
    const requestHash = checkoutRequestHash(sent);
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

    const canonical = body.cartId === undefined ? sent : await cartCheckout(body.cartId, customerId, sent);

    // Stock held for unconfirmed payments is capped per customer (OWASP API6): refuse before anything.
    if ((await orders.countAwaitingConfirmation(customerId)) >= deps.maxUnpaidOrders) {
      throw problems.conflict(
        'too_many_unpaid_orders',
        'Too many unpaid orders',
        `You have ${deps.maxUnpaidOrders} orders waiting for payment confirmation; confirm or cancel one first.`,
      );
    }

    // Refuse what can only fail before starting anything. What is refused is domain/pricing.ts's
    // (priceLines); its outcomes are translated twice on purpose: here into the client's problem
    // codes, and in the checkout's createOrder activity (activities/orders.ts) into non-retryable
    // failures, for an API that died between starting the workflow and writing the order.
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
    if (priced.kind === 'too_large') {
      throw problems.unprocessable(
        'order_too_large',
        'Order too large',
        `An order may hold at most ${MAX_UNITS_PER_SKU} units of a sku and total at most ${MAX_ORDER_TOTAL_CENTS} cents; this one has ${priced.reason}.`,
      );
    }

    const request = await createCheckoutRequestRepository(deps.db).claim({
      orderId: randomUUID(),
      workflowId,
      customerId,
      idempotencyKey,
      requestHash,
      items: canonical.items,
      shippingAddress: canonical.shippingAddress,
      paymentToken: canonical.paymentMethod.token,
      cartId: body.cartId ?? null,
    });
    // An earlier request with this key claimed the row: its body must be this one.
    if (request.requestHash !== requestHash) throw keyReuse();
    const orderId = request.orderId;
    const input: CheckoutInput = {
      orderId,
      customerId,
      idempotencyKey,
      ...(body.cartId === undefined ? {} : { cartId: body.cartId }),
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
    // the same row first; createPending then returns that row. A cart closes in the same
    // transaction; without a cart the order's one statement needs none (BEGIN and COMMIT would be
    // two more round trips on every checkout).
    const newOrder = {
      id: orderId,
      customerId,
      workflowId,
      idempotencyKey,
      requestHash,
      currency: priced.currency,
      shippingAddress: canonical.shippingAddress,
      items: priced.items,
    };
    const { cartId } = body;
    const order =
      cartId === undefined
        ? await createOrderRepository(deps.db).createPending(newOrder)
        : await inTransaction(deps.db, async (tx) => {
            const row = await createOrderRepository(tx).createPending(newOrder);
            if (!(await createCartRepository(tx).closeForOrder(cartId, orderId))) throw cartClosed();
            return row;
          });
    return { orderId: order.id, status: order.status, workflowId, created: true };
  };
}
