import DataLoader from 'dataloader';
import { KLASSER } from '../model/objects';
import type { Objekt } from '../model/domain';
import type { ObjectTypeName } from '../model/types';
import type { SoegCriteria } from '../sf1500/reader';
import { isLive, relationsNamed, rowsAt } from '../temporal/rows';
import { atInstant, type TimeContext } from '../temporal';
import type { Selected } from '../resolvers/lookahead';
import type { ObjectLoaders } from './objects';
import { byNavn, functionNode, HierarchyCycleError, unitNode, type FunctionNode, type UnitNode } from './snapshot';

/**
 * Reverse relations at one time slice without the hierarchy snapshot: a Soeg per parent (Overordnet = X,
 * TilknyttedeEnheder = X, TilknyttedeBrugere = X, Opgaver = X), the Soegs of one level concurrently (at
 * most `parallel` at once), then one List per object type for everything the level found. What the
 * snapshot answers from its index, this answers from the same records (unitNode, functionNode), so both
 * paths give the same answers. The calls run on the request's recorder: cancelled with the request.
 *
 * Functions are found by their unit (or user) alone and filtered by Funktionstype after the List: one
 * Soeg serves leder, stillinger, medarbejdere, antalMedarbejdere and funktioner of a unit, and a Soeg with
 * several relation criteria is not reliable on KOMBIT's side (OS2sync re-filters its results too).
 */

/** Most UUIDs one Soeg page returns (SF1500's maximum `MaksimalAntalKvantitet`). */
export const SOEG_PAGE = 1000;

const NONE: readonly never[] = Object.freeze([]);

/** Unit fields answered from the unit's own functions (one Soeg TilknyttedeEnheder = X serves them all). */
const FUNCTION_FIELDS = ['leder', 'ledere', 'stillinger', 'medarbejdere', 'antalMedarbejdere', 'funktioner'];
const CHILD_FIELDS = ['underenheder', 'antalUnderenheder', 'harUnderenheder'];
const ignore = (): undefined => undefined;

