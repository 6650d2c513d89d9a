/**
 * Compile-time proof that the status types of domain/ equal the enums of prisma/schema.prisma:
 * a value added to one and not the other fails `tsc` (npm test type-checks first). Nothing runs here.
 */
import type * as Domain from '../domain/statuses';
import type * as Schema from './generated/enums';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;

export type SchemaTypesMatch = [
  Assert<Same<Domain.OrderStatus, Schema.OrderStatus>>,
  Assert<Same<Domain.PaymentStatus, Schema.PaymentStatus>>,
  Assert<Same<Domain.RefundStatus, Schema.RefundStatus>>,
  Assert<Same<Domain.ShipmentStatus, Schema.ShipmentStatus>>,
  Assert<Same<Domain.ReservationStatus, Schema.ReservationStatus>>,
  Assert<Same<Domain.Role, Schema.Role>>,
  Assert<Same<Domain.CartStatus, Schema.CartStatus>>,
  Assert<Same<Domain.NotificationStatus, Schema.NotificationStatus>>,
];
