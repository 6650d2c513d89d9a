/**
 * `npm run histories:record`: runs every workflow path once on Temporal's test server (time
 * skipping, so the 30-minute timeout takes milliseconds) with scripted activity results, and saves
 * each history as JSON under test/replay/histories. The replay suite (test/replay) then replays
 * them against the current workflow code: a change that would break running workflows fails it.
 *
 * Re-record only for new paths, by name (`npm run histories:record -- <name>...`; no name records
 * all). Never re-record to make a failing replay pass: that failure means running workflows would
 * break; patch the change instead (see docs/operations.md#changing-workflows-safely).
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
  type CartActivity,
  cancelCheckoutUpdate,
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
    chargePayment: async () => ({ outcome: 'captured', providerPaymentId: 'pi_rec' }),
    verifyPayment: async () => ({ outcome: 'captured', capturedCents: 2500, currency: 'USD' }),
    cancelPayment: async () => undefined,
    refundPayment: async () => 're_rec',
    approveRefund: async () => true,
    rejectRefund: async () => undefined,
    executeRefund: async () => 'PAID',
    createShipment: async () => ({ shipmentId: 'ship-1', trackingNumber: 'SIM1' }),
    cancelShipmentLabel: async () => undefined,
    recordCarrierEvent: async () => 'SHIPPED',
    flagPickupOverdue: async () => undefined,
    markShipmentLost: async () => undefined,
    markOrderReturned: async () => undefined,
    requestSystemRefund: async () => ({ refundId: '00000000-0000-4000-8000-0000000000f1', amountCents: 2500 }),
    ...overrides,
  };
}

const threeDs = { chargePayment: async () => ({ outcome: 'requires_action' as const, providerPaymentId: 'pi_3ds' }) };

type Scenario = {
  name: string;
  activities: Activities;
  run: (env: TestWorkflowEnvironment, taskQueue: string, workflowId: string) => Promise<void>;
};

const checkoutScenario = (
  name: string,
  token: string,
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

const awaitingConfirmation = async (handle: CheckoutHandle): Promise<void> => {
  while ((await handle.query(checkoutStateQuery)).status !== 'AWAITING_PAYMENT_CONFIRMATION');
};

const SCENARIOS: Scenario[] = [
  checkoutScenario('checkout-3ds-timeout', 'tok_3ds', threeDs),
  {
    name: 'shipment-lost',
    activities: fakeActivities(),
    run: async (env, taskQueue, workflowId) => {
      const handle = await env.client.workflow.start<typeof shipment>('shipment', {
        taskQueue,
        workflowId,
        args: [{ orderId: randomUUID(), customerId: 'c' }],
      });
      while ((await handle.query(shipmentStateQuery)).phase !== 'AWAITING_PICKUP');
      await handle.signal(carrierEventSignal, { id: 'e1', type: 'PICKED_UP', occurredAt: '2026-11-22T00:00:00Z' });
      await handle.result();
    },
  },
  {
    name: 'shipment-delivered',
    activities: fakeActivities(),
    run: async (env, taskQueue, workflowId) => {
      const handle = await env.client.workflow.start<typeof shipment>('shipment', {
        taskQueue,
        workflowId,
        args: [{ orderId: randomUUID(), customerId: 'c' }],
      });
      while ((await handle.query(shipmentStateQuery)).phase !== 'AWAITING_PICKUP');
      await handle.signal(carrierEventSignal, { id: 'e1', type: 'PICKED_UP', occurredAt: '2026-11-22T00:00:00Z' });
      await handle.signal(carrierEventSignal, { id: 'e2', type: 'DELIVERED', occurredAt: '2026-11-23T00:00:00Z' });
      await handle.result();
    },
  },
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
  checkoutScenario('checkout-paid', 'tok_visa', {}),
  checkoutScenario('checkout-declined', 'tok_declined', {
    chargePayment: async () => {
      throw ApplicationFailure.create({ type: 'PAYMENT_DECLINED', message: 'declined', nonRetryable: true });
    },
  }),
  checkoutScenario('checkout-out-of-stock', 'tok_visa', {
    reserveStock: async () => {
      throw ApplicationFailure.create({ type: 'OUT_OF_STOCK', message: 'short', nonRetryable: true });
    },
  }),
  checkoutScenario('checkout-3ds-confirmed', 'tok_3ds', threeDs, async (h) => {
    await awaitingConfirmation(h);
    await h.signal(paymentConfirmationSignal, { providerPaymentId: 'pi_3ds', succeeded: true });
  }),
  checkoutScenario('checkout-3ds-cancelled', 'tok_3ds', threeDs, async (h) => {
    await awaitingConfirmation(h);
    await h.executeUpdate(cancelCheckoutUpdate, { args: [{ requestedBy: 'recorder' }] });
  }),
  // Since the notifications-v1 and restored-cart-timer-v1 patches: the email children, and the
  // reminder timer of a cart given back after a failed order.
  checkoutScenario('checkout-paid-notified', 'tok_visa', {}),
  // Since checkout_requests: the input carries ids only, and the lines come from createOrder.
  checkoutScenario('checkout-paid-ids-only', 'tok_visa', {}),
  checkoutScenario('checkout-declined-cart-restored', 'tok_declined', {
    chargePayment: async () => {
      throw ApplicationFailure.create({ type: 'PAYMENT_DECLINED', message: 'declined', nonRetryable: true });
    },
    cartToRemindAfter: async () => ({ cartId: randomUUID(), customerId: randomUUID(), quietForHours: 24 }),
  }),
  // Since provider-verified-payment-v1: the provider is asked before the order is paid. A first
  // signal the provider does not confirm (still requires_action) changes nothing; the second is confirmed.
  checkoutScenario('checkout-paid-provider-verified', 'tok_visa', {}),
  (() => {
    let asked = 0;
    return checkoutScenario(
      'checkout-3ds-provider-verified',
      'tok_3ds',
      {
        ...threeDs,
        verifyPayment: async () =>
          ++asked === 1
            ? { outcome: 'pending' as const }
            : { outcome: 'captured' as const, capturedCents: 2500, currency: 'USD' },
      },
      async (h) => {
        await awaitingConfirmation(h);
        await h.signal(paymentConfirmationSignal, { providerPaymentId: 'pi_3ds', succeeded: true });
        while (asked < 1) await new Promise((r) => setTimeout(r, 20));
        await h.signal(paymentConfirmationSignal, { providerPaymentId: 'pi_3ds', succeeded: true });
      },
    );
  })(),
  {
    name: 'shipment-delivered-notified',
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
      await handle.signal(carrierEventSignal, { id: 'e1', type: 'PICKED_UP', occurredAt: '2026-12-03T00:00:00Z' });
      await handle.signal(carrierEventSignal, { id: 'e2', type: 'DELIVERED', occurredAt: '2026-12-04T00:00:00Z' });
      await handle.result();
    },
  },
  {
    name: 'refund-direct-notified',
    activities: fakeActivities(),
    run: async (env, taskQueue, workflowId) => {
      const args = { refundId: randomUUID(), orderId: randomUUID(), amountCents: 1_000, requiresApproval: false };
      await env.client.workflow.execute<typeof refund>('refund', { taskQueue, workflowId, args: [args] });
    },
  },
  // The email workflow: its steps were activity tasks until notification-local-steps-v1, local
  // activities since; histories of both kinds are kept.
  ...['notification-sent', 'notification-sent-local-steps'].map((name) => emailScenario(name, {})),
  emailScenario('notification-refused', {
    deliverNotification: async () => {
      throw ApplicationFailure.create({ type: 'MAIL_REJECTED', message: '550 no such mailbox', nonRetryable: true });
    },
  }),
  // The abandoned-cart timer: a change signalled, then 24 quiet hours and the reminder email.
  // ...kept from before cart-reminder-last-change-v1; since, the timer asks the cart when it fires.
  ...['cart-reminder-reminded', 'cart-reminder-last-change'].map((name): Scenario => ({
    name,
    activities: fakeActivities({ prepareNotification: async () => ({ notificationId: randomUUID() }) }),
    run: async (env, taskQueue, workflowId) => {
      const handle = await env.client.workflow.signalWithStart<typeof cartReminder, [CartActivity]>('cartReminder', {
        taskQueue,
        workflowId,
        args: [{ cartId: randomUUID(), customerId: randomUUID(), quietFor: '24 hours' }],
        signal: cartActivitySignal,
        signalArgs: [{ kind: 'changed' }],
      });
      await env.sleep('1 hour');
      await handle.signal(cartActivitySignal, { kind: 'changed' });
      await handle.result();
    },
  })),
  // Since paid-children-together-v1 the paid checkout starts its email and its shipment together.
  checkoutScenario('checkout-paid-children-together', 'tok_visa', {}),
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
