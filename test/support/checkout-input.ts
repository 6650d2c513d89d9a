/** A well-formed checkout workflow input for tests and history recording (no Jest globals here). */
import { randomUUID } from 'node:crypto';
import type { CheckoutInput } from '../../workflows/definitions';

/** The lines the activity doubles' createOrder answers with (a checkout input carries none). */
export const CHECKOUT_ITEMS = [{ sku: 'MUG', quantity: 2 }];

/** Ids only, as the API starts checkouts: the lines, address and token are in its request row. */
export function checkoutInput(overrides: Partial<CheckoutInput> = {}): CheckoutInput {
  return {
    orderId: randomUUID(),
    customerId: randomUUID(),
    idempotencyKey: randomUUID(),
    ...overrides,
  };
}
