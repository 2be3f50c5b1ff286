import { NS } from '../../model/namespaces';
import { child, childText, type XmlElement } from '../../xml/reader';
import { readTidspunkt } from '../../wire/codec';
import { WireError } from '../../wire/errors';
import { windowFromFilters, type Period } from '../bitemporal';
import type { ServiceContext } from './context';
import type { StoredObjekt } from '../store/types';
import { LIVSCYKLUS, type Livscyklus } from '../../model/domain';

/** Reads an optional TidspunktType child: undefined when absent, null for GraenseIndikator. */
export function optTidspunkt(parent: XmlElement, name: string, path: string): string | null | undefined {
  const e = child(parent, NS.sd, name);
  return e ? readTidspunkt(e, `${path}/${name}`) : undefined;
}

/** Children an input element may have: [namespace, local name, most occurrences]. */
export type Shape = ReadonlyArray<readonly [ns: string, name: string, max: number]>;

/**
 * Rejects unknown and repeated children of an input element (status 40 naming the element): the codec
 * checks the lists, this checks the operation elements around them. Order is not checked.
 */
export function checkShape(e: XmlElement, shape: Shape, path: string): void {
  const counts = new Map<string, number>();
  for (const c of e.children) {
    const s = shape.find(([ns, name]) => c.ns === ns && c.name === name);
    if (!s) throw new WireError(`${path}/${c.name}`, `unexpected element {${c.ns}}${c.name}`);
    const n = (counts.get(c.name) ?? 0) + 1;
    counts.set(c.name, n);
    if (n > s[2]) throw new WireError(`${path}/${c.name}`, 'may occur at most once');
  }
}

const sd = (max: number, ...names: string[]): Shape => names.map((n) => [NS.sd, n, max] as const);
export const FILTER_SHAPE: Shape = sd(1, 'VirkningFraFilter', 'VirkningTilFilter', 'RegistreringFraFilter', 'RegistreringTilFilter');
export const SOEG_SHAPE: Shape = sd(1, 'FoersteResultatReference', 'MaksimalAntalKvantitet', 'SoegRegistrering', 'SoegVirkning');
export const UUID_NOTE_SHAPE: Shape = sd(1, 'UUIDIdentifikator', 'NoteTekst');
const SOEG_REGISTRERING_SHAPE = sd(1, 'FraTidspunkt', 'TilTidspunkt', 'LivscyklusKode', 'BrugerRef');
const SOEG_VIRKNING_SHAPE = sd(1, 'FraTidspunkt', 'TilTidspunkt', 'AktoerRef', 'AktoerTypeKode', 'NoteTekst');

/** The three lists of an object type (each at most once). */
export const listsShape = (namespace: string): Shape => ['AttributListe', 'TilstandListe', 'RelationListe'].map((n) => [namespace, n, 1] as const);

/** An object element as ImportInput carries it: UUID and Registrering elements (their content is the codec's). */
export const objektShape = (namespace: string): Shape => [[NS.sd, 'UUIDIdentifikator', 1], [namespace, 'Registrering', Infinity]];

/**
 * Registration time of a new registration of `existing`: now, but at least 1 ms after its newest one.
 * The store would otherwise shift a same-millisecond write by 1 ms itself, and the Registrering's
 * Tidspunkt would no longer be the time it is found under.
 */
export function registrationTime(ctx: ServiceContext, existing: StoredObjekt | undefined): number {
  const prev = existing?.registreringer[existing.registreringer.length - 1]?.regFra ?? -Infinity;
  return Math.max(Math.trunc(ctx.now()), prev + 1);
}

