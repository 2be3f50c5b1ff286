import DataLoader from 'dataloader';
import type { Objekt } from '../model/domain';
import type { ObjectTypeName } from '../model/types';
import type { ReadFilters, Sf1500Reader, SoegCriteria } from '../sf1500/reader';
import type { CallRecorder } from '../sf1500/stats';
import { isImmutable, timeKey, toIso, type TimeContext } from '../temporal';
import type { LruCache } from './cache';

export interface LoaderSettings {
  /** Batch loads into List calls (off: one Laes per object, for comparison). */
  batching: boolean;
  /** Most UUIDs in one List call. */
  maxBatchSize: number;
}

export function filtersFor(t: TimeContext): ReadFilters {
  return {
    virkning: { fra: toIso(t.virkningFra), til: toIso(t.virkningTil) },
    registrering: { fra: toIso(t.registrering), til: toIso(t.registrering) },
  };
}

/** Every registration, every row: for the registration history fields. */
const ALL: ReadFilters = { virkning: { fra: null, til: null }, registrering: { fra: null, til: null } };

/**
 * Per-request object loaders: one DataLoader per (object type, time slice), so a relation level
 * costs one List per object type however many parents ask. Reads pinned to a past registration
 * time also go through a process-wide LRU (they are immutable).
 */
export class ObjectLoaders {
  private readonly loaders = new Map<string, DataLoader<string, Objekt | null>>();

  constructor(
    private readonly reader: Sf1500Reader,
    private readonly settings: LoaderSettings,
    private readonly requestStart: number,
    private readonly recorder?: CallRecorder,
    private readonly cache?: LruCache<Objekt | null>,
    /** While the request waits for its next time slice (the execution budget's pause), the pause. */
    private readonly pausing?: () => Promise<void> | undefined,
  ) {}

  /**
   * DataLoader's own timing (after the promise jobs of the current tick), except that a batch due while
   * the request is paused waits for the pause to end: the fields deferred by the pause then join it, as
   * they would have without the pause (else one List becomes two).
   */
  private readonly schedule = (dispatch: () => void): void => {
    const go = (): void => {
      const p = this.pausing?.();
      if (p) void p.then(() => process.nextTick(go));
      else dispatch();
    };
    void Promise.resolve().then(() => process.nextTick(go));
  };

  /** The loader of `type` objects as they were at time slice `t`. */
  at(type: ObjectTypeName, t: TimeContext): DataLoader<string, Objekt | null> {
    // Hot path (every field): filters are built only when the loader is created.
    const key = `${type}@${timeKey(t)}`;
    return this.loaders.get(key) ?? this.loader(key, type, filtersFor(t), isImmutable(t, this.requestStart));
  }

  /** One page of `type` UUIDs matching the criteria at the instant of `t` (Soeg: not batched, not cached). */
  search(type: ObjectTypeName, criteria: SoegCriteria, page: { offset: number; limit: number }, t: TimeContext): Promise<string[]> {
    return this.reader.soeg(type, criteria, page, filtersFor(t), this.recorder);
  }

  /** The loader of `type` objects with their whole history (all registrations and rows). */
  history(type: ObjectTypeName): DataLoader<string, Objekt | null> {
    return this.loader(`${type}@all`, type, ALL, false);
  }

  private loader(key: string, type: ObjectTypeName, filters: ReadFilters, immutable: boolean): DataLoader<string, Objekt | null> {
    let l = this.loaders.get(key);
    if (l) return l;
    const cache = immutable ? this.cache : undefined;
    const batchFn = async (uuids: readonly string[]): Promise<Array<Objekt | null>> => {
      const out = new Map<string, Objekt | null>();
      const missing: string[] = [];
      for (const u of uuids) {
        const hit = cache?.get(`${key}/${u}`);
        if (hit !== undefined) out.set(u, hit);
        else missing.push(u);
      }
      if (missing.length > 0) {
        if (this.settings.batching) {
          const objs = await this.reader.list(type, missing, filters, this.recorder);
          for (const o of objs) out.set(o.uuid, o);
        } else {
          for (const u of missing) out.set(u, await this.reader.laes(type, u, filters, this.recorder));
        }
        for (const u of missing) {
          if (!out.has(u)) out.set(u, null);
          cache?.set(`${key}/${u}`, out.get(u) ?? null);
        }
      }
      return uuids.map((u) => out.get(u) ?? null);
    };
    l = this.settings.batching
      ? new DataLoader(batchFn, { maxBatchSize: this.settings.maxBatchSize, cacheKeyFn: (k) => k.toLowerCase(), batchScheduleFn: this.schedule })
      : new DataLoader(batchFn, { batch: false, cache: false });
    this.loaders.set(key, l);
    return l;
  }
}
