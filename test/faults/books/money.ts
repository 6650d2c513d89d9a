/**
 * Money: exactly one charge per order at the provider, succeeded for every paid order, the amount
 * kept (charged minus refunded) equals what the order keeps, refunds never exceed the charge, and
 * our payments and refunds tables agree with the provider's ledger refund for refund.
 */
import { PAID_STATUSES } from '../../../domain/order-statuses';
import { TRANSIENT_STATUSES } from '../settle';
import type { Ledger } from './ledger';
import { PAID_BACK_STATUSES, sum } from './statuses';

export function checkMoney({ orders, charges, simRefunds, orderById, paymentOf, refundsOf }: Ledger): string[] {
  const problems: string[] = [];
  const chargeOf = new Map<string, (typeof charges)[number]>();
  for (const charge of charges) {
    const orderId = /^order-(.+)-charge$/.exec(charge.idempotencyKey)?.[1];
    if (!orderId || !orderById.has(orderId))
      problems.push(`provider charge ${charge.id} (${charge.idempotencyKey}) belongs to no order`);
    else chargeOf.set(orderId, charge);
  }
  const simRefundsOf = new Map<string, (typeof simRefunds)[number][]>();
  for (const r of simRefunds) simRefundsOf.set(r.chargeId, [...(simRefundsOf.get(r.chargeId) ?? []), r]);
  for (const charge of charges) {
    const refunded = sum((simRefundsOf.get(charge.id) ?? []).map((r) => r.amountCents));
    if (refunded > charge.amountCents)
      problems.push(`charge ${charge.id}: refunds ${refunded} exceed the charge ${charge.amountCents}`);
    if (refunded !== charge.refundedCents)
      problems.push(`charge ${charge.id}: ledger says ${charge.refundedCents} refunded, refunds add up to ${refunded}`);
  }

  for (const o of orders) {
    const charge = chargeOf.get(o.id);
    const payment = paymentOf.get(o.id);
    const isPaid = PAID_STATUSES.includes(o.status);
    const captured = charge?.status === 'succeeded' ? charge.amountCents : 0;
    const kept = captured - (charge?.refundedCents ?? 0);
    const shouldKeep = isPaid ? o.totalCents - o.refundedCents : 0;
    if (isPaid && (charge?.status !== 'succeeded' || charge.amountCents !== o.totalCents)) {
      problems.push(
        `paid order ${o.id} has no succeeded charge of ${o.totalCents} (${charge ? `${charge.status} ${charge.amountCents}` : 'none'})`,
      );
    }
    if (!TRANSIENT_STATUSES.includes(o.status) && kept !== shouldKeep) {
      problems.push(`order ${o.id} (${o.status}): the provider keeps ${kept} cents, the order says ${shouldKeep}`);
    }
    if (
      isPaid &&
      !(
        payment &&
        ['CAPTURED', 'PARTIALLY_REFUNDED'].includes(payment.status) &&
        payment.capturedCents === o.totalCents
      )
    ) {
      problems.push(
        `paid order ${o.id}: payment is ${payment ? `${payment.status} captured ${payment.capturedCents}` : 'missing'}`,
      );
    }
    if (
      o.status === 'AWAITING_PAYMENT_CONFIRMATION' &&
      (charge?.status !== 'requires_action' || payment?.status !== 'REQUIRES_ACTION')
    ) {
      problems.push(
        `order ${o.id} awaits confirmation but its charge is ${charge?.status ?? 'none'} and payment ${payment?.status ?? 'none'}`,
      );
    }
    const ourRefunds = (refundsOf.get(o.id) ?? []).filter((r) => r.status === 'SUCCEEDED');
    const ourRefunded = sum(ourRefunds.map((r) => r.amountCents));
    const providerRefunds = charge ? (simRefundsOf.get(charge.id) ?? []) : [];
    if (
      ourRefunded !== o.refundedCents ||
      (payment && payment.refundedCents !== o.refundedCents) ||
      (charge?.refundedCents ?? 0) !== o.refundedCents
    ) {
      problems.push(
        `order ${o.id}: refunded totals disagree (order ${o.refundedCents}, payment ${payment?.refundedCents ?? '-'}, refunds ${ourRefunded}, provider ${charge?.refundedCents ?? 0})`,
      );
    }
    const ours = ourRefunds
      .map((r) => r.providerRefundId ?? '?')
      .sort()
      .join(',');
    const theirs = providerRefunds
      .map((r) => r.id)
      .sort()
      .join(',');
    if (ours !== theirs)
      problems.push(`order ${o.id}: refunds recorded [${ours}] differ from the provider's [${theirs}]`);
    if (PAID_BACK_STATUSES.includes(o.status) && o.refundedCents !== o.totalCents) {
      problems.push(`order ${o.id} is ${o.status} but only ${o.refundedCents} of ${o.totalCents} was refunded`);
    }
  }
  return problems;
}