/** `fn` over `items`, at most `limit` at once, results in order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return out;
}

export class TargetedSlice {
  private readonly it: TimeContext;
  private readonly childIds: DataLoader<string, readonly string[]>;
  private readonly childUnits: DataLoader<string, readonly UnitNode[]>;
  private readonly unitFunctions: DataLoader<string, readonly FunctionNode[]>;
  private readonly userFunctions: DataLoader<string, readonly FunctionNode[]>;
  private readonly klasseUnits: DataLoader<string, readonly string[]>;

  constructor(private readonly loaders: ObjectLoaders, t: TimeContext, private readonly parallel: number) {
    this.it = atInstant(t);
    const ansvarlig = { rolle: KLASSER.OPGAVE_ROLLE_ANSVARLIG, type: KLASSER.OPGAVE_TYPE_KLASSE };
    this.childIds = this.soegLoader('OrganisationEnhed', (u) => ({ relationer: [{ name: 'Overordnet', uuid: u }] }));
    this.klasseUnits = this.soegLoader('OrganisationEnhed', (k) => ({ relationer: [{ name: 'Opgaver', uuid: k, ...ansvarlig }] }));
    const unitFunctionIds = this.soegLoader('OrganisationFunktion', (u) => ({ relationer: [{ name: 'TilknyttedeEnheder', uuid: u }] }));
    const userFunctionIds = this.soegLoader('OrganisationFunktion', (b) => ({ relationer: [{ name: 'TilknyttedeBrugere', uuid: b }] }));
    this.childUnits = this.listLoader(this.childIds, 'OrganisationEnhed', (o) => unitNode(o, this.it), (nodes) => [...nodes].sort(byNavn));
    this.unitFunctions = this.listLoader(unitFunctionIds, 'OrganisationFunktion', (o) => functionNode(o, this.it), (nodes, u) => nodes.filter((f) => f.enheder.includes(u)));
    this.userFunctions = this.listLoader(userFunctionIds, 'OrganisationFunktion', (o) => functionNode(o, this.it), (nodes, b) => nodes.filter((f) => f.brugere.includes(b)));
  }

  /** A loader of the UUIDs a Soeg per key finds (every page), the level's Soegs at most `parallel` at once. */
  private soegLoader(type: ObjectTypeName, criteria: (key: string) => SoegCriteria): DataLoader<string, readonly string[]> {
    return new DataLoader(async (keys) => mapLimit(keys, this.parallel, async (k) => {
      const found: string[] = [];
      for (let offset = 0; ; offset += SOEG_PAGE) {
        const page = await this.loaders.search(type, criteria(k), { offset, limit: SOEG_PAGE }, this.it);
        found.push(...page);
        if (page.length < SOEG_PAGE) return found;
      }
    }), { cacheKeyFn: (k) => k.toLowerCase() });
  }

  /** The records of what `ids` finds for each key: one List per level for all keys of the batch. */
  private listLoader<N>(ids: DataLoader<string, readonly string[]>, type: ObjectTypeName, node: (o: Objekt) => N, finish: (nodes: N[], key: string) => N[]): DataLoader<string, readonly N[]> {
    return new DataLoader(async (keys) => {
      const found = await ids.loadMany(keys);
      const all = new Set<string>();
      for (const f of found) if (!(f instanceof Error)) for (const u of f) all.add(u);
      const objs = await this.loaders.at(type, this.it).loadMany([...all]);
      const nodes = new Map<string, N>();
      objs.forEach((o) => {
        if (o instanceof Error) throw o;
        if (o && isLive(o, this.it.registrering)) nodes.set(o.uuid, node(o));
      });
      return keys.map((k, i) => {
        const f = found[i];
        if (f instanceof Error) return f;
        return finish(f.map((u) => nodes.get(u)).filter((n): n is N => n !== undefined), k);
      });
    }, { cacheKeyFn: (k) => k.toLowerCase() });
  }

  /**
   * Look-ahead: starts the Soegs a unit's selection will make, so that they run alongside the calls
   * before them instead of after (each level of targeted reads is a round trip to SF1500, which is
   * what latency multiplies). For `underenheder` the children's own Soegs start as soon as their
   * UUIDs are known, while the List of the children (their names give the order) is still under way;
   * when the children select `leder`/`ledere` (inherited by default), this unit's functions start too,
   * where a child without a leader of its own finds one. `ahead` levels of children are prefetched.
   * A prefetch the answer does not use costs a Soeg and a List, never a wrong answer.
   */
  prefetch(unit: string, s: Selected, ahead = 1): void {
    const children = s.underenheder;
    if (FUNCTION_FIELDS.some((f) => s[f]) || children?.leder || children?.ledere) this.unitFunctions.load(unit).catch(ignore);
    if (!CHILD_FIELDS.some((f) => s[f])) return;
    const ids = this.childIds.load(unit);
    ids.catch(ignore);
    if (children && ahead > 0) ids.then((l) => l.forEach((c) => this.prefetch(c, children, ahead - 1)), ignore);
  }

  /** A unit's record, or undefined when it does not exist (or is not live) at this slice. */
  async unit(uuid: string): Promise<UnitNode | undefined> {
    const o = await this.loaders.at('OrganisationEnhed', this.it).load(uuid);
    return o && isLive(o, this.it.registrering) ? unitNode(o, this.it) : undefined;
  }

  /** Child UUIDs (Soeg only: enough for counts). */
  childCount(unit: string): Promise<number> {
    return this.childIds.load(unit).then((l) => l.length);
  }

  /** Child units, by name (Soeg + List). */
  async children(unit: string): Promise<string[]> {
    return (await this.childUnits.load(unit)).map((u) => u.uuid);
  }

  /** Functions attached to the unit, optionally of one Funktionstype, in UUID order (as the snapshot). */
  async functionsOf(unit: string, funktionstype?: string): Promise<readonly FunctionNode[]> {
    const all = await this.unitFunctions.load(unit);
    return funktionstype ? all.filter((f) => f.funktionstype === funktionstype) : all;
  }

  /** Functions the user holds. */
  functionsOfUser(user: string): Promise<readonly FunctionNode[]> {
    return this.userFunctions.load(user);
  }

  /** Distinct Brugere holding a position (Enhedsrolle) in the unit. */
  async staffCount(unit: string): Promise<number> {
    return new Set((await this.functionsOf(unit, KLASSER.FUNKTIONSTYPE_ENHEDSROLLE)).flatMap((f) => f.brugere)).size;
  }

  /** Brugere of the unit's Lederrolle functions; with `arv`, the nearest ancestor's when it has none. */
  async leaders(unit: string, arv: boolean): Promise<readonly string[]> {
    const seen = new Set<string>([unit]);
    for (let cur: string | undefined = unit; cur;) {
      const own = (await this.functionsOf(cur, KLASSER.FUNKTIONSTYPE_LEDERROLLE)).flatMap((f) => f.brugere);
      if (own.length > 0 || !arv) return own;
      const up: string | undefined = (await this.unit(cur))?.overordnet;
      if (up && seen.has(up)) throw new HierarchyCycleError(up);
      if (up) seen.add(up);
      cur = up;
    }
    return NONE;
  }

  /** Ancestors nearest first, up to the first that is not known; throws on a cycle (as the snapshot). */
  async ancestorsWhile(unit: string, more: (ancestor: string) => Promise<boolean>): Promise<void> {
    const seen = new Set<string>([unit]);
    for (let cur = (await this.unit(unit))?.overordnet; cur; cur = (await this.unit(cur))?.overordnet) {
      if (seen.has(cur)) throw new HierarchyCycleError(cur);
      seen.add(cur);
      if (!(await more(cur))) return;
    }
  }

  /** Units whose Opgaver name one of the classes (a class with its group and main group). */
  async unitsForKlasse(klasseAndAncestors: string[]): Promise<string[]> {
    const out = new Set<string>();
    for (const l of await this.klasseUnits.loadMany(klasseAndAncestors)) {
      if (l instanceof Error) throw l;
      for (const u of l) out.add(u);
    }
    return [...out];
  }

  /** The functions a unit points to (TilknyttedeFunktioner) of one Funktionstype. */
  async pointedTo(unit: string, funktionstype: string): Promise<FunctionNode[]> {
    const ids = (await this.unit(unit))?.tilknyttedeFunktioner ?? [];
    const objs = await this.loaders.at('OrganisationFunktion', this.it).loadMany(ids);
    const out: FunctionNode[] = [];
    for (const o of objs) {
      if (o instanceof Error) throw o;
      if (o && isLive(o, this.it.registrering)) {
        const f = functionNode(o, this.it);
        if (f.funktionstype === funktionstype) out.push(f);
      }
    }
    return out;
  }

  /** The root unit an Organisation names (its Overordnet). */
  async organisationRoot(organisation: string): Promise<string | undefined> {
    const o = await this.loaders.at('Organisation', this.it).load(organisation);
    return o ? relationsNamed(rowsAt(o, this.it), 'Overordnet')[0]?.ref.uuid : undefined;
  }
}
