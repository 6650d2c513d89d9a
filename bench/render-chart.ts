/**
 * `npm run bench:chart`: draws bench/results.svg again from bench/results.json, without a run
 * (e.g. after the chart itself changed). `npm run bench:chart -- <results.json> [<out.svg>]` draws
 * another run's figures.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ROOT } from '../tooling/paths';
import { renderChart } from './chart';

async function main(): Promise<void> {
  const input = process.argv[2] ?? path.join(ROOT, 'bench', 'results.json');
  const output = process.argv[3] ?? input.replace(/\.json$/, '.svg');
  const results: unknown = JSON.parse(await readFile(input, 'utf8'));
  await writeFile(output, await renderChart(results));
  console.log(
    `[bench] chart of ${path.relative(process.cwd(), input)} written to ${path.relative(process.cwd(), output)}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
