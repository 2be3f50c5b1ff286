import type { Objekt } from '../model/domain';
import { KLASSER } from '../model/objects';
import type { ObjectTypeName } from '../model/types';
import type { HierarchyPage, Sf1500Reader } from '../sf1500/reader';
import type { CallRecorder } from '../sf1500/stats';
import { atInstant, isImmutable, timeKey, type TimeContext } from '../temporal';
import { filtersFor } from './objects';
import { attributeAt, relationsNamed, rowsAt } from '../temporal/rows';
import { LruCache } from './cache';

/** Compact index records of the hierarchy snapshot (only what the org-chart fields need). */
export interface UnitNode {
  uuid: string;
  navn: string;
  overordnet?: string;
  tilhoerer?: string;
  opgaver: string[];
  tilknyttedeFunktioner: string[];
}

export interface FunctionNode {
  uuid: string;
  funktionstype?: string;
  enheder: string[];
  brugere: string[];
  opgaver: string[];
}

const NONE: readonly never[] = Object.freeze([]);

/** Sizes of one snapshot, for the query cost model's expected fan-outs. */
export interface HierarchyStats {
  units: number;
  /** Mean children of a unit that has children. */
  childrenPerParent: number;
  /** Longest root-to-leaf path, in units. */
  maxDepth: number;
  functionsPerUnit: number;
  positionsPerUnit: number;
  functionsPerUser: number;
  unitsPerKlasse: number;
}

export class HierarchyCycleError extends Error {
  constructor(public readonly unit: string) {
    super(`cycle in Overordnet: unit ${unit} is its own ancestor`);
    this.name = 'HierarchyCycleError';
  }
}

/**
 * An in-memory index of one hierarchy snapshot (OrganisationSystem.fremsoegobjekthierarki):
 * children by parent, functions by unit and by user, units by KLE class.
 */
export class HierarchySnapshot {
  readonly units = new Map<string, UnitNode>();
  readonly functions = new Map<string, FunctionNode>();
  readonly organisationRoot = new Map<string, string>();
  readonly children = new Map<string, string[]>();
  readonly functionsByUnit = new Map<string, string[]>();
  readonly functionsByUser = new Map<string, string[]>();
  readonly unitsByKlasse = new Map<string, string[]>();
  /** Per unit, precomputed for the org chart's hot fields: Lederrolle Brugere and Enhedsrolle functions. */
  private readonly ownLeaders = new Map<string, string[]>();
  private readonly positions = new Map<string, FunctionNode[]>();
  /** Memos (the snapshot never changes): inherited leaders and distinct staff counts. */
  private readonly inherited = new Map<string, readonly string[]>();
  private readonly staff = new Map<string, number>();
  /** The fetched objects, to prime the per-request loaders (no extra List for what the snapshot holds). */
  readonly objects = new Map<ObjectTypeName, Map<string, Objekt>>();

