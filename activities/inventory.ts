import { ApplicationFailure } from '@temporalio/activity';
import type { Db } from '../prisma/client';
import { createInventoryRepository, type StockLine } from '../prisma/repositories/inventory';
import { FailureType } from '../domain/failure-types';

export interface InventoryActivityOptions {
  db: Db;
  /** How long a reservation may stay ACTIVE before the expiry sweep returns it to stock. */
  reservationTtlMs: number;
  now?: () => Date;
}

export function createInventoryActivities({ db, reservationTtlMs, now = () => new Date() }: InventoryActivityOptions) {
  const inventory = createInventoryRepository(db);

  return {
    /** Reserves all lines or none. Not enough stock is a business failure (OUT_OF_STOCK). */
    async reserveStock(orderId: string, lines: StockLine[]): Promise<void> {
      const outcome = await inventory.reserveForOrder(orderId, lines, new Date(now().getTime() + reservationTtlMs));
      if (!outcome.ok) {
        throw ApplicationFailure.create({
          type: FailureType.OUT_OF_STOCK,
          message: `not enough stock for ${outcome.shortSkus.join(', ')}`,
          nonRetryable: true,
          details: [outcome.shortSkus],
        });
      }
    },

    /** The abandoned-checkout sweep (run on a Temporal schedule); returns the orders swept. */
    async releaseExpiredReservations(): Promise<number> {
      return inventory.releaseExpired(now());
    },

    /** Compensation of reserveStock. Idempotent: releasing twice releases once. */
    async releaseStock(orderId: string): Promise<number> {
      return inventory.releaseForOrder(orderId);
    },
  };
}
