import type { OrderView } from '../../prisma/repositories/orders';
import type { Order } from '../../contract/response-schemas';

/** The Order of docs/api.md#order: dates as ISO strings, nothing internal (no idempotency key, no address hash). */
export function orderDto(order: OrderView): Order {
  return {
    id: order.id,
    customerId: order.customerId,
    status: order.status,
    currency: order.currency,
    totalCents: order.totalCents,
    refundedCents: order.refundedCents,
    items: order.items,
    payment: order.payment,
    shipment: order.shipment,
    failureReason: order.failureReason,
    workflowId: order.workflowId,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}
