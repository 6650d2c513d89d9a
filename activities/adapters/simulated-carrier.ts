import { randomBytes } from 'node:crypto';
import type { Db } from '../../prisma/client';
import type { Carrier, LabelRequest } from './carrier';

/**
 * A stand-in carrier for development and tests: issues tracking numbers and keeps its labels in
 * `sim_carrier_labels` so a retried label request returns the same parcel. Its parcel events
 * arrive as signed webhooks (POST /v1/webhooks/carrier), as a real carrier's would.
 */
export class SimulatedCarrier implements Carrier {
  readonly name = 'simulated-carrier';

  constructor(private readonly db: Db) {}

  async createLabel(request: LabelRequest): Promise<{ trackingNumber: string }> {
    const trackingNumber = `SIM${randomBytes(6).toString('hex').toUpperCase()}`;
    // ON CONFLICT DO NOTHING on the idempotency key, then read back whichever label won.
    await this.db.simCarrierLabel.createMany({ data: [{ trackingNumber, idempotencyKey: request.idempotencyKey }], skipDuplicates: true });
    const label = await this.db.simCarrierLabel.findUniqueOrThrow({ where: { idempotencyKey: request.idempotencyKey } });
    return { trackingNumber: label.trackingNumber };
  }

  async cancelLabel(_trackingNumber: string): Promise<void> {
    // The simulator has no pick-up schedule to cancel; a real carrier voids the label here.
  }
}
