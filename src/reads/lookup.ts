import { GraphQLError } from 'graphql';
import type { GraphQLContext } from '../context';
import type { ObjectTypeName } from '../model/types';
import type { SoegCriteria } from '../sf1500/reader';
import { atInstant, attributeAt, relationsNamed, rowsAt, type Rows, type TimeContext } from '../temporal';
import { wildcardMatch } from '../wire/wildcard';
import { gyldighedRow, klasseNoegle } from './klasse';

/**
 * Finding organisations, units and users the way KOMBIT's OrganisationHent does (by CVR, KLE
 * number with wildcards and task role, IT system, user name, user type, address text by role,
 * person name and CPR), over the same loaders as every other field: Soeg for what SF1500 can
 * search, the hierarchy snapshot for "units / users of an organisation".
 */

/** Most hits one Soeg-based filter reads (in pages of SOEG_PAGE). */
export const MAX_SOEG_HITS = 100_000;
const SOEG_PAGE = 1000;

/** Every UUID Soeg finds for the criteria at t (paged; bounded by MAX_SOEG_HITS). */
export async function soegAll(ctx: GraphQLContext, type: ObjectTypeName, criteria: SoegCriteria, t: TimeContext): Promise<Set<string>> {
  const out = new Set<string>();
  for (let offset = 0; offset < MAX_SOEG_HITS; offset += SOEG_PAGE) {
    const ids = await ctx.loaders.search(type, criteria, { offset, limit: SOEG_PAGE }, atInstant(t));
    for (const id of ids) out.add(id);
    if (ids.length < SOEG_PAGE) break;
  }
  return out;
}

/** Per request: organisation UUID by CVR (two Soeg calls the first time a request asks). */
const BY_CVR = new WeakMap<GraphQLContext, Map<string, Promise<string | null>>>();

/** The Organisation whose Virksomhed has this CVR number, at t; null when none. */
export function organisationByCvr(ctx: GraphQLContext, cvr: string, t: TimeContext): Promise<string | null> {
  const memo = BY_CVR.get(ctx) ?? BY_CVR.set(ctx, new Map()).get(ctx)!;
  const key = `${cvr}@${t.virkningFra}|${t.registrering}`;
  let p = memo.get(key);
  if (!p) {
    p = (async () => {
      const virksomheder = [...await soegAll(ctx, 'Virksomhed', { egenskaber: { 'CVR-NummerTekst': cvr } }, t)].sort();
      for (const v of virksomheder) {
        const orgs = [...await soegAll(ctx, 'Organisation', { relationer: [{ name: 'Virksomhed', uuid: v }] }, t)].sort();
        if (orgs.length > 0) return orgs[0];
      }
      return null;
    })();
    memo.set(key, p);
  }
  return p;
}

export type Status = 'Aktiv' | 'Inaktiv';

export interface EnhedFilter {
  status?: Status | null;
  /** KLE numbers, `*` wildcards allowed ("32.0*", "*"); a unit matches one of them. */
  kleNummer?: readonly string[] | null;
  /** Rolle of the Opgaver row (e.g. Ansvarlig); omitted: any. */
  opgaveRolle?: string | null;
  /** Units tied to at least one of these IT systems (TilknyttedeItSystemer). */
  itSystemer?: readonly string[] | null;
}

const refs = (rows: Rows, name: string): string[] => relationsNamed(rows, name).map((r) => r.ref.uuid).filter((x): x is string => !!x);

