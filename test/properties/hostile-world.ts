import { HostileClient } from './hostile-client';
import { settledSnapshot, type StateSnapshot } from './state-snapshot';
import { buildWorld, type World } from './world';

/**
 * The wiring every property file shares: build the world (and its "before" snapshot) once for the
 * file, close it after, and hand out hostile clients that are all checked at the end.
 */
export function useHostileWorld(onReady: (world: World, before: StateSnapshot) => void): {
  clients: HostileClient[];
  newClient: () => HostileClient;
} {
  let built: World | undefined;
  const clients: HostileClient[] = [];
  beforeAll(async () => {
    built = await buildWorld();
    onReady(built, await settledSnapshot(built));
  }, 120_000);
  afterAll(async () => {
    await built?.api.close();
  });
  return {
    clients,
    newClient: () => {
      if (!built) throw new Error('the hostile world is used before it was built');
      const client = new HostileClient(built.api.baseUrl);
      clients.push(client);
      return client;
    },
  };
}
