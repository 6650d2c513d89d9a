/** Polls `probe` until it returns a value (not undefined), or throws after `timeoutMs`. */
export async function waitUntil<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  what: string | (() => string),
  { timeoutMs = 30_000, intervalMs = 100 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
}
