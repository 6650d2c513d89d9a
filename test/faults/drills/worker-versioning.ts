/**
 * A release while checkouts are in flight (Worker Versioning, workers/versioning.ts). Build 1 takes
 * a stream of checkouts, half of them 3-D Secure ones left waiting for the customer. Build 2, whose
 * checkout also writes `{ release: 'build-2' }` into its memo (test/faults/versioning/build-2.ts),
 * starts beside it and is made current; a second stream goes to it. Then every waiting customer
 * confirms. Expected, as docs/operations.md ("Releases and worker versioning") says:
 * - every checkout is PINNED and ran each of its workflow tasks on the build that started it:
 *   build 1's in-flight ones finished on build 1's code (no memo), build 2's on build 2's (memo);
 * - build 1's shipments (AUTO_UPGRADE) move to build 2 at their next task (a carrier event);
 * - build 1 reports DRAINING while its 3-D Secure checkouts wait and DRAINED once they closed;
 *   then its workers stop, and build 1's shipments are delivered by build 2 alone.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { shipmentWorkflowId } from '../../../domain/ids';
import { PAID_STATUSES } from '../../../domain/order-statuses';
import type { OrderStatus } from '../../../domain/statuses';
import { makeVersionCurrent, versionDrainage, type Drainage } from '../../../tooling/worker-deployment';
import type { BenchStack } from '../../../tooling/stack';
import { buildWorkflowBundle } from '../../../workers/build-bundle';
import { workerBuildId } from '../../../workers/versioning';
import { bootStack, closeBooks, sleep, startStream, type Drill } from '../drill';
import type { CheckoutOutcome, PaymentToken } from '../load';
import { deliverShuffled, newTally, type WebhookTally } from '../webhook-sender';

const { VersioningBehavior } = temporal.api.enums.v1;
const DEPLOYMENT = 'commerce';
const RATE_PER_SECOND = 4;
const STREAM_MS = 3_000;
// The stack runs NODE_ENV=production, which refuses the published development secrets.
const CARRIER_SECRET = `drill-carrier-${randomUUID()}`;

/** Every other checkout waits for 3-D Secure; all buy the plentiful product. */
const pick = (i: number): { token: PaymentToken; sku: string } => ({
  token: i % 2 === 0 ? 'tok_3ds' : 'tok_visa',
  sku: 'FAULT-A',
});

interface PlacedOrder {
  id: string;
  workflowId: string;
  token: PaymentToken;
}

/** Polls `check` until it returns a value; throws `what` after `timeoutMs`. */
async function until<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(500);
  }
}

/** Streams checkouts for STREAM_MS, then waits until each rests (3-D Secure waiting, or shipped off to fulfilment). */
async function placeOrders(stack: BenchStack): Promise<{ outcomes: CheckoutOutcome[]; orders: PlacedOrder[] }> {
  const stream = startStream(stack, RATE_PER_SECOND, pick);
  await sleep(STREAM_MS);
  await stream.stop();
  const outcomes = [...stream.outcomes];
  const ids = outcomes.flatMap((o) => [...o.orderIds]);
  const resting = (o: { status: OrderStatus; id: string }, token: PaymentToken): boolean =>
    token === 'tok_3ds' ? o.status === 'AWAITING_PAYMENT_CONFIRMATION' : o.status === 'FULFILLING';
  const tokenOf = new Map(outcomes.flatMap((o) => [...o.orderIds].map((id) => [id, o.plan.token] as const)));
  const rows = await until(async () => {
    const found = await stack.db.order.findMany({
      where: { id: { in: ids } },
      select: { id: true, status: true, workflowId: true },
    });
    return found.length === ids.length && found.every((o) => resting(o, tokenOf.get(o.id)!)) ? found : undefined;
  }, 'the orders to rest');
  return { outcomes, orders: rows.map((o) => ({ id: o.id, workflowId: o.workflowId, token: tokenOf.get(o.id)! })) };
}

interface Placement {
  behavior: string;
  buildId: string | undefined;
  /** Build ids of the workers that completed each of its workflow tasks. */
  taskBuilds: string[];
  memo: unknown;
  status: string;
}

