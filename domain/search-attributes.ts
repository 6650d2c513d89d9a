/**
 * Typed search attributes that operators filter on in the Temporal UI and CLI, e.g.
 * `temporal workflow list --query 'OrderId="..."'`. They are registered with the server at start-up
 * (`temporal server start-dev --search-attribute OrderId=Keyword ...`, see tooling/temporal-dev-server.ts).
 */
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';

export const OrderIdKey = defineSearchAttributeKey('OrderId', SearchAttributeType.KEYWORD);
export const CustomerIdKey = defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD);
export const OrderStatusKey = defineSearchAttributeKey('OrderStatus', SearchAttributeType.KEYWORD);
/** The cart of a cart-reminder workflow: `CartId="..."` finds a cart's abandoned-cart timer. */
export const CartIdKey = defineSearchAttributeKey('CartId', SearchAttributeType.KEYWORD);

/** Name and type of every custom attribute, for registering them with a server. */
export const CUSTOM_SEARCH_ATTRIBUTES = [OrderIdKey, CustomerIdKey, OrderStatusKey, CartIdKey].map((k) => ({
  name: k.name,
  type: 'Keyword' as const,
}));

/**
 * The attributes every workflow of an order starts with (checkout, shipment, refund, cancellation),
 * so an operator's `OrderId="..."` or `CustomerId="..."` query finds all of them.
 */
export function orderSearchAttributes(orderId: string, customerId: string, status: string): SearchAttributePair[] {
  return [
    { key: OrderIdKey, value: orderId },
    { key: CustomerIdKey, value: customerId },
    { key: OrderStatusKey, value: status },
  ];
}
