/**
 * The books of a drill, checked once the stack rests. A drill passes only when no work was lost or
 * done twice. Four checks, each in a file of its own under books/: one key, one order (keys.ts);
 * statuses and workflows (workflows.ts); money (money.ts); stock (stock.ts).
 */
import type { OrderStatus } from '../../domain/statuses';
import { PAID_STATUSES } from '../../domain/order-statuses';
import type { BooksInput } from './books/input';
import { checkKeys } from './books/keys';
import { readLedger } from './books/ledger';
import { checkMoney } from './books/money';
import { PAID_BACK_STATUSES } from './books/statuses';
import { checkStock } from './books/stock';
import { checkWorkflows } from './books/workflows';

export interface Books {
  orders: number;
  paid: number;
  failed: number;
  cancelled: number;
  awaiting: number;
  paidBack: number;
  /** Succeeded charges in the provider's ledger. */
  charges: number;
  /** Refunds in the provider's ledger. */
  refunds: number;
  stockOk: boolean;
  stuck: number;
  problems: string[];
}

export async function checkBooks(input: BooksInput): Promise<Books> {
  const ledger = await readLedger(input.db);
  const { orders, charges, simRefunds } = ledger;
  const workflows = await checkWorkflows(input, ledger);
  const stock = checkStock(input, ledger);
  const problems = [...checkKeys(input, ledger), ...workflows.problems, ...checkMoney(ledger), ...stock];
  const stuck = workflows.stuck;
  const count = (statuses: readonly OrderStatus[]): number => orders.filter((o) => statuses.includes(o.status)).length;
  return {
    orders: orders.length,
    paid: count(PAID_STATUSES),
    failed: count(['FAILED']),
    cancelled: count(['CANCELLED']),
    awaiting: count(['AWAITING_PAYMENT_CONFIRMATION']),
    paidBack: count(PAID_BACK_STATUSES),
    charges: charges.filter((c) => c.status === 'succeeded').length,
    refunds: simRefunds.length,
    stockOk: stock.length === 0,
    stuck,
    problems,
  };
}

/** The books as one line: `orders=.. paid=.. failed=.. cancelled=.. charges=.. refunds=.. stock ok, 0 stuck`. */
export function booksLine(b: Books): string {
  const extra = [b.awaiting ? ` awaiting=${b.awaiting}` : '', b.paidBack ? ` returned=${b.paidBack}` : ''].join('');
  return (
    `orders=${b.orders} paid=${b.paid} failed=${b.failed} cancelled=${b.cancelled}${extra} ` +
    `charges=${b.charges} refunds=${b.refunds} stock ${b.stockOk ? 'ok' : 'WRONG'}, ${b.stuck} stuck`
  );
}
