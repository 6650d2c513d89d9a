import type { DbClient } from '../client';

/**
 * The bundled simulated payment provider's own books (`sim_payment_charges`): what "the provider"
 * knows about a charge. Shared by the simulator's adapter (activities/) and the simulated bank's
 * 3-D Secure pages (api/), which both play the provider and so both read and settle its ledger.
 * Nothing here is the platform's record of a payment; that is prisma/repositories/payments.ts.
 */
export type SimChargeStatus = 'requires_action' | 'succeeded' | 'failed' | 'canceled';

export interface SimCharge {
  id: string;
  status: SimChargeStatus;
  amountCents: number;
  currency: string;
}

/** What settling a charge that waited for 3-D Secure came to. */
export type SettleOutcome = 'settled' | 'not_found' | 'already_settled';

const KNOWN: ReadonlySet<string> = new Set<SimChargeStatus>(['requires_action', 'succeeded', 'failed', 'canceled']);

export function createSimPaymentLedger(db: DbClient) {
  return {
    async findCharge(id: string): Promise<SimCharge | null> {
      const row = await db.simPaymentCharge.findUnique({
        where: { id },
        select: { id: true, status: true, amountCents: true, currency: true },
      });
      if (!row) return null;
      if (!KNOWN.has(row.status)) throw new Error(`simulated charge ${id} has an unknown status ${row.status}`);
      return { ...row, status: row.status as SimChargeStatus };
    },

    /**
     * The customer passed (`approved`) or failed the bank's challenge: a charge still waiting for
     * it settles once; a second settle, or one after a cancel, changes nothing.
     */
    async settle(id: string, approved: boolean): Promise<SettleOutcome> {
      const { count } = await db.simPaymentCharge.updateMany({
        where: { id, status: 'requires_action' },
        data: { status: approved ? 'succeeded' : 'failed' },
      });
      if (count === 1) return 'settled';
      return (await db.simPaymentCharge.count({ where: { id } })) === 0 ? 'not_found' : 'already_settled';
    },
  };
}

export type SimPaymentLedger = ReturnType<typeof createSimPaymentLedger>;
