/**
 * Duplicate and reordered webhooks under load. The drill plays the payment provider and the
 * carrier: 3-D Secure checkouts are settled at the provider and announced by payment webhooks as
 * soon as our payment row says REQUIRES_ACTION (often before the workflow waits for them); paid
 * orders get their parcel's events in random order. Every event is delivered 1-3 times, some
 * with a bad signature. Each event must be relayed exactly once, and each order end where its
 * events say: approved -> paid (FULFILLING), declined by the bank -> FAILED, delivered ->
 * DELIVERED, returned -> RETURNED with a full refund and restock. Among a parcel's events go hostile
 * ones (test/faults/hostile-carrier.ts): wild times and malformed or oversized bodies are refused and
 * change nothing, events for parcels not ours are answered `unmatched`, and no shipment workflow fails.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { SimulatedPaymentProvider } from '../../../activities/adapters/simulated-payment-provider';
import type { OrderStatus } from '../../../domain/statuses';
import { PAID_STATUSES } from '../../../domain/order-statuses';
import { bootStack, closeBooks, sleep, startStream, type Drill } from '../drill';
import type { CheckoutOutcome, PaymentToken } from '../load';
import { deliverHostile, hostileCount, hostileFor, newHostileTally } from '../hostile-carrier';
import { deliverShuffled, newTally, type WebhookEvent } from '../webhook-sender';

type Fate = 'approve' | 'decline' | 'deliver' | 'return';

/** By slot of ten: three 3-D Secure approved, one declined by the bank, four delivered, two returned. */
const FATES: readonly Fate[] = [
  'approve',
  'approve',
  'approve',
  'decline',
  'deliver',
  'deliver',
  'deliver',
  'deliver',
  'return',
  'return',
];
const fateOf = (i: number): Fate => FATES[i % FATES.length]!;

const EXPECTED: Record<Fate, readonly OrderStatus[]> = {
  approve: PAID_STATUSES,
  decline: ['FAILED'],
  deliver: ['DELIVERED'],
  return: ['RETURNED'],
};

// The stack runs NODE_ENV=production, which refuses the published development secrets.
const PAYMENT_SECRET = `drill-payment-${randomUUID()}`;
const CARRIER_SECRET = `drill-carrier-${randomUUID()}`;

