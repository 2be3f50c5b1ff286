import { createHash } from 'node:crypto';
import { KLASSER, isUuid, type Objekt, type Registrering } from '../../src/model';
import {
  generateMunicipality, KLASSIFIKATION, KLASSIFIKATION_TITLER, KLE_PLACEHOLDER_UUIDS, KLE_ROWS, KORSBAEK, kleKlasseUuid, kleSeed,
  korsbaekSeed, LARGE, SMALL, validateSeed, type SeedData,
} from '../../src/emulator/seed';

const kle = kleSeed();

const ofType = (seed: SeedData, type: string) => seed.objects.filter((o) => o.type === type);
const byUuid = (seed: SeedData) => new Map(seed.objects.map((o) => [o.objekt.uuid, o]));
const latest = (o: Objekt): Registrering => o.registreringer[o.registreringer.length - 1];
const relRefs = (r: Registrering, name: string) => r.relationer.filter((x) => x.name === name).map((x) => x.ref.uuid!);
const attr = (r: Registrering, key: string, at?: string) => {
  const t = at ? Date.parse(at) : Date.now();
  const row = r.egenskaber.find((e) => (e.virkning.fra === null || Date.parse(e.virkning.fra) <= t) && (e.virkning.til === null || t < Date.parse(e.virkning.til)));
  return row?.values[key];
};
const inForce = (v: { fra: string | null; til: string | null }, t: number) =>
  (v.fra === null || Date.parse(v.fra) <= t) && (v.til === null || t < Date.parse(v.til));

/** Parent of every unit at instant t in the given registration of each unit (latest by default). */
function parentsAt(seed: SeedData, t: number, reg: (o: Objekt) => Registrering = latest): Map<string, string | null> {
  const m = new Map<string, string | null>();
  for (const { objekt } of ofType(seed, 'OrganisationEnhed')) {
    const rows = reg(objekt).relationer.filter((r) => r.name === 'Overordnet' && inForce(r.virkning, t));
    m.set(objekt.uuid, rows.length ? rows[0].ref.uuid! : null);
  }
  return m;
}

/** Exactly one root and no cycles at every instant where Overordnet changes (and now). */
function checkTree(seed: SeedData): void {
  const instants = new Set<number>([Date.now()]);
  for (const { objekt } of ofType(seed, 'OrganisationEnhed')) {
    for (const r of objekt.registreringer) for (const rel of r.relationer) if (rel.name === 'Overordnet') {
      if (rel.virkning.fra) instants.add(Date.parse(rel.virkning.fra));
      if (rel.virkning.til) instants.add(Date.parse(rel.virkning.til));
    }
  }
  for (const reg of [latest, (o: Objekt) => o.registreringer[0]]) {
    for (const t of instants) {
      const parents = parentsAt(seed, t, reg);
      const roots = [...parents].filter(([, p]) => p === null);
      expect(roots.length).toBe(1);
      const depth = new Map<string, number>();
      const depthOf = (u: string): number => {
        const known = depth.get(u);
        if (known !== undefined) return known;
        const seen = new Set<string>();
        let x: string | null = u;
        let d = 0;
        while (x !== null) {
          if (seen.has(x)) throw new Error(`cycle through ${x}`);
          seen.add(x);
          const p = parents.get(x);
          if (p === undefined) throw new Error(`unknown parent ${x}`);
          x = p;
          d++;
        }
        depth.set(u, d);
        return d;
      };
      for (const u of parents.keys()) depthOf(u);
    }
  }
}

function leaderUnits(seed: SeedData): Map<string, string | undefined> {
  const m = new Map<string, string | undefined>();
  for (const { objekt } of ofType(seed, 'OrganisationFunktion')) {
    const r = latest(objekt);
    if (relRefs(r, 'Funktionstype')[0] !== KLASSER.FUNKTIONSTYPE_LEDERROLLE) continue;
    m.set(relRefs(r, 'TilknyttedeEnheder')[0], relRefs(r, 'TilknyttedeBrugere')[0]);
  }
  return m;
}

