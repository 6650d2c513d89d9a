/**
 * How the simulated provider announces a settled charge: its own signed webhook to this API's
 * /v1/webhooks/payments, over real HTTP, as a real provider would (docs/api.md#payment-webhook). The API then
 * treats it like any provider's webhook: a hint that makes the checkout ask the provider.
 */
import { randomUUID } from 'node:crypto';
import { signatureFor } from '../http/signature';

export interface ProviderWebhookTarget {
  /** Base URL of the API that receives it, e.g. http://127.0.0.1:3000. */
  baseUrl: string;
  secret: string;
}

const ATTEMPTS = 3;
const TIMEOUT_MS = 3_000;

/**
 * Sends `payment.succeeded`/`payment.failed` for `providerPaymentId`, retrying a network error or
 * a 5xx a few times with the same event id (the API's inbox makes repeats no-ops). True once the
 * API acknowledged it with a 2xx.
 */
export async function sendPaymentWebhook(
  target: ProviderWebhookTarget,
  providerPaymentId: string,
  approved: boolean,
): Promise<boolean> {
  const body = JSON.stringify({
    id: `evt_sim_${randomUUID().replaceAll('-', '')}`,
    type: approved ? 'payment.succeeded' : 'payment.failed',
    providerPaymentId,
  });
  const headers = { 'Content-Type': 'application/json', 'X-Signature': signatureFor(target.secret, body) };
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      const res = await fetch(`${target.baseUrl}/v1/webhooks/payments`, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await res.arrayBuffer(); // release the connection
      if (res.ok) return true;
      if (res.status < 500) return false; // refused for good: retrying the same bytes cannot help
    } catch {
      // network error or timeout: try again
    }
    if (attempt < ATTEMPTS) await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
  }
  return false;
}
