import { isUuid, type Livscyklus, type Registrering, type Virkning } from '../../model';
import type { ObjectTypeName } from '../../model/types';
import type { SoegCriterion, SoegQuery, StoredObjekt, StoredRegistrering } from './types';

/**
 * What the SQLite and PostgreSQL stores share: the time encoding of the search rows, how a search criterion
 * becomes SQL (with `?` placeholders; the PostgreSQL store numbers them), the search rows of a registration,
 * and the lazily parsed stored registration. The schema and the time encoding are described in sqlite.ts.
 */

/** Open-ended virkning fra (-infinity) in the search rows: the earliest JS Date. */
export const MIN_TIME = -8.64e15;
/** Open-ended virkning til (+infinity) in the search rows: the latest JS Date. */
export const MAX_TIME = 8.64e15;

export const DEFAULT_EXCLUDED: readonly Livscyklus[] = ['Slettet', 'Passiveret'];

export type Param = string | number | null;
export interface RegRow { id: number; uuid: string; reg_fra: number; reg_til: number | null; data: string }

export const clamp = (ms: number): number => (ms < MIN_TIME ? MIN_TIME : ms > MAX_TIME ? MAX_TIME : ms);

/** Virkning end to epoch ms; null (GraenseIndikator) is the open-end sentinel. */
export function virkningMs(t: string | null | undefined, end: 'fra' | 'til'): number {
  if (t === null || t === undefined) return end === 'fra' ? MIN_TIME : MAX_TIME;
  const ms = Date.parse(t);
  if (Number.isNaN(ms)) throw new Error(`invalid virkning ${end} time '${t}'`);
  return clamp(ms);
}

export const normRef = (s: string | undefined | null): string | null => (s == null ? null : isUuid(s) ? s.toLowerCase() : s);

/** SF1500 wildcard (`*`, `?`) to a LIKE pattern with `\` as escape; `%`, `_` and `\` stay literal. */
export function wildcardToLike(pattern: string): string {
  let out = '';
  for (const ch of pattern) {
    if (ch === '*') out += '%';
    else if (ch === '?') out += '_';
    else if (ch === '%' || ch === '_' || ch === '\\') out += `\\${ch}`;
    else out += ch;
  }
  return out;
}

/**
 * Smallest string greater than every string starting with `prefix` (UTF-8 byte order equals code point
 * order, which is SQLite's BINARY order): the prefix with its last code point incremented.
 * Undefined when no such bound is easy to form (then no range is used).
 */
function prefixUpperBound(prefix: string): string | undefined {
  const cps = Array.from(prefix);
  const last = cps.pop();
  if (last === undefined) return undefined;
  let cp = last.codePointAt(0)! + 1;
  if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xe000;
  if (cp > 0x10ffff) return undefined;
  return cps.join('') + String.fromCodePoint(cp);
}

export interface CriterionSql {
  table: 'egenskab_idx' | 'tilstand_idx' | 'relation_idx';
  /** Conditions on the row alias `c` (without type/reg_id), with their parameters. */
  where: string;
  params: Param[];
  /**
   * Whether the query may be driven from this criterion's index: 'probe' (an index seek; its hit count is
   * probed to pick the most selective), 'scan' (a scan of the type's values of one element in the covering
   * index, used only when nothing better exists), 'never' (checked per registration only).
   */
  drive: 'probe' | 'scan' | 'never';
}

