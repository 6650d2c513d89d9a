/**
 * Every problem `code` this API answers, with its status and what it means to a client. ProblemError
 * takes only these codes (problem.ts), so a new code cannot reach a client without being listed
 * here, and the OpenAPI document (api/openapi/) describes each route's codes from this list.
 */
export const PROBLEM_CODES = {
  validation_failed: {
    status: 400,
    meaning: 'Invalid JSON, a field of the wrong type or out of range, a missing field, or a forged cursor.',
  },
  idempotency_key_required: { status: 400, meaning: 'The Idempotency-Key header (1-255 characters) is missing.' },
  bad_request: { status: 400, meaning: 'The request could not be read at all.' },
  unauthorized: { status: 401, meaning: 'No bearer token, or one that is expired, tampered with or revoked.' },
  invalid_credentials: { status: 401, meaning: 'The email or the password is wrong.' },
  invalid_signature: { status: 401, meaning: 'X-Signature is missing or does not match the raw body.' },
  forbidden: { status: 403, meaning: "The caller's role may not do this." },
  approval_by_requester: { status: 403, meaning: 'An admin cannot decide a refund they requested.' },
  not_found: {
    status: 404,
    meaning: 'No such resource, or one the caller may not see (never 403, so existence is not revealed).',
  },
  idempotency_key_reuse: { status: 409, meaning: 'The Idempotency-Key was used before with a different body.' },
  checkout_in_progress: {
    status: 409,
    meaning: 'A request with this Idempotency-Key is still being processed; retry shortly.',
  },
  checkout_failed: {
    status: 409,
    meaning: 'The checkout of this Idempotency-Key failed before an order existed; use a new key.',
  },
  too_many_unpaid_orders: {
    status: 409,
    meaning: 'The customer has MAX_UNPAID_ORDERS_PER_CUSTOMER orders awaiting payment confirmation.',
  },
  cart_closed: { status: 409, meaning: 'The cart is no longer OPEN (checked out or merged).' },
  order_not_cancellable: { status: 409, meaning: 'The order is shipped or already terminal.' },
  refund_not_awaiting_approval: { status: 409, meaning: 'Only a refund awaiting approval can be decided.' },
  on_hand_below_reserved: { status: 409, meaning: 'onHand would be below the units reserved by open checkouts.' },
  payment_already_settled: { status: 409, meaning: 'The payment no longer waits for 3-D Secure.' },
  payload_too_large: { status: 413, meaning: 'The body is over 64 KiB.' },
  unknown_sku: { status: 422, meaning: 'No product has this sku (`skus` lists them).' },
  insufficient_stock: { status: 422, meaning: 'The line is above what is available (`sku`, `available`).' },
  cart_too_large: { status: 422, meaning: 'More than 100 lines, or more than 10000 units of a sku.' },
  cart_empty: { status: 422, meaning: 'The cart has no lines to order.' },
  mixed_currency: { status: 422, meaning: 'The items are priced in more than one currency.' },
  order_too_large: {
    status: 422,
    meaning: 'More than 10000 units of a sku, or a total above 100,000,000 cents.',
  },
  refund_exceeds_captured: {
    status: 422,
    meaning: 'The amount is above captured minus already refunded (`refundableCents`).',
  },
  restock_requires_full_refund: {
    status: 422,
    meaning: 'restock is accepted only on a refund of everything still refundable (`refundableCents`).',
  },
  rate_limited: { status: 429, meaning: 'Too many attempts; retry after the Retry-After header.' },
  internal_error: {
    status: 500,
    meaning: 'An unexpected error, logged with the request id; nothing internal is told.',
  },
  request_timeout: {
    status: 503,
    meaning: 'No answer within REQUEST_TIMEOUT_MS; retry (with the same Idempotency-Key).',
  },
  not_ready: { status: 503, meaning: 'A dependency does not answer (`failing` names it).' },
} as const satisfies Record<string, { status: number; meaning: string }>;

export type ProblemCode = keyof typeof PROBLEM_CODES;

/** The codes answered with `status`: what each ProblemError constructor accepts. */
export type ProblemCodeOf<Status extends number> = {
  [Code in ProblemCode]: (typeof PROBLEM_CODES)[Code]['status'] extends Status ? Code : never;
}[ProblemCode];

export const isProblemCode = (value: string): value is ProblemCode => Object.hasOwn(PROBLEM_CODES, value);