describe('validateSeed', () => {
  const V = { fra: '2016-01-01T00:00:00.000+01:00', til: null };
  const unit = (uuid: string, patch: Partial<Registrering> = {}): SeedData['objects'][number] => ({
    type: 'OrganisationEnhed',
    objekt: { uuid, registreringer: [{
      tidspunkt: '2016-01-01T00:00:00.000+01:00', livscyklus: 'Importeret', brugerRef: KORSBAEK.systemAktoer,
      egenskaber: [{ virkning: V, values: { BrugervendtNoegleTekst: 'X', EnhedNavn: 'X' } }],
      tilstande: [{ virkning: V, value: 'Aktiv' }], relationer: [], ...patch,
    }] },
  });
  const A = '11111111-1111-4111-8111-111111111111';
  const B = '22222222-2222-4222-8222-222222222222';
  const problems = (patch: Partial<Registrering>) => validateSeed({ objects: [unit(A, patch), unit(B)] }, [kle]);

  test('accepts a minimal unit and reports each kind of defect', () => {
    expect(problems({})).toEqual([]);
    expect(problems({ egenskaber: [{ virkning: V, values: { FunktionNavn: 'x' } }] })[0]).toMatch(/no attribute/);
    expect(problems({ relationer: [{ name: 'Funktionstype', virkning: V, ref: { uuid: B } }] })[0]).toMatch(/no relation/);
    expect(problems({ relationer: [
      { name: 'Overordnet', virkning: V, ref: { uuid: B } },
      { name: 'Overordnet', virkning: { fra: '2020-01-01T00:00:00Z', til: null }, ref: { uuid: B } },
    ] })[0]).toMatch(/overlapping/);
    expect(problems({ relationer: [
      { name: 'Overordnet', virkning: { fra: V.fra, til: '2020-01-01T00:00:00Z' }, ref: { uuid: B } },
      { name: 'Overordnet', virkning: { fra: '2020-01-01T00:00:00Z', til: null }, ref: { uuid: B } },
    ] })).toEqual([]);
    expect(problems({ relationer: [{ name: 'Opgaver', virkning: V, ref: { uuid: kleKlasseUuid('32') } }] })[0]).toMatch(/rolle\/type\/indeks/);
    const opg = { name: 'Opgaver', virkning: V, ref: { uuid: kleKlasseUuid('32') }, rolle: { uuid: KLASSER.OPGAVE_ROLLE_ANSVARLIG }, type: { uuid: KLASSER.OPGAVE_TYPE_KLASSE }, indeks: '1' };
    expect(problems({ relationer: [opg] })).toEqual([]);
    expect(problems({ relationer: [opg, opg] })[0]).toMatch(/indeks 1 repeats/);
    expect(problems({ relationer: [{ name: 'Overordnet', virkning: V, ref: { uuid: '33333333-3333-4333-8333-333333333333' } }] })[0]).toMatch(/not in the seed/);
    expect(problems({ relationer: [{ name: 'Tilhoerer', virkning: V, ref: { uuid: B } }] })[0]).toMatch(/Organisation .* not in the seed/);
    expect(problems({ tilstande: [{ virkning: V, value: 'true' }] })[0]).toMatch(/Tilstand value/);
    expect(problems({ livscyklus: undefined })[0]).toMatch(/livscyklus/);
    expect(validateSeed({ objects: [unit(A), unit(A)] })[0]).toMatch(/duplicate/);
  });
});

