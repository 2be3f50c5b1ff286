import { createHash } from 'node:crypto';
import type { Objekt, Registrering } from '../model/domain';
import { objectType } from '../model/objects';
import type { ObjectTypeName } from '../model/types';
import { periodOf } from '../temporal/period';
import { inForce, latest, rowsAt } from '../temporal/rows';
import { rootTime } from '../temporal/time';
import type { AendringsArt, ObjectSummary } from './types';

/**
 * What the log remembers of an object at an instant, and how two such summaries differ. Pure
 * functions: the diff of snapshots and the virkning-boundary scheduler both read objects through these.
 */

const hash = (parts: string[]): string => createHash('sha1').update(parts.sort().join('\n')).digest('base64url').slice(0, 12);
/**
 * A row's part of its field's hash: its value and where it ends. Not where it starts: a Ret that resends a
 * value from now on (clipping the old row) changes nothing a consumer sees; a row that will end (a
 * change registered for later) does.
 */
const span = (v: { fra: string | null; til: string | null }): string => String(periodOf(v).til);

/**
 * The summary of `obj` at instant `at` (both axes), or undefined when it has no registration in force,
 * is passivated or deleted, or has no row in virkning then: for the feed it is not there. `extra`: rows
 * of a wider read (virkning from `at` on), consulted only for the next boundary.
 */
export function summarise(type: ObjectTypeName, obj: Objekt, at: number, extra?: Objekt): ObjectSummary | undefined {
  const regs = inForce(obj.registreringer, at);
  if (regs.length === 0 || regs.some((r) => r.livscyklus === 'Passiveret' || r.livscyklus === 'Slettet')) return undefined;
  const rows = rowsAt(obj, rootTime(at));
  if (rows.egenskaber.length + rows.tilstande.length + rows.relationer.length === 0) return undefined;
  const byField = new Map<string, string[]>();
  const add = (name: string, part: string): void => {
    const l = byField.get(name);
    if (l) l.push(part);
    else byField.set(name, [part]);
  };
  for (const e of rows.egenskaber) for (const [k, v] of Object.entries(e.values)) add(k, `${JSON.stringify(v)}@${span(e.virkning)}`);
  const spec = objectType(type);
  const stateName = spec.state?.element ?? 'Tilstand';
  for (const s of rows.tilstande) add(stateName, `${s.value}@${span(s.virkning)}`);
  for (const r of rows.relationer) add(r.name, `${r.ref.uuid ?? r.ref.urn ?? ''}|${r.rolle?.uuid ?? ''}|${r.type?.uuid ?? ''}|${r.indeks ?? ''}@${span(r.virkning)}`);
  const fields: Record<string, string> = {};
  for (const [k, parts] of [...byField].sort(([a], [b]) => (a < b ? -1 : 1))) fields[k] = hash(parts);
  const state = latest(rows.tilstande);
  const tid = regs[0].tidspunkt ? Date.parse(regs[0].tidspunkt) : NaN;
  return {
    reg: Number.isFinite(tid) ? tid : null,
    fields,
    active: !spec.state || !state || state.value === 'Aktiv',
    next: nextBoundary([...regs, ...(extra ? inForce(extra.registreringer, at) : [])], at),
    asOf: at,
  };
}

/** The nearest row start or end after `at` among the rows of `regs`. */
function nextBoundary(regs: Registrering[], at: number): number | null {
  let next = Infinity;
  for (const reg of regs) {
    for (const list of [reg.egenskaber, reg.tilstande, reg.relationer]) {
      for (const row of list) {
        const p = periodOf(row.virkning);
        if (p.fra > at && p.fra < next) next = p.fra;
        if (p.til > at && p.til < next) next = p.til;
      }
    }
  }
  return Number.isFinite(next) ? next : null;
}

/** Fields whose rows differ between two summaries (present in either), sorted. */
export function changedFields(a: ObjectSummary, b: ObjectSummary): string[] {
  const names = new Set([...Object.keys(a.fields), ...Object.keys(b.fields)]);
  return [...names].filter((n) => a.fields[n] !== b.fields[n]).sort();
}

/**
 * The event between what was seen (`before`) and what is seen now (`after`), or undefined for none.
 * `registeredSince`: the moment of the previous look; a new object registered before it came into
 * virkning (TRAEDER_I_KRAFT), one registered after it was created (OPRETTET). Without a new registration
 * a difference is a virkning boundary that passed: OPHOERER when the object ends or turns Inaktiv.
 */
export function compare(before: ObjectSummary | undefined, after: ObjectSummary | undefined, registeredSince: number): { art: AendringsArt; felter: string[] | null } | undefined {
  if (!before && !after) return undefined;
  if (!before) return { art: after!.reg !== null && after!.reg <= registeredSince ? 'TRAEDER_I_KRAFT' : 'OPRETTET', felter: null };
  if (!after) return { art: 'FJERNET', felter: null };
  const felter = changedFields(before, after);
  if (after.reg !== before.reg) return { art: 'AENDRET', felter };
  if (felter.length === 0 && before.active === after.active) return undefined;
  return { art: before.active && !after.active ? 'OPHOERER' : 'TRAEDER_I_KRAFT', felter };
}
