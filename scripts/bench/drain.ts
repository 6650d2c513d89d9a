/**
 * Waits until `done()` reaches `total`, and gives up only after `stallMs` without progress. A
 * backlog on a slower machine drains slowly but steadily, while a stuck system stops moving. With a
 * fixed deadline, a machine half as fast as this one would have reported slow work as lost: on
 * this session's machine the 50/s answer run already needed about 110 s of its 180 s to drain.
 */
export async function drain(done: () => Promise<number> | number, total: number, stallMs: number, pollMs = 500): Promise<number> {
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
