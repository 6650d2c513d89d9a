/**
 * Typed search attributes that operators filter on in the Temporal UI and CLI, e.g.
 * `temporal workflow list --query 'OrderId="..."'`. They are registered with the server at start-up
 * (`temporal server start-dev --search-attribute OrderId=Keyword ...`, see scripts/temporal.ts).
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const OrderIdKey = defineSearchAttributeKey('OrderId', SearchAttributeType.KEYWORD);
export const CustomerIdKey = defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD);
export const OrderStatusKey = defineSearchAttributeKey('OrderStatus', SearchAttributeType.KEYWORD);

/** Name and type of every custom attribute, for registering them with a server. */
export const CUSTOM_SEARCH_ATTRIBUTES = [OrderIdKey, CustomerIdKey, OrderStatusKey].map((k) => ({ name: k.name, type: 'Keyword' as const }));
