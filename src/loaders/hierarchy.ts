import type { Objekt } from '../model/domain';
import type { ObjectTypeName } from '../model/types';
import type { HierarchyPage, Sf1500Reader } from '../sf1500/reader';
import { CallRecorder } from '../sf1500/stats';
import { atInstant, isImmutable, timeKey, type TimeContext } from '../temporal';
import { filtersFor } from './objects';
import { LruCache } from './cache';
import { HierarchySnapshot, type HierarchyStats } from './snapshot';
import type { SharedLoads, SnapshotRecord, SnapshotStore } from './persist';
import type { ObjectLoaders } from './objects';
import { TargetedSlice } from './targeted';

export * from './snapshot';

export interface HierarchySettings {
  pageSize: number;
  /**
   * Refresh interval of the "now" snapshot (ms): an older one keeps answering while one refresh loads
   * behind it (SF1500_HIERARCHY_REFRESH_MS); 0 = per request only, never shared.
   */
  cacheWindowMs: number;
  /** Snapshots pinned to past registration times kept (LRU). */
  maxPinnedSnapshots: number;
  /** Pages in flight: the next page is generated and sent while the current one is parsed. */
  parallel: number;
  /** Persisted snapshots (SUBGRAPH_STATE_DIR): written after a load, read at start and for pinned misses. */
  store?: SnapshotStore;
  /** Called when a snapshot loaded from SF1500 has replaced the "now" snapshot (the change feed's hook). */
  onSnapshot?: (s: HierarchySnapshot) => void;
}

/** Where a snapshot came from: loaded from SF1500 by this process, restored from disk, or read from the replicas' Redis. */
export type SnapshotSource = 'sf1500' | 'disk' | 'redis';

interface Current {
  key: string;
  /** When it was fetched from SF1500: its age decides the refresh. */
  at: number;
  snapshot: Promise<HierarchySnapshot>;
  value: HierarchySnapshot;
}

/**
 * Loads hierarchy snapshots through the paged fremsoegobjekthierarki and shares them: within a
 * request per time slice, across requests for "now" (refreshed behind the answers every
 * `cacheWindowMs`, one refresh at a time), and in an LRU for reads pinned to a past registration time
 * (immutable). With a store, each load is written to disk and a restart starts from it.
 */
export class HierarchyCache {
  private current?: Current;
  private refreshing?: Promise<HierarchySnapshot>;
  private restoring?: Promise<void>;
  private restored?: Promise<void>;
  private latest?: HierarchyStats;
  private readonly pinned: LruCache<Promise<HierarchySnapshot>>;
  /** Pinned loads that have finished (peek never waits). */
  private readonly settled = new WeakMap<Promise<HierarchySnapshot>, HierarchySnapshot>();
  private readonly writes = new Set<Promise<void>>();
  /** Ends the loads of a closed subgraph (no request's cancellation reaches them; this does). */
  private readonly stopping = new AbortController();
  hits = 0;
  misses = 0;
  /** Bytes of hierarchy XML read from SF1500 by this cache (the refresh policy's cost). */
  bytesLoaded = 0;

  constructor(private readonly reader: Sf1500Reader, private readonly settings: HierarchySettings) {
    this.pinned = new LruCache(settings.maxPinnedSnapshots);
  }

  /** Starts reading the persisted "now" snapshot; until it is in, `peek` has none and `get` waits for it. */
  restore(): Promise<void> {
    const store = this.settings.store;
    if (!store || this.settings.cacheWindowMs <= 0) return Promise.resolve();
    if (this.restored) return this.restored;
    this.restored = this.restoring = store.read('now').then((r) => {
      if (!r || this.current) return;
      try {
        const s = new HierarchySnapshot(r.lists, r.t, r.fetchedAt, store.origin);
        this.latest = s.stats();
        this.current = { key: timeKey(r.t), at: r.fetchedAt, snapshot: Promise.resolve(s), value: s };
      } catch (e) {
        store.unusable('now', e); // well-formed but not a hierarchy we can index: load from SF1500 instead
      }
    }).finally(() => { this.restoring = undefined; });
    return this.restored;
  }

  private isPinned(it: TimeContext, requestStart: number): boolean {
    return isImmutable(it, requestStart) && it.virkningFra < requestStart;
  }

