import type { Egenskab, Relation, Tilstand, Virkning } from '../../model';
import { dynRel, egenskab, registrering, rel, tilstand, virkning } from './build';
import { KLASSIFIKATION as K } from './klasser';
import { activeKleEmner, kleKlasseUuid } from './kle';
import {
  DISTRICTS, FEMALE_FIRST, FORVALTNINGER, INSTITUTIONER, JOB_TITLES, LAST, LEADER_TITLES, MALE_FIRST, OMRAADER, PLACES,
  STREETS, TEAMS, TOWN_PREFIX, TOWN_SUFFIX,
} from './names';
import type { SeedData, SeedObject } from './types';
import { mulberry32, nameUuid } from './uuid';

/**
 * A deterministic synthetic municipality: same options → identical output (no Math.random, no clock).
 * Everything is fictional; CPR numbers are random digits in CPR form (FICTIONAL, never real persons).
 *
 * Shape: one root unit (level 1) and a tree down to `maxDepth` levels (forvaltninger, områder,
 * institutions, teams); a Lederrolle on the root and on ~70% of the other units (the rest inherit
 * their leader); Enhedsrolle positions spread over the units, weighted towards deeper ones, ~5%
 * vacant; one Person per Bruger; an e-mail address per user (some also a phone), addresses on some
 * units; KLE Opgaver on ~20% of the units; a few Udbetalende enhed / Henvendelsessted functions;
 * one unit renamed (2019) and one unit moved (2023) with registration history as in Korsbæk.
 */

export interface GenerateOptions {
  seed: number;
  units: number;
  users: number;
  /** Total OrganisationFunktion count (leaders + positions + service functions); default round(users × 1.2). */
  functions?: number;
  /** Number of levels including the root (default 7). */
  maxDepth?: number;
  /** Municipality name (default: a fictional name drawn from the seed), e.g. "Nørrelund Kommune". */
  name?: string;
}

export const LARGE = { units: 2000, users: 25000, functions: 30000 } as const;
export const SMALL = { units: 100, users: 800, functions: 1000 } as const;

export interface GeneratedFacts {
  name: string;
  domain: string;
  systemAktoer: string;
  organisation: string;
  virksomhed: string;
  myndighed: string;
  rootUnit: string;
  importTidspunkt: string;
  /** Deepest level present (root = 1). */
  depth: number;
  counts: {
    units: number; users: number; persons: number; functions: number; leaders: number; positions: number;
    vacantPositions: number; serviceFunctions: number; addresses: number; unitsWithOpgaver: number;
  };
  renamed: { unit: string; oldName: string; newName: string; virkningFra: string; registreret: string } | null;
  moved: { unit: string; oldParent: string; newParent: string; virkningFra: string; registreret: string } | null;
  /** A unit without its own leader, outside the moved subtree, and the nearest ancestor leader. */
  leaderless: { unit: string; leaderUnit: string; leaderBruger: string } | null;
}

export interface GeneratedMunicipality extends SeedData {
  facts: GeneratedFacts;
}

const IMPORT = '2016-01-01T00:00:00.000+01:00';
const RENAME_FRA = '2019-03-01T00:00:00.000+01:00';
const RENAME_REG = '2019-03-13T09:45:47.986+01:00';
const MOVE_FRA = '2023-01-01T00:00:00.000+01:00';
const MOVE_REG = '2022-12-15T10:00:00.000+01:00';

/** Relative size of levels 2, 3, ... (level 1 is the root). */
const LEVEL_WEIGHTS = [1, 6, 24, 60, 70, 40];
/** Minimum size of levels 2 and 3 when the municipality has at least ten times as many units. */
const LEVEL_MIN = [3, 6];

const ASCII: Record<string, string> = { æ: 'ae', ø: 'oe', å: 'aa', Æ: 'AE', Ø: 'OE', Å: 'AA', é: 'e', ü: 'u' };
const fold = (s: string) => s.replace(/[æøåÆØÅéü]/g, (c) => ASCII[c]);
const slug = (s: string) => fold(s.toLowerCase()).replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40);
const pad = (n: number, w: number) => String(n).padStart(w, '0');
const cut = (s: string, n = 50) => (s.length <= n ? s : s.slice(0, n).trimEnd());

