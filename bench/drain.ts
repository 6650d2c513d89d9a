/** How long a run's drain may go without progress before the rest count as lost. */
export const DRAIN_STALL_MS = 60_000;

/**
 * Waits until `done()` reaches `total`, and gives up only after `stallMs` without progress. A
 * backlog on a slower machine drains slowly but steadily, while a stuck system stops moving. With a
 * fixed deadline (180 s, before), a slower machine would report slow work as lost: at about 9
 * checkouts/s, the 50/s answer run's 1000 orders need roughly 110 s.
 */
export async function drain(
  done: () => Promise<number> | number,
  total: number,
  stallMs: number,
  pollMs = 500,
): Promise<number> {
  let best = -1;
  let movedAt = Date.now();
  for (;;) {
    const count = await done();
    if (count >= total) return count;
    if (count > best) {
      best = count;
      movedAt = Date.now();
    } else if (Date.now() - movedAt >= stallMs) {
      return count;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
