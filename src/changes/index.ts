import type { Logger } from 'pino';
import type { Config } from '../config';
import type { HierarchyCache } from '../loaders/hierarchy';
import type { Sf1500Reader } from '../sf1500/reader';
import { rootTime } from '../temporal/time';
import { ChangeLog } from './log';
import { FileChangeStore, MemoryChangeStore, type ChangeStore } from './store';

export { ChangeLog } from './log';
export { AENDRINGER_STREAM, serveStream } from './sse';
export { aendringerResolvers } from './graphql';
export type { ChangeStore } from './store';

/** How often the feed asks for "now" (a poll that finds the snapshot young costs nothing). */
export function pollInterval(config: Config): number {
  return config.changes.pollMs > 0 ? config.changes.pollMs : Math.max(50, Math.min(30_000, Math.round(config.hierarchyCacheMs / 10)));
}

export interface ChangeFeed {
  log: ChangeLog;
  close(): Promise<void>;
}

/**
 * Starts the change feed of the municipality behind `reader`: opens its log (SUBGRAPH_STATE_DIR, else
 * memory) and asks the hierarchy cache for "now" at once and then every poll interval, so the refresh
 * policy runs even without org-chart requests; each refreshed snapshot reaches the log through the
 * cache's `onSnapshot` hook (wired by the caller). Off without a shared "now" snapshot to compare.
 */
export async function startChangeFeed(config: Config, reader: Sf1500Reader, hierarchy: HierarchyCache, logger: Logger, id: { endpoint: string; tenant: string }, given?: ChangeStore): Promise<ChangeFeed | undefined> {
  if (!config.changes.enabled || !config.batching || config.hierarchyCacheMs <= 0) return undefined;
  const log = (level: 'info' | 'warn', msg: string, fields: Record<string, unknown>): void => logger[level]({ component: 'changes', ...fields }, msg);
  const store: ChangeStore = given ?? (config.stateDir ? new FileChangeStore({ dir: config.stateDir, ...id, log }) : new MemoryChangeStore());
  const changes = await ChangeLog.open(store, reader, { retentionMs: config.changes.retentionMs, maxEvents: config.changes.maxEvents, listBatch: config.batchSize }, log);
  const poll = (): void => {
    const now = Date.now();
    hierarchy.get(rootTime(now), now).catch((e: unknown) => log('warn', 'change feed: hierarchy refresh failed; the next poll retries', { err: e instanceof Error ? e.message : String(e) }));
  };
  const timer = setInterval(poll, pollInterval(config));
  timer.unref();
  setImmediate(poll);
  return {
    log: changes,
    close: async () => {
      clearInterval(timer);
      await changes.close();
    },
  };
}
