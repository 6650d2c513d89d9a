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
    // One round trip: insert unless the key is taken, and answer with whichever label holds it.
    const [row] = await this.db.$queryRaw<{ tracking_number: string }[]>`
      WITH created AS (
        INSERT INTO sim_carrier_labels (tracking_number, idempotency_key) VALUES (${trackingNumber}, ${request.idempotencyKey})
        ON CONFLICT (idempotency_key) DO NOTHING
        RETURNING tracking_number
      )
      SELECT tracking_number FROM created
      UNION ALL SELECT tracking_number FROM sim_carrier_labels WHERE idempotency_key = ${request.idempotencyKey}
      LIMIT 1`;
    if (row) return { trackingNumber: row.tracking_number };
    // Empty only when a concurrent request with the same key committed after this statement began.
    const label = await this.db.simCarrierLabel.findUniqueOrThrow({
      where: { idempotencyKey: request.idempotencyKey },
    });
    return { trackingNumber: label.trackingNumber };
  }

  async cancelLabel(_trackingNumber: string): Promise<void> {
    // The simulator has no pick-up schedule to cancel; a real carrier voids the label here.
  }
}