export function criterionSql(c: SoegCriterion, wFra: number, wTil: number): CriterionSql {
  const overlap = 'c.fra < ? AND c.til > ?';
  switch (c.kind) {
    case 'attribute': {
      const v = c.value.toLowerCase();
      const firstWild = v.search(/[*?]/);
      if (firstWild < 0) {
        return { table: 'egenskab_idx', where: `c.element = ? AND c.value_lower = ? AND ${overlap}`, params: [c.element, v, wTil, wFra], drive: 'probe' };
      }
      const prefix = v.slice(0, firstWild);
      const upper = prefix ? prefixUpperBound(prefix) : undefined;
      if (upper !== undefined) {
        return {
          table: 'egenskab_idx',
          where: `c.element = ? AND c.value_lower >= ? AND c.value_lower < ? AND c.value_lower LIKE ? ESCAPE '\\' AND ${overlap}`,
          params: [c.element, prefix, upper, wildcardToLike(v), wTil, wFra],
          drive: 'probe',
        };
      }
      return {
        table: 'egenskab_idx',
        where: `c.element = ? AND c.value_lower LIKE ? ESCAPE '\\' AND ${overlap}`,
        params: [c.element, wildcardToLike(v), wTil, wFra],
        drive: 'scan',
      };
    }
    case 'state':
      return { table: 'tilstand_idx', where: `c.value = ? AND ${overlap}`, params: [c.value, wTil, wFra], drive: 'never' };
    case 'relation': {
      let where = 'c.name = ?';
      const params: Param[] = [c.name];
      if (c.ref !== undefined) { where += ' AND c.ref = ?'; params.push(normRef(c.ref)); }
      if (c.rolle !== undefined) { where += ' AND c.rolle = ?'; params.push(normRef(c.rolle)); }
      if (c.type !== undefined) { where += ' AND c.rtype = ?'; params.push(normRef(c.type)); }
      params.push(wTil, wFra);
      return { table: 'relation_idx', where: `${where} AND ${overlap}`, params, drive: c.ref !== undefined ? 'probe' : 'never' };
    }
  }
}

/** `(r.livscyklus IS NULL OR r.livscyklus NOT IN (?, ...))`, or '' when nothing is excluded. */
export function livscyklusFilter(excluded: readonly Livscyklus[]): { sql: string; params: Param[] } {
  if (excluded.length === 0) return { sql: '', params: [] };
  return { sql: ` AND (r.livscyklus IS NULL OR r.livscyklus NOT IN (${excluded.map(() => '?').join(', ')}))`, params: [...excluded] };
}


export function period(v: Virkning): [number, number] {
  return [virkningMs(v.fra, 'fra'), virkningMs(v.til, 'til')];
}

/**
 * A stored registration whose JSON is parsed on first access of `registrering` (then kept): callers that
 * need only the registration in force (most reads) do not pay for parsing the history. `registrering` is
 * an own enumerable accessor, so spreading, JSON.stringify and deep equality see it like a plain property;
 * assigning it replaces the value.
 */
export function toStored(row: RegRow): StoredRegistrering {
  let json: string | undefined = row.data;
  let parsed: Registrering | undefined;
  return {
    id: row.id,
    get registrering(): Registrering {
      if (json !== undefined) {
        parsed = JSON.parse(json) as Registrering;
        json = undefined;
      }
      return parsed!;
    },
    set registrering(r: Registrering) {
      parsed = r;
      json = undefined;
    },
    regFra: row.reg_fra,
    regTil: row.reg_til,
  };
}

/** Receives the search rows of one registration, in order (see {@link visitIndexRows}). */
export interface IndexRowVisitor {
  attribute(element: string, valueLower: string, fra: number, til: number): void;
  state(value: string, fra: number, til: number): void;
  relation(name: string, ref: string | null, rolle: string | null, rtype: string | null, fra: number, til: number): void;
}

/**
 * The search rows of a registration: one per attribute value (a repeating element gives several; values
 * lower-cased with JS toLowerCase), one per Tilstand, one per relation (references normalised by {@link normRef}).
 */
