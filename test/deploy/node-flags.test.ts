/**
 * Every deployed API and worker runs with the V8 flags (and a worker with the environment) the
 * local launchers give it (api/node-flags.ts, workers/node-flags.ts), so the memory the bench
 * measures is the memory a deployment gets.
 */
import { API_NODE_FLAGS } from '../../api/node-flags';
import { WORKER_NODE_FLAGS, WORKER_PROCESS_ENV } from '../../workers/node-flags';
import { entrypointOf } from './support/app-env';
import { asArgs, loadCompose, serviceEnvironment } from './support/compose';
import { appContainers, build, KUSTOMIZATIONS } from './support/workloads';

const FLAGS: Record<string, readonly string[]> = { api: API_NODE_FLAGS, worker: WORKER_NODE_FLAGS };

/** The flags between `node` and the entry point of a command. */
function flagsOf(command: readonly string[], script: string): string[] {
  return command.slice(command.indexOf('node') + 1, command.indexOf(script));
}

test.each(Object.keys(FLAGS))("the compose %s services run with the launchers' flags", (role) => {
  const services = Object.entries(loadCompose().services).flatMap(([name, service]) => {
    const command = [...asArgs(service.entrypoint), ...asArgs(service.command)];
    const entry = entrypointOf(command);
    return entry?.role === role ? [{ name, flags: flagsOf(command, entry.script) }] : [];
  });
  expect(services.length).toBeGreaterThan(0);
  for (const service of services) expect(service).toEqual({ name: service.name, flags: [...FLAGS[role]!] });
});

test.each(KUSTOMIZATIONS.flatMap((dir) => Object.keys(FLAGS).map((role) => [dir, role] as const)))(
  "the containers of %s with role %s run with the launchers' flags",
  (dir, role) => {
    const containers = appContainers(build(dir)).filter((c) => c.entry.role === role && !c.init);
    expect(containers.length).toBeGreaterThan(0);
    for (const c of containers) {
      const command = [...(c.container.command ?? []), ...(c.container.args ?? [])];
      expect({ label: c.label, flags: flagsOf(command, c.entry.script) }).toEqual({
        label: c.label,
        flags: [...FLAGS[role]!],
      });
    }
  },
);

test("the compose and Kubernetes workers get the launchers' worker environment", () => {
  const composeWorkers = Object.entries(loadCompose().services).filter(([, service]) => {
    const entry = entrypointOf([...asArgs(service.entrypoint), ...asArgs(service.command)]);
    return entry?.role === 'worker';
  });
  const k8sWorkers = KUSTOMIZATIONS.flatMap((dir) =>
    appContainers(build(dir)).filter((c) => c.entry.role === 'worker' && !c.init),
  );
  expect(composeWorkers.length).toBeGreaterThan(0);
  expect(k8sWorkers.length).toBeGreaterThan(0);
  const pick = (env: Record<string, string>): Record<string, string | undefined> =>
    Object.fromEntries(Object.keys(WORKER_PROCESS_ENV).map((k) => [k, env[k]]));
  for (const [name, service] of composeWorkers)
    expect({ name, env: pick(serviceEnvironment(name, service).env) }).toEqual({ name, env: WORKER_PROCESS_ENV });
  for (const c of k8sWorkers)
    expect({ label: c.label, env: pick(c.env) }).toEqual({ label: c.label, env: WORKER_PROCESS_ENV });
});
