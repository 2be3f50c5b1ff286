import { LIVSCYKLUS, isUuid, objectType, relationSpec, type ObjectTypeName, type Virkning } from '../../model';
import { isDateTime, toMillis } from '../../temporal/period';
import type { SeedData } from './types';

/**
 * Structural checks of seed data against the object model. Returns problems as text (empty when
 * well-formed); stops after `limit` problems.
 *
 * - attribute keys are attribute elements of the type; values are strings (arrays only where the
 *   element repeats), within maxLength and pattern
 * - Tilstand values are allowed values of the type's state (none for types without state)
 * - relation names exist on the type; dynamic relations carry rolle, type and indeks, the others none;
 *   (relation, indeks) is unique per registration
 * - virkning: valid times, fra < til; Egenskab rows, Tilstand rows and 0..1 relations do not overlap
 *   in virkning within one registration
 * - registrations: tidspunkt ascending, a known livscyklus, a brugerRef
 * - UUIDs are valid and unique per type; every reference of a relation whose target type is in the
 *   model exists in the seed (or in `also`, e.g. the Klasse objects of kleSeed) with that type
 */
export function validateSeed(seed: SeedData, also: SeedData[] = [], limit = 50): string[] {
  const problems: string[] = [];
  const report = (msg: string) => { if (problems.length < limit) problems.push(msg); };
  const known = new Map<string, Set<string>>();
  for (const d of [seed, ...also]) {
    for (const { type, objekt } of d.objects) {
      let s = known.get(type);
      if (!s) known.set(type, (s = new Set()));
      if (d === seed && s.has(objekt.uuid)) report(`${type} ${objekt.uuid}: duplicate UUID`);
      s.add(objekt.uuid);
    }
  }
  const exists = (type: ObjectTypeName, uuid: string) => known.get(type)?.has(uuid) ?? false;

  const span = (v: Virkning, where: string): [number, number] => {
    for (const t of [v.fra, v.til]) if (t !== null && !isDateTime(t)) report(`${where}: bad virkning time ${t}`);
    const a = toMillis(v.fra, 'fra');
    const b = toMillis(v.til, 'til');
    if (!(a < b)) report(`${where}: virkning fra ${v.fra} not before til ${v.til}`);
    return [a, b];
  };
  const noOverlap = (rows: Array<[number, number]>, where: string) => {
    const sorted = rows.slice().sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < sorted.length; i++) if (sorted[i][0] < sorted[i - 1][1]) report(`${where}: overlapping virkning`);
  };

  for (const { type, objekt } of seed.objects) {
    if (problems.length >= limit) break;
    const spec = objectType(type);
    const at = `${type} ${objekt.uuid}`;
    if (!isUuid(objekt.uuid)) report(`${at}: bad UUID`);
    if (!objekt.registreringer.length) report(`${at}: no registrering`);
    let last = -Infinity;
    objekt.registreringer.forEach((r, ri) => {
      const where = `${at} reg#${ri}`;
      if (!r.tidspunkt || !isDateTime(r.tidspunkt)) report(`${where}: bad tidspunkt ${r.tidspunkt}`);
      else {
        const t = Date.parse(r.tidspunkt);
        if (!(t > last)) report(`${where}: tidspunkt not after the previous registration`);
        last = t;
      }
      if (!r.livscyklus || !LIVSCYKLUS.includes(r.livscyklus)) report(`${where}: bad livscyklus ${r.livscyklus}`);
      if (!r.brugerRef || !isUuid(r.brugerRef)) report(`${where}: bad brugerRef`);

      if (!r.egenskaber.length) report(`${where}: no Egenskab`);
      noOverlap(r.egenskaber.map((e) => span(e.virkning, `${where} Egenskab`)), `${where} Egenskab`);
      for (const e of r.egenskaber) {
        for (const [key, value] of Object.entries(e.values)) {
          const a = spec.attributes.find((x) => x.element === key);
          if (!a) { report(`${where}: ${key} is no attribute of ${type}`); continue; }
          const values = Array.isArray(value) ? value : [value];
          if (Array.isArray(value) && !a.repeats) report(`${where}: ${key} does not repeat`);
          for (const s of values) {
            if (typeof s !== 'string') report(`${where}: ${key} is not a string`);
            else {
              if (a.maxLength !== undefined && s.length > a.maxLength) report(`${where}: ${key} longer than ${a.maxLength}: ${s}`);
              if (a.pattern && !a.pattern.test(s)) report(`${where}: ${key} does not match ${a.pattern}: ${s}`);
            }
          }
        }
      }

      if (!spec.state && r.tilstande.length) report(`${where}: ${type} has no Tilstand`);
      if (spec.state) {
        for (const t of r.tilstande) if (!spec.state.values.includes(t.value)) report(`${where}: bad Tilstand value ${t.value}`);
        noOverlap(r.tilstande.map((t) => span(t.virkning, `${where} Tilstand`)), `${where} Tilstand`);
      }

      const single = new Map<string, Array<[number, number]>>();
      const indeks = new Set<string>();
      for (const rel of r.relationer) {
        const rs = relationSpec(spec, rel.name);
        const rw = `${where} ${rel.name}`;
        if (!rs) { report(`${rw}: no relation of ${type}`); continue; }
        const s = span(rel.virkning, rw);
        if (!rs.multi) {
          const list = single.get(rel.name) ?? [];
          list.push(s);
          single.set(rel.name, list);
        }
        if (rs.dynamic) {
          if (!rel.rolle?.uuid || !rel.type?.uuid || !rel.indeks) report(`${rw}: dynamic relation without rolle/type/indeks`);
          else {
            const k = `${rel.name}#${rel.indeks}`;
            if (indeks.has(k)) report(`${rw}: indeks ${rel.indeks} repeats`);
            indeks.add(k);
            if (!exists('Klasse', rel.rolle.uuid)) report(`${rw}: rolle ${rel.rolle.uuid} is no known Klasse`);
            if (!exists('Klasse', rel.type.uuid)) report(`${rw}: type ${rel.type.uuid} is no known Klasse`);
          }
        } else if (rel.rolle || rel.type || rel.indeks !== undefined) report(`${rw}: rolle/type/indeks on a static relation`);
        const uuid = rel.ref.uuid;
        if (!uuid || !isUuid(uuid)) report(`${rw}: reference is no UUID`);
        else if (rs.target && !exists(rs.target, uuid)) report(`${rw}: ${rs.target} ${uuid} is not in the seed`);
      }
      for (const [name, rows] of single) noOverlap(rows, `${where} ${name} (0..1)`);
    });
  }
  return problems;
}
