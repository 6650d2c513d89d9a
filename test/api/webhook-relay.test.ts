/**
 * The payment webhook commits its inbox row before signalling, and never holds a transaction open
 * across the signal: with a Temporal whose signal fails once, the first delivery answers 5xx (so the
 * provider retries), the row is already visible from another connection during the signal, and the
 * retry of the same event signals again and the order proceeds.
 */
import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import type { WorkflowHandle } from '@temporalio/client';
import { SimulatedPaymentProvider } from '../../activities/adapters/simulated-payment-provider';
import { signatureFor } from '../../api/http/signature';
import { createWebhookEventRepository } from '../../prisma/repositories/webhook-events';
import { checkoutBody, paidOrLater, providerPaymentIdOf, useApiHarness } from '../support/api-harness';
import { createTestProduct } from '../support/fixtures';
import { testEnv } from '../support/test-env';

const api = useApiHarness();

function deliver(event: object) {
  const raw = JSON.stringify(event);
  return api.request('POST', '/v1/webhooks/payments', {
    rawBody: raw,
    headers: {
      'Content-Type': 'application/json',
      'X-Signature': signatureFor(api.deps.config.PAYMENT_WEBHOOK_SECRET, raw),
    },
  });
}

test('a failed signal answers 5xx with the row already committed; the retry signals again and the order is paid', async () => {
  const customer = await api.userWithToken();
  const sku = await createTestProduct(api.deps.db, { onHand: 5 });
  const checkout = await api.request('POST', '/v1/checkouts', {
    token: customer.token,
    body: checkoutBody([{ sku, quantity: 1 }], 'tok_3ds'),
    headers: { 'Idempotency-Key': randomUUID() },
  });
  const order = await api.waitForOrder(
    checkout.body.orderId,
    customer.token,
    (o) => o.status === 'AWAITING_PAYMENT_CONFIRMATION',
  );
  const event = { id: `evt_${randomUUID()}`, type: 'payment.succeeded', providerPaymentId: providerPaymentIdOf(order) };
  // The customer passes the bank's challenge: the provider itself reports the capture (the webhook
  // is only the hint that makes the checkout ask).
  await new SimulatedPaymentProvider(api.deps.db).completeAction(event.providerPaymentId, true);

  const other = new PgClient({ connectionString: testEnv.databaseUrl });
  await other.connect();
  const rowSeenDuringSignal: boolean[] = [];
  let failuresLeft = 1;
  const workflows = api.deps.temporal.workflow;
  const realGetHandle = workflows.getHandle.bind(workflows);
  const spy = jest.spyOn(workflows, 'getHandle').mockImplementation((...args: Parameters<typeof realGetHandle>) => {
    const handle = realGetHandle(...args);
    if (args[0] !== order.workflowId) return handle;
    const signal: WorkflowHandle['signal'] = async (...signalArgs) => {
      // Another connection sees only committed rows: visible here means no transaction is open.
      const seen = await other.query('SELECT 1 FROM webhook_events WHERE source = $1 AND id = $2', [
        'payments',
        event.id,
      ]);
      rowSeenDuringSignal.push(seen.rowCount === 1);
      if (failuresLeft-- > 0) throw new Error('Temporal is unavailable (injected)');
      return handle.signal(...signalArgs);
    };
    return Object.assign(Object.create(handle) as typeof handle, { signal });
  });
  try {
    const first = await deliver(event);
    expect(first.status).toBeGreaterThanOrEqual(500);
    expect(first.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const inbox = createWebhookEventRepository(api.deps.db);
    expect(await inbox.count('payments', event.id)).toBe(1);
    expect(await inbox.isRelayed('payments', event.id)).toBe(false);

    const retry = await deliver(event);
    expect(retry.status).toBe(200);
    expect(retry.body.outcome).toBe('processed');
    expect(rowSeenDuringSignal).toEqual([true, true]);
    expect(await inbox.isRelayed('payments', event.id)).toBe(true);

    const paid = await api.waitForOrder(order.id, customer.token, paidOrLater);
    expect(paid.payment?.status).toBe('CAPTURED');
    // Relayed once successfully: a later redelivery is acknowledged and not signalled again.
    const calls = rowSeenDuringSignal.length;
    expect((await deliver(event)).body.outcome).toBe('duplicate');
    expect(rowSeenDuringSignal.length).toBe(calls);
  } finally {
    spy.mockRestore();
    await other.end();
  }
});
