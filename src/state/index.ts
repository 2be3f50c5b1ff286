import type { Logger } from 'pino';
import type { Config } from '../config';
import { FileChangeStore, MemoryChangeStore, type ChangeStore } from '../changes/store';
import { FileSnapshotStore, type SnapshotIdentity, type SnapshotStore, type StateLog } from '../loaders/persist';
import { RedisConnection, RedisSnapshotStore } from './redis';
import { RedisChangeStore } from './redis-changes';

/** Where the subgraph keeps its state: Redis when SUBGRAPH_REDIS_URL is set, else SUBGRAPH_STATE_DIR files (or memory). */
export interface StateStores {
  /** The snapshot store of one endpoint and tenant (undefined: keep none). */
  snapshots(id: SnapshotIdentity): SnapshotStore | undefined;
  changes(id: SnapshotIdentity): ChangeStore;
  close(): Promise<void>;
}

export function stateStores(config: Config, logger: Logger): StateStores {
  const log: StateLog = (level, msg, fields) => logger[level]({ component: 'state', ...fields }, msg);
  const redis = config.redis ? new RedisConnection(config.redis, log) : undefined;
  return {
    snapshots: (id) => {
      if (!config.batching) return undefined;
      if (redis) return new RedisSnapshotStore(redis, id, log);
      return config.stateDir ? new FileSnapshotStore({ dir: config.stateDir, ...id, maxPinnedBytes: config.stateMaxPinnedBytes, log }) : undefined;
    },
    changes: (id) => {
      const changeLog: StateLog = (level, msg, fields) => logger[level]({ component: 'changes', ...fields }, msg);
      if (redis) return new RedisChangeStore(redis, id, changeLog);
      return config.stateDir ? new FileChangeStore({ dir: config.stateDir, ...id, log: changeLog }) : new MemoryChangeStore();
    },
    close: async () => { await redis?.close(); },
  };
}
