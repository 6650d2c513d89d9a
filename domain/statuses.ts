/**
 * The status vocabularies of the platform, declared here rather than taken from Prisma's generated
 * enums so that workflow payloads and the API do not depend on the persistence layer.
 * prisma/schema-types.check.ts proves at compile time that each equals its schema enum.
 */

export const ORDER_STATUSES = [
  'PENDING',
  'AWAITING_PAYMENT_CONFIRMATION',
  'PAID',
  'FULFILLING',
  'SHIPPED',
  'DELIVERED',
  'FAILED',
  'CANCELLED',
  'RETURNED',
  'REFUNDED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export type PaymentStatus =
  'PENDING' | 'REQUIRES_ACTION' | 'CAPTURED' | 'FAILED' | 'VOIDED' | 'REFUNDED' | 'PARTIALLY_REFUNDED';

export type RefundStatus = 'PENDING' | 'AWAITING_APPROVAL' | 'SUCCEEDED' | 'REJECTED' | 'FAILED';

export type ShipmentStatus =
  'LABEL_CREATED' | 'AWAITING_PICKUP_ALERT' | 'PICKED_UP' | 'IN_TRANSIT' | 'DELIVERED' | 'RETURNED' | 'LOST';

export type ReservationStatus = 'ACTIVE' | 'RELEASED' | 'COMMITTED';

export type Role = 'customer' | 'support' | 'admin';

/** Parcel events the carrier reports (its webhook) that move a shipment on. */
export type CarrierEventType = 'PICKED_UP' | 'IN_TRANSIT' | 'DELIVERED' | 'RETURNED';

export type CartStatus = 'OPEN' | 'CHECKED_OUT' | 'MERGED';

export type NotificationStatus = 'PENDING' | 'SENT' | 'FAILED';
