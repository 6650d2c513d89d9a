/**
 * An object that stands for one a beforeAll hook makes: every property read is forwarded to it, so
 * a test file can declare `const api = useApiHarness();` at the top and use `api` in its tests.
 * Reading it before the hook ran (at a file's top level) throws with `what` in the message.
 */
export function hookStarted<T extends object>(current: () => T | undefined, what: string): T {
  return new Proxy({} as T, {
    get(_target, property) {
      const value = current();
      if (value === undefined) throw new Error(`${what} is made in beforeAll: use it inside tests and hooks`);
      return Reflect.get(value, property);
    },
  });
}