  private isNow(it: TimeContext, requestStart: number): boolean {
    return it.virkningFra === requestStart && it.registrering === requestStart;
  }

  /** A snapshot at the instant of `t`. `isNow` marks the request's default time (cache-window reuse). */
  get(t: TimeContext, requestStart: number, rec?: CallRecorder): Promise<HierarchySnapshot> {
    const it = atInstant(t);
    const key = timeKey(it);
    if (this.isPinned(it, requestStart)) {
      const hit = this.pinned.get(key);
      if (hit) {
        this.hits++;
        return hit;
      }
      const store = this.settings.store;
      const loadAndKeep = (): Promise<HierarchySnapshot> => this.load(it, rec).then((s) => {
        this.persist(key, s);
        return s;
      });
      const p = store
        ? store.read(key).then((r) => (r ? new HierarchySnapshot(r.lists, r.t, r.fetchedAt, store.origin) : loadAndKeep()))
        : loadAndKeep();
      this.pinned.set(key, p);
      p.then((s) => this.settled.set(p, s), () => this.pinned.delete(key));
      return p;
    }
    if (!this.isNow(it, requestStart) || this.settings.cacheWindowMs <= 0) return this.load(it, rec);
    if (this.restoring) return this.restoring.then(() => this.get(t, requestStart, rec));
    const cur = this.current;
    if (cur && requestStart - cur.at < this.settings.cacheWindowMs) {
      this.hits++;
      return cur.snapshot;
    }
    // Expired: refresh once in the background and keep answering from the previous snapshot until the new
    // one is in (a cold load of a large municipality takes longer than a request should wait).
    if (cur) {
      this.refresh(it, key);
      this.hits++;
      return cur.snapshot;
    }
    return this.refresh(it, key, rec);
  }

  /** The one load of "now" in flight, started if none is; it replaces the current snapshot when in. */
  private refresh(it: TimeContext, key: string, rec?: CallRecorder): Promise<HierarchySnapshot> {
    if (this.refreshing) return this.refreshing;
    const shared = this.settings.store?.shared;
    const p = shared ? this.sharedLoad(shared, it, rec) : this.load(it, rec);
    this.refreshing = p;
    p.then((s) => {
      // Aged on the requests' clock (the instant asked for), as the refresh is decided by it; one another
      // replica loaded, by its fetch time.
      this.current = { key, at: s.source === 'sf1500' ? it.registrering : s.fetchedAt, snapshot: p, value: s };
      if (!shared) this.persist('now', s); // a shared store has it written before its lease is let go
      this.settings.onSnapshot?.(s);
    }, () => undefined).finally(() => { this.refreshing = undefined; });
    return p;
  }

  /**
   * The snapshot at `t` if one is in memory now (for "now" a stale one too, whose refresh this starts);
   * never waits and never loads.
   */
  peek(t: TimeContext, requestStart: number): HierarchySnapshot | undefined {
    const it = atInstant(t);
    if (this.isPinned(it, requestStart)) {
      const p = this.pinned.peek(timeKey(it));
      return p && this.settled.get(p);
    }
    if (!this.isNow(it, requestStart) || this.settings.cacheWindowMs <= 0 || !this.current) return undefined;
    void this.get(t, requestStart).catch(() => undefined);
    return this.current.value;
  }

  /**
   * Starts loading the snapshot at `t` for later requests, when it can be shared ("now" with a refresh
   * interval, or a pinned time); detached from any request, its failure is only logged by the client.
   */
  prefetch(t: TimeContext, requestStart: number): void {
    const it = atInstant(t);
    const shared = this.isPinned(it, requestStart) ? this.settings.maxPinnedSnapshots > 0 : this.isNow(it, requestStart) && this.settings.cacheWindowMs > 0;
    if (shared) this.get(t, requestStart).catch(() => undefined);
  }