async function placement(client: Client, workflowId: string): Promise<Placement> {
  const handle = client.workflow.getHandle(workflowId);
  const description = await handle.describe();
  const info = description.raw.workflowExecutionInfo?.versioningInfo;
  const history = await handle.fetchHistory();
  return {
    behavior: VersioningBehavior[info?.behavior ?? 0] ?? 'unknown',
    buildId: info?.deploymentVersion?.buildId ?? undefined,
    taskBuilds: (history.events ?? []).flatMap((e) => {
      const attrs = e.workflowTaskCompletedEventAttributes;
      return attrs ? [attrs.deploymentVersion?.buildId ?? '(unversioned)'] : [];
    }),
    memo: description.memo?.release,
    status: description.status.name,
  };
}

async function carrierEvent(
  stack: BenchStack,
  orderId: string,
  type: 'PICKED_UP' | 'DELIVERED',
  tally: WebhookTally,
): Promise<void> {
  const shipment = await stack.db.shipment.findUnique({ where: { orderId }, select: { trackingNumber: true } });
  if (!shipment) throw new Error(`order ${orderId} has no shipment`);
  await deliverShuffled(
    stack.baseUrl,
    [
      {
        path: '/v1/webhooks/carrier',
        secret: CARRIER_SECRET,
        body: {
          id: `carrier_${randomUUID()}`,
          type,
          trackingNumber: shipment.trackingNumber,
          occurredAt: new Date().toISOString(),
        },
      },
    ],
    tally,
    { spreadMs: 200, badSignature: false },
  );
}

