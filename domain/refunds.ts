/** Refund rules that the API applies and the support console explains (docs/api.md "Refunds"). */

/** A refund that takes the order's refunds together above this many cents waits for an admin. */
export const APPROVAL_THRESHOLD_CENTS = 50_000;
