import type { Logger } from 'pino';
import type { Config } from '../config';
import type { ContextDeps } from '../context';
import { HierarchyCache, LruCache, type HierarchySnapshot } from '../loaders';
import { stateStores } from '../state';
import type { Objekt } from '../model/domain';
import type { Sf1500Reader } from '../sf1500/reader';
import { startChangeFeed, type ChangeFeed, type ChangeLog } from '../changes';

/**
 * The per-municipality dependencies of a request: caches (objects, hierarchy snapshots, their store on
 * disk or in Redis) and the change feed. One phase of `startSubgraph`; knows nothing of HTTP or Apollo.
 */

/** Where snapshots and the change log come from and whose they are (the key of their files). */
export interface SourceId { endpoint: string; tenant: string }

/**
 * Snapshots on disk are keyed by where the data came from and whose it is: the caller's CVR (OIO IDWS), else
 * the configured municipality's, else the client certificate (one certificate, one municipality).
 */
export function sourceFor(config: Config, cvr: string | undefined): SourceId {
  return {
    endpoint: config.sf1500Endpoints?.organisationsystem ?? config.sf1500BaseUrl ?? `local SF1500 ${config.local.dbFile} (${config.local.seed})`,
    tenant: cvr ? `cvr:${cvr}` : config.tls.pfxFile ?? config.tls.certFile ?? '',
  };
}

export interface Tenants {
  /** The default municipality's hierarchy cache (the one /metrics and the change feed watch). */
  hierarchy: HierarchyCache;
  objectCache: LruCache<Objekt | null>;
  changes?: ChangeFeed;
  /** The dependencies of a caller's municipality: the default one's, or the CVR's own (made on first use). */
  depsFor(cvr: string | undefined): ContextDeps;
  /** The default municipality's persisted snapshot, read: await before listening. */
  restored: Promise<unknown>;
  close(): Promise<void>;
}

/** Builds the default municipality's caches and change feed, and makes each other CVR's on first use. */
export async function createTenants(config: Config, client: Sf1500Reader, logger: Logger): Promise<Tenants> {
  // Redis when SUBGRAPH_REDIS_URL is set (replicas share snapshots and the change log), else SUBGRAPH_STATE_DIR.
  const state = stateStores(config, logger);
  const newHierarchy = (cvr?: string, onSnapshot?: (s: HierarchySnapshot) => void): HierarchyCache => new HierarchyCache(client, {
    pageSize: config.hierarchyPageSize, cacheWindowMs: config.batching ? config.hierarchyCacheMs : 0, maxPinnedSnapshots: config.hierarchyPinned,
    parallel: config.hierarchyParallel, store: state.snapshots(sourceFor(config, cvr)), onSnapshot,
  });
  const objectCache = new LruCache<Objekt | null>(config.cacheSize);
  // The change feed follows the default municipality only: it compares each refreshed "now" snapshot of it
  // with what it saw last (src/changes). Callers of another CVR get no feed (never another's changes).
  const hierarchy = newHierarchy(config.security.idws?.cvr, (s) => changes?.log.observe(s));
  // A restart answers from the persisted snapshot (and refreshes behind it): read while Apollo starts,
  // awaited before listening, so the first request finds it in memory (about a second for 2,000 units).
  const restored = hierarchy.restore();
  const changes: ChangeFeed | undefined = await startChangeFeed(config, client, hierarchy, logger, sourceFor(config, config.security.idws?.cvr), state.changes(sourceFor(config, config.security.idws?.cvr)));
  // Several municipalities (OIO IDWS, a CVR per caller): each CVR has its own caches, so no answer for
  // one is ever built from another's data. The default municipality keeps the caches above.
  const depsOf = (caches: { objectCache: LruCache<Objekt | null>; hierarchy: HierarchyCache }, feed?: ChangeLog): ContextDeps => ({
    loaders: {
      reader: client, settings: { batching: config.batching, maxBatchSize: config.batchSize }, objectCache: config.batching ? caches.objectCache : undefined, hierarchy: caches.hierarchy,
      planner: { mode: config.batching ? config.planner : 'snapshot', parallel: config.targetedParallel },
    },
    maxListArgument: config.limits.maxListArgument,
    maxFirst: config.limits.maxFirst,
    changes: feed,
  });
  const contextDeps = depsOf({ objectCache, hierarchy }, changes?.log);
  const tenantDeps = new Map<string, ContextDeps>();
  const depsFor = (cvr: string | undefined): ContextDeps => {
    if (!cvr || cvr === config.security.idws?.cvr) return contextDeps;
    let d = tenantDeps.get(cvr);
    if (!d) {
      const h = newHierarchy(cvr);
      void h.restore(); // a tenant's first request waits for its file
      tenantDeps.set(cvr, (d = depsOf({ objectCache: new LruCache<Objekt | null>(config.cacheSize), hierarchy: h })));
    }
    return d;
  };
  return {
    hierarchy, objectCache, changes, depsFor, restored,
    close: async () => {
      await hierarchy.close();
      for (const d of tenantDeps.values()) await d.loaders.hierarchy.close();
      await state.close();
    },
  };
}
