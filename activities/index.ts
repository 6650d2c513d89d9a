/**
 * Every activity of the platform, built from its dependencies. Workflows import only the *type*
 * `Activities` (never this module's values), which keeps Node code out of the workflow sandbox.
 */
import type { Db } from '../prisma/client';
import type { Carrier } from './adapters/carrier';
import type { PaymentProvider } from './adapters/payment-provider';
import { createInventoryActivities } from './inventory';
import { createOrderActivities } from './orders';
import { createPaymentActivities } from './payments';
import { createRefundActivities } from './refunds';
import { createShipmentActivities } from './shipments';

export interface ActivityDependencies {
  db: Db;
  paymentProvider: PaymentProvider;
  carrier: Carrier;
  reservationTtlMs: number;
  now?: () => Date;
}

export function createActivities(deps: ActivityDependencies) {
  return {
    ...createOrderActivities(deps),
    ...createInventoryActivities(deps),
    ...createPaymentActivities(deps),
    ...createRefundActivities(deps),
    ...createShipmentActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