/** Units of the organisation matching the filter at t: the root unit first, then by UUID (a stable order for cursors). */
export async function filterEnheder(ctx: GraphQLContext, org: string, filter: EnhedFilter, t: TimeContext): Promise<string[]> {
  const it = atInstant(t);
  const s = await ctx.hierarchy.at(it);
  const objs = s.objects.get('OrganisationEnhed');
  const candidates: Array<{ uuid: string; rows: Rows }> = [];
  for (const u of s.units.values()) {
    if (u.tilhoerer !== org) continue;
    const o = objs?.get(u.uuid);
    if (!o) continue;
    const rows = rowsAt(o, it);
    if (filter.status && gyldighedRow(rows)?.value !== filter.status) continue;
    if (filter.itSystemer && !refs(rows, 'TilknyttedeItSystemer').some((x) => filter.itSystemer!.includes(x))) continue;
    candidates.push({ uuid: u.uuid, rows });
  }
  let out = candidates;
  if (filter.kleNummer) {
    const patterns = filter.kleNummer;
    const tasks = (rows: Rows): string[] => relationsNamed(rows, 'Opgaver')
      .filter((r) => !filter.opgaveRolle || r.rolle?.uuid === filter.opgaveRolle)
      .map((r) => r.ref.uuid).filter((x): x is string => !!x);
    const klasser = [...new Set(candidates.flatMap((c) => tasks(c.rows)))];
    const numbers = new Map(await Promise.all(klasser.map(async (k) => [k, await klasseNoegle(ctx, k, it)] as const)));
    out = candidates.filter((c) => tasks(c.rows).some((k) => {
      const n = numbers.get(k);
      return !!n && patterns.some((p) => wildcardMatch(p, n));
    }));
  }
  const root = s.organisationRoot.get(org);
  return out.map((c) => c.uuid).sort((a, b) => (a === root ? -1 : b === root ? 1 : a < b ? -1 : a > b ? 1 : 0));
}

export interface BrugerFilter {
  status?: Status | null;
  /** BrugerNavn, `*`/`?` wildcards allowed. */
  brugernavn?: string | null;
  /** The BrugerTyper classification. */
  brugerType?: string | null;
  /** An address of this Rolle (with adresseTekst: whose AdresseTekst matches it, wildcards allowed). */
  adresseRolle?: string | null;
  adresseTekst?: string | null;
  /** The person's NavnTekst (wildcards allowed); needs the name permission. */
  personNavn?: string | null;
  /** The person's CPR number; needs the CPR permission. */
  cpr?: string | null;
}

function forbidden(what: string, permission: string): GraphQLError {
  return new GraphQLError(`${what} requires the ${permission} permission (token scope)`, { extensions: { code: 'FORBIDDEN' } });
}

/** Brugere of the organisation matching the filter at t, by UUID. Person filters are refused without their permission. */
export async function filterBrugere(ctx: GraphQLContext, org: string, filter: BrugerFilter, t: TimeContext): Promise<string[]> {
  if (filter.personNavn != null && !ctx.navnAllowed) throw forbidden('Filtering by person name', 'name (senavn)');
  if (filter.cpr != null && !ctx.cprAllowed) throw forbidden('Filtering by CPR number', 'CPR (secpr-nummer)');
  const it = atInstant(t);
  const s = await ctx.hierarchy.at(it);
  // Soeg first where SF1500 can narrow (address text, person name, CPR): the sets are intersected below.
  const adresser = filter.adresseTekst != null ? await soegAll(ctx, 'Adresse', { egenskaber: { AdresseTekst: filter.adresseTekst } }, it) : undefined;
  const personEgenskaber: Record<string, string> = {};
  if (filter.personNavn != null) personEgenskaber.NavnTekst = filter.personNavn;
  if (filter.cpr != null) personEgenskaber['CPR-NummerTekst'] = filter.cpr;
  const personer = Object.keys(personEgenskaber).length > 0 ? await soegAll(ctx, 'Person', { egenskaber: personEgenskaber }, it) : undefined;
  const out: string[] = [];
  for (const o of s.objects.get('Bruger')?.values() ?? []) {
    const rows = rowsAt(o, it);
    if (refs(rows, 'Tilhoerer')[0] !== org) continue;
    if (filter.status && gyldighedRow(rows)?.value !== filter.status) continue;
    if (filter.brugernavn != null) {
      const navn = attributeAt(rows, 'BrugerNavn');
      if (typeof navn !== 'string' || !wildcardMatch(filter.brugernavn, navn)) continue;
    }
    if (filter.brugerType != null && !refs(rows, 'BrugerTyper').includes(filter.brugerType)) continue;
    if (filter.adresseRolle != null || adresser) {
      const ok = relationsNamed(rows, 'Adresser').some((r) => (filter.adresseRolle == null || r.rolle?.uuid === filter.adresseRolle) && (!adresser || (!!r.ref.uuid && adresser.has(r.ref.uuid))));
      if (!ok) continue;
    }
    if (personer && !refs(rows, 'TilknyttedePersoner').some((p) => personer.has(p))) continue;
    out.push(o.uuid);
  }
  return out.sort();
}
