import type { Objekt } from '../model/domain';
import { KLASSER } from '../model/objects';
import type { ObjectTypeName } from '../model/types';
import type { TimeContext } from '../temporal';
import { attributeAt, relationsNamed, rowsAt, type Rows } from '../temporal/rows';

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

const ref = (o: { ref: { uuid?: string } }): string | undefined => o.ref.uuid;
const refs = (rows: Rows, name: string): string[] => relationsNamed(rows, name).map(ref).filter((x): x is string => !!x);

/** The index record of a unit at `t` (the snapshot and the targeted reads build the same). */
export function unitNode(o: Objekt, t: TimeContext): UnitNode {
  const rows = rowsAt(o, t);
  const navn = attributeAt(rows, 'EnhedNavn');
  return {
    uuid: o.uuid,
    navn: typeof navn === 'string' ? navn : '',
    overordnet: relationsNamed(rows, 'Overordnet').map(ref)[0],
    tilhoerer: relationsNamed(rows, 'Tilhoerer').map(ref)[0],
    opgaver: refs(rows, 'Opgaver'),
    tilknyttedeFunktioner: refs(rows, 'TilknyttedeFunktioner'),
  };
}

/** The index record of a function at `t`. */
export function functionNode(o: Objekt, t: TimeContext): FunctionNode {
  const rows = rowsAt(o, t);
  return {
    uuid: o.uuid,
    funktionstype: relationsNamed(rows, 'Funktionstype').map(ref)[0],
    enheder: refs(rows, 'TilknyttedeEnheder'),
    brugere: refs(rows, 'TilknyttedeBrugere'),
    opgaver: refs(rows, 'TilknyttedeOpgaver'),
  };
}

/** Children sorted as the org chart shows them: by name, Danish collation. */
export function byNavn(a: UnitNode, b: UnitNode): number {
  return a.navn.localeCompare(b.navn, 'da');
}

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
  /** fremsoegobjekthierarki pages of a full load. */
  pages?: number;
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

  constructor(
    lists: Map<ObjectTypeName, Objekt[]>,
    readonly t: TimeContext,
    /** When its data was read from SF1500 (ms). */
    readonly fetchedAt: number,
    readonly source: 'sf1500' | 'disk' | 'redis' = 'sf1500',
    /** fremsoegobjekthierarki pages it took (the planner weighs a cold load by them). */
    private readonly pages?: number,
  ) {
    const push = (m: Map<string, string[]>, k: string, v: string): void => {
      const l = m.get(k);
      if (l) l.push(v);
      else m.set(k, [v]);
    };
    for (const [type, objs] of lists) this.objects.set(type, new Map(objs.map((o) => [o.uuid, o])));
    for (const o of lists.get('Organisation') ?? []) {
      const rows = rowsAt(o, t);
      const root = relationsNamed(rows, 'Overordnet').map(ref)[0];
      if (root) this.organisationRoot.set(o.uuid, root);
    }
    for (const o of lists.get('OrganisationEnhed') ?? []) this.units.set(o.uuid, unitNode(o, t));
    for (const u of this.units.values()) {
      if (u.overordnet) push(this.children, u.overordnet, u.uuid);
      for (const k of u.opgaver) push(this.unitsByKlasse, k, u.uuid);
    }
    for (const l of this.children.values()) l.sort((a, b) => byNavn(this.units.get(a)!, this.units.get(b)!));
    for (const o of lists.get('OrganisationFunktion') ?? []) {
      const f = functionNode(o, t);
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
      // Restored from disk the count is unknown: the largest list in pages of 500 (the default size).
      pages: this.pages ?? Math.max(1, Math.ceil(Math.max(0, ...[...this.objects.values()].map((m) => m.size)) / 500)),
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