export function generateMunicipality(opts: GenerateOptions): GeneratedMunicipality {
  const { seed, units: U, users: B } = opts;
  const maxDepth = opts.maxDepth ?? 7;
  const F = opts.functions ?? Math.round(B * 1.2);
  if (!Number.isInteger(U) || U < 1) throw new Error('units must be a positive integer');
  if (!Number.isInteger(B) || B < 0 || !Number.isInteger(F) || F < 0) throw new Error('users and functions must be non-negative integers');
  if (!Number.isInteger(maxDepth) || maxDepth < 1 || (maxDepth === 1 && U > 1)) throw new Error('maxDepth must be ≥ 1 (and ≥ 2 for more than one unit)');

  const rnd = mulberry32(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(a: readonly T[]): T => a[int(a.length)];
  const chance = (p: number) => rnd() < p;

  const town = opts.name ? opts.name.replace(/ Kommune$/, '') : pick(TOWN_PREFIX) + pick(TOWN_SUFFIX);
  const name = opts.name ?? `${town} Kommune`;
  const domain = `${slug(town) || 'kommune'}.dk`;
  const ns = `gen:${seed}:${name}`;
  const id = (kind: string, i: number | string) => nameUuid(`${ns}:${kind}:${i}`);

  const SYSTEM = id('system', 0);
  const ORG = id('organisation', 0);
  const VIRKSOMHED = id('virksomhed', 0);
  const MYNDIGHED = id('myndighed', 0);
  const v: Virkning = virkning(SYSTEM, IMPORT);
  const aktiv: Tilstand = tilstand(v, 'Aktiv');
  const objects: SeedObject[] = [];

  // ---- tree: level sizes, then a random parent on the level above ----
  const levels = Math.min(maxDepth, U);
  const levelCount: number[] = [1];
  const rest = U - 1;
  if (rest > 0) {
    const w: number[] = [];
    for (let l = 2; l <= levels; l++) w.push(LEVEL_WEIGHTS[l - 2] ?? LEVEL_WEIGHTS[LEVEL_WEIGHTS.length - 1] / 2 ** (l - 1 - LEVEL_WEIGHTS.length));
    const sum = w.reduce((a, b) => a + b, 0);
    // at least a few forvaltninger and områder once there are enough units
    const counts = w.map((x, k) => Math.max(1, Math.round((rest * x) / sum), rest >= 10 * (LEVEL_MIN[k] ?? 0) ? LEVEL_MIN[k] ?? 0 : 0));
    let diff = rest - counts.reduce((a, b) => a + b, 0);
    while (diff !== 0) {
      // adjust the largest level (keeping every level ≥ 1)
      let j = 0;
      for (let k = 1; k < counts.length; k++) if (counts[k] > counts[j]) j = k;
      const step = diff > 0 ? diff : Math.max(diff, 1 - counts[j]);
      if (step === 0) { counts.pop(); diff = rest - counts.reduce((a, b) => a + b, 0); continue; }
      counts[j] += step;
      diff -= step;
    }
    levelCount.push(...counts);
  }

  const unitUuid: string[] = new Array(U);
  const unitLevel = new Uint8Array(U);
  const unitParent = new Int32Array(U).fill(-1);
  const unitName: string[] = new Array(U);
  const childCount = new Uint32Array(U);
  const byLevel: number[][] = [];
  const names = new Set<string>();
  const baseCount = new Map<string, number>();
  const fill = (pattern: string) => pattern
    .replace('{p}', pick(PLACES)).replace('{d}', pick(DISTRICTS))
    .replace('{l}', String.fromCharCode(65 + int(8))).replace('{n}', String(1 + int(9)));
  const uniqueName = (make: () => string): string => {
    let n = make();
    for (let tries = 0; names.has(n) && tries < 6; tries++) n = make();
    if (names.has(n)) {
      const base = n;
      let k = baseCount.get(base) ?? 1;
      do { k++; n = `${base} ${k}`; } while (names.has(n));
      baseCount.set(base, k);
    }
    names.add(n);
    return n;
  };
  let u = 0;
  for (let l = 1; l <= levelCount.length; l++) {
    const here: number[] = [];
    for (let c = 0; c < levelCount[l - 1]; c++, u++) {
      unitUuid[u] = id('enhed', u);
      unitLevel[u] = l;
      if (l > 1) {
        const parent = pick(byLevel[l - 2]);
        unitParent[u] = parent;
        childCount[parent]++;
      }
      unitName[u] = uniqueName(() => {
        if (l === 1) return name;
        if (l === 2) return c < FORVALTNINGER.length ? FORVALTNINGER[c] : `Forvaltning ${c + 1}`;
        if (l === 3) return pick(OMRAADER);
        if (l === 4) return fill(pick(INSTITUTIONER));
        return fill(pick(TEAMS));
      });
      here.push(u);
    }
    byLevel.push(here);
  }
  const isTeam = (i: number) => unitLevel[i] >= 5 || unitName[i].startsWith('Team');

  // ---- history: one moved unit (level ≥ 3, new parent on the old parent's level), one renamed unit ----
  let moved: { unit: number; oldParent: number; newParent: number } | null = null;
  const movable = byLevel.slice(2).flat().filter((i) => byLevel[unitLevel[i] - 2].length >= 2);
  if (movable.length) {
    const m = pick(movable);
    const siblings = byLevel[unitLevel[m] - 2].filter((p) => p !== unitParent[m]);
    moved = { unit: m, oldParent: unitParent[m], newParent: pick(siblings) };
  }
  let renamed: { unit: number; newName: string } | null = null;
  const renamable = byLevel.slice(1).flat().filter((i) => i !== moved?.unit);
  if (renamable.length) {
    const r = pick(renamable);
    renamed = { unit: r, newName: uniqueName(() => `${unitName[r]} og ${pick(['Integration', 'Udvikling', 'Service', 'Kvalitet'])}`) };
  }

  // ---- persons and users ----
  const userBvn: string[] = new Array(B);
  const userPerson: string[] = new Array(B);
  const bvnCount = new Map<string, number>();
  const addrObjects: SeedObject[] = [];
  const personObjects: SeedObject[] = [];
  const userObjects: SeedObject[] = [];
  let addrSeq = 0;
  const adresse = (tekst: string): string => {
    const uuid = id('adresse', addrSeq++);
    addrObjects.push({ type: 'Adresse', objekt: { uuid, registreringer: [registrering(IMPORT, SYSTEM,
      [egenskab(v, { BrugervendtNoegleTekst: cut(tekst), AdresseTekst: tekst })], [], [])] } });
    return uuid;
  };
  const phone = () => `+45 ${pad(20 + int(80), 2)} ${pad(int(100), 2)} ${pad(int(100), 2)} ${pad(int(100), 2)}`;
  for (let b = 0; b < B; b++) {
    const female = chance(0.55);
    const first = female ? pick(FEMALE_FIRST) : pick(MALE_FIRST);
    const middle = chance(0.2) ? ` ${pick(LAST)}` : '';
    const last = pick(LAST);
    const navn = `${first}${middle} ${last}`;
    const base = fold(first.slice(0, 3) + last.slice(0, 3)).toUpperCase();
    const n = (bvnCount.get(base) ?? 0) + 1;
    bvnCount.set(base, n);
    const bvn = n === 1 ? base : `${base}${n}`;
    userBvn[b] = bvn;
    // FICTIONAL CPR: a random birth date 1955–2003 and four random digits
    const cpr = pad(1 + int(28), 2) + pad(1 + int(12), 2) + pad(55 + int(49), 2).slice(-2) + pad(int(10000), 4);
    const person = id('person', b);
    userPerson[b] = person;
    personObjects.push({ type: 'Person', objekt: { uuid: person, registreringer: [registrering(IMPORT, SYSTEM,
      [egenskab(v, { BrugervendtNoegleTekst: bvn, 'CPR-NummerTekst': cpr, NavnTekst: navn })], [], [])] } });
    const relationer: Relation[] = [dynRel('Adresser', v, adresse(`${bvn.toLowerCase()}@${domain}`), K.ROLE_USER_EMAIL, K.ADDR_TYPE_USER, 1)];
    if (chance(0.3)) relationer.push(dynRel('Adresser', v, adresse(phone()), K.ROLE_USER_PHONE, K.ADDR_TYPE_USER, 2));
    relationer.push(rel('Tilhoerer', v, ORG), rel('TilknyttedePersoner', v, person));
    userObjects.push({ type: 'Bruger', objekt: { uuid: id('bruger', b), registreringer: [registrering(IMPORT, SYSTEM,
      [egenskab(v, { BrugervendtNoegleTekst: bvn, BrugerNavn: bvn })], [aktiv], relationer)] } });
  }
  const brugerUuid = (b: number) => userObjects[b].objekt.uuid;

  // ---- functions: leaders, service functions, positions ----
  type Fn = { uuid: string; bvn: string; navn: string; type: string; unit: number; user: number; opgave?: string; users?: number[] };
  const fns: Fn[] = [];
  const leaderOf = new Int32Array(U).fill(-1);
  let budget = F;
  for (let i = 0; i < U && budget > 0; i++) {
    if (i !== 0 && !chance(0.7)) continue;
    const title = LEADER_TITLES[Math.min(unitLevel[i], LEADER_TITLES.length) - 1];
    leaderOf[i] = fns.length;
    fns.push({ uuid: '', bvn: cut(`${title} ${unitName[i]}`), navn: title, type: K.FUNK_LEDERROLLE, unit: i, user: -1 });
    budget--;
  }
  const leaders = fns.length;

  const emner = activeKleEmner();
  // Udbetalende enhed / Henvendelsessted: owned by an område (level 3), used by 2–4 other units.
  const unitFunctions: number[][] = [];
  const service = Math.min(6, Math.floor(U / 20), budget);
  const owners = (byLevel[2] ?? byLevel[1] ?? []).slice();
  for (let s = 0; s < service && owners.length; s++) {
    const owner = owners.splice(int(owners.length), 1)[0];
    const henv = s % 2 === 1;
    const f: Fn = {
      uuid: '', bvn: cut(`${henv ? 'Henvendelsessted' : 'Udbetalende enhed'} ${unitName[owner]}`),
      navn: henv ? 'Henvendelsessted' : 'Udbetalende enhed', type: henv ? K.FUNK_HENVENDELSESSTED : K.FUNK_UDBETALENDE_ENHED,
      unit: owner, user: -1, opgave: henv ? pick(emner) : undefined,
    };
    const k = fns.length;
    fns.push(f);
    budget--;
    const users = 2 + int(3);
    for (let j = 0; j < users; j++) {
      const x = 1 + int(U - 1);
      (unitFunctions[x] ??= []).includes(k) || unitFunctions[x].push(k);
    }
  }
  const serviceFunctions = fns.length - leaders;

  // positions: weighted towards deeper units and leaves
  const cum = new Float64Array(U);
  let acc = 0;
  for (let i = 0; i < U; i++) {
    const l = unitLevel[i];
    acc += (l <= 2 ? 0.3 : l === 3 ? 1 : l === 4 ? 2 : 3) * (childCount[i] === 0 ? 1.5 : 1);
    cum[i] = acc;
  }
  const weightedUnit = () => {
    const x = rnd() * acc;
    let lo = 0, hi = U - 1;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (cum[mid] > x) hi = mid; else lo = mid + 1; }
    return lo;
  };
  let vacant = 0;
  const positionsStart = fns.length;
  for (let p = 0; budget > 0; p++, budget--) {
    const title = pick(JOB_TITLES);
    const isVacant = chance(0.05);
    if (isVacant) vacant++;
    fns.push({ uuid: '', bvn: cut(`${title} ${pad(p + 1, 5)}`), navn: title, type: K.FUNK_ENHEDSROLLE, unit: weightedUnit(), user: isVacant ? -2 : -1 });
  }

  // users: every filled slot (leaders and non-vacant positions) gets one; users are used once before any repeats
  const slots: number[] = [];
  for (let k = 0; k < fns.length; k++) if (fns[k].type === K.FUNK_LEDERROLLE || (k >= positionsStart && fns[k].user === -1)) slots.push(k);
  for (let k = slots.length - 1; k > 0; k--) { const j = int(k + 1); const t = slots[k]; slots[k] = slots[j]; slots[j] = t; }
  if (B > 0) slots.forEach((k, j) => { fns[k].user = j < B ? j : int(B); });
  fns.forEach((f, k) => { f.uuid = id('funktion', k); });

  // ---- unit addresses and KLE Opgaver ----
  const unitAddr: Array<Array<[string, string]>> = [];
  unitAddr[0] = [
    [adresse(`${pick(STREETS)} 1, ${pad(4000 + int(5000), 4)} ${town}`), K.ROLE_OU_POST],
    [adresse(`post@${domain}`), K.ROLE_OU_EMAIL],
    [adresse(phone()), K.ROLE_OU_PHONE],
    [adresse(`5798${pad(int(1e9), 9)}`), K.ROLE_OU_EAN],
  ];
  for (let i = 1; i < U; i++) {
    if (!chance(0.25)) continue;
    const list: Array<[string, string]> = [[adresse(`${slug(unitName[i])}@${domain}`), K.ROLE_OU_EMAIL], [adresse(phone()), K.ROLE_OU_PHONE]];
    if (chance(0.4)) list.push([adresse(`${pick(STREETS)} ${1 + int(120)}, ${pad(4000 + int(5000), 4)} ${town}`), K.ROLE_OU_POST]);
    unitAddr[i] = list;
  }
  const opgaver: string[][] = [];
  let unitsWithOpgaver = 0;
  for (let i = 0; i < U; i++) {
    if (!chance(0.2) || !emner.length) continue;
    const set = new Set<string>();
    const n = 1 + int(3);
    while (set.size < n) set.add(pick(emner));
    opgaver[i] = [...set];
    unitsWithOpgaver++;
  }

  // ---- objects, referenced ones first ----
  objects.push({ type: 'Virksomhed', objekt: { uuid: VIRKSOMHED, registreringer: [registrering(IMPORT, SYSTEM, [egenskab(v, (() => {
    const cvr = String(10000000 + int(89999999));
    return { BrugervendtNoegleTekst: cvr, 'CVR-NummerTekst': cvr, NavnTekst: name };
  })())], [], [])] } });
  const kode = String(900 + int(99)); // 900–998: outside the real municipality codes
  objects.push({ type: 'Myndighed', objekt: { uuid: MYNDIGHED, registreringer: [registrering(IMPORT, SYSTEM,
    [egenskab(v, { BrugervendtNoegleTekst: kode, NavnTekst: name, MyndighedsKode: kode })], [], [])] } });
  for (const o of addrObjects) objects.push(o);
  for (const o of personObjects) objects.push(o);
  objects.push({ type: 'Organisation', objekt: { uuid: ORG, registreringer: [registrering(IMPORT, SYSTEM,
    [egenskab(v, { BrugervendtNoegleTekst: cut(name), OrganisationNavn: name })], [aktiv],
    [rel('Myndighed', v, MYNDIGHED), rel('Overordnet', v, unitUuid[0]), rel('Virksomhed', v, VIRKSOMHED)])] } });

  for (let i = 0; i < U; i++) {
    const relationer = (overordnet: Relation[]): Relation[] => {
      const r: Relation[] = [];
      (unitAddr[i] ?? []).forEach(([adr, rolle], k) => r.push(dynRel('Adresser', v, adr, rolle, K.ADDR_TYPE_ORGUNIT, k + 1)));
      r.push(rel('Enhedstype', v, isTeam(i) ? K.ENHEDSTYPE_TEAM : K.ENHEDSTYPE_AFDELING));
      (opgaver[i] ?? []).forEach((kle, k) => r.push(dynRel('Opgaver', v, kleKlasseUuid(kle), K.OPGAVE_ROLLE_ANSVARLIG, K.OPGAVE_TYPE_KLASSE, k + 1)));
      r.push(...overordnet, rel('Tilhoerer', v, ORG));
      for (const k of unitFunctions[i] ?? []) r.push(rel('TilknyttedeFunktioner', v, fns[k].uuid));
      return r;
    };
    const navnRow = (n: string, vv: Virkning = v): Egenskab => egenskab(vv, { BrugervendtNoegleTekst: cut(n), EnhedNavn: n });
    const parentRows = unitParent[i] >= 0 ? [rel('Overordnet', v, unitUuid[unitParent[i]])] : [];
    const registreringer = [registrering(IMPORT, SYSTEM, [navnRow(unitName[i])], [aktiv], relationer(parentRows))];
    if (renamed?.unit === i) {
      registreringer.push(registrering(RENAME_REG, SYSTEM, [
        navnRow(unitName[i], virkning(SYSTEM, IMPORT, RENAME_FRA)),
        navnRow(renamed.newName, virkning(SYSTEM, RENAME_FRA, null, 'Navneændring')),
      ], [aktiv], relationer(parentRows)));
    }
    if (moved?.unit === i) {
      registreringer.push(registrering(MOVE_REG, SYSTEM, [navnRow(unitName[i])], [aktiv], relationer([
        rel('Overordnet', virkning(SYSTEM, IMPORT, MOVE_FRA), unitUuid[moved.oldParent]),
        rel('Overordnet', virkning(SYSTEM, MOVE_FRA, null, 'Organisationsændring'), unitUuid[moved.newParent]),
      ])));
    }
    objects.push({ type: 'OrganisationEnhed', objekt: { uuid: unitUuid[i], registreringer } });
  }

  for (const o of userObjects) objects.push(o);

  for (const f of fns) {
    const relationer: Relation[] = [rel('Funktionstype', v, f.type)];
    if (f.opgave) relationer.push(rel('TilknyttedeOpgaver', v, kleKlasseUuid(f.opgave)));
    if (f.user >= 0) relationer.push(rel('TilknyttedeBrugere', v, brugerUuid(f.user)));
    relationer.push(rel('TilknyttedeEnheder', v, unitUuid[f.unit]), rel('TilknyttedeOrganisationer', v, ORG));
    objects.push({ type: 'OrganisationFunktion', objekt: { uuid: f.uuid, registreringer: [registrering(IMPORT, SYSTEM,
      [egenskab(v, { BrugervendtNoegleTekst: f.bvn, FunktionNavn: f.navn })], [aktiv], relationer)] } });
  }

  // ---- facts for tests ----
  const inMovedSubtree = (i: number) => {
    for (let x = i; x >= 0; x = unitParent[x]) if (x === moved?.unit) return true;
    return false;
  };
  let leaderless: GeneratedFacts['leaderless'] = null;
  for (let i = 1; i < U && !leaderless; i++) {
    if (leaderOf[i] >= 0 || inMovedSubtree(i)) continue;
    let a = unitParent[i];
    while (a >= 0 && leaderOf[a] < 0) a = unitParent[a];
    if (a >= 0 && fns[leaderOf[a]].user >= 0) leaderless = { unit: unitUuid[i], leaderUnit: unitUuid[a], leaderBruger: brugerUuid(fns[leaderOf[a]].user) };
  }

  return {
    objects,
    facts: {
      name, domain, systemAktoer: SYSTEM, organisation: ORG, virksomhed: VIRKSOMHED, myndighed: MYNDIGHED, rootUnit: unitUuid[0],
      importTidspunkt: IMPORT,
      depth: levelCount.length,
      counts: {
        units: U, users: B, persons: B, functions: fns.length, leaders, positions: fns.length - leaders - serviceFunctions,
        vacantPositions: vacant, serviceFunctions, addresses: addrSeq, unitsWithOpgaver,
      },
      renamed: renamed && { unit: unitUuid[renamed.unit], oldName: unitName[renamed.unit], newName: renamed.newName, virkningFra: RENAME_FRA, registreret: RENAME_REG },
      moved: moved && {
        unit: unitUuid[moved.unit], oldParent: unitUuid[moved.oldParent], newParent: unitUuid[moved.newParent], virkningFra: MOVE_FRA, registreret: MOVE_REG,
      },
      leaderless,
    },
  };
}
