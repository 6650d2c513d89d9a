/**
 * `npm run histories:record`: runs every workflow path once on Temporal's test server (time
 * skipping, so the 30-minute timeout takes milliseconds) with scripted activity results, and saves
 * each history as JSON under test/replay/histories. The replay suite (test/replay) then replays
 * them against the current workflow code: a change that would break running workflows fails it.
 *
 * One scenario per path the workflows take today. Every history was re-recorded at the 1.0
 * baseline; from there the committed histories only grow: record a new path, or a patched change's
 * new path, by name (`npm run histories:record -- <name>...`; no name records all) and keep the
 * histories of the old one while any open workflow may still need it. Never re-record to make a
 * failing replay pass: that failure means running workflows would break; patch the change instead
 * (see docs/operations.md#changing-workflows-safely).
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import type { Activities } from '../../activities';
import {
  cartActivitySignal,
  cancelCheckoutUpdate,
  cancelShipmentUpdate,
  stopParcelUpdate,
  type CarrierEventType,
  checkoutStateQuery,
  carrierEventSignal,
  paymentConfirmationSignal,
  refundDecisionUpdate,
  shipmentStateQuery,
} from '../../workflows/definitions';
import type { WorkflowHandle } from '@temporalio/client';
import type { cartReminder } from '../../workflows/cart-reminder';
import type { checkout } from '../../workflows/checkout';
import type { refund } from '../../workflows/refund';
import type { sendNotification } from '../../workflows/send-notification';
import type { shipment } from '../../workflows/shipment';
import { CHECKOUT_ITEMS, checkoutInput } from '../support/checkout-input';
import { ROOT } from '../../tooling/paths';

type CheckoutHandle = WorkflowHandle<typeof checkout>;
import { createTimeSkippingEnv } from '../../tooling/time-skipping-env';

const OUT_DIR = path.join(ROOT, 'test', 'replay', 'histories');

function fakeActivities(overrides: Partial<Activities> = {}): Activities {
  return {
    createOrder: async (input) => ({
      orderId: input.orderId,
      totalCents: 2500,
      currency: 'USD',
      items: CHECKOUT_ITEMS,
    }),
    prepareNotification: async () => null,
    deliverNotification: async () => undefined,
    failNotification: async () => undefined,
    markOrderPaid: async () => true,
    markOrderAwaitingPaymentConfirmation: async () => true,
    markOrderCancelled: async () => undefined,
    markOrderFailed: async () => undefined,
    cartToRemindAfter: async () => null,
    cartLastChangedAt: async () => ({ changedAtMs: 0 }),
    completePaidOrderCancellation: async () => undefined,
    reserveStock: async () => undefined,
    releaseStock: async () => 1,
    releaseExpiredReservations: async () => 0,
    deleteAbandonedGuestCarts: async () => 0,
    chargePayment: async () => ({ outcome: 'captured', providerPaymentId: 'pi_rec' }),
    verifyPayment: async () => ({ outcome: 'captured', capturedCents: 2500, currency: 'USD' }),
    cancelPayment: async () => undefined,
    refundPayment: async () => 're_rec',
    approveRefund: async () => true,
    rejectRefund: async () => undefined,
    executeRefund: async () => 'PAID',
    failRefund: async () => undefined,
    stopParcelOfRefundedOrder: async () => false,
    restockStoppedParcel: async () => undefined,
    createShipment: async () => ({ shipmentId: 'ship-1', trackingNumber: 'SIM1' }),
    cancelShipmentLabel: async () => undefined,
    recordCarrierEvent: async () => 'SHIPPED',
    recordCarrierEventAfterCancel: async () => undefined,
    takeUnrelayedCarrierEvents: async () => [],
    markCarrierEventsRelayed: async () => undefined,
    flagPickupOverdue: async () => undefined,
    markShipmentLost: async () => undefined,
    markOrderReturned: async () => undefined,
    requestSystemRefund: async () => ({ refundId: '00000000-0000-4000-8000-0000000000f1', amountCents: 2500 }),
    ...overrides,
  };
}

const threeDs = { chargePayment: async () => ({ outcome: 'requires_action' as const, providerPaymentId: 'pi_3ds' }) };
const declined = {
  chargePayment: async (): Promise<never> => {
    throw ApplicationFailure.create({ type: 'PAYMENT_DECLINED', message: 'declined', nonRetryable: true });
  },
};

type Scenario = {
  name: string;
  activities: Activities;
  run: (env: TestWorkflowEnvironment, taskQueue: string, workflowId: string) => Promise<void>;
};

const checkoutScenario = (
  name: string,
  overrides: Partial<Activities>,
  drive?: (h: CheckoutHandle) => Promise<void>,
): Scenario => ({
  name,
  activities: fakeActivities(overrides),
  run: async (env, taskQueue, workflowId) => {
    const handle: CheckoutHandle = await env.client.workflow.start<typeof checkout>('checkout', {
      taskQueue,
      workflowId,
      args: [checkoutInput()],
    });
    if (drive) await drive(handle);
    await handle.result().catch(() => undefined);
  },
});

const emailScenario = (name: string, overrides: Partial<Activities>): Scenario => ({
  name,
  activities: fakeActivities({ prepareNotification: async () => ({ notificationId: randomUUID() }), ...overrides }),
  run: async (env, taskQueue, workflowId) => {
    await env.client.workflow.execute<typeof sendNotification>('sendNotification', {
      taskQueue,
      workflowId,
      args: [{ type: 'order_confirmed', orderId: randomUUID() }],
    });
  },
});

/** A shipment driven through `events` once its label exists (AWAITING_PICKUP). */
const shipmentScenario = (name: string, drive: (h: WorkflowHandle<typeof shipment>) => Promise<void>): Scenario => ({
  name,
  activities: fakeActivities({
    recordCarrierEvent: async (_orderId, type) => (type === 'DELIVERED' ? 'DELIVERED' : 'SHIPPED'),
  }),
  run: async (env, taskQueue, workflowId) => {
    const handle = await env.client.workflow.start<typeof shipment>('shipment', {
      taskQueue,
      workflowId,
      args: [{ orderId: randomUUID(), customerId: 'c' }],
    });
    while ((await handle.query(shipmentStateQuery)).phase !== 'AWAITING_PICKUP');
    await drive(handle);
    await handle.result();
  },
});

