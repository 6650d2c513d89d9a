/**
 * Determinism safety: every committed history (recorded from real runs by
 * `npm run histories:record`) must replay against the current workflow code. A change in
 * workflows/ that would break workflows already running in production fails here.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker, type ReplayResult } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { testEnv } from '../support/test-env';

const HISTORIES_DIR = path.join(__dirname, 'histories');

async function loadHistories() {
  const files = (await readdir(HISTORIES_DIR)).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(
    files.map(async (file) => ({
      workflowId: path.basename(file, '.json'),
      history: historyFromJSON(JSON.parse(await readFile(path.join(HISTORIES_DIR, file), 'utf8'))),
    })),
  );
}

async function replayAll(options: Parameters<typeof Worker.runReplayHistories>[0]): Promise<ReplayResult[]> {
  const results: ReplayResult[] = [];
  for await (const result of Worker.runReplayHistories(options, await loadHistories())) results.push(result);
  return results;
}

test('every recorded history replays against the current workflow code', async () => {
  const results = await replayAll({ workflowBundle: { codePath: testEnv.workflowBundle } });

  expect(results.map((r) => r.workflowId)).toEqual((await loadHistories()).map((h) => h.workflowId));
  expect(results.length).toBeGreaterThanOrEqual(20);
  for (const result of results) {
    expect({ workflowId: result.workflowId, error: result.error?.message }).toEqual({
      workflowId: result.workflowId,
      error: undefined,
    });
  }
});

test('an incompatible change to the checkout workflow is detected as nondeterministic', async () => {
  const results = await replayAll({ workflowsPath: require.resolve('./incompatible') });
  const checkouts = results.filter((r) => r.workflowId.startsWith('checkout-'));

  expect(checkouts.length).toBeGreaterThanOrEqual(9);
  for (const result of checkouts) expect(result.error).toBeInstanceOf(DeterminismViolationError);
});
