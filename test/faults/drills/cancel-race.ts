/**
 * Cancels racing pick-ups. Paid orders, once their label exists, get the customer's cancel and the
 * carrier's signed PICKED_UP a few milliseconds apart, in either order. Each cancel's answer must
 * tell how its order ended (docs/api.md#cancelling-an-order): 202 -> CANCELLED, refunded in full,
 * restocked, and the pick-up recorded on the shipment; 409 order_not_cancellable -> SHIPPED, nothing
 * refunded. The books check that money and stock agree with every order's end.
 */
import { randomUUID } from 'node:crypto';
import { signatureFor } from '../../../api/http/signature';
import type { OrderStatus } from '../../../domain/statuses';
import { bootStack, closeBooks, sleep, startStream, type Drill } from '../drill';
import type { CheckoutOutcome } from '../load';

// The stack runs NODE_ENV=production, which refuses the published development secrets.
const CARRIER_SECRET = `drill-carrier-${randomUUID()}`;

interface Race {
  orderId: string;
  cancelStatus: number | 'no answer';
  cancelCode?: string;
  pickUpStatus: number | 'no answer';
}

export const cancelRace: Drill = {
  name: 'cancel-race',
  async run(ctx) {
    const stack = await bootStack(ctx, this.name, { env: { CARRIER_WEBHOOK_SECRET: CARRIER_SECRET } });
    try {
      const problems: string[] = [];
      const stream = startStream(stack, 2, (i) => ({ token: 'tok_visa', sku: i % 2 === 0 ? 'FAULT-A' : 'FAULT-B' }));
      const races = new Map<CheckoutOutcome, Promise<Race | null>>();

      const post = async (path: string, init: RequestInit): Promise<{ status: number; code?: string } | null> => {
        try {
          const res = await fetch(`${stack.baseUrl}${path}`, {
            method: 'POST',
            ...init,
            signal: AbortSignal.timeout(30_000),
          });
          const body = (await res.json().catch(() => ({}))) as { code?: string };
          return { status: res.status, ...(body.code ? { code: body.code } : {}) };
        } catch {
          return null;
        }
      };

      const race = async (outcome: CheckoutOutcome): Promise<Race | null> => {
        const orderId = [...outcome.orderIds][0];
        if (!orderId) return null;
        // Generous: on a loaded machine a label can take a while; a missing one fails the drill.
        const deadline = Date.now() + 120_000;
        let tracking: string | undefined;
        while (Date.now() < deadline && !tracking) {
          const shipment = await stack.db.shipment.findUnique({ where: { orderId }, select: { trackingNumber: true } });
          tracking = shipment?.trackingNumber;
          if (!tracking) await sleep(100);
        }
        if (!tracking) {
          problems.push(`order ${orderId} never got its label`);
          return null;
        }
        const raw = JSON.stringify({
          id: `carrier_${randomUUID()}`,
          type: 'PICKED_UP',
          trackingNumber: tracking,
          occurredAt: new Date().toISOString(),
        });
        const cancel = () =>
          post(`/v1/orders/${orderId}/cancel`, {
            headers: {
              'Content-Type': 'application/json',
              Authorization: `Bearer ${stack.customerTokens[outcome.plan.customer]}`,
            },
            body: '{}',
          });
        const pickUp = () =>
          post('/v1/webhooks/carrier', {
            headers: { 'Content-Type': 'application/json', 'X-Signature': signatureFor(CARRIER_SECRET, raw) },
            body: raw,
          });
        // Either may go first, the other 0-35 ms later (the window the review raced in).
        const gap = Math.random() * 35;
        const cancelFirst = Math.random() < 0.5;
        const first = cancelFirst ? cancel() : pickUp();
        await sleep(gap);
        const second = cancelFirst ? pickUp() : cancel();
        const [a, b] = await Promise.all([first, second]);
        const [c, p] = cancelFirst ? [a, b] : [b, a];
        return {
          orderId,
          cancelStatus: c?.status ?? 'no answer',
          ...(c?.code ? { cancelCode: c.code } : {}),
          pickUpStatus: p?.status ?? 'no answer',
        };
      };

      const sendingFor = 12_000;
      const started = Date.now();
      while (Date.now() - started < sendingFor) {
        for (const outcome of stream.outcomes)
          if (outcome.accepted && !races.has(outcome)) races.set(outcome, race(outcome));
        await sleep(200);
      }
      await stream.stop();
      for (const outcome of stream.outcomes)
        if (outcome.accepted && !races.has(outcome)) races.set(outcome, race(outcome));

      const expected = new Map<CheckoutOutcome, readonly OrderStatus[]>();
      let cancelled = 0;
      let refused = 0;
      for (const [outcome, pending] of races) {
        const r = await pending;
        if (!r) continue;
        if (r.pickUpStatus !== 200) problems.push(`order ${r.orderId}: the pick-up was answered ${r.pickUpStatus}`);
        if (r.cancelStatus === 202) {
          cancelled++;
          expected.set(outcome, ['CANCELLED']);
        } else if (r.cancelStatus === 409 && r.cancelCode === 'order_not_cancellable') {
          refused++;
          expected.set(outcome, ['SHIPPED']);
        } else {
          problems.push(`order ${r.orderId}: the cancel was answered ${r.cancelStatus} ${r.cancelCode ?? ''}`);
        }
      }

      const books = await closeBooks(stack, stream.outcomes, (c) => expected.get(c) ?? ['CANCELLED', 'SHIPPED']);
      // A pick-up that raced a successful cancel is kept on the cancelled order's shipment.
      for (const [outcome, statuses] of expected) {
        if (statuses[0] !== 'CANCELLED') continue;
        const orderId = [...outcome.orderIds][0]!;
        const shipment = await stack.db.shipment.findUnique({ where: { orderId }, select: { status: true } });
        if (shipment?.status !== 'PICKED_UP')
          problems.push(`order ${orderId}: cancelled, but the carrier's pick-up is not recorded (${shipment?.status})`);
      }
      return {
        books,
        notes: `cancel-race: ${races.size} races, ${cancelled} answered 202 (cancelled), ${refused} answered 409 (shipped)`,
        problems,
      };
    } finally {
      await stack.stop();
    }
  },
};
