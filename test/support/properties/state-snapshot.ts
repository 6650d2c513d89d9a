/**
 * "No rejected request changes state", made checkable. Test files share one database and run in
 * parallel, so the snapshot covers exactly what this file's world owns or could be tricked into
 * creating: its users and the ids of nobody (forged-token subjects), their orders with items,
 * payments, refunds, shipments and reservations, refunds requested by its staff, its products and
 * stock, the simulated provider's charges, refunds and labels for its orders, audit entries of its
 * actors, and the Temporal workflows on its own task queue.
 */
import type { HostileClient, Refusal } from './hostile-client';
import { hasUnstorableText } from './hostile-values';
import type { World } from './world';

interface AuditRow {
  id: string;
  actorId: string;
  action: string;
  targetId: string;
  outcome: string;
}

export interface StateSnapshot {
  /** Counts and sums, for a readable diff when rows differ. */
  totals: Record<string, number>;
  rows: Record<string, unknown>;
  workflows: Record<string, number>;
  audit: AuditRow[];
}

export async function takeSnapshot(world: World): Promise<StateSnapshot> {
  const db = world.api.deps.db;
  const people = [...world.userIds(), ...world.phantomIds];
  const skus = Object.values(world.skus);

  const [users, products, orders, staffRefunds, audit] = await Promise.all([
    db.user.findMany({
      where: { id: { in: people } },
      select: { id: true, email: true, role: true, passwordHash: true },
      orderBy: { id: 'asc' },
    }),
    db.product.findMany({ where: { sku: { in: skus } }, include: { inventory: true }, orderBy: { sku: 'asc' } }),
    db.order.findMany({
      where: { customerId: { in: people } },
      include: {
        items: { orderBy: { sku: 'asc' } },
        payment: true,
        refunds: { orderBy: { id: 'asc' } },
        shipment: true,
      },
      orderBy: { id: 'asc' },
    }),
    db.refund.findMany({ where: { requestedBy: { in: people } }, orderBy: { id: 'asc' } }),
    db.auditEntry.findMany({
      where: { actorId: { in: people } },
      select: { id: true, actorId: true, action: true, targetId: true, outcome: true },
      orderBy: { id: 'asc' },
    }),
  ]);
  const orderIds = orders.map((o) => o.id);
  const chargeIds = orders.flatMap((o) => (o.payment?.providerPaymentId ? [o.payment.providerPaymentId] : []));
  const trackingNumbers = orders.flatMap((o) => (o.shipment ? [o.shipment.trackingNumber] : []));
  const [reservations, charges, providerRefunds, labels] = await Promise.all([
    db.reservation.findMany({ where: { orderId: { in: orderIds } }, orderBy: { id: 'asc' } }),
    db.simPaymentCharge.findMany({ where: { id: { in: chargeIds } }, orderBy: { id: 'asc' } }),
    db.simPaymentRefund.findMany({ where: { chargeId: { in: chargeIds } }, orderBy: { id: 'asc' } }),
    db.simCarrierLabel.findMany({
      where: { trackingNumber: { in: trackingNumbers } },
      orderBy: { trackingNumber: 'asc' },
    }),
  ]);

  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const refunds = orders.flatMap((o) => o.refunds);
  return {
    totals: {
      users: users.length,
      orders: orders.length,
      orderTotalCents: sum(orders.map((o) => o.totalCents)),
      orderRefundedCents: sum(orders.map((o) => o.refundedCents)),
      payments: orders.filter((o) => o.payment).length,
      paymentCapturedCents: sum(orders.map((o) => o.payment?.capturedCents ?? 0)),
      refunds: refunds.length,
      refundCents: sum(refunds.map((r) => r.amountCents)),
      staffRefunds: staffRefunds.length,
      reservations: reservations.length,
      reservedUnits: sum(reservations.filter((r) => r.status === 'ACTIVE').map((r) => r.quantity)),
      onHand: sum(products.map((p) => p.inventory?.onHand ?? 0)),
      reserved: sum(products.map((p) => p.inventory?.reserved ?? 0)),
      shipments: orders.filter((o) => o.shipment).length,
      providerCharges: charges.length,
      providerRefunds: providerRefunds.length,
      labels: labels.length,
    },
    rows: { users, products, orders, staffRefunds, reservations, charges, providerRefunds, labels },
    workflows: await workflowCounts(world),
    audit,
  };
}

/** Workflows on the world's own task queue, by execution status. */
async function workflowCounts(world: World): Promise<Record<string, number>> {
  const { groups } = await world.api.deps.temporal.workflow.count(
    `TaskQueue="${world.api.taskQueue}" GROUP BY ExecutionStatus`,
  );
  return Object.fromEntries(groups.map((g) => [String(g.groupValues[0]), g.count]));
}

/**
 * A snapshot once nothing moves any more: two in a row, `gapMs` apart, agree (workflows finishing
 * their last steps, visibility catching up).
 */
export async function settledSnapshot(world: World, gapMs = 400, timeoutMs = 20_000): Promise<StateSnapshot> {
  const deadline = Date.now() + timeoutMs;
  let previous = await takeSnapshot(world);
  for (;;) {
    await new Promise((r) => setTimeout(r, gapMs));
    const current = await takeSnapshot(world);
    if (JSON.stringify(current) === JSON.stringify(previous)) return current;
    if (Date.now() > deadline) return current; // still moving: the comparison will say what
    previous = current;
  }
}

/**
 * Asserts that the hostile requests of `clients` changed nothing. The one documented exception:
 * a support or admin action refused inside the audited section leaves an audit entry whose outcome
 * is the problem code it was refused with. Every new entry must be such a refusal: never
 * `accepted`, and matched one to one by a refusal of that actor with that code.
 */
export async function expectNothingChanged(
  world: World,
  before: StateSnapshot,
  clients: readonly HostileClient[],
): Promise<void> {
  const after = await settledSnapshot(world);
  expect(after.totals).toEqual(before.totals);
  expect(after.rows).toEqual(before.rows);
  expect(after.workflows).toEqual(before.workflows);

  const known = new Set(before.audit.map((a) => a.id));
  const added = after.audit.filter((a) => !known.has(a.id));
  expect(added.filter((a) => a.outcome === 'accepted')).toEqual([]);
  const refusals: Refusal[] = clients.flatMap((c) => c.staffRefusals);
  const unmatched = added.filter((entry) => {
    const i = refusals.findIndex((r) => r.actorId === entry.actorId && r.code === entry.outcome);
    if (i < 0) return true;
    refusals.splice(i, 1);
    return false;
  });
  expect(unmatched).toEqual([]);
}

/** No webhook delivery with one of `ids` reached the inbox (ids no text column could hold are skipped). */
export async function expectNoWebhookRecorded(world: World, ids: Iterable<string>): Promise<void> {
  const storable = [...new Set(ids)].filter((id) => !hasUnstorableText(id));
  const recorded = await world.api.deps.db.webhookEvent.findMany({
    where: { id: { in: storable } },
    select: { source: true, id: true },
  });
  expect(recorded).toEqual([]);
}