/** The four Laes/List filters. */
export function readFilters(input: XmlElement, path: string): { virkning?: Period; registrering?: Period } {
  const vf = optTidspunkt(input, 'VirkningFraFilter', path);
  const vt = optTidspunkt(input, 'VirkningTilFilter', path);
  const rf = optTidspunkt(input, 'RegistreringFraFilter', path);
  const rt = optTidspunkt(input, 'RegistreringTilFilter', path);
  const virkning = windowFromFilters(vf, vt);
  const registrering = windowFromFilters(rf, rt);
  if (virkning && virkning.fra > virkning.til) throw new WireError(`${path}/VirkningFraFilter`, 'is after VirkningTilFilter');
  if (registrering && registrering.fra > registrering.til) throw new WireError(`${path}/RegistreringFraFilter`, 'is after RegistreringTilFilter');
  return { virkning, registrering };
}

function readInt(parent: XmlElement, name: string, path: string): number | undefined {
  const t = childText(parent, NS.sd, name);
  if (t === undefined) return undefined;
  if (!/^\d{1,9}$/.test(t)) throw new WireError(`${path}/${name}`, `must be a non-negative integer, got '${t.slice(0, 30)}'`);
  return Number(t);
}

export interface Paging {
  offset: number;
  limit: number;
}

export function readPaging(input: XmlElement, path: string, ctx: ServiceContext): Paging {
  const offset = readInt(input, 'FoersteResultatReference', path) ?? 0;
  const limit = readInt(input, 'MaksimalAntalKvantitet', path) ?? ctx.options.defaultPageSize;
  if (limit > ctx.options.maxPageSize) {
    throw new WireError(`${path}/MaksimalAntalKvantitet`, `at most ${ctx.options.maxPageSize} per page`);
  }
  return { offset, limit };
}

export interface SoegTid {
  /** Infinity = the current registrations (no SoegRegistrering time given). */
  registreringAt: number;
  virkning: Period;
  livscyklus?: Livscyklus;
}

/**
 * SoegRegistrering / SoegVirkning: absent = the current registrations, rows in effect now. A virkning period
 * matches rows overlapping it; a registration period is searched at its FraTidspunkt (the registrations in
 * force then).
 */
export function readSoegTid(input: XmlElement, path: string, ctx: ServiceContext): SoegTid {
  const now = ctx.now();
  const sr = child(input, NS.sd, 'SoegRegistrering');
  const sv = child(input, NS.sd, 'SoegVirkning');
  if (sr) checkShape(sr, SOEG_REGISTRERING_SHAPE, `${path}/SoegRegistrering`);
  if (sv) checkShape(sv, SOEG_VIRKNING_SHAPE, `${path}/SoegVirkning`);
  let registreringAt = Infinity;
  let livscyklus: Livscyklus | undefined;
  if (sr) {
    const fra = optTidspunkt(sr, 'FraTidspunkt', `${path}/SoegRegistrering`);
    if (fra) registreringAt = Date.parse(fra);
    const lc = childText(sr, NS.sd, 'LivscyklusKode');
    if (lc !== undefined) {
      if (!LIVSCYKLUS.includes(lc as Livscyklus)) throw new WireError(`${path}/SoegRegistrering/LivscyklusKode`, `unknown value '${lc.slice(0, 30)}'`);
      livscyklus = lc as Livscyklus;
    }
  }
  let virkning: Period = { fra: now, til: now };
  if (sv) {
    const w = windowFromFilters(optTidspunkt(sv, 'FraTidspunkt', `${path}/SoegVirkning`), optTidspunkt(sv, 'TilTidspunkt', `${path}/SoegVirkning`));
    if (w) virkning = w;
    if (virkning.fra > virkning.til) throw new WireError(`${path}/SoegVirkning`, 'FraTidspunkt is after TilTidspunkt');
  }
  return { registreringAt, virkning, livscyklus };
}

/**
 * Livscyklus codes a search leaves out: Passiveret and Slettet by default; with a LivscyklusKode in
 * SoegRegistrering only registrations with exactly that code are hits (a filter, not an addition).
 */
export function excludedLivscyklus(tid: SoegTid): Livscyklus[] {
  return tid.livscyklus ? LIVSCYKLUS.filter((l) => l !== tid.livscyklus) : ['Passiveret', 'Slettet'];
}
