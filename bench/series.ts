/**
 * Time series the bench records for its chart (./chart.ts): completions per second of a window,
 * and the resident memory of every process of the stack over the whole run, with the phases
 * marked on the same clock.
 */
import { readFile } from 'node:fs/promises';

/** How many of `offsetsMs` (ms from the window's start) fall in each second. */
export function perSecondCounts(offsetsMs: readonly number[]): number[] {
  const counts: number[] = [];
  for (const ms of offsetsMs) {
    const second = Math.max(0, Math.floor(ms / 1000));
    while (counts.length <= second) counts.push(0);
    counts[second]!++;
  }
  return counts;
}

/** Current resident set size of a live process (Linux VmRSS), MiB; undefined when it is gone or not here. */
async function rssMiB(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  const kib = status === undefined ? Number.NaN : Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]);
  return Number.isNaN(kib) ? undefined : Math.round((kib / 1024) * 10) / 10;
}

export interface RssSeries {
  everySeconds: number;
  /** Seconds since the bench's stack was up, and each process's RSS then (MiB). */
  samples: { t: number; mib: Record<string, number> }[];
  /** When each phase began, on the same clock. */
  phases: { name: string; t: number }[];
}

export interface RssRecorder {
  /** Marks the start of a phase. */
  phase(name: string): void;
  stop(): RssSeries;
}

/** Samples the RSS of the processes `pids()` names every `everySeconds` until stopped. */
export function recordRss(pids: () => Promise<Record<string, number | undefined>>, everySeconds = 1): RssRecorder {
  const started = performance.now();
  const at = (): number => Math.round((performance.now() - started) / 100) / 10;
  const series: RssSeries = { everySeconds, samples: [], phases: [] };
  const sample = async (): Promise<void> => {
    const t = at();
    const mib: Record<string, number> = {};
    for (const [name, pid] of Object.entries(await pids().catch(() => ({})))) {
      const value = pid === undefined ? undefined : await rssMiB(pid);
      if (value !== undefined) mib[name] = value;
    }
    if (Object.keys(mib).length > 0) series.samples.push({ t, mib });
  };
  void sample();
  const timer = setInterval(() => void sample(), everySeconds * 1000);
  return {
    phase: (name) => series.phases.push({ name, t: at() }),
    stop: () => {
      clearInterval(timer);
      return series;
    },
  };
}
