/**
 * Node (V8) flags every worker process runs with: the launchers (tooling/processes.ts) pass them,
 * and the worker commands of docker-compose.yml and deploy/k8s/base/worker.yaml spell them out.
 *
 * A young generation of 4 MiB semi-spaces instead of V8's 16: a worker has two heaps (the main
 * thread and the SDK's workflow thread), and each grew its young generation to the full size under
 * load; the smaller one cut the worker's resident memory without costing CPU per workflow
 * activation (figures: docs/performance.md#memory).
 */
export const WORKER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