describe('kleSeed', () => {
  test('is well-formed and holds the classification classes and the whole KLE plan', () => {
    expect(validateSeed(kle)).toEqual([]);
    expect(kle.objects.length).toBe(Object.keys(KLASSIFIKATION).length + KLE_ROWS.length);
    expect(KLE_ROWS.length).toBe(4189);
    expect(KLE_ROWS.filter((r) => r[0].length === 2).length).toBe(41);
  });

  test('classification classes carry the model KLASSER UUIDs and titles', () => {
    const m = byUuid(kle);
    for (const [key, uuid] of Object.entries(KLASSER)) {
      const o = m.get(uuid);
      expect(o).toBeDefined();
      expect(Object.values(KLASSIFIKATION)).toContain(uuid);
      expect(key).toBeTruthy();
    }
    expect(attr(latest(m.get(KLASSER.FUNKTIONSTYPE_LEDERROLLE)!.objekt), 'TitelTekst')).toBe('Lederrolle');
    expect(attr(latest(m.get(KLASSER.ENHEDSTYPE_AFDELING)!.objekt), 'TitelTekst')).toBe('Afdeling');
    expect(attr(latest(m.get(KLASSIFIKATION.ROLE_USER_EMAIL)!.objekt), 'TitelTekst')).toBe('Email');
    expect(KLASSIFIKATION_TITLER.ENHEDSTYPE_TEAM.titel).toBe('Team');
  });

  test('KLE classes: placeholders for Korsbæk, stable derived UUIDs elsewhere, parent links', () => {
    expect(kleKlasseUuid('32.03')).toBe('ac39de90-43ad-4e61-b27b-28e93b42319b');
    expect(kleKlasseUuid('27.24')).toBe(KLE_PLACEHOLDER_UUIDS['27.24']);
    const h = createHash('sha1').update('kle:00.01.00').digest('hex');
    const u = kleKlasseUuid('00.01.00');
    expect(u.replace(/-/g, '').slice(0, 12)).toBe(h.slice(0, 12));
    expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const m = byUuid(kle);
    const emne = latest(m.get(kleKlasseUuid('32.00.00'))!.objekt);
    expect(attr(emne, 'BrugervendtNoegleTekst')).toBe('32.00.00');
    expect(attr(emne, 'TitelTekst')).toBe('Kontante ydelser i almindelighed');
    expect(relRefs(emne, 'OverordnetKlasse')).toEqual([kleKlasseUuid('32.00')]);
    expect(relRefs(latest(m.get(kleKlasseUuid('32.00'))!.objekt), 'OverordnetKlasse')).toEqual([kleKlasseUuid('32')]);
    expect(relRefs(latest(m.get(kleKlasseUuid('32'))!.objekt), 'OverordnetKlasse')).toEqual([]);
    expect(latest(m.get(kleKlasseUuid('32'))!.objekt).tilstande.map((t) => t.value)).toEqual(['true']);
  });
});

