/** What the checks of ../books.ts read: the drill's stack and everything its client saw. */
import type { Client } from '@temporalio/client';
import type { Db } from '../../../prisma/client';
import type { OrderStatus } from '../../../domain/statuses';
import type { CheckoutOutcome } from '../load';
import type { RestState } from '../settle';

export interface BooksInput {
  db: Db;
  temporal: Client;
  /** Initial on-hand stock of every product the drill sold. */
  initialStock: ReadonlyMap<string, number>;
  /** Everything the client sent, with every answer it got. */
  checkouts: readonly CheckoutOutcome[];
  /** Statuses the order of an accepted checkout may end in. */
  allowedStatuses(checkout: CheckoutOutcome): readonly OrderStatus[];
  rest: RestState;
}
