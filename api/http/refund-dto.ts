import type { RefundView } from '../../prisma/repositories/refunds';
import type { RefundListItem } from '../../contract/response-schemas';

/**
 * A refund in GET /v1/orders/:orderId/refunds (support, admin): what a support console shows and
 * decides on. `requestedBy` is the requesting user's id, null when the platform itself refunded
 * (cancellation, return, lost parcel): an admin cannot decide a refund they requested.
 */
export function refundListItemDto(r: RefundView & { createdAt: Date; updatedAt: Date }): RefundListItem {
  return {
    refundId: r.id,
    amountCents: r.amountCents,
    status: r.status,
    reason: r.reason,
    restock: r.restock,
    requestedBy: r.requestedBy === 'system' ? null : r.requestedBy,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}