export function visitIndexRows(reg: Registrering, v: IndexRowVisitor): void {
  for (const e of reg.egenskaber) {
    const [fra, til] = period(e.virkning);
    for (const [element, x] of Object.entries(e.values)) {
      if (Array.isArray(x)) for (const one of x) v.attribute(element, one.toLowerCase(), fra, til);
      else if (x !== undefined && x !== null) v.attribute(element, x.toLowerCase(), fra, til);
    }
  }
  for (const t of reg.tilstande) {
    const [fra, til] = period(t.virkning);
    v.state(t.value, fra, til);
  }
  for (const r of reg.relationer) {
    const [fra, til] = period(r.virkning);
    v.relation(
      r.name,
      normRef(r.ref.uuid ?? r.ref.urn),
      normRef(r.rolle ? r.rolle.uuid ?? r.rolle.urn : null),
      normRef(r.type ? r.type.uuid ?? r.type.urn : null),
      fra, til,
    );
  }
}

/**
 * The WHERE of a search over registrations in force at `t` (its parameters in order): the type, the
 * livscyklus filter, and every criterion but the driving one as EXISTS. Both stores build their FROM
 * around it; the SQL is the same for SQLite and PostgreSQL.
 */
export function searchWhere(type: string, t: number, excluded: readonly Livscyklus[], crits: readonly CriterionSql[], driver: CriterionSql | undefined): { where: string; params: Param[] } {
  let where = 'r.type = ? AND r.reg_fra <= ? AND (r.reg_til IS NULL OR r.reg_til > ?)';
  const params: Param[] = [type, t, t];
  const lc = livscyklusFilter(excluded);
  where += lc.sql;
  params.push(...lc.params);
  for (const c of crits) {
    if (c === driver) continue;
    where += ` AND EXISTS (SELECT 1 FROM ${c.table} c WHERE c.reg_id = r.id AND ${c.where})`;
    params.push(...c.params);
  }
  return { where, params };
}

/** Registrations read in (uuid, reg_fra) order, added to their objects in `out`. */
export function addRows(out: Map<string, StoredObjekt>, type: ObjectTypeName, rows: Iterable<RegRow>): void {
  for (const row of rows) {
    let o = out.get(row.uuid);
    if (!o) {
      o = { type, uuid: row.uuid, registreringer: [] };
      out.set(row.uuid, o);
    }
    o.registreringer.push(toStored(row));
  }
}

/** Index rows a probe counts at most: enough to tell a selective criterion from a broad one. */
export const PROBE_CAP = 1000;

/** A search's registration time, its criteria as SQL, and its page bounds (whole milliseconds, clamped). */
export function searchParts(q: SoegQuery): { t: number; crits: CriterionSql[]; limit: number; offset: number } {
  if ([q.registreringAt, q.virkning.fra, q.virkning.til].some(Number.isNaN)) throw new Error('search times must not be NaN');
  const t = Math.trunc(clamp(q.registreringAt));
  const wFra = Math.trunc(clamp(q.virkning.fra));
  let wTil = Math.trunc(clamp(q.virkning.til));
  // An instant window [t, t] means "in effect at t": fra <= t < til, i.e. overlap with [t, t + 1).
  if (wTil === wFra) wTil = wFra + 1;
  return { t, crits: q.criteria.map((c) => criterionSql(c, wFra, wTil)), limit: Math.max(0, Math.floor(q.limit)), offset: Math.max(0, Math.floor(q.offset)) };
}

/**
 * The criterion to drive a search from, given each probed criterion's count of matching index rows
 * (at most PROBE_CAP; `counts[i]` for `crits[i]`, undefined where not probed): the fewest, else an
 * attribute scan; undefined = scan the type's registrations. On a tie (typically both at the cap) an
 * attribute beats a relation: names are usually narrower than a relation to the organisation
 * everything belongs to.
 */
export function pickDriver(crits: readonly CriterionSql[], counts: ReadonlyArray<number | undefined>): CriterionSql | undefined {
  let best: CriterionSql | undefined;
  let bestN = Infinity;
  crits.forEach((c, i) => {
    const n = counts[i];
    if (n === undefined) return;
    if (n < bestN || (n === bestN && c.table === 'egenskab_idx' && best?.table !== 'egenskab_idx')) {
      best = c;
      bestN = n;
    }
  });
  return best ?? crits.find((c) => c.drive === 'scan');
}
