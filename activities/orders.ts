import { ApplicationFailure } from '@temporalio/activity';
import { inTransaction, type Db, type Prisma } from '../prisma/client';
import { createCartRepository } from '../prisma/repositories/carts';
import { createCatalogRepository } from '../prisma/repositories/catalog';
import { createCheckoutRequestRepository } from '../prisma/repositories/checkout-requests';
import { createInventoryRepository } from '../prisma/repositories/inventory';
import { createOrderRepository, DuplicateIdempotencyKeyError } from '../prisma/repositories/orders';
import { createPaymentRepository } from '../prisma/repositories/payments';
import { createSaleRepository } from '../prisma/repositories/sales';
import { FailureType, type OrderFailureReason } from '../domain/failure-types';
import { PAID_UNSHIPPED_STATUSES, UNPAID_STATUSES } from '../domain/order-statuses';

export interface CreateOrderInput {
  orderId: string;
  customerId: string;
  workflowId: string;
  idempotencyKey: string;
  /** The cart checked out, closed in the transaction that writes the order. */
  cartId?: string | undefined;
}

/** A customer's open cart that holds a failed or cancelled order's lines again. */
export interface RestoredCart {
  cartId: string;
  customerId: string;
  /** CART_REMINDER_AFTER_HOURS: the quiet time before its reminder. */
  quietForHours: number;
}

export interface CreatedOrder {
  orderId: string;
  totalCents: number;
  currency: string;
  /** The order's lines (merged, sorted by sku): what the checkout reserves. */
  items: { sku: string; quantity: number }[];
}

/** Puts the order's units back on hand unless that already happened (cancel, refund, return). */
export async function restockOrderOnce(tx: Prisma.TransactionClient, orderId: string): Promise<void> {
  const orders = createOrderRepository(tx);
  if (!(await orders.claimRestock(orderId))) return;
  const order = await orders.findById(orderId);
  await createInventoryRepository(tx).restock(order?.items ?? []);
}

