/**
 * Scaffolding of the time-skipping workflow tests: one environment per test file (time skipping is
 * global to it; tests in a file run serially), a fresh task queue per test, typed activity doubles.
 */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createTimeSkippingEnv } from '../../tooling/time-skipping-env';
import type { ActivityMocks } from './activity-mocks';
import { testEnv } from './test-env';

/** The file's environment, created before its tests and torn down after them. */
export function useTimeSkippingEnv(): () => TestWorkflowEnvironment {
  let env: TestWorkflowEnvironment | undefined;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
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