export const workerVersioning: Drill = {
  name: 'worker-versioning',
  async run(ctx) {
    const problems: string[] = [];
    const expect = (ok: boolean, problem: string): void => {
      if (!ok) problems.push(problem);
    };
    const build2Bundle = path.join(ctx.workDir, 'workflow-bundle-build-2.js');
    const [stack] = await Promise.all([
      bootStack(ctx, this.name, { workers: 1, env: { CARRIER_WEBHOOK_SECRET: CARRIER_SECRET } }),
      buildWorkflowBundle(build2Bundle, { traced: false, workflowsPath: require.resolve('../versioning/build-2') }),
    ]);
    const connection = await Connection.connect({ address: stack.temporalAddress });
    const client = new Client({ connection });
    const target = { workflowService: connection.workflowService, namespace: 'default' };
    const build1: WorkerDeploymentVersion = { deploymentName: DEPLOYMENT, buildId: workerBuildId(ctx.bundlePath) };
    const build2: WorkerDeploymentVersion = { deploymentName: DEPLOYMENT, buildId: workerBuildId(build2Bundle) };
    const tally = newTally();
    try {
      expect(build1.buildId !== build2.buildId, `both bundles have build id ${build1.buildId}`);

      // Build 1 is current (the stack made it so): its orders, half of them left waiting for 3-D Secure.
      const first = await placeOrders(stack);

      // Release: build 2's worker beside build 1's, made current once it polls.
      stack.startProcess('worker-2', { WORKFLOW_BUNDLE_PATH: build2Bundle });
      await makeVersionCurrent(target, build2, { identity: 'worker-versioning drill' });
      const releasedAt = Date.now();
      const second = await placeOrders(stack);

      // Build 1 still has pinned checkouts open (the 3-D Secure waits): it is draining, not drained.
      const known = async (): Promise<Drainage | undefined> => {
        const status = await versionDrainage(target, build1);
        return status === 'unknown' ? undefined : status;
      };
      const drainageBefore = await until(known, "build 1's drainage status");
      expect(drainageBefore === 'draining', `build 1 is ${drainageBefore} while its checkouts wait for 3-D Secure`);

      // The customers confirm, at the simulated bank, every waiting payment of both builds.
      const waiting = [...first.orders, ...second.orders].filter((o) => o.token === 'tok_3ds');
      for (const o of waiting) {
        const payment = await stack.db.payment.findUnique({ where: { orderId: o.id } });
        const res = await fetch(`${stack.baseUrl}/sim/3ds/${payment?.providerPaymentId ?? 'none'}/confirm`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: '',
        });
        expect(res.status === 200, `confirming order ${o.id}'s payment answered ${res.status}`);
      }
      await until(async () => {
        const open = await stack.db.order.count({
          where: { id: { in: waiting.map((o) => o.id) }, status: { notIn: ['FULFILLING'] } },
        });
        return open === 0 ? true : undefined;
      }, 'the confirmed orders to reach fulfilment');

      // Every checkout finished on the build that started it, and only there.
      let closedAfterRelease = 0;
      let lastBuild1Close = 0;
      for (const [build, orders, memo] of [
        [build1, first.orders, undefined],
        [build2, second.orders, 'build-2'],
      ] as const) {
        for (const o of orders) {
          const p = await placement(client, o.workflowId);
          expect(p.status === 'COMPLETED', `checkout ${o.workflowId} is ${p.status}`);
          expect(
            p.behavior === 'VERSIONING_BEHAVIOR_PINNED' && p.buildId === build.buildId,
            `checkout ${o.workflowId} is ${p.behavior} on ${p.buildId}, expected pinned to ${build.buildId}`,
          );
          const foreign = p.taskBuilds.filter((b) => b !== build.buildId);
          expect(foreign.length === 0, `checkout ${o.workflowId} ran tasks on ${foreign.join(', ')}`);
          expect(p.memo === memo, `checkout ${o.workflowId} has memo release=${String(p.memo)}, expected ${memo}`);
        }
      }
      for (const o of first.orders.filter((x) => x.token === 'tok_3ds')) {
        const { closeTime } = await client.workflow.getHandle(o.workflowId).describe();
        if (closeTime && closeTime.getTime() > releasedAt) closedAfterRelease++;
        lastBuild1Close = Math.max(lastBuild1Close, closeTime?.getTime() ?? 0);
      }
      const build1Waiting = first.orders.filter((o) => o.token === 'tok_3ds').length;
      expect(
        closedAfterRelease === build1Waiting && build1Waiting > 0,
        `${closedAfterRelease} of build 1's ${build1Waiting} 3-D Secure checkouts closed after the release`,
      );

      // A long-lived workflow moves: build 1's shipments run their next task (a pick-up) on build 2.
      const build1Shipped = first.orders.filter((o) => o.token === 'tok_visa');
      for (const o of build1Shipped) await carrierEvent(stack, o.id, 'PICKED_UP', tally);
      let moved = 0;
      for (const o of build1Shipped) {
        const p = await until(async () => {
          const now = await placement(client, shipmentWorkflowId(o.id));
          return now.taskBuilds.at(-1) === build2.buildId ? now : undefined;
        }, `shipment of ${o.id} to run a task on build 2`).catch(() => placement(client, shipmentWorkflowId(o.id)));
        const ok =
          p.behavior === 'VERSIONING_BEHAVIOR_AUTO_UPGRADE' &&
          p.buildId === build2.buildId &&
          p.taskBuilds[0] === build1.buildId &&
          p.taskBuilds.at(-1) === build2.buildId;
        expect(ok, `shipment of ${o.id}: ${p.behavior} on ${p.buildId}, tasks on ${p.taskBuilds.join(' > ')}`);
        if (ok) moved++;
      }

      // Build 1 drains once its last pinned workflow closed; then its workers can go.
      const drainage = await until(
        async () => ((await versionDrainage(target, build1)) === 'drained' ? 'drained' : undefined),
        'build 1 to drain',
      ).catch(() => versionDrainage(target, build1));
      // From the last close of a build-1 checkout (its emails, pinned too, close just after).
      const drainedAfterS = Math.round((Date.now() - lastBuild1Close) / 1000);
      expect(drainage === 'drained', `build 1 is ${drainage} after its pinned workflows closed`);
      await stack.killProcess('worker-1', 'SIGTERM');
      for (const o of build1Shipped) await carrierEvent(stack, o.id, 'DELIVERED', tally);
      await until(async () => {
        const n = await stack.db.order.count({
          where: { id: { in: build1Shipped.map((o) => o.id) }, status: 'DELIVERED' },
        });
        return n === build1Shipped.length ? true : undefined;
      }, "build 1's shipments to be delivered with build 1's workers gone").catch((error: Error) =>
        problems.push(error.message),
      );
      problems.push(...tally.wrongAnswers.map((w) => `webhook ${w}`));

      const allowed = (): readonly OrderStatus[] => PAID_STATUSES;
      const books = await closeBooks(stack, [...first.outcomes, ...second.outcomes], allowed);
      return {
        books,
        notes:
          `build 1 (${build1.buildId}): ${first.orders.length} checkouts, ${closedAfterRelease} of them closed on it after the release; ` +
          `build 2 (${build2.buildId}): ${second.orders.length}; ${moved}/${build1Shipped.length} shipments moved to build 2; ` +
          `build 1 ${drainageBefore}, then seen ${drainage} ${drainedAfterS} s after its last checkout closed; its workers stopped`,
        problems,
      };
    } finally {
      await connection.close();
      await stack.stop();
    }
  },
};
