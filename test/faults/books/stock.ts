/**
 * Stock: for each product, units on hand plus units sold (committed reservations of orders that
 * were not restocked) equal the initial stock, and `reserved` equals the active reservations.
 * (`reserved` is a part of `on_hand` in this schema, not an addition to it: reserving does not take
 * units off the shelf, selling does.) Every order holds the reservations its status says.
 */
import { PAID_STATUSES } from '../../../domain/order-statuses';
import type { BooksInput } from './input';
import type { Ledger } from './ledger';
import { PAID_BACK_STATUSES, sum } from './statuses';

export function checkStock(
  input: BooksInput,
  { orders, inventory, reservations, orderById, reservationsOf, itemsOf }: Ledger,
): string[] {
  const problems: string[] = [];
  for (const [sku, initial] of input.initialStock) {
    const row = inventory.find((i) => i.sku === sku);
    if (!row) {
      problems.push(`no inventory row for ${sku}`);
      continue;
    }
    const ofSku = reservations.filter((r) => r.sku === sku);
    const active = sum(ofSku.filter((r) => r.status === 'ACTIVE').map((r) => r.quantity));
    const sold = sum(
      ofSku.filter((r) => r.status === 'COMMITTED' && !orderById.get(r.orderId)?.restockedAt).map((r) => r.quantity),
    );
    if (row.onHand + sold !== initial)
      problems.push(`${sku}: on hand ${row.onHand} + sold ${sold} = ${row.onHand + sold}, started with ${initial}`);
    if (row.reserved !== active)
      problems.push(`${sku}: reserved ${row.reserved} but active reservations hold ${active}`);
    if (row.reserved < 0 || row.reserved > row.onHand)
      problems.push(`${sku}: reserved ${row.reserved} outside 0..${row.onHand}`);
  }
  for (const o of orders) {
    const rs = reservationsOf.get(o.id) ?? [];
    const want =
      o.status === 'AWAITING_PAYMENT_CONFIRMATION'
        ? 'ACTIVE'
        : [...PAID_STATUSES, ...PAID_BACK_STATUSES].includes(o.status)
          ? 'COMMITTED'
          : null;
    if (want) {
      for (const item of itemsOf.get(o.id) ?? []) {
        if (!rs.some((r) => r.sku === item.sku && r.quantity === item.quantity && r.status === want)) {
          problems.push(`order ${o.id} (${o.status}): ${item.quantity} x ${item.sku} not ${want}`);
        }
      }
    }
    if (
      (o.status === 'FAILED' || o.status === 'CANCELLED') &&
      rs.some((r) => r.status === 'ACTIVE' || (r.status === 'COMMITTED' && !o.restockedAt))
    ) {
      problems.push(`order ${o.id} is ${o.status} but still holds stock`);
    }
    if (o.status === 'RETURNED' && !o.restockedAt) problems.push(`order ${o.id} was returned but never restocked`);
  }
  return problems;
}