  constructor(lists: Map<ObjectTypeName, Objekt[]>, t: TimeContext, readonly fetchedAt: number) {
    const push = (m: Map<string, string[]>, k: string, v: string): void => {
      const l = m.get(k);
      if (l) l.push(v);
      else m.set(k, [v]);
    };
    const ref = (o: { ref: { uuid?: string } }): string | undefined => o.ref.uuid;
    for (const [type, objs] of lists) this.objects.set(type, new Map(objs.map((o) => [o.uuid, o])));
    for (const o of lists.get('Organisation') ?? []) {
      const rows = rowsAt(o, t);
      const root = relationsNamed(rows, 'Overordnet').map(ref)[0];
      if (root) this.organisationRoot.set(o.uuid, root);
    }
    for (const o of lists.get('OrganisationEnhed') ?? []) {
      const rows = rowsAt(o, t);
      const navn = attributeAt(rows, 'EnhedNavn');
      const node: UnitNode = {
        uuid: o.uuid,
        navn: typeof navn === 'string' ? navn : '',
        overordnet: relationsNamed(rows, 'Overordnet').map(ref)[0],
        tilhoerer: relationsNamed(rows, 'Tilhoerer').map(ref)[0],
        opgaver: relationsNamed(rows, 'Opgaver').map(ref).filter((x): x is string => !!x),
        tilknyttedeFunktioner: relationsNamed(rows, 'TilknyttedeFunktioner').map(ref).filter((x): x is string => !!x),
      };
      this.units.set(o.uuid, node);
    }
    for (const u of this.units.values()) {
      if (u.overordnet) push(this.children, u.overordnet, u.uuid);
      for (const k of u.opgaver) push(this.unitsByKlasse, k, u.uuid);
    }
    for (const l of this.children.values()) l.sort((a, b) => this.units.get(a)!.navn.localeCompare(this.units.get(b)!.navn, 'da'));
    for (const o of lists.get('OrganisationFunktion') ?? []) {
      const rows = rowsAt(o, t);
      const f: FunctionNode = {
        uuid: o.uuid,
        funktionstype: relationsNamed(rows, 'Funktionstype').map(ref)[0],
        enheder: relationsNamed(rows, 'TilknyttedeEnheder').map(ref).filter((x): x is string => !!x),
        brugere: relationsNamed(rows, 'TilknyttedeBrugere').map(ref).filter((x): x is string => !!x),
        opgaver: relationsNamed(rows, 'TilknyttedeOpgaver').map(ref).filter((x): x is string => !!x),
      };
      this.functions.set(o.uuid, f);
      for (const e of f.enheder) push(this.functionsByUnit, e, f.uuid);
      for (const b of f.brugere) push(this.functionsByUser, b, f.uuid);
      if (f.funktionstype === KLASSER.FUNKTIONSTYPE_LEDERROLLE) for (const e of f.enheder) for (const b of f.brugere) push(this.ownLeaders, e, b);
      if (f.funktionstype === KLASSER.FUNKTIONSTYPE_ENHEDSROLLE) for (const e of f.enheder) (this.positions.get(e) ?? this.positions.set(e, []).get(e)!).push(f);
    }
  }

  /** Functions attached to the unit (of one Funktionstype). Callers must not change the array. */
  functionsOf(unit: string, funktionstype?: string): readonly FunctionNode[] {
    if (funktionstype === KLASSER.FUNKTIONSTYPE_ENHEDSROLLE) return this.positions.get(unit) ?? NONE;
    return (this.functionsByUnit.get(unit) ?? []).map((f) => this.functions.get(f)!).filter((f) => !funktionstype || f.funktionstype === funktionstype);
  }

  /** Distinct Brugere holding a position (Enhedsrolle) in the unit. */
  staffCount(unit: string): number {
    let n = this.staff.get(unit);
    if (n === undefined) {
      n = new Set((this.positions.get(unit) ?? NONE).flatMap((f) => f.brugere)).size;
      this.staff.set(unit, n);
    }
    return n;
  }

  private statsMemo?: HierarchyStats;

  /** Mean and extreme sizes of the snapshot's lists (computed once). */
  stats(): HierarchyStats {
    if (this.statsMemo) return this.statsMemo;
    const mean = (m: Map<string, unknown[]>): number => {
      let n = 0;
      for (const l of m.values()) n += l.length;
      return m.size > 0 ? n / m.size : 0;
    };
    const depth = new Map<string, number>();
    const depthOf = (u: string): number => {
      let d = depth.get(u);
      if (d !== undefined) return d;
      depth.set(u, 1); // a cycle stops here
      const up = this.units.get(u)?.overordnet;
      d = up && this.units.has(up) ? 1 + depthOf(up) : 1;
      depth.set(u, d);
      return d;
    };
    let maxDepth = 0;
    for (const u of this.units.keys()) maxDepth = Math.max(maxDepth, depthOf(u));
    let positions = 0;
    for (const l of this.positions.values()) positions += l.length;
    this.statsMemo = {
      units: this.units.size,
      childrenPerParent: mean(this.children),
      maxDepth,
      functionsPerUnit: mean(this.functionsByUnit),
      positionsPerUnit: this.positions.size > 0 ? positions / this.positions.size : 0,
      functionsPerUser: mean(this.functionsByUser),
      unitsPerKlasse: mean(this.unitsByKlasse),
    };
    return this.statsMemo;
  }

