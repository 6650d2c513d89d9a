/**
 * How the bench compares contenders fairly on one shared machine: each is measured `rounds` times,
 * taking turns, so a slow patch of the machine or whatever builds up during a run (open shipment
 * workflows on the dev server, a fuller worker cache, a warmer JIT) weighs on every one alike.
 * Shared by the catalog/bare comparison and the checkout/baseline capacity runs.
 */
export async function takeTurns<Contender, Run>(
  contenders: Readonly<Record<string, Contender>>,
  rounds: number,
  measure: (contender: Contender) => Promise<Run>,
): Promise<Record<string, Run[]>> {
  const runs: Record<string, Run[]> = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
  for (let r = 0; r < rounds; r++) {
    for (const [name, contender] of Object.entries(contenders)) runs[name]!.push(await measure(contender));
  }
  return runs;
}
