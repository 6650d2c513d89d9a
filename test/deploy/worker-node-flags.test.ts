/**
 * Every deployed worker runs with the V8 flags the local launchers give a worker
 * (workers/node-flags.ts), so the memory the bench measures is the memory a deployment gets.
 */
import { WORKER_NODE_FLAGS } from '../../workers/node-flags';
import { entrypointOf } from './support/app-env';
import { asArgs, loadCompose } from './support/compose';
import { appContainers, build, KUSTOMIZATIONS } from './support/workloads';

/** The flags between `node` and the entry point of a command. */
function flagsOf(command: readonly string[], script: string): string[] {
  return command.slice(command.indexOf('node') + 1, command.indexOf(script));
}

test("the compose workers run with the launchers' worker flags", () => {
  const workers = Object.entries(loadCompose().services).flatMap(([name, service]) => {
    const command = [...asArgs(service.entrypoint), ...asArgs(service.command)];
    const entry = entrypointOf(command);
    return entry?.role === 'worker' ? [{ name, flags: flagsOf(command, entry.script) }] : [];
  });
  expect(workers.length).toBeGreaterThan(0);
  for (const worker of workers) expect(worker).toEqual({ name: worker.name, flags: [...WORKER_NODE_FLAGS] });
});

test.each(KUSTOMIZATIONS)("the worker containers of %s run with the launchers' worker flags", (dir) => {
  const workers = appContainers(build(dir)).filter((c) => c.entry.role === 'worker' && !c.init);
  expect(workers.length).toBeGreaterThan(0);
  for (const w of workers) {
    const command = [...(w.container.command ?? []), ...(w.container.args ?? [])];
    expect({ label: w.label, flags: flagsOf(command, w.entry.script) }).toEqual({
      label: w.label,
      flags: [...WORKER_NODE_FLAGS],
    });
  }
});
