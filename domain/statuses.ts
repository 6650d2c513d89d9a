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

export const PAYMENT_STATUSES = [
  'PENDING',
  'REQUIRES_ACTION',
  'CAPTURED',
  'FAILED',
  'VOIDED',
  'REFUNDED',
  'PARTIALLY_REFUNDED',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const REFUND_STATUSES = ['PENDING', 'AWAITING_APPROVAL', 'SUCCEEDED', 'REJECTED', 'FAILED'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

export const SHIPMENT_STATUSES = [
  'LABEL_CREATED',
  'AWAITING_PICKUP_ALERT',
  'PICKED_UP',
  'IN_TRANSIT',
  'DELIVERED',
  'RETURNED',
  'LOST',
] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

export type ReservationStatus = 'ACTIVE' | 'RELEASED' | 'COMMITTED';

export const ROLES = ['customer', 'support', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Parcel events the carrier reports (its webhook) that move a shipment on. */
export type CarrierEventType = 'PICKED_UP' | 'IN_TRANSIT' | 'DELIVERED' | 'RETURNED';

export const CART_STATUSES = ['OPEN', 'CHECKED_OUT', 'MERGED'] as const;
export type CartStatus = (typeof CART_STATUSES)[number];

export const NOTIFICATION_STATUSES = ['PENDING', 'SENT', 'FAILED'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];
