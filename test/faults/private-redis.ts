/**
 * A private Redis for the fault drills (the machine's shared one serves other work): no
 * persistence, loopback only; `stop` and `start` take it down and bring it back on the same port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createClient } from 'redis';
import { stopProcess } from '../../tooling/processes';

export interface PrivateRedis {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

async function answers(url: string): Promise<boolean> {
  const client = createClient({ url, socket: { connectTimeout: 1_000, reconnectStrategy: false } });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    return false;
  } finally {
    if (client.isOpen) await client.quit().catch(() => undefined);
  }
}

export async function startPrivateRedis(options: { port: number; outputFd?: number }): Promise<PrivateRedis> {
  const url = `redis://127.0.0.1:${options.port}`;
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    if (child) return;
    child = spawn(
      'redis-server',
      ['--port', String(options.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: ['ignore', options.outputFd ?? 'ignore', options.outputFd ?? 'ignore'],
      },
    );
    const started = child;
    const failed = new Promise<Error>((resolve) => started.once('error', resolve));
    const deadline = Date.now() + 15_000;
    while (!(await answers(url))) {
      const error = await Promise.race([failed, new Promise<undefined>((r) => setTimeout(() => r(undefined), 100))]);
      if (error || started.exitCode !== null || Date.now() > deadline) {
        await stop();
        throw new Error(
          error
            ? `redis-server could not be started (${error.message}): install the redis-server package`
            : `private redis-server did not start on port ${options.port}`,
        );
      }
    }
  };

  const stop = async (): Promise<void> => {
    if (!child) return;
    await stopProcess(child, 5_000);
    child = undefined;
  };

  await start();
  return { url, start, stop };
}
