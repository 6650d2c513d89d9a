/**
 * The checkout's durable 30-minute 3-D Secure timeout, in an environment of its own: paid
 * checkouts elsewhere leave abandoned shipment children that hold the test server's time-skipping
 * lock, so timer tests must not share an environment with them.
 */
import { randomUUID } from 'node:crypto';
import { ActivityFailure, ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { checkout } from '../../workflows/checkout';
import type { cancelPaidOrder } from '../../workflows/cancel-paid-order';
import {
  cancelCheckoutUpdate,
  checkoutStateQuery,
  orderCreatedUpdate,
  paymentConfirmationSignal,
  type CheckoutInput,
} from '../../workflows/definitions';
import { FailureType } from '../../workflows/failure-types';
import { happyActivities, type ActivityMocks } from '../support/activity-mocks';
import { testEnv } from '../support/test-env';
import { createTimeSkippingEnv } from '../../scripts/time-skipping-env';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
});

afterAll(async () => {
  await env?.teardown();
});

function input(overrides: Partial<CheckoutInput> = {}): CheckoutInput {
  return {
    orderId: randomUUID(),
    customerId: randomUUID(),
    idempotencyKey: randomUUID(),
    requestHash: 'hash-1',
    items: [{ sku: 'MUG', quantity: 2 }],
    shippingAddress: { name: 'A', line1: 'B', city: 'C', postalCode: 'D', country: 'GB' },
    paymentToken: 'tok_visa',
    ...overrides,
  };
}

const startedOrders: string[] = [];

/**
 * Runs `fn` while a worker with `activities` serves a fresh task queue. A paid checkout leaves its
 * abandoned shipment child running; it is terminated afterwards, because a workflow with tasks no
 * worker will pick up stops the test server from skipping time for the next test.
 */
async function withWorker<T>(activities: ActivityMocks, fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `tq-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: testEnv.workflowBundle },
    activities,
  });
  const result = await worker.runUntil(fn(taskQueue));
  for (const orderId of startedOrders.splice(0)) {
    await env.client.workflow.getHandle(`shipment-${orderId}`).terminate('test over').catch(() => undefined);
  }
  return result;
}

function start(taskQueue: string, args: CheckoutInput) {
  startedOrders.push(args.orderId);
  return env.client.workflow.start<typeof checkout>('checkout', { taskQueue, workflowId: `checkout-${args.orderId}`, args: [args] });
}

/** The ApplicationFailure a failed checkout ended with. */
async function failureOf(result: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await result.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowFailedError);
  const cause = (error as WorkflowFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}

test('3-D Secure: a confirmation for another payment is ignored; 30 minutes of silence cancel the order', async () => {
  const acts = happyActivities();
  acts.chargePayment.mockResolvedValue({ outcome: 'requires_action', providerPaymentId: 'pi_3ds' });
  const args = input({ paymentToken: 'tok_3ds' });
  const { result, startedAt, endedAt } = await withWorker(acts, async (tq) => {
    const startedAt = (await env.currentTimeMs()) ?? 0;
    const handle = await start(tq, args);
    await handle.signal(paymentConfirmationSignal, { providerPaymentId: 'pi_someone_else', succeeded: true });
    const result = await handle.result(); // time skips over the 30-minute timer
    return { result, startedAt, endedAt: await env.currentTimeMs() };
  });

  expect(result).toEqual({ orderId: args.orderId, status: 'CANCELLED' });
  expect(endedAt - startedAt).toBeGreaterThanOrEqual(30 * 60_000);
  expect(acts.cancelPayment).toHaveBeenCalledWith(args.orderId);
  expect(acts.releaseStock).toHaveBeenCalledWith(args.orderId);
  expect(acts.markOrderCancelled).toHaveBeenCalledWith(args.orderId, 'PAYMENT_TIMEOUT');
  expect(acts.markOrderPaid).not.toHaveBeenCalled();
});