  /**
   * "now" through a store shared by replicas: a snapshot another replica stored (newer than ours, young
   * enough), else this replica's load under the store's lease, or the lease holder's result.
   */
  private sharedLoad(shared: SharedLoads, it: TimeContext, rec?: CallRecorder): Promise<HierarchySnapshot> {
    const since = this.current?.value.fetchedAt ?? -Infinity;
    const origin = this.settings.store!.origin;
    return shared.once<HierarchySnapshot>('now', {
      usable: (fetchedAt) => fetchedAt > since && it.registrering - fetchedAt < this.settings.cacheWindowMs,
      load: () => this.load(it, rec),
      record: (s) => this.record(s),
      fromRecord: (r) => {
        const s = new HierarchySnapshot(r.lists, r.t, r.fetchedAt, origin);
        this.latest = s.stats();
        return s;
      },
    });
  }

  private record(s: HierarchySnapshot): SnapshotRecord {
    const lists = new Map<ObjectTypeName, Objekt[]>();
    for (const [type, m] of s.objects) lists.set(type, [...m.values()]);
    return { lists, t: s.t, fetchedAt: s.fetchedAt };
  }

  private persist(key: string, s: HierarchySnapshot): void {
    const store = this.settings.store;
    if (!store || s.source !== 'sf1500') return;
    const w = store.write(key, this.record(s));
    this.writes.add(w);
    void w.finally(() => this.writes.delete(w));
  }

  /** Waits for the state writes in progress (shutdown, tests). */
  async flush(): Promise<void> {
    await Promise.all([...this.writes]);
  }

  private async load(t: TimeContext, asker?: CallRecorder): Promise<HierarchySnapshot> {
    this.misses++;
    const started = Date.now();
    // Shared by every request that waits for it: counted for the first asker, never cancelled by it (only
    // by close). A background load (prefetch, refresh) is counted for no request.
    const rec = new CallRecorder(this.stopping.signal, asker?.byOperation, !asker);
    const filters = filtersFor(t);
    const lists = new Map<ObjectTypeName, Objekt[]>();
    const size = this.settings.pageSize;
    // Pages are independent by offset, so once the first page shows there is more, up to `parallel` are
    // asked for ahead and used in order. The end shows as a page that is not full: a one-page
    // organisation costs one call, a larger one at most parallel - 1 calls past the end.
    const inFlight: Array<Promise<HierarchyPage>> = [];
    let next = 0;
    let pages = 0;
    const ask = (): void => {
      const p = this.reader.fremsoeg({ offset: next, limit: size }, filters, rec);
      p.catch(() => undefined); // a page asked past the end, or after a failure, is not awaited
      inFlight.push(p);
      next += size;
    };
    ask();
    for (;;) {
      const page = await inFlight.shift()!;
      pages++;
      this.bytesLoaded += page.bytes;
      let full = false;
      for (const [type, objs] of page.lists) {
        const l = lists.get(type);
        if (l) l.push(...objs);
        else lists.set(type, [...objs]);
        if (objs.length >= size) full = true;
      }
      if (!full) break;
      while (inFlight.length < Math.max(1, this.settings.parallel)) ask();
    }
    // Stamped with the load's start: the structure is at least as old as its first page.
    const snapshot = new HierarchySnapshot(lists, t, started, 'sf1500', pages);
    this.latest = snapshot.stats(); // only the sizes: a reference would keep a one-off snapshot alive
    return snapshot;
  }

  /** Sizes of the latest snapshot loaded, if any (never waits for a load). */
  latestStats(): HierarchyStats | undefined {
    return this.latest;
  }

  /** Stops the loads in flight and waits for the state writes (shutdown). */
  async close(): Promise<void> {
    this.stopping.abort(new Error('the subgraph is closing'));
    await this.flush();
  }

  invalidate(): void {
    this.current = undefined;
    this.refreshing = undefined;
    this.pinned.clear();
  }
}

/** How the org-chart fields of one request were answered, for `extensions.sf1500.hierarchy`. */
export interface HierarchyReport {
  /** `snapshot` (the whole hierarchy in memory), `targeted` (Soeg + List for this request) or both. */
  path: 'snapshot' | 'targeted' | 'snapshot+targeted';
  /** Age of the oldest structure behind the answer (ms): 0 for targeted reads, made for this request. */
  structureAgeMs: number;
  /** Where the snapshot came from, when one answered. */
  snapshot?: SnapshotSource;
}

/** `auto`: targeted reads when no snapshot is in memory and the query is cheap that way; or always one path. */
export type PlannerMode = 'auto' | 'snapshot' | 'targeted';

export interface PlannerSettings {
  mode: PlannerMode;
  /** Soeg calls of one level in flight at once. */
  parallel: number;
}

