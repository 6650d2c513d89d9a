import { readFile, writeFile } from 'node:fs/promises';

/** Peak resident set size of a live process (Linux VmHWM), in MiB. */
export async function peakRssMiB(pid: number | undefined): Promise<number> {
  if (pid === undefined) return Number.NaN;
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1]);
  return Math.round((kib / 1024) * 10) / 10;
}

/**
 * Peak RSS so far, then the peak restarted from the current RSS (Linux: `5` to clear_refs resets
 * VmHWM), so a later `peakRssMiB` covers only what came after. NaN when the process is not ours to reset.
 */
export async function takePeakRssMiB(pid: number | undefined): Promise<number> {
  const peak = await peakRssMiB(pid);
  if (pid === undefined) return peak;
  return writeFile(`/proc/${pid}/clear_refs`, '5').then(
    () => peak,
    () => Number.NaN,
  );
}
