import type { Egenskab, Objekt, Registrering, Relation, Tilstand, Virkning } from '../model/domain';
import { distinctRows, periodOf } from './period';
import { rowMatches, type TimeContext } from './time';

/**
 * The subgraph's "rows of an object at a time" rules: reading a fetched object at a time context. The client asked SF1500 for exactly this slice, but
 * an answer may hold several Registrering elements (virkning slices of one registration), so rows
 * are merged and filtered again here: cheap, and robust against servers that return extra rows.
 */

export interface Rows {
  egenskaber: Egenskab[];
  tilstande: Tilstand[];
  relationer: Relation[];
}

export function matches(v: Virkning, t: TimeContext): boolean {
  const p = periodOf(v);
  return rowMatches(p.fra, p.til, t);
}

/**
 * Rows of an object at a time context, computed once per (object, time): many fields read the same rows.
 * An instant's rows also answer every other instant in the same span, the instants between the
 * nearest virkning boundaries and registration times around it: "now" is a new instant on every
 * request, and without spans each request recomputed (and kept) rows for every object of a cached
 * hierarchy snapshot, which was most of the garbage of a warm org chart. A few entries per object.
 */
interface Entry {
  key: string;
  rows: Rows;
  /** For instants: [virkning from, until) x [registrering from, until) with these same rows. */
  span?: [number, number, number, number];
}
const ROWS = new WeakMap<Objekt, Entry[]>();
const TIMES_PER_OBJECT = 4;

export function rowsAt(obj: Objekt, t: TimeContext): Rows {
  const key = `${t.virkningFra}|${t.virkningTil}|${t.registrering}`;
  let perObj = ROWS.get(obj);
  if (!perObj) {
    perObj = [];
    ROWS.set(obj, perObj);
  }
  const instant = t.virkningFra === t.virkningTil;
  for (const e of perObj) {
    if (e.key === key) return e.rows;
    const sp = e.span;
    if (instant && sp && sp[0] <= t.virkningFra && t.virkningFra < sp[1] && sp[2] <= t.registrering && t.registrering < sp[3]) return e.rows;
  }
  const regs = inForce(obj.registreringer, t.registrering);
  const rows = computeRowsAt(regs, t);
  if (perObj.length >= TIMES_PER_OBJECT) perObj.shift();
  perObj.push({ key, rows, span: instant ? spanAt(obj, regs, t) : undefined });
  return rows;
}

/**
 * The instants around `t` that pick the same registration and the same rows: rows match an instant by
 * fra <= t < til, so the answer changes only where t crosses a boundary; undefined if a time is unreadable.
 */
function spanAt(obj: Objekt, regs: Registrering[], t: TimeContext): [number, number, number, number] | undefined {
  let rFrom = -Infinity;
  let rUntil = Infinity;
  for (const r of obj.registreringer) {
    const at = r.tidspunkt ? Date.parse(r.tidspunkt) : -Infinity;
    if (Number.isNaN(at)) return undefined;
    if (at <= t.registrering) rFrom = Math.max(rFrom, at);
    else rUntil = Math.min(rUntil, at);
  }
  let vFrom = -Infinity;
  let vUntil = Infinity;
  const at = t.virkningFra;
  for (const reg of regs) {
    for (const list of [reg.egenskaber, reg.tilstande, reg.relationer] as Array<Array<{ virkning: Virkning }>>) {
      for (const row of list) {
        const p = periodOf(row.virkning);
        for (const b of [p.fra, p.til]) {
          if (Number.isNaN(b)) return undefined;
          if (b <= at) vFrom = Math.max(vFrom, b);
          else vUntil = Math.min(vUntil, b);
        }
      }
    }
  }
  return [vFrom, vUntil, rFrom, rUntil];
}

/** Rows of the registration elements in force (`regs`) that match t's virkning, duplicates dropped. */
function computeRowsAt(regs: Registrering[], t: TimeContext): Rows {
  const keep = <T extends { virkning: Virkning }>(r: T): boolean => matches(r.virkning, t);
  if (regs.length === 1) {
    // The common case: one Registrering element, nothing to de-duplicate.
    return { egenskaber: regs[0].egenskaber.filter(keep), tilstande: regs[0].tilstande.filter(keep), relationer: regs[0].relationer.filter(keep) };
  }
  // Virkning slices of one registration repeat the rows that span several slices.
  return {
    egenskaber: distinctRows(regs.map((r) => r.egenskaber), keep),
    tilstande: distinctRows(regs.map((r) => r.tilstande), keep),
    relationer: distinctRows(regs.map((r) => r.relationer), keep),
  };
}

/** The registration elements in force at `at`: the newest tidspunkt not after it (all its slices). */
export function inForce(regs: Registrering[], at: number): Registrering[] {
  let best: string | undefined;
  let bestMs = -Infinity;
  for (const r of regs) {
    const t = r.tidspunkt ? Date.parse(r.tidspunkt) : -Infinity;
    if (t <= at && t >= bestMs) {
      bestMs = t;
      best = r.tidspunkt;
    }
  }
  // Servers answer only the registrations asked for; when none is dated at or before `at`, use what came.
  if (best === undefined && bestMs === -Infinity) return regs;
  return regs.filter((r) => r.tidspunkt === best);
}

/** The latest-starting row: what a single-valued field shows at an instant. */
export function latest<T extends { virkning: Virkning }>(rows: T[]): T | undefined {
  let best: T | undefined;
  let bestFra = -Infinity;
  for (const r of rows) {
    const f = periodOf(r.virkning).fra;
    if (best === undefined || f > bestFra) {
      best = r;
      bestFra = f;
    }
  }
  return best;
}

export function attributeAt(rows: Rows, element: string): string | string[] | undefined {
  return latest(rows.egenskaber.filter((e) => e.values[element] !== undefined))?.values[element];
}

export function relationsNamed(rows: Rows, name: string): Relation[] {
  return rows.relationer.filter((r) => r.name === name);
}

export const isLive = (obj: Objekt, at: number): boolean => {
  const regs = inForce(obj.registreringer, at);
  return regs.length > 0 && regs.every((r) => r.livscyklus !== 'Slettet');
};