describe('Korsbæk', () => {
  const seed = korsbaekSeed();
  const m = byUuid(seed);
  const reg = (uuid: string) => latest(m.get(uuid)!.objekt);

  test('is well-formed; all references resolve (Klasse refs in kleSeed)', () => {
    expect(validateSeed(seed, [kle])).toEqual([]);
    expect(validateSeed(seed)).not.toEqual([]); // without kleSeed the Klasse refs are missing
  });

  test('counts', () => {
    expect(ofType(seed, 'Organisation').length).toBe(1);
    expect(ofType(seed, 'Virksomhed').length).toBe(1);
    expect(ofType(seed, 'Myndighed').length).toBe(1);
    expect(ofType(seed, 'OrganisationEnhed').length).toBe(KORSBAEK.counts.units);
    expect(KORSBAEK.counts.units).toBe(20);
    expect(ofType(seed, 'OrganisationFunktion').length).toBe(KORSBAEK.counts.functions);
    expect(KORSBAEK.counts.functions).toBe(15);
    expect(ofType(seed, 'Bruger').length).toBe(KORSBAEK.counts.users);
    expect(KORSBAEK.counts.users).toBe(12);
    expect(ofType(seed, 'Person').length).toBe(KORSBAEK.counts.persons);
    expect(ofType(seed, 'Adresse').length).toBe(KORSBAEK.counts.addresses);
    expect(KORSBAEK.counts.addresses).toBe(21);
  });

  test('organisation, virksomhed, myndighed', () => {
    const org = reg(KORSBAEK.organisation);
    expect(attr(org, 'OrganisationNavn')).toBe('Korsbæk Kommune');
    expect(relRefs(org, 'Overordnet')).toEqual([KORSBAEK.rootUnit]);
    expect(relRefs(org, 'Virksomhed')).toEqual([KORSBAEK.virksomhed]);
    expect(relRefs(org, 'Myndighed')).toEqual([KORSBAEK.myndighed]);
    expect(attr(reg(KORSBAEK.virksomhed), 'CVR-NummerTekst')).toBe('11111111');
    expect(attr(reg(KORSBAEK.myndighed), 'MyndighedsKode')).toBe('999');
    for (const o of seed.objects) for (const r of o.objekt.registreringer) {
      expect(r.livscyklus).toBe('Importeret');
      expect(r.brugerRef).toBe(KORSBAEK.systemAktoer);
    }
  });

  test('tree: one root, no cycles, the dataset placement', () => {
    checkTree(seed);
    const now = parentsAt(seed, Date.now());
    expect(now.get(KORSBAEK.rootUnit)).toBeNull();
    expect(now.get(KORSBAEK.units.kontaktcenteret)).toBe(KORSBAEK.units.borgerservice);
    expect(now.get(KORSBAEK.units.jobcenter)).toBe(KORSBAEK.units.beskaeftigelse);
    expect(attr(reg(KORSBAEK.units.jobKompetencer), 'EnhedNavn')).toBe('Job og Kompetencer');
    expect(relRefs(reg(KORSBAEK.units.ydelseRaadighed), 'Enhedstype')).toEqual([KLASSER.ENHEDSTYPE_TEAM]);
    expect(relRefs(reg(KORSBAEK.units.jobcenter), 'Enhedstype')).toEqual([KLASSER.ENHEDSTYPE_AFDELING]);
  });

  test('the rename of Kontanthjælpsteamet: two registrations, two Egenskab rows in the second', () => {
    const o = m.get(KORSBAEK.renamed.unit)!.objekt;
    expect(o.registreringer.map((r) => r.tidspunkt)).toEqual(['2016-01-01T00:00:00.000+01:00', '2019-03-13T09:45:47.986+01:00']);
    expect(o.registreringer[0].egenskaber.length).toBe(1);
    expect(attr(o.registreringer[0], 'EnhedNavn', '2020-01-01T00:00:00Z')).toBe('Kontanthjælpsteamet');
    const second = o.registreringer[1];
    expect(second.egenskaber.map((e) => [e.values.EnhedNavn, e.virkning.fra, e.virkning.til])).toEqual([
      ['Kontanthjælpsteamet', '2016-01-01T00:00:00.000+01:00', '2019-03-01T00:00:00.000+01:00'],
      ['Kontanthjælp og Integration', '2019-03-01T00:00:00.000+01:00', null],
    ]);
    expect(attr(second, 'EnhedNavn', '2019-02-28T12:00:00Z')).toBe('Kontanthjælpsteamet');
    expect(attr(second, 'EnhedNavn')).toBe(KORSBAEK.renamed.newName);
  });

  test('the move of Ungeteamet on 2023-01-01: two registrations, disjoint Overordnet rows', () => {
    const o = m.get(KORSBAEK.moved.unit)!.objekt;
    expect(o.registreringer.length).toBe(2);
    expect(relRefs(o.registreringer[0], 'Overordnet')).toEqual([KORSBAEK.moved.oldParent]);
    const rows = o.registreringer[1].relationer.filter((r) => r.name === 'Overordnet');
    expect(rows.map((r) => [r.ref.uuid, r.virkning.fra, r.virkning.til])).toEqual([
      [KORSBAEK.moved.oldParent, '2016-01-01T00:00:00.000+01:00', '2023-01-01T00:00:00.000+01:00'],
      [KORSBAEK.moved.newParent, '2023-01-01T00:00:00.000+01:00', null],
    ]);
    expect(parentsAt(seed, Date.parse('2022-06-01T00:00:00Z')).get(KORSBAEK.moved.unit)).toBe(KORSBAEK.units.ydelsescenteret);
    expect(parentsAt(seed, Date.parse('2023-06-01T00:00:00Z')).get(KORSBAEK.moved.unit)).toBe(KORSBAEK.units.ungeomraadet);
  });

  test('leaders: own and inherited', () => {
    const leaders = leaderUnits(seed);
    expect(Object.fromEntries(leaders)).toEqual(KORSBAEK.leaders);
    const inherited = (unit: string, t: number): string | undefined => {
      const parents = parentsAt(seed, t);
      for (let x: string | null | undefined = unit; x; x = parents.get(x)) if (leaders.has(x)) return leaders.get(x);
      return undefined;
    };
    const now = Date.now();
    expect(leaders.has(KORSBAEK.leaderless.unit)).toBe(false);
    expect(inherited(KORSBAEK.leaderless.unit, now)).toBe(KORSBAEK.leaderless.leaderBruger);
    expect(inherited(KORSBAEK.leaderlessTwoUp.unit, now)).toBe(KORSBAEK.leaderlessTwoUp.leaderBruger);
    expect(inherited(KORSBAEK.moved.unit, Date.parse('2022-06-01T00:00:00Z'))).toBe(KORSBAEK.movedLeader.before);
    expect(inherited(KORSBAEK.moved.unit, Date.parse('2023-06-01T00:00:00Z'))).toBe(KORSBAEK.movedLeader.after);
    expect(attr(reg(KORSBAEK.brugere.IBOL), 'BrugerNavn')).toBe('IBOL');
  });

  test('positions, service functions, Opgaver, addresses, users and persons', () => {
    const funcs = ofType(seed, 'OrganisationFunktion').map((o) => latest(o.objekt));
    const positionsIn = (unit: string) => funcs.filter((r) => relRefs(r, 'Funktionstype')[0] === KLASSER.FUNKTIONSTYPE_ENHEDSROLLE && relRefs(r, 'TilknyttedeEnheder')[0] === unit);
    expect(positionsIn(KORSBAEK.units.ydelseRaadighed).filter((r) => relRefs(r, 'TilknyttedeBrugere').length).length).toBe(3);
    expect(positionsIn(KORSBAEK.units.kontanthjaelp).length).toBe(3);
    expect(relRefs(reg(KORSBAEK.vacantPosition), 'TilknyttedeBrugere')).toEqual([]);

    expect(relRefs(reg(KORSBAEK.units.sygNord), 'TilknyttedeFunktioner')).toEqual([KORSBAEK.henvendelsessted.funktion]);
    expect(relRefs(reg(KORSBAEK.henvendelsessted.funktion), 'TilknyttedeOpgaver')).toEqual([kleKlasseUuid('32.00')]);
    expect(relRefs(reg(KORSBAEK.udbetalendeEnhed.funktion), 'TilknyttedeEnheder')).toEqual([KORSBAEK.units.ydelseskontoret]);

    const opg = reg(KORSBAEK.units.kontaktcenteret).relationer.filter((r) => r.name === 'Opgaver');
    expect(opg.map((r) => [r.ref.uuid, r.rolle?.uuid, r.type?.uuid, r.indeks])).toEqual([
      [kleKlasseUuid('32.03'), KLASSER.OPGAVE_ROLLE_ANSVARLIG, KLASSER.OPGAVE_TYPE_KLASSE, '1'],
      [kleKlasseUuid('32.06'), KLASSER.OPGAVE_ROLLE_ANSVARLIG, KLASSER.OPGAVE_TYPE_KLASSE, '2'],
    ]);

    const bs = reg(KORSBAEK.units.borgerservice).relationer.filter((r) => r.name === 'Adresser');
    expect(bs.map((r) => attr(reg(r.ref.uuid!), 'AdresseTekst'))).toEqual([
      'Skyttemarksvej 17, 4260 Korsbæk', 'bs@korsbaek.dk', '55771842', 'www.korsbaek.dk/borgerservice', 'Mandag 10.00-12.00, Onsdag 12.00-17.00',
    ]);
    expect(bs.map((r) => r.indeks)).toEqual(['1', '2', '3', '4', '5']);
    expect(bs.every((r) => r.type?.uuid === KLASSIFIKATION.ADDR_TYPE_ORGUNIT)).toBe(true);

    const pia = reg(KORSBAEK.brugere.PIASTE);
    const person = reg(relRefs(pia, 'TilknyttedePersoner')[0]);
    expect(attr(person, 'NavnTekst')).toBe('Pia Stenberg');
    expect(attr(person, 'CPR-NummerTekst')).toMatch(/^\d{10}$/);
    const email = pia.relationer.find((r) => r.name === 'Adresser')!;
    expect(email.rolle?.uuid).toBe(KLASSIFIKATION.ROLE_USER_EMAIL);
    expect(attr(reg(email.ref.uuid!), 'AdresseTekst')).toBe('piaste@korsbaek.dk');
  });

  test('is rebuilt fresh on every call', () => {
    expect(korsbaekSeed()).toEqual(seed);
    expect(korsbaekSeed()).not.toBe(seed);
  });
});

