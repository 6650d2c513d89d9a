/**
 * Checkout requests: what a customer asked for (lines, shipping address, payment token), stored
 * before the checkout workflow starts so its input carries ids only. The first request of an
 * Idempotency-Key claims the row, and with it the order's id; a retry of the key finds the row.
 */
import type { DbClient } from '../client';
import type { ShippingAddress } from '../../domain/shipping-address';

export interface CheckoutRequestLine {
  sku: string;
  quantity: number;
}

export interface CheckoutRequestRow {
  orderId: string;
  workflowId: string;
  customerId: string;
  idempotencyKey: string;
  requestHash: string;
  items: CheckoutRequestLine[];
  shippingAddress: ShippingAddress;
  paymentToken: string;
  cartId: string | null;
}

const select = {
  orderId: true,
  workflowId: true,
  customerId: true,
  idempotencyKey: true,
  requestHash: true,
  items: true,
  shippingAddress: true,
  paymentToken: true,
  cartId: true,
} as const;

// Only this module writes the JSON columns, from the typed fields below.
const asRow = (
  row: { items: unknown; shippingAddress: unknown } & Omit<CheckoutRequestRow, 'items' | 'shippingAddress'>,
) => row as CheckoutRequestRow;

export function createCheckoutRequestRepository(db: DbClient) {
  return {
    /**
     * Writes the request unless its workflow (the key) has one already, and returns the row that
     * stands: the caller compares its hash to tell a retry from a conflicting reuse of the key.
     */
    async claim(request: CheckoutRequestRow): Promise<CheckoutRequestRow> {
      // INSERT ... ON CONFLICT DO NOTHING RETURNING: the row comes back from the insert itself, in
      // one round trip; only a key claimed before (no row returned) is read in a statement of its
      // own, which sees the other request's row once it committed.
      const [inserted] = await db.checkoutRequest.createManyAndReturn({
        data: [
          {
            ...request,
            items: request.items.map((i) => ({ sku: i.sku, quantity: i.quantity })),
            shippingAddress: { ...request.shippingAddress },
          },
        ],
        skipDuplicates: true,
        select,
      });
      const row =
        inserted ?? (await db.checkoutRequest.findUnique({ where: { workflowId: request.workflowId }, select }));
      if (!row) throw new Error(`checkout request of ${request.workflowId} vanished after its insert`);
      return asRow(row);
    },

    async findByOrder(orderId: string): Promise<CheckoutRequestRow | null> {
      const row = await db.checkoutRequest.findUnique({ where: { orderId }, select });
      return row ? asRow(row) : null;
    },
  };
}

export type CheckoutRequestRepository = ReturnType<typeof createCheckoutRequestRepository>;
