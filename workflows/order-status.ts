/**
 * Keeps the `OrderStatus` search attribute of the running workflow equal to the order's status, so
 * an operator's `OrderStatus="..."` query finds the workflows of orders in that state. Every
 * workflow of an order that moves its status calls this, never `upsertSearchAttributes` itself.
 */
import { upsertSearchAttributes } from '@temporalio/workflow';
import { OrderStatusKey } from '../domain/search-attributes';
import type { OrderStatus } from '../domain/statuses';

export function recordOrderStatus(status: OrderStatus): void {
  upsertSearchAttributes([{ key: OrderStatusKey, value: status }]);
}
