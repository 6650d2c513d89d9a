/**
 * Every activity of the platform, built from its dependencies. Workflows import only the *type*
 * `Activities` (never this module's values), which keeps Node code out of the workflow sandbox.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Db } from '../prisma/client';
import { isDataError } from '../prisma/errors';
import { FailureType } from '../domain/failure-types';
import type { Carrier } from './adapters/carrier';
import type { PaymentProvider } from './adapters/payment-provider';
import type { Mailer } from './notifications/mailer';
import { createCartActivities } from './carts';
import { createInventoryActivities } from './inventory';
import { createNotificationActivities } from './notifications';
import { createOrderActivities } from './orders';
import { createParcelStopActivities } from './parcel-stop';
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
  /** Base of the links in emails: STOREFRONT_URL. */
  storefrontUrl: string;
  /** CART_REMINDER_AFTER_HOURS, for the timers of carts given back after a failed order; default 24. */
  cartReminderAfterHours?: number;
  /** MAX_UNPAID_ORDERS_PER_CUSTOMER; default 3. */
  maxUnpaidOrdersPerCustomer?: number;
  now?: () => Date;
}

export function createActivities(deps: ActivityDependencies) {
  return dataErrorsFailForGood({
    ...createOrderActivities(deps),
    ...createInventoryActivities(deps),
    ...createCartActivities(deps),
    ...createPaymentActivities(deps),
    ...createRefundActivities(deps),
    ...createShipmentActivities(deps),
    ...createParcelStopActivities(deps),
    ...createNotificationActivities(deps),
  });
}

/**
 * Every activity, with database data errors (SQLSTATE class 22) turned into a non-retryable
 * DATA_ERROR. Retried, such an error repeats forever: an order whose total overflowed a column once
 * left its checkout retrying `createOrder` without end. Other errors (an outage, a deadlock) stay
 * retryable, within the activity profiles' budgets.
 */
function dataErrorsFailForGood<T extends Record<string, (...args: never[]) => Promise<unknown>>>(activities: T): T {
  const wrapped: Record<string, (...args: never[]) => Promise<unknown>> = {};
  for (const [name, fn] of Object.entries(activities)) {
    wrapped[name] = async (...args) => {
      try {
        return await fn(...args);
      } catch (error) {
        if (!isDataError(error)) throw error;
        throw ApplicationFailure.create({
          type: FailureType.DATA_ERROR,
          message: `${name}: the database refused a value (${error instanceof Error ? error.message : String(error)})`,
          nonRetryable: true,
          cause: error instanceof Error ? error : undefined,
        });
      }
    };
  }
  return wrapped as T;
}

export type Activities = ReturnType<typeof createActivities>;
