/**
 * What a person reads when the API says no. problem+json codes are stable (docs/api.md#problem-codes), so they map to
 * sentences here; anything unknown falls back to the problem's own detail, which the API writes
 * for people too and never fills with internals.
 */
import type { Problem } from '../contract/response-schemas';

/** Field paths of the API's validation errors, as the forms label them. */
const FIELD_LABELS: Record<string, string> = {
  email: 'Email',
  password: 'Password',
  quantity: 'Quantity',
  'shippingAddress.name': 'Name',
  'shippingAddress.line1': 'Address',
  'shippingAddress.city': 'City',
  'shippingAddress.postalCode': 'Postal code',
  'shippingAddress.country': 'Country',
  'paymentMethod.token': 'Card',
};

export function problemMessage(problem: Problem): string {
  switch (problem.code) {
    case 'validation_failed': {
      const fields = [...new Set((problem.errors ?? []).map((e) => FIELD_LABELS[e.path]).filter(Boolean))];
      return fields.length > 0
        ? `Please check ${fields.join(', ')}: ${fields.length === 1 ? 'it is' : 'they are'} missing or not valid.`
        : 'Please check the form: something is missing or not valid.';
    }
    case 'invalid_credentials':
      return 'That email and password do not match an account.';
    case 'rate_limited':
      return 'Too many attempts. Please wait a few minutes and try again.';
    case 'unauthorized':
      return 'Your session has ended. Please sign in again.';
    case 'forbidden':
      return 'Your account cannot do that.';
    case 'not_found':
      return 'We could not find that.';
    case 'unknown_sku':
      return 'That product is no longer sold.';
    case 'insufficient_stock':
      return problem.available === undefined
        ? 'We do not have that many in stock.'
        : `We only have ${problem.available} of those in stock.`;
    case 'cart_too_large':
      return 'Your cart is full: it holds at most 100 different products.';
    case 'cart_closed':
      return 'That cart has already been checked out.';
    case 'cart_empty':
      return 'Your cart is empty.';
    case 'order_too_large':
      return 'That order is too large to place at once.';
    case 'too_many_unpaid_orders':
      return 'You have several orders waiting for payment confirmation. Please confirm or cancel one first.';
    case 'idempotency_key_reuse':
      return 'This form was already sent with other details. Please reload the page and try again.';
    case 'order_not_cancellable':
      return 'This order can no longer be cancelled.';
    case 'payload_too_large':
      return 'That was too much text to send.';
    case 'request_timeout':
      return 'That took too long. Please try again.';
    default:
      return problem.status >= 500
        ? 'Something went wrong on our side. Please try again in a moment.'
        : (problem.detail ?? problem.title);
  }
}
