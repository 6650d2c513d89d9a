/**
 * Every deployed API and worker runs with the V8 flags (and a worker with the environment) the
 * local launchers give it (api/node-flags.ts, workers/node-flags.ts), so the memory the bench
 * measures is the memory a deployment gets.
 */
import { roleRuntime } from '../../tooling/processes';
import { entrypointOf } from './support/app-env';
import { asArgs, loadCompose, serviceEnvironment } from './support/compose';
import { appContainers, build, KUSTOMIZATIONS } from './support/workloads';

const ROLES = ['api', 'worker'] as const;
type Role = (typeof ROLES)[number];

/** The flags between `node` and the entry point of a command. */
function flagsOf(command: readonly string[], script: string): string[] {
  return command.slice(command.indexOf('node') + 1, command.indexOf(script));
}

/** The compose services that run `role`, with their flags and environment. */
function composeServices(role: Role) {
  return Object.entries(loadCompose().services).flatMap(([name, service]) => {
    const command = [...asArgs(service.entrypoint), ...asArgs(service.command)];
    const entry = entrypointOf(command);
    return entry?.role === role
      ? [{ name, flags: flagsOf(command, entry.script), env: serviceEnvironment(name, service).env }]
      : [];
  });
}

/** The (non-init) containers of a kustomization that run `role`, with their flags and environment. */
function k8sContainers(dir: string, role: Role) {
  return appContainers(build(dir))
    .filter((c) => c.entry.role === role && !c.init)
    .map((c) => ({
      label: c.label,
      flags: flagsOf([...(c.container.command ?? []), ...(c.container.args ?? [])], c.entry.script),
      env: c.env,
    }));
}

/** The variables a launcher adds for `role`, as `env` holds them. */
function launcherVariables(role: Role, env: Record<string, string>): Record<string, string | undefined> {
  return Object.fromEntries(Object.keys(roleRuntime(role, {}).env).map((k) => [k, env[k]]));
}

test.each(ROLES)("the compose %s services run with the launchers' flags", (role) => {
  const services = composeServices(role);
  expect(services.length).toBeGreaterThan(0);
  for (const { name, flags } of services)
    expect({ name, flags }).toEqual({ name, flags: [...roleRuntime(role, {}).nodeFlags] });
});

test.each(KUSTOMIZATIONS.flatMap((dir) => ROLES.map((role) => [dir, role] as const)))(
  "the containers of %s with role %s run with the launchers' flags",
  (dir, role) => {
    const containers = k8sContainers(dir, role);
    expect(containers.length).toBeGreaterThan(0);
    for (const { label, flags } of containers)
      expect({ label, flags }).toEqual({ label, flags: [...roleRuntime(role, {}).nodeFlags] });
  },
);

test("the compose and Kubernetes workers get the launchers' worker environment", () => {
  const workers = [
    ...composeServices('worker').map((s) => ({ label: s.name, env: s.env })),
    ...KUSTOMIZATIONS.flatMap((dir) => k8sContainers(dir, 'worker')),
  ];
  expect(workers.length).toBeGreaterThan(1);
  const expected = roleRuntime('worker', {}).env;
  expect(Object.keys(expected).length).toBeGreaterThan(0);
  for (const { label, env } of workers)
    expect({ label, env: launcherVariables('worker', env) }).toEqual({ label, env: expected });
});
