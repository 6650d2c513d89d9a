/** A well-formed checkout workflow input for tests and history recording (no Jest globals here). */
import { randomUUID } from 'node:crypto';
import type { CheckoutInput } from '../../workflows/definitions';

export function checkoutInput(overrides: Partial<CheckoutInput> = {}): CheckoutInput {
  return {
    orderId: randomUUID(),
    customerId: randomUUID(),
    idempotencyKey: randomUUID(),
    requestHash: 'hash-1',
    items: [{ sku: 'MUG', quantity: 2 }],
    shippingAddress: { name: 'A', line1: 'B', city: 'C', postalCode: 'D', country: 'GB' },
    paymentToken: 'tok_visa',
    ...overrides,
  };
}
