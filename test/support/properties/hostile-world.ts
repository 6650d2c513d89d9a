import { hookStarted } from '../hook-started';
import { HostileClient } from './hostile-client';
import { expectNothingChanged, settledSnapshot, type StateSnapshot } from './state-snapshot';
import { buildWorld, type World } from './world';

export interface HostileWorld {
  /** The file's world, built in beforeAll (this object forwards to it). */
  world: World;
  /** Every client handed out, checked together at the end. */
  clients: HostileClient[];
  newClient(): HostileClient;
  /** The state check against the snapshot taken when the world was built (see state-snapshot.ts). */
  expectNothingChanged(): Promise<void>;
}

/**
 * The wiring every property file shares: build the world (and its "before" snapshot) once for the
 * file, close it after, and hand out hostile clients that are all checked at the end.
 */
export function useHostileWorld(): HostileWorld {
  let built: World | undefined;
  let before: StateSnapshot | undefined;
  const clients: HostileClient[] = [];
  beforeAll(async () => {
    built = await buildWorld();
    before = await settledSnapshot(built);
  }, 120_000);
  afterAll(async () => {
    await built?.api.close();
  });
  const world = hookStarted(() => built, 'the hostile world');
  return {
    world,
    clients,
    newClient: () => {
      const client = new HostileClient(world.api.baseUrl);
      clients.push(client);
      return client;
    },
    expectNothingChanged: () => {
      if (!built || !before) throw new Error('the hostile world is used before it was built');
      return expectNothingChanged(built, before, clients);
    },
  };
}
