/**
 * Node (V8) flags the API process runs with: the launchers (tooling/dev-stack.ts, tooling/stack.ts)
 * pass them, and the API commands of docker-compose.yml and deploy/k8s/base/api.yaml spell them out
 * (test/deploy keeps them equal).
 *
 * The API's live heap is a fraction of what V8 let its old generation grow to under load while
 * memory was plentiful; bounding the old generation lowers the API's peak RSS under load.
 *
 * Young generation: semi-spaces of half V8's default size lowered the peak again in the cart and
 * flash-sale loads, with the CPU per request inside the spread of repeats. The workers' smaller
 * size is too small here: it multiplied the API's time in the collector and cost a share of its
 * throughput (figures: docs/performance.md#memory).
 */
export const API_NODE_FLAGS: readonly string[] = ['--max-old-space-size=128', '--max-semi-space-size=8'];