export function createOrderActivities({
  db,
  cartReminderAfterHours = 24,
  maxUnpaidOrdersPerCustomer = 3,
}: {
  maxUnpaidOrdersPerCustomer?: number;
  db: Db;
  cartReminderAfterHours?: number;
}) {
  const orders = createOrderRepository(db);
  const sales = createSaleRepository(db);

  /** What the customer asked for: the checkout request row the API wrote before starting the workflow. */
  async function requestOf(input: CreateOrderInput) {
    const row = await createCheckoutRequestRepository(db).findByOrder(input.orderId);
    if (!row) {
      throw ApplicationFailure.create({
        type: FailureType.ORDER_NOT_FOUND,
        message: `no checkout request for order ${input.orderId}`,
        nonRetryable: true,
      });
    }
    return row;
  }

  return {
    /**
     * Makes sure the PENDING order exists at the catalog's prices (never the client's). The API
     * normally wrote it already, right after starting the workflow; this covers an API that died in
     * between. Idempotent on orderId: whichever write comes second finds the first.
     * Unknown skus and mixed currencies are business failures: retrying cannot fix them.
     */
    async createOrder(input: CreateOrderInput): Promise<CreatedOrder> {
      // Usually the API's row: its prices stand (one read, no re-pricing on the hot path).
      const written = await orders.totalsOf(input.orderId);
      if (written) return { orderId: input.orderId, ...written };
      const request = await requestOf(input);
      // The same pricing as the API's (domain/pricing.ts), translated into workflow failures where
      // the API translates it into problem codes (api/checkout/start-checkout.ts): two edges of one
      // rule, each speaking its caller's language.
      const priced = await createCatalogRepository(db).priceOrder(request.items);
      if (priced.kind === 'unknown_sku') {
        throw ApplicationFailure.create({
          type: FailureType.UNKNOWN_SKU,
          message: `unknown sku: ${priced.skus.join(', ')}`,
          nonRetryable: true,
          details: [priced.skus],
        });
      }
      if (priced.kind === 'mixed_currency') {
        throw ApplicationFailure.create({
          type: FailureType.MIXED_CURRENCY,
          message: 'all items of one order must be priced in the same currency',
          nonRetryable: true,
        });
      }
      if (priced.kind === 'too_large') {
        throw ApplicationFailure.create({
          type: FailureType.ORDER_TOO_LARGE,
          message: `order too large: ${priced.reason}`,
          nonRetryable: true,
        });
      }
      const currency = priced.currency;
      const created = await inTransaction(db, async (tx) => {
        const row = await createOrderRepository(tx).createPending({
          id: input.orderId,
          customerId: input.customerId,
          workflowId: input.workflowId,
          idempotencyKey: input.idempotencyKey,
          requestHash: request.requestHash,
          currency,
          shippingAddress: request.shippingAddress,
          items: priced.items,
        });
        if (input.cartId && !(await createCartRepository(tx).closeForOrder(input.cartId, input.orderId))) {
          // Another checkout or a merge closed the cart first: this order must not exist.
          throw ApplicationFailure.create({
            type: FailureType.CART_CLOSED,
            message: `cart ${input.cartId} is no longer open`,
            nonRetryable: true,
          });
        }
        return row;
      }).catch((error: unknown) => {
        // Retrying would collide forever: fail this run; the key's first order stands.
        if (error instanceof DuplicateIdempotencyKeyError) {
          throw ApplicationFailure.create({
            type: FailureType.DUPLICATE_CHECKOUT,
            message: error.message,
            nonRetryable: true,
          });
        }
        throw error;
      });
      return {
        orderId: created.id,
        totalCents: created.totalCents,
        currency,
        // Sorted by sku, as totalsOf answers for an order written already: one answer either way.
        items: priced.items
          .map(({ sku, quantity }) => ({ sku, quantity }))
          .sort((x, y) => (x.sku < y.sku ? -1 : x.sku > y.sku ? 1 : 0)),
      };
    },

    /**
     * Payment captured: the order becomes PAID and its reserved units become sold, atomically, so
     * the books never show a paid order whose stock is still only reserved. Idempotent.
     */
    async markOrderPaid(orderId: string): Promise<boolean> {
      const { paid, statusBefore } = await sales.complete(orderId, UNPAID_STATUSES);
      // A retry after success finds it PAID; anything else (the expiry sweep cancelled it) is a no.
      return paid || statusBefore === 'PAID';
    },

    /**
     * Ends a paid order as CANCELLED and puts its sold units back on hand, atomically and once: the
     * restock only happens in the transaction that wins the status transition.
     */
    async completePaidOrderCancellation(orderId: string): Promise<void> {
      await inTransaction(db, async (tx) => {
        const orderRepo = createOrderRepository(tx);
        if (
          !(await orderRepo.transition(orderId, PAID_UNSHIPPED_STATUSES, 'CANCELLED', FailureType.CANCELLED_BY_REQUEST))
        )
          return;
        await restockOrderOnce(tx, orderId);
        await createCartRepository(tx).restoreLinesOfOrder(orderId);
      });
    },

    /**
     * After an order from a cart ended FAILED or CANCELLED (its lines are back in the customer's open
     * cart): that cart and how long it may stay quiet, so the workflow restarts its reminder timer.
     * Read, not remembered from the transaction that moved the order, so a retry after a crash
     * answers the same.
     */
    async cartToRemindAfter(orderId: string): Promise<RestoredCart | null> {
      const order = await orders.findById(orderId);
      if (order?.status !== 'FAILED' && order?.status !== 'CANCELLED') return null;
      const cart = await createCartRepository(db).openCartAfterOrder(orderId);
      return cart ? { ...cart, quietForHours: cartReminderAfterHours } : null;
    },

    /**
     * When the cart last changed, for its abandoned-cart timer (workflows/cart-reminder.ts); null
     * when there is nothing to remind of (no longer OPEN, or no lines). Epoch milliseconds: the
     * timer compares it with its own workflow time.
     */
    async cartLastChangedAt(cartId: string): Promise<{ changedAtMs: number } | null> {
      const changedAt = await createCartRepository(db).lastChangeOfOpenCart(cartId);
      return changedAt ? { changedAtMs: changedAt.getTime() } : null;
    },

    /**
     * The 3-D Secure wait begins: PENDING -> AWAITING_PAYMENT_CONFIRMATION. False when the customer
     * has MAX_UNPAID_ORDERS_PER_CUSTOMER orders waiting already (the API refuses most such
     * checkouts; racing ones end here), and the order must not hold its stock any longer.
     */
    async markOrderAwaitingPaymentConfirmation(orderId: string): Promise<boolean> {
      return orders.enterAwaitingConfirmation(orderId, maxUnpaidOrdersPerCustomer);
    },

    /**
     * Ends an unpaid order as CANCELLED (e.g. the customer never completed 3-D Secure). Idempotent.
     * The cart it came from is given back to the customer in the same transaction, once.
     */
    async markOrderCancelled(orderId: string, reason: OrderFailureReason): Promise<void> {
      await inTransaction(db, async (tx) => {
        if (await createOrderRepository(tx).transition(orderId, UNPAID_STATUSES, 'CANCELLED', reason)) {
          await createCartRepository(tx).restoreLinesOfOrder(orderId);
        }
      });
    },

    /**
     * Ends an unpaid order as FAILED. Idempotent; an order already past payment is left alone. The
     * cart it came from is given back to the customer in the same transaction, once.
     */
    async markOrderFailed(orderId: string, reason: OrderFailureReason): Promise<void> {
      await inTransaction(db, async (tx) => {
        const moved = await createOrderRepository(tx).transition(orderId, UNPAID_STATUSES, 'FAILED', reason);
        const payment = await createPaymentRepository(tx).findByOrder(orderId);
        if (moved && payment && payment.status !== 'CAPTURED' && payment.status !== 'REFUNDED') {
          await createPaymentRepository(tx).setStatus(orderId, 'FAILED');
        }
        if (moved) await createCartRepository(tx).restoreLinesOfOrder(orderId);
      });
    },
  };
}
