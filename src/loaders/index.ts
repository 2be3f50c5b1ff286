import type { Objekt } from '../model/domain';
import type { Sf1500Reader } from '../sf1500/reader';
import type { CallRecorder } from '../sf1500/stats';
import type { LruCache } from './cache';
import { HierarchyService, type HierarchyCache, type PlannerSettings } from './hierarchy';
import { ObjectLoaders, type LoaderSettings } from './objects';

/** What the loaders of every request share: the reader port and the process-wide caches. */
export interface LoaderDeps {
  reader: Sf1500Reader;
  settings: LoaderSettings;
  /** Objects read at a past registration time (immutable); only when batching. */
  objectCache?: LruCache<Objekt | null>;
  hierarchy: HierarchyCache;
  /** How org-chart fields are answered when no snapshot is in memory (default: always the snapshot). */
  planner?: PlannerSettings;
}

/** One request's loaders: object loaders per (type, time slice) and the hierarchy snapshots it reads. */
export interface RequestLoaders {
  loaders: ObjectLoaders;
  hierarchy: HierarchyService;
}

/** `pausing`: the request's pause while it waits for its next time slice (see ObjectLoaders). */
export function createLoaders(deps: LoaderDeps, requestStart: number, calls: CallRecorder, pausing?: () => Promise<void> | undefined): RequestLoaders {
  const loaders = new ObjectLoaders(deps.reader, deps.settings, requestStart, calls, deps.objectCache, pausing);
  return { loaders, hierarchy: new HierarchyService(deps.hierarchy, requestStart, calls, loaders, deps.planner) };
}

export { LruCache } from './cache';
export { HierarchyCache, HierarchyCycleError, HierarchyService, HierarchySnapshot, type PlannerMode, type PlannerSettings } from './hierarchy';
export { filtersFor, ObjectLoaders, type LoaderSettings } from './objects';
