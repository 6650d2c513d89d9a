/**
 * Node (V8) flags the API process runs with: the launchers (tooling/dev-stack.ts, tooling/stack.ts)
 * pass them, and the API commands of docker-compose.yml and deploy/k8s/base/api.yaml spell them out
 * (test/deploy keeps them equal).
 *
 * The API's live heap is a fraction of what V8 let its old generation grow to under load while
 * memory was plentiful; bounded at 128 MiB, the API's peak RSS in the flash-sale phase fell by
 * about 40%.
 *
 * Young generation: 8 MiB semi-spaces instead of V8's 16 lowered the peak again in the cart and
 * flash-sale loads, with the CPU per request inside the spread of repeats. 4 MiB (the workers'
 * flag) is too small here: it doubled the API's time in the collector and cost a share of its
 * requests per second (figures: docs/performance.md#memory).
 */
export const API_NODE_FLAGS: readonly string[] = ['--max-old-space-size=128', '--max-semi-space-size=8'];
