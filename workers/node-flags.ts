/**
 * How every worker process is started: the V8 flags and the environment the launchers
 * (tooling/stack.ts, tooling/dev-stack.ts) give it, spelled out in the worker commands of
 * docker-compose.yml and deploy/k8s/base/worker.yaml (test/deploy keeps them equal).
 *
 * A worker has two V8 heaps (the main thread, where activities run, and the SDK's workflow thread,
 * which holds the sticky cache), and several native threads (the SDK's Rust core, libuv). Figures
 * for each choice: docs/performance.md#memory.
 */

/**
 * - `--max-semi-space-size=4`: a young generation of 4 MiB semi-spaces instead of V8's 16; each heap
 *   grew its young generation to the full size under load, and the smaller one did not cost CPU per
 *   workflow activation.
 * - `--max-old-space-size=128` (for each of the two heaps: V8's flags apply to every isolate of the
 *   process): with V8's default limit (a quarter of the machine's memory) both heaps grew far past
 *   their live size under load; bounded, they stay close to what they hold live, with no
 *   measurable CPU cost (docs/performance.md#memory).
 */
export const WORKER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4', '--max-old-space-size=128'];

/**
 * Read by the C library, not by the worker: at most two malloc arenas. glibc gives each thread
 * that allocates concurrently an arena of its own (up to eight per core), and the Rust core's and
 * libuv's threads left each one partly used, a share of the worker's peak worth saving
 * (docs/performance.md#memory).
 */
export const WORKER_PROCESS_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };
