/**
 * Scaffolding of the time-skipping workflow tests: one environment per test (time skipping is
 * global to it), a fresh task queue per test, typed activity doubles.
 */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createTimeSkippingEnv } from '../../tooling/time-skipping-env';
import type { ActivityMocks } from './activity-mocks';
import { testEnv } from './test-env';

/**
 * A time-skipping environment of each test's own, created before it and torn down after it. Not
 * one per file: the order workflows start their emails as abandoned children, and once such a
 * child outlives its parent the test server stops skipping time for every later workflow of its
 * process (temporalio/sdk-typescript#1101, sdk-java#2392), so a later test's "72 hours" would
 * pass in real time.
 */
export function useTimeSkippingEnv(): () => TestWorkflowEnvironment {
  let env: TestWorkflowEnvironment | undefined;
  beforeEach(async () => {
    env = await createTimeSkippingEnv();
  });
  afterEach(async () => {
    await env?.teardown();
    env = undefined;
  });
  return () => {
    if (!env) throw new Error('time-skipping environment used outside a test');
    return env;
  };
}

/** Runs `fn` while a worker with `activities` (and the built workflow bundle) serves a fresh queue. */
export async function withWorker<T>(
  env: TestWorkflowEnvironment,
  activities: ActivityMocks,
  fn: (taskQueue: string) => Promise<T>,
): Promise<T> {
  const taskQueue = `tq-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: testEnv.workflowBundle },
    activities,
  });
  return worker.runUntil(fn(taskQueue));
}

export { checkoutInput } from './checkout-input';

/** The ApplicationFailure a failed workflow ended with (asserting it failed that way). */
export async function failureOf(result: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await result.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowFailedError);
  const cause = (error as WorkflowFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}