/** The per-request face: one snapshot promise per time slice per request, or targeted reads. */
export class HierarchyService {
  private readonly perRequest = new Map<string, Promise<HierarchySnapshot>>();
  /** Snapshots already in hand, so org-chart fields can answer without a promise each. */
  private readonly loaded = new Map<string, HierarchySnapshot>();
  private readonly slices = new Map<string, TargetedSlice>();
  /** Set by the planner before execution: the operation is cheap by targeted reads (auto mode). */
  private preferTargeted = false;

  /** Sizes of this municipality's latest snapshot (the cost model's fan-outs; never another CVR's). */
  stats(): HierarchyStats | undefined {
    return this.cache.latestStats();
  }
  /** Time slices answered by targeted reads whose snapshot later requests may want. */
  private readonly prefetch: TimeContext[] = [];

  constructor(
    private readonly cache: HierarchyCache,
    private readonly requestStart: number,
    private readonly rec?: CallRecorder,
    private readonly objects?: ObjectLoaders,
    private readonly planner: PlannerSettings = { mode: 'snapshot', parallel: 1 },
  ) {}

  /** The planner's verdict for this operation (see execution/plan.ts). */
  plan(preferTargeted: boolean): void {
    this.preferTargeted = preferTargeted;
  }

  at(t: TimeContext): Promise<HierarchySnapshot> {
    const key = timeKey(atInstant(t));
    let p = this.perRequest.get(key);
    if (!p) {
      p = this.cache.get(t, this.requestStart, this.rec);
      p.then((s) => this.loaded.set(key, s), () => undefined);
      this.perRequest.set(key, p);
    }
    return p;
  }

  /** The snapshot at t when this request holds it or one is in memory, else undefined (then use `at`). */
  ready(t: TimeContext): HierarchySnapshot | undefined {
    const key = timeKey(atInstant(t));
    return this.loaded.get(key) ?? this.hold(key, t);
  }

  /**
   * How a field that targeted reads can answer does so at t: the snapshot in hand or in memory, the
   * targeted reads, or undefined (wait for `at`). One path per time slice per request, decided once.
   */
  choose(t: TimeContext): HierarchySnapshot | TargetedSlice | undefined {
    const key = timeKey(atInstant(t));
    const s = this.loaded.get(key);
    if (s && this.planner.mode !== 'targeted') return s;
    const slice = this.slices.get(key);
    if (slice) return slice;
    if (this.planner.mode === 'snapshot' || !this.objects) return s ?? this.hold(key, t);
    if (this.planner.mode === 'auto') {
      const held = this.hold(key, t);
      if (held || !this.preferTargeted) return held;
      this.prefetch.push(t);
    }
    const made = new TargetedSlice(this.objects, t, this.planner.parallel);
    this.slices.set(key, made);
    return made;
  }

  private hold(key: string, t: TimeContext): HierarchySnapshot | undefined {
    const s = this.cache.peek(t, this.requestStart);
    if (s) {
      this.loaded.set(key, s);
      this.perRequest.set(key, Promise.resolve(s));
    }
    return s;
  }

  /**
   * The request is answered: start loading the snapshots its targeted reads stood in for, for later
   * requests. Not before: reading a whole hierarchy competes for the event loop with the answer.
   */
  answered(): void {
    const slices = this.prefetch.splice(0);
    if (slices.length > 0) setImmediate(() => { for (const t of slices) this.cache.prefetch(t, this.requestStart); });
  }

  /** What answered this request's org-chart fields, or undefined when it had none. */
  report(): HierarchyReport | undefined {
    const snaps = [...this.loaded.values()];
    if (snaps.length === 0 && this.slices.size === 0) return undefined;
    const path = snaps.length === 0 ? 'targeted' : this.slices.size === 0 ? 'snapshot' : 'snapshot+targeted';
    const oldest = snaps.reduce<HierarchySnapshot | undefined>((a, b) => (!a || b.fetchedAt < a.fetchedAt ? b : a), undefined);
    return {
      path,
      structureAgeMs: oldest ? Math.max(0, this.requestStart - oldest.fetchedAt) : 0,
      ...(oldest ? { snapshot: oldest.source } : {}),
    };
  }
}
