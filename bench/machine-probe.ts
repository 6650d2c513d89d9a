/**
 * A few seconds of micro-measurements taken before the bench starts, so that a run carries a
 * reading of the machine it ran on. "2 cores" is not one machine: on three machines of the same
 * AMD EPYC class, the same code measured a baseline capacity of 26-32/s, 12-14/s and 37-41/s on one
 * day. The probe times a computation beside what the stack does between its threads and processes
 * (a watchdog thread per vm call, a loopback round trip). It marks which machine a run had rather
 * than predicting its figures: between the slowest and the fastest machine its readings moved
 * 1.0-1.5 times while the stack's capacity moved three times (docs/performance.md#reading-the-figures).
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import vm from 'node:vm';

export interface MachineProbe {
  /** Milliseconds of a fixed pure-JavaScript loop (median of 3): the CPU itself. */
  jsLoopMs: number;
  /**
   * Microseconds per call into a vm context with a timeout, as the Temporal SDK makes for every
   * workflow activation (Node starts and joins a watchdog thread per call).
   */
  vmWatchdogCallUs: number;
  /** Microseconds per 1-byte TCP round trip on loopback to another process (median of 3 runs). */
  processRoundTripUs: number;
}

/** The reading in one line, as the bench's log, cpu-split and results.md print it. */
export function describeMachine(probe: MachineProbe): string {
  return `JS loop ${probe.jsLoopMs} ms, vm call with watchdog ${probe.vmWatchdogCallUs} us, loopback round trip to another process ${probe.processRoundTripUs} us`;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const elapsedMs = (since: bigint): number => Number(process.hrtime.bigint() - since) / 1e6;
const round1 = (value: number): number => Math.round(value * 10) / 10;

function jsLoopMs(): number {
  const start = process.hrtime.bigint();
  let sum = 0;
  for (let i = 0; i < 200_000_000; i++) sum = (sum + i) % 1_000_003;
  // Kept observable so the loop cannot be optimised away.
  if (sum < 0) throw new Error('unreachable');
  return elapsedMs(start);
}

function vmWatchdogCallUs(calls = 2_000): number {
  const context = vm.createContext({});
  const script = new vm.Script('1 + 1');
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) script.runInContext(context, { timeout: 5_000 });
  return (elapsedMs(start) * 1000) / calls;
}

/** An echo server in a child process: what crosses between the stack's processes, in miniature. */
const ECHO_SERVER = `
const server = require('node:net').createServer((s) => { s.setNoDelay(true); s.on('data', (d) => s.write(d)); });
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

async function processRoundTripUs(trips = 5_000, runs = 3): Promise<number> {
  const child = spawn(process.execPath, ['-e', ECHO_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    });
    const socket = net.connect({ port, host: '127.0.0.1', noDelay: true });
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const perRun: number[] = [];
    for (let run = 0; run < runs; run++) {
      perRun.push(
        await new Promise<number>((resolve) => {
          let left = trips;
          const start = process.hrtime.bigint();
          const onData = (): void => {
            if (--left > 0) return void socket.write('x');
            socket.off('data', onData);
            resolve((elapsedMs(start) * 1000) / trips);
          };
          socket.on('data', onData);
          socket.write('x');
        }),
      );
    }
    socket.destroy();
    return median(perRun);
  } finally {
    child.kill();
  }
}

export async function probeMachine(): Promise<MachineProbe> {
  return {
    jsLoopMs: round1(median([jsLoopMs(), jsLoopMs(), jsLoopMs()])),
    vmWatchdogCallUs: round1(vmWatchdogCallUs()),
    processRoundTripUs: round1(await processRoundTripUs()),
  };
}
