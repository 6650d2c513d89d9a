import { randomUUID } from 'node:crypto';
import { inTransaction, type Db } from '../../prisma/client';
import { createSimPaymentLedger } from '../../prisma/repositories/sim-payment-ledger';
import {
  RefundRejectedError,
  type ChargeOutcome,
  type ChargeRequest,
  type ChargeResult,
  type PaymentProvider,
  type ProviderPaymentStatus,
  type RefundRequest,
  type RefundResult,
} from './payment-provider';

/** Test card tokens of the bundled provider (docs/api.md#payment-tokens). */
const SimulatedTokens = {
  APPROVED: 'tok_visa',
  DECLINED: 'tok_declined',
  REQUIRES_3DS: 'tok_3ds',
} as const;

const OUTCOME_BY_TOKEN: Record<string, ChargeOutcome> = {
  [SimulatedTokens.APPROVED]: 'succeeded',
  [SimulatedTokens.DECLINED]: 'declined',
  [SimulatedTokens.REQUIRES_3DS]: 'requires_action',
};

const STATUS_BY_OUTCOME: Record<ChargeOutcome, string> = {
  succeeded: 'succeeded',
  declined: 'failed',
  requires_action: 'requires_action',
};

/**
 * A stand-in for a real payment service provider, for development and tests. It keeps its ledger in
 * the `sim_payment_*` tables, as a real provider keeps it on its side, so that its idempotency-key
 * guarantees hold across worker crashes and the books can be audited (one charge per key).
 */
export class SimulatedPaymentProvider implements PaymentProvider {
  readonly name = 'simulated';

  /**
   * `latencyMs` delays each charge's answer after the provider has recorded it, as a real provider's
   * network round trip does. Drills and shutdown tests use it to kill or stop a worker while a charge
   * is in flight: the retried activity must then find the recorded charge, not make a second one.
   */
  constructor(
    private readonly db: Db,
    private readonly options: { latencyMs?: number } = {},
  ) {}

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    const outcome = OUTCOME_BY_TOKEN[request.token] ?? 'declined';
    const id = `pi_sim_${randomUUID().replaceAll('-', '')}`;
    // One round trip: insert unless the key is taken, and answer with whichever charge holds it.
    const [row] = await this.db.$queryRaw<ChargeRow[]>`
      WITH created AS (
        INSERT INTO sim_payment_charges (id, idempotency_key, token, amount_cents, currency, status)
        VALUES (${id}, ${request.idempotencyKey}, ${request.token}, ${request.amountCents}, ${request.currency}, ${STATUS_BY_OUTCOME[outcome]})
        ON CONFLICT (idempotency_key) DO NOTHING
        RETURNING id, status
      )
      SELECT id, status FROM created
      UNION ALL SELECT id, status FROM sim_payment_charges WHERE idempotency_key = ${request.idempotencyKey}
      LIMIT 1`;
    // Empty only when a concurrent call with the same key committed after this statement began.
    const stored =
      row ?? (await this.db.simPaymentCharge.findUnique({ where: { idempotencyKey: request.idempotencyKey } }));
    if (!stored) throw new Error('simulated provider lost a charge it just stored');
    if (this.options.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
    return chargeResult(stored);
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    return inTransaction(this.db, async (tx) => {
      const previous = await tx.simPaymentRefund.findUnique({ where: { idempotencyKey: request.idempotencyKey } });
      if (previous) return { providerRefundId: previous.id };
      // Lock the charge so concurrent refunds cannot together exceed what was captured.
      const [charge] = await tx.$queryRaw<
        { id: string; status: string; amount_cents: number; refunded_cents: number }[]
      >`
        SELECT id, status, amount_cents, refunded_cents FROM sim_payment_charges WHERE id = ${request.providerPaymentId} FOR UPDATE`;
      if (!charge || charge.status !== 'succeeded') {
        throw new RefundRejectedError(`no captured charge ${request.providerPaymentId}`);
      }
      if (request.amountCents > charge.amount_cents - charge.refunded_cents) {
        throw new RefundRejectedError(`refund of ${request.amountCents} exceeds the refundable amount of ${charge.id}`);
      }
      const id = `re_sim_${randomUUID().replaceAll('-', '')}`;
      await tx.simPaymentRefund.create({
        data: { id, idempotencyKey: request.idempotencyKey, chargeId: charge.id, amountCents: request.amountCents },
      });
      await tx.simPaymentCharge.update({
        where: { id: charge.id },
        data: { refundedCents: { increment: request.amountCents } },
      });
      return { providerRefundId: id };
    });
  }

  async cancel(providerPaymentId: string): Promise<void> {
    await this.db.simPaymentCharge.updateMany({
      where: { id: providerPaymentId, status: 'requires_action' },
      data: { status: 'canceled' },
    });
  }

  async retrieve(providerPaymentId: string): Promise<ProviderPaymentStatus> {
    const charge = await createSimPaymentLedger(this.db).findCharge(providerPaymentId);
    // A real provider answers 404 for an id it never issued; ours came from it, so that is a fault.
    if (!charge) throw new Error(`simulated provider has no payment ${providerPaymentId}`);
    if (charge.status !== 'succeeded') return { status: charge.status };
    // The simulator captures in full on success; a real provider reports its captured amount.
    return { status: 'succeeded', capturedCents: charge.amountCents, currency: charge.currency };
  }

  /**
   * What the customer's bank does when 3-D Secure completes: settles a charge that waited for it.
   * The provider would then send a `payment.succeeded`/`payment.failed` webhook (the API's
   * /sim/3ds pages do both; drills call this directly and send the webhook themselves).
   */
  async completeAction(providerPaymentId: string, approved: boolean): Promise<void> {
    await createSimPaymentLedger(this.db).settle(providerPaymentId, approved);
  }
}

interface ChargeRow {
  id: string;
  status: string;
}

function chargeResult(row: ChargeRow): ChargeResult {
  const outcome: ChargeOutcome =
    row.status === 'succeeded' ? 'succeeded' : row.status === 'requires_action' ? 'requires_action' : 'declined';
  return outcome === 'declined'
    ? { outcome, providerPaymentId: row.id, declineCode: 'card_declined' }
    : { outcome, providerPaymentId: row.id };
}
