/**
 * Node (V8) flags the API process runs with: the launchers (tooling/dev-stack.ts, tooling/stack.ts)
 * pass them, and the API commands of docker-compose.yml and deploy/k8s/base/api.yaml spell them out
 * (test/deploy keeps them equal).
 *
 * The API's live heap is about 50 MiB, yet V8 let it grow to several times that under load while
 * memory was plentiful: 4 MiB semi-spaces and an old generation bounded at 128 MiB keep its
 * resident memory near what it holds (figures: docs/performance.md#memory).
 */
export const API_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4', '--max-old-space-size=128'];