  /** Ancestors, nearest first; throws on a cycle. */
  ancestors(unit: string): string[] {
    const out: string[] = [];
    const seen = new Set<string>([unit]);
    let cur = this.units.get(unit)?.overordnet;
    while (cur) {
      if (seen.has(cur)) throw new HierarchyCycleError(cur);
      seen.add(cur);
      out.push(cur);
      cur = this.units.get(cur)?.overordnet;
    }
    return out;
  }

  /** Descendants breadth-first, down to maxDepth levels (undefined = all). */
  descendants(unit: string, maxDepth?: number): string[] {
    const out: string[] = [];
    const seen = new Set<string>([unit]);
    let level = [unit];
    for (let d = 0; level.length > 0 && (maxDepth === undefined || d < maxDepth); d++) {
      const next: string[] = [];
      for (const u of level) {
        for (const c of this.children.get(u) ?? []) {
          if (seen.has(c)) continue;
          seen.add(c);
          out.push(c);
          next.push(c);
        }
      }
      level = next;
    }
    return out;
  }

  /** Brugere of the unit's Lederrolle functions; with `arv`, the nearest ancestor's when it has none. */
  leaders(unit: string, arv: boolean): readonly string[] {
    const own = this.ownLeaders.get(unit);
    if (own || !arv) return own ?? NONE;
    const memo = this.inherited.get(unit);
    if (memo) return memo;
    // Walk up lazily: a leader found below a cycle is still a good answer (and a cycle is not memoised).
    const seen = new Set<string>([unit]);
    let found: readonly string[] = NONE;
    for (let cur = this.units.get(unit)?.overordnet; cur; cur = this.units.get(cur)?.overordnet) {
      if (seen.has(cur)) throw new HierarchyCycleError(cur);
      seen.add(cur);
      const l = this.ownLeaders.get(cur) ?? this.inherited.get(cur);
      if (l) {
        found = l;
        break;
      }
    }
    this.inherited.set(unit, found);
    return found;
  }

  /** Units responsible for a KLE class: naming it directly or through its group / main group. */
  unitsForKlasse(klasseAndAncestors: string[]): string[] {
    const out = new Set<string>();
    for (const k of klasseAndAncestors) for (const u of this.unitsByKlasse.get(k) ?? []) out.add(u);
    return [...out];
  }
}

export interface HierarchySettings {
  pageSize: number;
  /** How long a snapshot of "now" is reused across requests (ms); 0 = per request only. */
  cacheWindowMs: number;
  /** Snapshots pinned to past registration times kept (LRU). */
  maxPinnedSnapshots: number;
  /** Pages in flight: the next page is generated and sent while the current one is parsed. */
  parallel: number;
}

/**
 * Loads hierarchy snapshots through the paged fremsoegobjekthierarki and shares them: within a
 * request per time slice, across requests within the cache window (for "now"), and in an LRU for
 * reads pinned to a past registration time (immutable).
 */
export class HierarchyCache {
  private current?: { key: string; at: number; snapshot: Promise<HierarchySnapshot>; ready: boolean };
  private refreshing?: Promise<HierarchySnapshot>;
  private latest?: HierarchyStats;
  private readonly pinned: LruCache<Promise<HierarchySnapshot>>;
  hits = 0;
  misses = 0;

  constructor(private readonly reader: Sf1500Reader, private readonly settings: HierarchySettings) {
    this.pinned = new LruCache(settings.maxPinnedSnapshots);
  }

