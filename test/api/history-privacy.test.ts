/**
 * docs/api.md#personal-data: no payment token, address, email or other personal data in
 * clear in Temporal's workflow histories, memos or search attributes. A real checkout, cancellation
 * and refunds through the API, then every history on the harness's task queue, with every payload
 * decoded, searched for what the customer typed.
 */
import { randomUUID } from 'node:crypto';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { useApiHarness } from '../support/api-harness';
import { createTestProduct, TEST_ADDRESS } from '../support/fixtures';
import { waitUntil } from '../support/wait';

const api = useApiHarness();

/** The history as JSON with every base64 payload field decoded in place, so clear text shows. */
function readable(historyJson: string): string {
  return historyJson.replace(/"data":\s*"([A-Za-z0-9+/=]+)"/g, (_m, b64: string) =>
    JSON.stringify({ data: Buffer.from(b64, 'base64').toString('utf8') }),
  );
}

test('checkout, cancellation and refund histories carry ids, never the token, address, email or free text', async () => {
  const customer = await api.userWithToken();
  const support = await api.userWithToken('support');
  const sku = await createTestProduct(api.deps.db, { onHand: 10, priceCents: 5000 });
  const secret = randomUUID().slice(0, 8);
  const address = {
    name: `Zebediah ${secret}`,
    line1: `77 Hidden Lane ${secret}`,
    city: `Privacyton${secret}`,
    postalCode: `PC${secret}`,
    country: 'GB',
  };
  const checkout = async (token: string) => {
    const res = await api.request('POST', '/v1/checkouts', {
      token: customer.token,
      body: { items: [{ sku, quantity: 2 }], shippingAddress: address, paymentMethod: { token } },
      headers: { 'Idempotency-Key': randomUUID() },
    });
    expect(res.status).toBe(202);
    return res.body.orderId as string;
  };

  // A paid order, refunded in part with a free-text reason, then cancelled with one.
  const paid = await checkout('tok_visa');
  await api.waitForOrder(paid, customer.token, (o) => o.status === 'FULFILLING');
  const refund = await api.request('POST', `/v1/orders/${paid}/refunds`, {
    token: support.token,
    body: { amountCents: 1000, reason: `refund reason ${secret}` },
    headers: { 'Idempotency-Key': randomUUID() },
  });
  expect(refund.status).toBe(202);
  await api.waitForOrder(paid, customer.token, (o) => o.refundedCents === 1000);
  const cancel = await api.request('POST', `/v1/orders/${paid}/cancel`, {
    token: customer.token,
    body: { reason: `cancel reason ${secret}` },
  });
  expect(cancel.status).toBe(202);
  await api.waitForOrder(paid, customer.token, (o) => o.status === 'CANCELLED' && o.refundedCents === 10_000);
  // A 3-D Secure order cancelled while it waits.
  const waiting = await checkout('tok_3ds');
  await api.waitForOrder(waiting, customer.token, (o) => o.status === 'AWAITING_PAYMENT_CONFIRMATION');
  await api.request('POST', `/v1/orders/${waiting}/cancel`, {
    token: customer.token,
    body: { reason: `why ${secret}` },
  });
  await api.waitForOrder(waiting, customer.token, (o) => o.status === 'CANCELLED');
  // Every email of both orders went out (their workflows are part of what is searched).
  await waitUntil(
    () => (api.mail.messages().filter((m) => m.to.includes(customer.email)).length >= 5 ? true : undefined),
    'the emails of both orders',
  );

  const histories: { workflowId: string; text: string }[] = [];
  for await (const wf of api.deps.temporal.workflow.list({ query: `TaskQueue="${api.taskQueue}"` })) {
    const handle = api.deps.temporal.workflow.getHandle(wf.workflowId, wf.runId);
    const described = await handle.describe();
    const text = readable(historyToJSON(await handle.fetchHistory()));
    histories.push({
      workflowId: wf.workflowId,
      text: `${text}\n${JSON.stringify(described.memo ?? {})}\n${JSON.stringify(described.searchAttributes ?? {})}`,
    });
  }
  const types = new Set(histories.map((h) => h.workflowId.split('-')[0]));
  expect([...types].sort()).toEqual(expect.arrayContaining(['checkout', 'notify', 'refund', 'shipment']));

  const forbidden = ['tok_visa', 'tok_3ds', customer.email, secret, 'Hidden Lane', 'Zebediah'];
  const leaks = histories.flatMap((h) =>
    forbidden.filter((f) => h.text.includes(f)).map((f) => `${h.workflowId}: ${f}`),
  );
  expect(leaks).toEqual([]);
  // The histories are about this order: its id is there.
  expect(histories.some((h) => h.text.includes(paid))).toBe(true);
});

test("a mail server's refusal that quotes the address leaves codes in the history, its full text on the row", async () => {
  const customer = await api.userWithToken();
  const sku = await createTestProduct(api.deps.db, { onHand: 5, priceCents: 2500 });
  api.mail.setRefusedRecipients([customer.email]);
  try {
    const res = await api.request('POST', '/v1/checkouts', {
      token: customer.token,
      body: { items: [{ sku, quantity: 1 }], shippingAddress: TEST_ADDRESS, paymentMethod: { token: 'tok_visa' } },
      headers: { 'Idempotency-Key': randomUUID() },
    });
    expect(res.status).toBe(202);
    const orderId = res.body.orderId as string;
    const failed = await waitUntil(async () => {
      const rows = await api.deps.db.notification.findMany({ where: { orderId, status: 'FAILED' } });
      return rows.length > 0 ? rows : undefined;
    }, 'a refused notification marked FAILED');

    // The row keeps what the server said, address included: support reads it there.
    expect(failed[0]!.lastError).toContain(`550 5.1.1 <${customer.email}>: Recipient address rejected`);
    // The row is marked before the email's workflow records its failure, and the listing is
    // eventually consistent: read the histories again until the refusal is in one.
    const notifyRuns = await waitUntil(
      async () => {
        const runs: string[] = [];
        for await (const wf of api.deps.temporal.workflow.list({ query: `TaskQueue="${api.taskQueue}"` })) {
          const text = readable(
            historyToJSON(await api.deps.temporal.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory()),
          );
          expect(text).not.toContain(customer.email);
          if (text.includes('MAIL_REJECTED')) {
            runs.push(wf.workflowId);
            // The history names the refusal by its codes.
            expect(text).toContain('SMTP 550 5.1.1 at RCPT TO (EENVELOPE)');
          }
        }
        return runs.length > 0 ? runs : undefined;
      },
      'the refusal recorded in an email workflow history',
      { intervalMs: 500 },
    );
    expect(notifyRuns.length).toBeGreaterThan(0);
  } finally {
    api.mail.setRefusedRecipients([]);
  }
});
