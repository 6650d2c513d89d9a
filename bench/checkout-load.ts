/**
 * Checkout load against a bench stack: answer latency of POST /v1/checkouts at a fixed rate;
 * end-to-end completion (order PAID) over a sustained window, from the database's own timestamps
 * (order created_at -> payment captured, which is the same transaction that marks the order PAID);
 * and the closed loop's unit of work for capacity (./closed-loop.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { checkout } from '../workflows/checkout';
import { PAID_STATUSES } from '../domain/order-statuses';
import type { Outcome } from './closed-loop';
import { drain, DRAIN_STALL_MS } from './drain';
import { percentiles, round, runOpenLoop, type Percentiles } from './open-loop';
import { perSecondCounts } from './series';
import type { BenchTarget } from '../tooling/stack-target';

export interface AnswerFigures {
  ratePerSec: number;
  seconds: number;
  requests: number;
  accepted: number;
  achievedRatePerSec: number;
  answerMs: Percentiles;
  orderIds: string[];
}

export interface CompletionFigures {
  offeredPerSec: number;
  seconds: number;
  orders: number;
  paid: number;
  completedPerSec: number;
  completionMs: Percentiles;
  /** Completions in each second from the start of the window, drain included (for the chart). */
  perSecond: number[];
}

const body = (sku: string): string =>
  JSON.stringify({
    items: [{ sku, quantity: 1 }],
    shippingAddress: { name: 'Bench', line1: '1 Loop Rd', city: 'Localhost', postalCode: '127', country: 'US' },
    paymentMethod: { token: 'tok_visa' },
  });

let sequence = 0;

async function postCheckout(
  stack: BenchTarget,
): Promise<{ ms: number; status: number; orderId: string | undefined; workflowId: string | undefined }> {
  const i = sequence++;
  const started = performance.now();
  const res = await fetch(`${stack.baseUrl}/v1/checkouts`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${stack.customerTokens[i % stack.customerTokens.length]}`,
      'Idempotency-Key': randomUUID(),
    },
    body: body(stack.skus[i % stack.skus.length]!),
  });
  const json = (await res.json()) as { orderId?: string; workflowId?: string };
  return { ms: performance.now() - started, status: res.status, orderId: json.orderId, workflowId: json.workflowId };
}

/**
 * One checkout through the API, awaited to its workflow's end (order PAID, shipment started): the
 * closed loop's unit of work, as ./baseline-load.ts's baselineToCompletion is the baseline's.
 */
export async function checkoutToCompletion(stack: BenchTarget, client: Client): Promise<Outcome> {
  const started = performance.now();
  const answer = await postCheckout(stack);
  if (answer.status !== 202 || !answer.workflowId) return { ms: performance.now() - started, ok: false };
  const result = await client.workflow.getHandle<typeof checkout>(answer.workflowId).result();
  return { ms: performance.now() - started, ok: result.status === 'PAID' };
}

export async function warmUp(stack: BenchTarget, requests: number): Promise<void> {
  for (let i = 0; i < requests; i++) await postCheckout(stack);
}

export async function measureAnswers(stack: BenchTarget, ratePerSec: number, seconds: number): Promise<AnswerFigures> {
  const run = await runOpenLoop(ratePerSec, seconds, () => postCheckout(stack));
  const accepted = run.results.filter((r) => r.status === 202 && r.orderId);
  return {
    ratePerSec,
    seconds,
    requests: run.results.length,
    accepted: accepted.length,
    achievedRatePerSec: run.achievedRatePerSec,
    answerMs: percentiles(run.results.map((r) => r.ms)),
    orderIds: accepted.map((r) => r.orderId!),
  };
}

/** Waits until every order is PAID, or `stallMs` pass with no more of them paid; returns how many are. */
export function waitForPaid(stack: BenchTarget, orderIds: readonly string[], stallMs: number): Promise<number> {
  const ids = [...orderIds];
  return drain(
    () => stack.db.order.count({ where: { id: { in: ids }, status: { in: [...PAID_STATUSES] } } }),
    ids.length,
    stallMs,
  );
}

/**
 * Offers `offeredPerSec` checkouts for `seconds`, then counts the orders paid inside that window:
 * completions per second is what the whole system sustained, not what the client sent.
 */
export async function measureCompletion(
  stack: BenchTarget,
  offeredPerSec: number,
  seconds: number,
): Promise<CompletionFigures> {
  const windowStart = new Date();
  const answers = await measureAnswers(stack, offeredPerSec, seconds);
  const paid = await waitForPaid(stack, answers.orderIds, DRAIN_STALL_MS);
  const rows = await stack.db.order.findMany({
    where: { id: { in: answers.orderIds } },
    select: { createdAt: true, payment: { select: { status: true, updatedAt: true } } },
  });
  const windowEnd = windowStart.getTime() + seconds * 1000;
  const captured = rows.filter((r) => r.payment?.status === 'CAPTURED');
  const inWindow = captured.filter((r) => r.payment!.updatedAt.getTime() <= windowEnd).length;
  return {
    offeredPerSec,
    seconds,
    orders: answers.orderIds.length,
    paid,
    completedPerSec: round(inWindow / seconds),
    completionMs: percentiles(captured.map((r) => r.payment!.updatedAt.getTime() - r.createdAt.getTime())),
    perSecond: perSecondCounts(captured.map((r) => r.payment!.updatedAt.getTime() - windowStart.getTime())),
  };
}
