/**
 * Every activity of the platform, built from its dependencies. Workflows import only the *type*
 * `Activities` (never this module's values), which keeps Node code out of the workflow sandbox.
 */
import type { Db } from '../prisma/client';
import type { Carrier } from './adapters/carrier';
import type { PaymentProvider } from './adapters/payment-provider';
import type { Mailer } from './notifications/mailer';
import { createInventoryActivities } from './inventory';
import { createNotificationActivities } from './notifications';
import { createOrderActivities } from './orders';
import { createPaymentActivities } from './payments';
import { createRefundActivities } from './refunds';
import { createShipmentActivities } from './shipments';

export interface ActivityDependencies {
  db: Db;
  paymentProvider: PaymentProvider;
  carrier: Carrier;
  reservationTtlMs: number;
  /** Where customer emails go out (SMTP), and their From header. */
  mailer: Mailer;
  mailFrom: string;
  /** CART_REMINDER_AFTER_HOURS, for the timers of carts given back after a failed order; default 24. */
  cartReminderAfterHours?: number;
  now?: () => Date;
}

export function createActivities(deps: ActivityDependencies) {
  return {
    ...createOrderActivities(deps),
    ...createInventoryActivities(deps),
    ...createPaymentActivities(deps),
    ...createRefundActivities(deps),
    ...createShipmentActivities(deps),
    ...createNotificationActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