describe('generateMunicipality', () => {
  const small = generateMunicipality({ seed: 42, ...SMALL });

  test('SMALL is well-formed; all references resolve', () => {
    expect(validateSeed(small, [kle])).toEqual([]);
  });

  test('sizes as requested', () => {
    expect(ofType(small, 'OrganisationEnhed').length).toBe(SMALL.units);
    expect(ofType(small, 'Bruger').length).toBe(SMALL.users);
    expect(ofType(small, 'Person').length).toBe(SMALL.users);
    expect(ofType(small, 'OrganisationFunktion').length).toBe(SMALL.functions);
    expect(ofType(small, 'Organisation').length).toBe(1);
    expect(ofType(small, 'Adresse').length).toBe(small.facts.counts.addresses);
    expect(small.facts.counts.functions).toBe(SMALL.functions);
  });

  test('tree: one root, no cycles, depth ≤ maxDepth', () => {
    checkTree(small);
    expect(small.facts.depth).toBe(7);
    const flat = generateMunicipality({ seed: 1, units: 50, users: 10, maxDepth: 3 });
    checkTree(flat);
    expect(flat.facts.depth).toBe(3);
    expect(validateSeed(flat, [kle])).toEqual([]);
  });

  test('leaders on ~70% of units, root always; positions with users, some vacant', () => {
    const leaders = leaderUnits(small);
    expect(leaders.has(small.facts.rootUnit)).toBe(true);
    expect(leaders.size / SMALL.units).toBeGreaterThan(0.55);
    expect(leaders.size / SMALL.units).toBeLessThan(0.85);
    expect(small.facts.leaderless).not.toBeNull();
    expect(leaders.has(small.facts.leaderless!.unit)).toBe(false);
    expect(leaders.get(small.facts.leaderless!.leaderUnit)).toBe(small.facts.leaderless!.leaderBruger);

    const perUnit = new Map<string, number>();
    let vacant = 0;
    for (const { objekt } of ofType(small, 'OrganisationFunktion')) {
      const r = latest(objekt);
      if (relRefs(r, 'Funktionstype')[0] !== KLASSER.FUNKTIONSTYPE_ENHEDSROLLE) continue;
      const users = relRefs(r, 'TilknyttedeBrugere');
      if (!users.length) { vacant++; continue; }
      const u = relRefs(r, 'TilknyttedeEnheder')[0];
      perUnit.set(u, (perUnit.get(u) ?? 0) + 1);
    }
    expect([...perUnit.values()].filter((n) => n >= 3).length).toBeGreaterThan(10);
    expect(vacant).toBe(small.facts.counts.vacantPositions);
    expect(vacant).toBeGreaterThan(0);
    // every user holds a function when there are enough functions
    const held = new Set(ofType(small, 'OrganisationFunktion').flatMap((o) => relRefs(latest(o.objekt), 'TilknyttedeBrugere')));
    expect(held.size).toBe(SMALL.users);
  });

  test('users ↔ persons 1:1, e-mail on every user, KLE Opgaver on ~20% of units', () => {
    const persons = new Set(ofType(small, 'Bruger').map((o) => relRefs(latest(o.objekt), 'TilknyttedePersoner')[0]));
    expect(persons.size).toBe(SMALL.users);
    for (const o of ofType(small, 'Bruger')) {
      const a = latest(o.objekt).relationer.filter((r) => r.name === 'Adresser');
      expect(a[0].rolle?.uuid).toBe(KLASSIFIKATION.ROLE_USER_EMAIL);
    }
    const withOpg = ofType(small, 'OrganisationEnhed').filter((o) => relRefs(latest(o.objekt), 'Opgaver').length);
    expect(withOpg.length).toBe(small.facts.counts.unitsWithOpgaver);
    expect(withOpg.length).toBeGreaterThan(5);
    expect(withOpg.length).toBeLessThan(40);
  });

  test('history: one renamed unit and one moved unit, as in Korsbæk', () => {
    const m = byUuid(small);
    const { renamed, moved } = small.facts;
    const rn = m.get(renamed!.unit)!.objekt;
    expect(rn.registreringer.length).toBe(2);
    expect(rn.registreringer[1].egenskaber.map((e) => e.values.EnhedNavn)).toEqual([renamed!.oldName, renamed!.newName]);
    expect(rn.registreringer[1].egenskaber[1].virkning.fra).toBe('2019-03-01T00:00:00.000+01:00');
    const mv = m.get(moved!.unit)!.objekt;
    expect(mv.registreringer.length).toBe(2);
    expect(relRefs(mv.registreringer[1], 'Overordnet')).toEqual([moved!.oldParent, moved!.newParent]);
    expect(parentsAt(small, Date.parse('2022-06-01T00:00:00Z')).get(moved!.unit)).toBe(moved!.oldParent);
    expect(parentsAt(small, Date.now()).get(moved!.unit)).toBe(moved!.newParent);
    expect(moved!.oldParent).not.toBe(moved!.newParent);
  });

  test('deterministic: same seed → identical output; different seed → different', () => {
    const again = generateMunicipality({ seed: 42, ...SMALL });
    expect(JSON.stringify(again)).toBe(JSON.stringify(small));
    const other = generateMunicipality({ seed: 43, ...SMALL });
    expect(other.facts.rootUnit).not.toBe(small.facts.rootUnit);
    expect(JSON.stringify(other.objects.map((o) => latest(o.objekt).egenskaber[0].values)))
      .not.toBe(JSON.stringify(small.objects.map((o) => latest(o.objekt).egenskaber[0].values)));
    const named = generateMunicipality({ seed: 42, ...SMALL, name: 'Testrup Kommune' });
    expect(named.facts.name).toBe('Testrup Kommune');
    expect(named.facts.domain).toBe('testrup.dk');
  });

  test('small and degenerate sizes', () => {
    const one = generateMunicipality({ seed: 7, units: 1, users: 0, functions: 0 });
    expect(validateSeed(one, [kle])).toEqual([]);
    expect(ofType(one, 'OrganisationEnhed').length).toBe(1);
    const tiny = generateMunicipality({ seed: 7, units: 5, users: 3, functions: 2 });
    expect(validateSeed(tiny, [kle])).toEqual([]);
    checkTree(tiny);
    expect(ofType(tiny, 'OrganisationFunktion').length).toBe(2);
    expect(() => generateMunicipality({ seed: 1, units: 3, users: 1, maxDepth: 1 })).toThrow();
  });

  test('LARGE builds fast, with the requested sizes, well-formed', () => {
    const t0 = process.hrtime.bigint();
    const large = generateMunicipality({ seed: 2024, ...LARGE });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    // eslint-disable-next-line no-console
    console.log(`LARGE: ${large.objects.length} objects in ${ms.toFixed(0)} ms, heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`);
    expect(ms).toBeLessThan(15000);
    expect(ofType(large, 'OrganisationEnhed').length).toBe(LARGE.units);
    expect(ofType(large, 'Bruger').length).toBe(LARGE.users);
    expect(ofType(large, 'OrganisationFunktion').length).toBe(LARGE.functions);
    expect(large.facts.depth).toBe(7);
    expect(validateSeed(large, [kle])).toEqual([]);
    checkTree(large);
    expect(large.objects.every((o) => isUuid(o.objekt.uuid))).toBe(true);
  });
});
