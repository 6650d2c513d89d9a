import { CancellationScope, log } from '@temporalio/workflow';

/**
 * A compensation stack. After each step that changed the world succeeds, push the step that undoes
 * it; on failure `compensate` runs them newest first. Compensations must be idempotent: a worker
 * crash can run one twice. A failing compensation is logged and the rest still run, so one stuck
 * undo (after its retries are exhausted) never strands the others; the workflow then reports the
 * original failure.
 */
export class Saga {
  private readonly undo: { name: string; run: () => Promise<unknown> }[] = [];

  push(name: string, run: () => Promise<unknown>): void {
    this.undo.push({ name, run });
  }

  /** Runs even while the workflow is being cancelled: an undo must not be cut short. */
  async compensate(): Promise<void> {
    await CancellationScope.nonCancellable(async () => {
      for (const step of [...this.undo].reverse()) {
        try {
          await step.run();
        } catch (error) {
          log.error('compensation failed', { step: step.name, error: String(error) });
        }
      }
    });
    this.undo.length = 0;
  }
}
