/**
 * What PostgreSQL is doing while a phase runs, read every `everyMs` from pg_stat_activity on its
 * own connection (so the sampling never waits behind the load): how many of the stack's backends
 * wait on a lock, how many are inside the stock reservation statement
 * (prisma/repositories/inventory.ts reserveForOrder), and for how long the oldest of those has
 * been running. One extra query per sample, next to the hundreds per second of the load.
 */
import pg from 'pg';

export interface ActivitySample {
  /** Seconds since the sampler started. */
  t: number;
  /** Backends of the database waiting on a heavyweight lock (row locks show as `transactionid` / `tuple`). */
  lockWaiting: number;
  /** Backends running the reservation statement, waiting or not. */
  reserving: number;
  /** How long the oldest running reservation statement has been running, ms (0: none running). */
  oldestReservationMs: number;
  /** The sampled extra, e.g. a sku's available units. */
  extra: number | null;
}

export interface ActivityFigures {
  samples: number;
  everyMs: number;
  /** Share of samples with at least one backend waiting on a lock. */
  lockWaitShare: number;
  lockWaitingMax: number;
  lockWaitingMean: number;
  reservingMax: number;
  /** The longest a reservation statement was seen running (a lower bound of the longest one). */
  reservationMsMax: number;
}

/** The reservation statement's own text, as it shows in pg_stat_activity.query. */
const RESERVATION_MARK = '%FOR UPDATE OF i%';

export interface Sampler {
  /** Epoch ms the samples' `t` counts from. */
  startedAt: number;
  stop(): Promise<ActivitySample[]>;
}

/**
 * Starts sampling the database of `databaseUrl`; `extraSql` (one row, one numeric column named
 * `value`) is read in the same round trip, e.g. the flash-sale sku's available units.
 */
export async function startActivitySampler(databaseUrl: string, everyMs: number, extraSql?: string): Promise<Sampler> {
  const client = new pg.Client({ connectionString: databaseUrl });
  let running = true;
  // A lost sampling connection ends the sampling, not the bench: the figures then cover less time.
  client.on('error', () => {
    running = false;
  });
  await client.connect();
  const samples: ActivitySample[] = [];
  const started = Date.now();
  const query = `
    SELECT count(*) FILTER (WHERE wait_event_type = 'Lock')::int AS lock_waiting,
           count(*) FILTER (WHERE state = 'active' AND query LIKE $1)::int AS reserving,
           COALESCE(max(extract(epoch FROM clock_timestamp() - query_start) * 1000)
             FILTER (WHERE state = 'active' AND query LIKE $1), 0)::float8 AS oldest_ms,
           ${extraSql ? `(${extraSql})` : 'NULL'}::float8 AS extra
    FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`;
  const loop = (async () => {
    while (running) {
      const at = Date.now();
      const result = await client
        .query<{
          lock_waiting: number;
          reserving: number;
          oldest_ms: number;
          extra: number | null;
        }>(query, [RESERVATION_MARK])
        .catch(() => undefined);
      const row = result?.rows[0];
      if (!row) break;
      samples.push({
        t: Math.round((at - started) / 10) / 100,
        lockWaiting: row.lock_waiting,
        reserving: row.reserving,
        oldestReservationMs: Math.round(row.oldest_ms * 10) / 10,
        extra: row.extra,
      });
      await new Promise((r) => setTimeout(r, Math.max(0, everyMs - (Date.now() - at))));
    }
  })();
  return {
    startedAt: started,
    async stop() {
      running = false;
      await loop;
      await client.end().catch(() => undefined);
      return samples;
    },
  };
}

export function summarizeActivity(samples: readonly ActivitySample[], everyMs: number): ActivityFigures {
  const n = Math.max(1, samples.length);
  const r1 = (x: number): number => Math.round(x * 10) / 10;
  return {
    samples: samples.length,
    everyMs,
    lockWaitShare: Math.round((samples.filter((s) => s.lockWaiting > 0).length / n) * 1000) / 1000,
    lockWaitingMax: Math.max(0, ...samples.map((s) => s.lockWaiting)),
    lockWaitingMean: Math.round((samples.reduce((sum, s) => sum + s.lockWaiting, 0) / n) * 100) / 100,
    reservingMax: Math.max(0, ...samples.map((s) => s.reserving)),
    reservationMsMax: r1(Math.max(0, ...samples.map((s) => s.oldestReservationMs))),
  };
}
