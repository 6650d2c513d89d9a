/** Cart housekeeping the workers run on a Temporal schedule (workers/schedules.ts). */
import type { Db } from '../prisma/client';
import { createCartRepository } from '../prisma/repositories/carts';

/** docs/api.md#carts: an empty guest cart left alone this long is deleted. */
export const EMPTY_GUEST_CART_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export interface CartActivityOptions {
  db: Db;
  now?: () => Date;
}

export function createCartActivities({ db, now = () => new Date() }: CartActivityOptions) {
  const carts = createCartRepository(db);
  return {
    /** Deletes the empty guest carts left alone for the period; returns how many. Idempotent. */
    async deleteAbandonedGuestCarts(): Promise<number> {
      return carts.deleteEmptyGuestCarts(new Date(now().getTime() - EMPTY_GUEST_CART_TTL_MS));
    },
  };
}