const carrier = (id: string, type: CarrierEventType, day: number) => ({
  id,
  type,
  occurredAt: `2026-12-${String(day).padStart(2, '0')}T00:00:00Z`,
});

const cartReminderScenario = (
  name: string,
  overrides: Partial<Activities>,
  run: (env: TestWorkflowEnvironment, handle: WorkflowHandle<typeof cartReminder>) => Promise<void>,
  delayed?: true,
): Scenario => ({
  name,
  activities: fakeActivities({ prepareNotification: async () => ({ notificationId: randomUUID() }), ...overrides }),
  run: async (env, taskQueue, workflowId) => {
    const handle = await env.client.workflow.start<typeof cartReminder>('cartReminder', {
      taskQueue,
      workflowId,
      args: [{ cartId: randomUUID(), customerId: randomUUID(), quietFor: '24 hours', ...(delayed ? { delayed } : {}) }],
    });
    await run(env, handle);
    await handle.result();
  },
});

const awaitingConfirmation = async (handle: CheckoutHandle): Promise<void> => {
  while ((await handle.query(checkoutStateQuery)).status !== 'AWAITING_PAYMENT_CONFIRMATION');
};

/** An hour before the test server's clock at the scenario's start (set in main): "the cart's last change". */
let cartChangedAtMs = 0;