export const webhooksUnderLoad: Drill = {
  name: 'webhooks',
  async run(ctx) {
    const stack = await bootStack(ctx, this.name, {
      env: { PAYMENT_WEBHOOK_SECRET: PAYMENT_SECRET, CARRIER_WEBHOOK_SECRET: CARRIER_SECRET },
    });
    try {
      const problems: string[] = [];
      const provider = new SimulatedPaymentProvider(stack.db);
      const pick = (i: number): { token: PaymentToken; sku: string } => {
        const fate = fateOf(i);
        return {
          token: fate === 'approve' || fate === 'decline' ? 'tok_3ds' : 'tok_visa',
          sku: i % 2 === 0 ? 'FAULT-A' : 'FAULT-B',
        };
      };
      const stream = startStream(stack, 4, pick);
      const tally = newTally();
      const hostile = newHostileTally();
      const deliveries: Promise<void>[] = [];
      const handled = new Set<number>();
      const fateByOutcome = new Map<CheckoutOutcome, Fate>();

      const sendFor = async (i: number, outcome: CheckoutOutcome): Promise<void> => {
        const orderId = [...outcome.orderIds][0];
        if (!orderId) return;
        const fate = fateOf(i);
        const badSignature = i % 10 === 0 || i % 10 === 4;
        if (fate === 'approve' || fate === 'decline') {
          const payment = await stack.db.payment.findUnique({
            where: { orderId },
            select: { status: true, providerPaymentId: true },
          });
          if (payment?.status !== 'REQUIRES_ACTION' || !payment.providerPaymentId) return;
          // The customer finishes 3-D Secure at the bank; then the provider announces the verdict.
          await provider.completeAction(payment.providerPaymentId, fate === 'approve');
          const event: WebhookEvent = {
            path: '/v1/webhooks/payments',
            secret: PAYMENT_SECRET,
            body: {
              id: `evt_${randomUUID()}`,
              type: fate === 'approve' ? 'payment.succeeded' : 'payment.failed',
              providerPaymentId: payment.providerPaymentId,
            },
          };
          handled.add(i);
          deliveries.push(deliverShuffled(stack.baseUrl, [event], tally, { spreadMs: 1_500, badSignature }));
          return;
        }
        const shipment = await stack.db.shipment.findUnique({ where: { orderId }, select: { trackingNumber: true } });
        if (!shipment) return;
        const t0 = Date.now();
        const events: WebhookEvent[] = (
          ['PICKED_UP', 'IN_TRANSIT', fate === 'deliver' ? 'DELIVERED' : 'RETURNED'] as const
        ).map((type, n) => ({
          path: '/v1/webhooks/carrier',
          secret: CARRIER_SECRET,
          body: {
            id: `carrier_${randomUUID()}`,
            type,
            trackingNumber: shipment.trackingNumber,
            occurredAt: new Date(t0 + n * 60_000).toISOString(),
          },
        }));
        handled.add(i);
        deliveries.push(deliverShuffled(stack.baseUrl, events, tally, { spreadMs: 2_000, badSignature }));
        // The terminal event this parcel must not end with: believed, it would show in the books.
        const wrong = fate === 'deliver' ? 'RETURNED' : 'DELIVERED';
        deliveries.push(
          deliverHostile(stack.baseUrl, CARRIER_SECRET, hostileFor(shipment.trackingNumber, wrong), hostile, 2_000),
        );
      };

      const sendingFor = 30_000;
      const started = Date.now();
      const giveUpAt = started + sendingFor + 90_000;
      let streaming = true;
      while (Date.now() < giveUpAt) {
        if (streaming && Date.now() - started > sendingFor) {
          await stream.stop();
          streaming = false;
        }
        const outcomes = stream.outcomes;
        for (let i = 0; i < outcomes.length; i++) {
          const outcome = outcomes[i]!;
          fateByOutcome.set(outcome, fateOf(i));
          if (!handled.has(i) && outcome.accepted) await sendFor(i, outcome);
        }
        if (!streaming && outcomes.every((o, i) => handled.has(i) || !o.accepted)) break;
        await sleep(300);
      }
      if (streaming) await stream.stop();
      await Promise.all(deliveries);

      const unhandled = stream.outcomes.filter((o, i) => o.accepted && !handled.has(i)).length;
      if (unhandled > 0)
        problems.push(`${unhandled} orders never reached the point where their webhooks could be sent`);
      problems.push(...tally.wrongAnswers.map((w) => `webhook ${w}`));
      problems.push(...hostile.wrongAnswers.map((w) => `hostile webhook ${w}`));
      const events = await stack.db.webhookEvent.count({ where: { relayedAt: { not: null } } });
      if (events !== tally.processed.size)
        problems.push(`the inbox holds ${events} relayed events, ${tally.processed.size} were relayed`);
      const refusedKept = await stack.db.webhookEvent.count({ where: { id: { in: [...hostile.refusedIds] } } });
      if (refusedKept > 0) problems.push(`${refusedKept} refused hostile events were recorded in the inbox`);
      const strangersRelayed = await stack.db.webhookEvent.count({
        where: { id: { in: [...hostile.unmatchedIds] }, relayedAt: { not: null } },
      });
      if (strangersRelayed > 0) problems.push(`${strangersRelayed} events for parcels not ours were relayed`);
      for (const [id, n] of tally.processed) if (n !== 1) problems.push(`event ${id} relayed ${n} times`);

      const books = await closeBooks(stack, stream.outcomes, (c) => EXPECTED[fateByOutcome.get(c) ?? 'deliver']);
      problems.push(...(await failedShipments(stack.temporalAddress)));
      const { sent } = hostile;
      return {
        books,
        notes:
          `webhooks: ${tally.deliveries} deliveries of ${tally.processed.size} events (${tally.duplicates} duplicates, ${tally.badSignatures} bad signatures), ${[...tally.processed.values()].filter((n) => n === 1).length} relayed exactly once; ` +
          `${hostileCount(hostile)} hostile (${sent['bad-time']} wild times, ${sent.malformed} malformed, ${sent.oversized} oversized, ${sent['unknown-parcel']} parcels not ours)`,
        problems,
      };
    } finally {
      await stack.stop();
    }
  },
};

/** One bad event must never end a long-lived shipment workflow (issue 29, item 4). */
async function failedShipments(temporalAddress: string): Promise<string[]> {
  const connection = await Connection.connect({ address: temporalAddress });
  try {
    const temporal = new Client({ connection });
    const problems: string[] = [];
    let listed = 0;
    for await (const wf of temporal.workflow.list({ query: 'WorkflowType="shipment"' })) {
      listed++;
      if (wf.status.name === 'FAILED') problems.push(`shipment workflow ${wf.workflowId} FAILED`);
    }
    if (listed === 0) problems.push('no shipment workflow was listed');
    return problems;
  } finally {
    await connection.close();
  }
}
