/**
 * The carrier's signed webhook (docs/api.md#carrier-webhook), as the tests send it: a fresh event id unless
 * one is given (a redelivery reuses it), signed with the harness's carrier secret unless another
 * is given (a forged delivery), occurring now unless a time is given.
 */
import { randomUUID } from 'node:crypto';
import { signatureFor } from '../../api/http/signature';
import type { ApiHarness } from './api-harness';

export function sendCarrierEvent(
  api: ApiHarness,
  trackingNumber: string,
  type: string,
  {
    id = `evt_${randomUUID()}`,
    secret,
    occurredAt = new Date().toISOString(),
  }: { id?: string; secret?: string; occurredAt?: string } = {},
) {
  const raw = JSON.stringify({ id, type, trackingNumber, occurredAt });
  return api.request('POST', '/v1/webhooks/carrier', {
    rawBody: raw,
    headers: {
      'Content-Type': 'application/json',
      'X-Signature': signatureFor(secret ?? api.deps.config.CARRIER_WEBHOOK_SECRET, raw),
    },
  });
}