const SCENARIOS: Scenario[] = [
  // The checkout: paid at once (the provider asked, the email and the shipment started together),
  // its business failures, and the 3-D Secure wait's outcomes.
  checkoutScenario('checkout-paid', {}),
  checkoutScenario('checkout-declined', declined),
  // A failed order from a cart: its lines are back in the open cart, whose reminder timer restarts.
  checkoutScenario('checkout-declined-cart-restored', {
    ...declined,
    cartToRemindAfter: async () => ({ cartId: randomUUID(), customerId: randomUUID(), quietForHours: 24 }),
  }),
  checkoutScenario('checkout-out-of-stock', {
    reserveStock: async () => {
      throw ApplicationFailure.create({ type: 'OUT_OF_STOCK', message: 'short', nonRetryable: true });
    },
  }),
  checkoutScenario('checkout-3ds-confirmed', threeDs, async (h) => {
    await awaitingConfirmation(h);
    await h.signal(paymentConfirmationSignal, { providerPaymentId: 'pi_3ds' });
  }),
  // A first signal the provider does not confirm (still pending) changes nothing; the second is confirmed.
  (() => {
    let asked = 0;
    return checkoutScenario(
      'checkout-3ds-pending-then-confirmed',
      {
        ...threeDs,
        verifyPayment: async () =>
          ++asked === 1
            ? { outcome: 'pending' as const }
            : { outcome: 'captured' as const, capturedCents: 2500, currency: 'USD' },
      },
      async (h) => {
        await awaitingConfirmation(h);
        await h.signal(paymentConfirmationSignal, { providerPaymentId: 'pi_3ds' });
        while (asked < 1) await new Promise((r) => setTimeout(r, 20));
        await h.signal(paymentConfirmationSignal, { providerPaymentId: 'pi_3ds' });
      },
    );
  })(),
  checkoutScenario(
    'checkout-3ds-failed',
    { ...threeDs, verifyPayment: async () => ({ outcome: 'failed' as const, providerStatus: 'failed' as const }) },
    async (h) => {
      await awaitingConfirmation(h);
      await h.signal(paymentConfirmationSignal, { providerPaymentId: 'pi_3ds' });
    },
  ),
  checkoutScenario('checkout-3ds-timeout', threeDs),
  checkoutScenario('checkout-3ds-cancelled', threeDs, async (h) => {
    await awaitingConfirmation(h);
    await h.executeUpdate(cancelCheckoutUpdate, { args: [{ requestedBy: 'recorder' }] });
  }),
  // The shipment, a long-lived workflow: delivered, lost (14 days in transit), returned, cancelled.
  shipmentScenario('shipment-delivered', async (h) => {
    await h.signal(carrierEventSignal, carrier('e1', 'PICKED_UP', 3));
    await h.signal(carrierEventSignal, carrier('e2', 'DELIVERED', 4));
  }),
  shipmentScenario('shipment-lost', async (h) => {
    await h.signal(carrierEventSignal, carrier('e1', 'PICKED_UP', 3));
  }),
  shipmentScenario('shipment-returned', async (h) => {
    await h.signal(carrierEventSignal, carrier('e1', 'PICKED_UP', 3));
    await h.signal(carrierEventSignal, carrier('e2', 'RETURNED', 5));
  }),
  shipmentScenario('shipment-cancelled', async (h) => {
    await h.executeUpdate(cancelShipmentUpdate, { args: [{ requestedBy: 'recorder' }] });
  }),
  // A refund of everything before pick-up stops the parcel (workflows/refund.ts).
  shipmentScenario('shipment-stopped', async (h) => {
    await h.executeUpdate(stopParcelUpdate);
  }),
  ...[
    ['refund-direct', 1_000, undefined],
    ['refund-approved', 60_000, true],
    ['refund-approval-timeout', 60_000, undefined],
  ].map(([name, amountCents, approve]): Scenario => ({
    name: name as string,
    activities: fakeActivities(),
    run: async (env, taskQueue, workflowId) => {
      const args = {
        refundId: randomUUID(),
        orderId: randomUUID(),
        amountCents: amountCents as number,
        requiresApproval: (amountCents as number) > 50_000,
      };
      const handle = await env.client.workflow.start<typeof refund>('refund', { taskQueue, workflowId, args: [args] });
      if (approve)
        await handle.executeUpdate(refundDecisionUpdate, { args: [{ approve: true, decidedBy: 'recorder' }] });
      await handle.result();
    },
  })),
  {
    name: 'cancel-paid-order',
    activities: fakeActivities(),
    run: async (env, taskQueue, workflowId) => {
      await env.client.workflow.execute('cancelPaidOrder', {
        taskQueue,
        workflowId,
        args: [{ orderId: randomUUID(), requestedBy: 'recorder' }],
      });
    },
  },
  // The email workflow: both steps local activities; a refused message ends it FAILED.
  emailScenario('notification-sent', {}),
  emailScenario('notification-refused', {
    deliverNotification: async () => {
      throw ApplicationFailure.create({ type: 'MAIL_REJECTED', message: '550 no such mailbox', nonRetryable: true });
    },
  }),
  // The abandoned-cart timer. As the API starts it (its quiet time waited as a start delay): it asks
  // the cart at once, finds a change an hour old, waits out the rest, asks again and reminds.
  cartReminderScenario(
    'cart-reminder-delayed',
    { cartLastChangedAt: async () => ({ changedAtMs: cartChangedAtMs }) },
    async () => undefined,
    true,
  ),
  // As the checkout starts it for a cart given its lines back: a timer, restarted by a `changed`
  // signal an hour in; when it fires the cart is asked, then the reminder goes.
  cartReminderScenario('cart-reminder-restarted', {}, async (env, handle) => {
    await env.sleep('1 hour');
    await handle.signal(cartActivitySignal, { kind: 'changed' });
  }),
  // Checkout, merge or emptying ends it: no email.
  cartReminderScenario('cart-reminder-ended', {}, async (_env, handle) => {
    await handle.signal(cartActivitySignal, { kind: 'ended' });
  }),
];

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const names = process.argv.slice(2);
  const unknown = names.filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length > 0) throw new Error(`no scenario named ${unknown.join(', ')}`);
  for (const scenario of SCENARIOS.filter((s) => names.length === 0 || names.includes(s.name))) {
    // One test server per scenario: an abandoned child (shipment, email) that outlives its parent
    // stops the server skipping time for the rest of its life (sdk-typescript#1101).
    const env = await createTimeSkippingEnv();
    try {
      const taskQueue = `record-${scenario.name}`;
      const workflowId = `${scenario.name}-${randomUUID()}`;
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowsPath: path.join(ROOT, 'workflows', 'index.ts'),
        activities: scenario.activities,
      });
      cartChangedAtMs = (await env.currentTimeMs()) - 3_600_000;
      await worker.runUntil(scenario.run(env, taskQueue, workflowId));
      const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
      await writeFile(path.join(OUT_DIR, `${scenario.name}.json`), `${historyToJSON(history)}\n`);
      console.log(`recorded ${scenario.name} (${history.events?.length ?? 0} events)`);
    } finally {
      await env.teardown();
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