  /** A snapshot at the instant of `t`. `isNow` marks the request's default time (cache-window reuse). */
  get(t: TimeContext, requestStart: number, rec?: CallRecorder): Promise<HierarchySnapshot> {
    const it = atInstant(t);
    const key = timeKey(it);
    if (isImmutable(it, requestStart) && it.virkningFra < requestStart) {
      const hit = this.pinned.get(key);
      if (hit) {
        this.hits++;
        return hit;
      }
      const p = this.load(it, rec);
      this.pinned.set(key, p);
      p.catch(() => this.pinned.delete(key));
      return p;
    }
    const isNow = it.virkningFra === requestStart && it.registrering === requestStart;
    if (!isNow || this.settings.cacheWindowMs <= 0) return this.load(it, rec);
    const cur = this.current;
    if (cur && requestStart - cur.at < this.settings.cacheWindowMs) {
      this.hits++;
      return cur.snapshot;
    }
    // Expired: refresh once in the background and keep answering from the previous snapshot until the new
    // one is in (a cold load of a large municipality takes longer than the window itself).
    if (cur?.ready) {
      if (!this.refreshing) {
        const p = this.load(it, rec);
        this.refreshing = p;
        p.then(() => { this.current = { key, at: requestStart, snapshot: p, ready: true }; }, () => undefined)
          .finally(() => { this.refreshing = undefined; });
      }
      this.hits++;
      return cur.snapshot;
    }
    if (this.refreshing) return this.refreshing;
    const p = this.load(it, rec);
    this.refreshing = p;
    p.then(() => { this.current = { key, at: requestStart, snapshot: p, ready: true }; }, () => undefined)
      .finally(() => { this.refreshing = undefined; });
    return p;
  }

  private async load(t: TimeContext, asker?: CallRecorder): Promise<HierarchySnapshot> {
    this.misses++;
    // Shared by every request that waits for it: counted for the first asker, never cancelled by it.
    const rec = asker?.detached();
    const filters = filtersFor(t);
    const lists = new Map<ObjectTypeName, Objekt[]>();
    const size = this.settings.pageSize;
    // Pages are independent by offset, so once the first page shows there is more, up to `parallel` are
    // asked for ahead and used in order. The end shows as a page that is not full: a one-page
    // organisation costs one call, a larger one at most parallel - 1 calls past the end.
    const inFlight: Array<Promise<HierarchyPage>> = [];
    let next = 0;
    const ask = (): void => {
      const p = this.reader.fremsoeg({ offset: next, limit: size }, filters, rec);
      p.catch(() => undefined); // a page asked past the end, or after a failure, is not awaited
      inFlight.push(p);
      next += size;
    };
    ask();
    for (;;) {
      const page = await inFlight.shift()!;
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
    const snapshot = new HierarchySnapshot(lists, t, Date.now());
    this.latest = snapshot.stats(); // only the sizes: a reference would keep a one-off snapshot alive
    return snapshot;
  }

  /** Sizes of the latest snapshot loaded, if any (never waits for a load). */
  latestStats(): HierarchyStats | undefined {
    return this.latest;
  }

  invalidate(): void {
    this.current = undefined;
    this.refreshing = undefined;
    this.pinned.clear();
  }
}

/** The per-request face: one snapshot promise per time slice per request. */
export class HierarchyService {
  private readonly perRequest = new Map<string, Promise<HierarchySnapshot>>();
  /** Snapshots already in hand, so org-chart fields can answer without a promise each. */
  private readonly loaded = new Map<string, HierarchySnapshot>();

  constructor(private readonly cache: HierarchyCache, private readonly requestStart: number, private readonly rec?: CallRecorder) {}

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

  /** The snapshot at t when this request already holds it, else undefined (then use `at`). */
  ready(t: TimeContext): HierarchySnapshot | undefined {
    return this.loaded.get(timeKey(atInstant(t)));
  }
}
