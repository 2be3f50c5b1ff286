import { NS } from '../../model/namespaces';
import { child, childText, type XmlElement } from '../../xml/reader';
import { readTidspunkt } from '../../oio/codec';
import { WireError } from '../../oio/errors';
import { windowFromFilters, type Period } from '../bitemporal';
import type { ServiceContext } from './context';
import { LIVSCYKLUS, type Livscyklus } from '../../model/domain';

/** Reads an optional TidspunktType child: undefined when absent, null for GraenseIndikator. */
export function optTidspunkt(parent: XmlElement, name: string, path: string): string | null | undefined {
  const e = child(parent, NS.sd, name);
  return e ? readTidspunkt(e, `${path}/${name}`) : undefined;
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
  registreringAt: number;
  virkning: Period;
  livscyklus?: Livscyklus;
}

/**
 * SoegRegistrering / SoegVirkning: absent = now. A virkning period matches rows overlapping it;
 * a registration period is searched at its FraTidspunkt (the registrations in force then).
 */
export function readSoegTid(input: XmlElement, path: string, ctx: ServiceContext): SoegTid {
  const now = ctx.now();
  const sr = child(input, NS.sd, 'SoegRegistrering');
  const sv = child(input, NS.sd, 'SoegVirkning');
  let registreringAt = now;
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
