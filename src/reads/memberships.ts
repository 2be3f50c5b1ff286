import type { GraphQLContext } from '../context';
import type { Objekt } from '../model/domain';
import { atInstant, attributeAt, relationsNamed, rowsAt, type TimeContext } from '../temporal';
import { membershipPeriod } from '../temporal/membership';
import { gyldighedRow } from './klasse';

/**
 * Memberships (KOMBIT's Medlemskab, OIO's "organisatorisk tilknytning"): an OrganisationFunktion
 * that ties a Bruger to an OrganisationEnhed, active at the instant asked, with start and end by
 * KOMBIT's rule (temporal/membership.ts). Read from the hierarchy snapshot (SF1500 cannot answer
 * "functions of a unit / of a user" by UUID); the snapshot's objects carry the rows.
 */

export interface Membership {
  /** The OrganisationFunktion. */
  uuid: string;
  bruger: string;
  enhed: string;
  funktionstype: string | null;
  navn: string | null;
  brugervendtNoegle: string | null;
  start: string | null;
  slut: string | null;
  t: TimeContext;
}

function membership(f: Objekt, bruger: string, enhed: string, t: TimeContext): Membership | undefined {
  const rows = rowsAt(f, atInstant(t));
  const g = gyldighedRow(rows);
  if (g?.value !== 'Aktiv') return undefined;
  const b = relationsNamed(rows, 'TilknyttedeBrugere').find((r) => r.ref.uuid === bruger);
  const e = relationsNamed(rows, 'TilknyttedeEnheder').find((r) => r.ref.uuid === enhed);
  if (!b || !e) return undefined;
  const str = (v: string | string[] | undefined): string | null => (typeof v === 'string' ? v : null);
  return {
    uuid: f.uuid, bruger, enhed, t,
    funktionstype: relationsNamed(rows, 'Funktionstype')[0]?.ref.uuid ?? null,
    navn: str(attributeAt(rows, 'FunktionNavn')),
    brugervendtNoegle: str(attributeAt(rows, 'BrugervendtNoegleTekst')),
    ...membershipPeriod([g.virkning, b.virkning, e.virkning]),
  };
}

const wanted = (roller: readonly string[] | null | undefined, m: Membership): boolean =>
  !roller || roller.length === 0 || (m.funktionstype !== null && roller.includes(m.funktionstype));

/** Active memberships in a unit (one per function and Bruger), optionally of some Funktionstyper. */
export async function unitMemberships(ctx: GraphQLContext, unit: string, t: TimeContext, roller?: readonly string[] | null): Promise<Membership[]> {
  const s = await ctx.hierarchy.at(t);
  const objs = s.objects.get('OrganisationFunktion');
  const out: Membership[] = [];
  for (const f of s.functionsOf(unit)) {
    const o = objs?.get(f.uuid);
    if (!o) continue;
    for (const b of new Set(f.brugere)) {
      const m = membership(o, b, unit, t);
      if (m && wanted(roller, m)) out.push(m);
    }
  }
  return out;
}

/** Active memberships of a Bruger (one per function and unit), optionally of some Funktionstyper. */
export async function userMemberships(ctx: GraphQLContext, bruger: string, t: TimeContext, roller?: readonly string[] | null): Promise<Membership[]> {
  const s = await ctx.hierarchy.at(t);
  const objs = s.objects.get('OrganisationFunktion');
  const out: Membership[] = [];
  for (const fu of s.functionsByUser.get(bruger) ?? []) {
    const f = s.functions.get(fu);
    const o = objs?.get(fu);
    if (!f || !o) continue;
    for (const e of new Set(f.enheder)) {
      const m = membership(o, bruger, e, t);
      if (m && wanted(roller, m)) out.push(m);
    }
  }
  return out;
}
