/**
 * One key, one order: every key the client sent has exactly one order (none for a key the API
 * refused), the API answered every retry of a key with that same order, and there is no order
 * nobody asked for.
 */
import type { BooksInput } from './input';
import type { Ledger } from './ledger';

export function checkKeys(input: BooksInput, { orders, orderByKey }: Ledger): string[] {
  const problems: string[] = [];
  const sentKeys = new Set<string>();
  for (const c of input.checkouts) {
    const { key } = c.plan;
    sentKeys.add(key);
    const order = orderByKey.get(key);
    if (c.accepted) {
      if (c.orderIds.size !== 1)
        problems.push(
          `key ${key}: the API answered with ${c.orderIds.size} different orders (${[...c.orderIds].join(', ')})`,
        );
      if (!order) problems.push(`key ${key}: accepted as ${[...c.orderIds][0]} but no such order exists (lost)`);
      else if (!c.orderIds.has(order.id))
        problems.push(`key ${key}: answered ${[...c.orderIds].join(', ')} but the key's order is ${order.id}`);
      else {
        const allowed = input.allowedStatuses(c);
        if (!allowed.includes(order.status))
          problems.push(`order ${order.id} (${c.plan.token}) is ${order.status}, expected ${allowed.join('|')}`);
      }
    } else if (c.refusedWith !== undefined) {
      if (order) problems.push(`key ${key}: refused with ${c.refusedWith} yet order ${order.id} exists`);
    } else {
      problems.push(
        `key ${key}: no answer after ${c.attempts} attempts (statuses ${c.statuses.join(',') || 'none'}, ${c.networkErrors} network errors)`,
      );
    }
  }
  for (const o of orders)
    if (!sentKeys.has(o.idempotencyKey)) problems.push(`order ${o.id} has key ${o.idempotencyKey} that no client sent`);
  return problems;
}
