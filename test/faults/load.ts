/**
 * The drills' customers: a steady, open-loop stream of POST /v1/checkouts, each retried with the
 * same Idempotency-Key and body until the API answers (as a storefront does after a timeout, a
 * reset connection or a 5xx), and a record of every answer, so the books can hold the API to
 * "one key, one order" whatever happened to the processes meanwhile.
 */
import { randomUUID } from 'node:crypto';

export type PaymentToken = 'tok_visa' | 'tok_declined' | 'tok_3ds';

export interface PlannedCheckout {
  key: string;
  /** Index into the stack's customer tokens. */
  customer: number;
  token: PaymentToken;
  sku: string;
  quantity: number;
}

export interface CheckoutOutcome {
  plan: PlannedCheckout;
  /** Every distinct orderId the API answered with for this key: exactly one is correct. */
  orderIds: Set<string>;
  attempts: number;
  /** Attempts that got no HTTP answer (connection refused or reset, client timeout). */
  networkErrors: number;
  /** Of those, attempts cut after the request had reached a server (reset, closed, timed out), not refused. */
  cutInFlight: number;
  /** HTTP status of each answered attempt, in order. */
  statuses: number[];
  /** Answers marked `Idempotent-Replayed` (a retry that found the key's order). */
  replayed: number;
  /** True once an attempt got 200/202; false if retries ran out or the API refused for good. */
  accepted: boolean;
  /** problem+json code of a final refusal (a 4xx other than 429), if any. */
  refusedWith?: string;
  /** When the first attempt was sent and when the accepting answer came (epoch ms). */
  sentAt: number;
  acceptedAt?: number;
}

export interface StreamOptions {
  baseUrl: string;
  customerTokens: readonly string[];
  ratePerSecond: number;
  /** Token and product of the i-th checkout. */
  pick(i: number): { token: PaymentToken; sku: string; quantity?: number };
  /** How long one key is retried before the client gives up (then the drill fails). */
  retryForMs?: number;
  /** Per-attempt client timeout. */
  attemptTimeoutMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function checkoutBody(plan: PlannedCheckout): string {
  return JSON.stringify({
    items: [{ sku: plan.sku, quantity: plan.quantity }],
    shippingAddress: { name: 'Drill', line1: '1 Fault Rd', city: 'Localhost', postalCode: '127', country: 'US' },
    paymentMethod: { token: plan.token },
  });
}

export class CheckoutStream {
  readonly outcomes: CheckoutOutcome[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private sent = 0;
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: StreamOptions) {}

  /** Starts sending `ratePerSecond` checkouts a second on a fixed schedule until `stop`. */
  start(): void {
    this.running = true;
    const t0 = performance.now();
    let i = 0;
    this.loop = (async () => {
      while (this.running) {
        void this.fire();
        i++;
        const wait = t0 + (i * 1000) / this.options.ratePerSecond - performance.now();
        if (wait > 0) await sleep(wait);
      }
    })();
  }

  /**
   * Sends one more checkout now, retried unless `retry` is false (then any refusal, 429 included,
   * is final); resolves with its outcome once it is settled.
   */
  fire(overrides: Partial<PlannedCheckout> = {}, { retry = true }: { retry?: boolean } = {}): Promise<CheckoutOutcome> {
    const i = this.sent++;
    const picked = this.options.pick(i);
    const plan: PlannedCheckout = {
      key: `drill-${i}-${randomUUID()}`,
      customer: i % this.options.customerTokens.length,
      token: picked.token,
      sku: picked.sku,
      quantity: picked.quantity ?? 1,
      ...overrides,
    };
    const outcome: CheckoutOutcome = {
      plan,
      orderIds: new Set(),
      attempts: 0,
      networkErrors: 0,
      cutInFlight: 0,
      statuses: [],
      replayed: 0,
      accepted: false,
      sentAt: Date.now(),
    };
    this.outcomes.push(outcome);
    const done = this.drive(outcome, retry);
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done));
    return done.then(() => outcome);
  }

  /** Stops scheduling new checkouts and waits until every one sent so far is answered or given up. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async drive(outcome: CheckoutOutcome, retry: boolean): Promise<void> {
    const { baseUrl, customerTokens, retryForMs = 120_000, attemptTimeoutMs = 15_000 } = this.options;
    const giveUpAt = Date.now() + retryForMs;
    let backoff = 250;
    const body = checkoutBody(outcome.plan);
    while (Date.now() < giveUpAt) {
      outcome.attempts++;
      let retryAfterMs = backoff;
      try {
        const res = await fetch(`${baseUrl}/v1/checkouts`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Authorization: `Bearer ${customerTokens[outcome.plan.customer]}`,
            'Idempotency-Key': outcome.plan.key,
          },
          body,
          signal: AbortSignal.timeout(attemptTimeoutMs),
        });
        outcome.statuses.push(res.status);
        const json = (await res.json().catch(() => ({}))) as { orderId?: string; code?: string };
        if (res.status === 200 || res.status === 202) {
          if (json.orderId) outcome.orderIds.add(json.orderId);
          if (res.headers.get('Idempotent-Replayed') === 'true') outcome.replayed++;
          outcome.accepted = true;
          outcome.acceptedAt = Date.now();
          return;
        }
        if (!retry || (res.status < 500 && res.status !== 429)) {
          outcome.refusedWith = json.code ?? String(res.status);
          return;
        }
        const retryAfter = Number(res.headers.get('Retry-After'));
        if (res.status === 429 && retryAfter > 0) retryAfterMs = retryAfter * 1000;
      } catch (error) {
        outcome.networkErrors++;
        if (errorCode(error) !== 'ECONNREFUSED') outcome.cutInFlight++;
        if (!retry) return;
      }
      await sleep(retryAfterMs);
      backoff = Math.min(backoff * 2, 2_000);
    }
  }
}

/** The system error code under fetch's generic `fetch failed` (ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET...). */
function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}
