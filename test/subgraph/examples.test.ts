import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { Sf1500Client } from '../../src/sf1500/client';
import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, validate } from 'graphql';
import { KLASSIFIKATION, KORSBAEK, kleKlasseUuid, kleRow, korsbaekSeed } from '../../src/emulator/seed';
import type { Objekt, Registrering } from '../../src/model';
import { testStack, type GqlResult } from '../support/stack';

/**
 * Every operation in examples/ runs against the test stack (local SF1500 seeded with Korsbæk), and
 * the key facts of each answer are checked against the seed itself, not against a recording.
 */

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const exampleFiles = readdirSync(EXAMPLES).filter((f) => f.endsWith('.graphql')).sort();
const TESTED = ['aendringer', 'history', 'org-chart', 'search', 'unit-employees-kle', 'user-leaders'];

function example(name: string): { query: string; variables?: Record<string, unknown> } {
  const query = readFileSync(join(EXAMPLES, `${name}.graphql`), 'utf8');
  const vars = join(EXAMPLES, `${name}.json`);
  return { query, variables: existsSync(vars) ? (JSON.parse(readFileSync(vars, 'utf8')) as Record<string, unknown>) : undefined };
}

// ---------- facts from the seed, now ----------

const seed = korsbaekSeed();
const NOW = Date.now();
const inForce = (v: { fra: string | null; til: string | null }, t = NOW): boolean =>
  (v.fra === null || Date.parse(v.fra) <= t) && (v.til === null || t < Date.parse(v.til));
const latest = (o: Objekt): Registrering => o.registreringer[o.registreringer.length - 1];
const objects = (type: string): Objekt[] => seed.objects.filter((o) => o.type === type).map((o) => o.objekt);
const attr = (o: Objekt, key: string): string | undefined => {
  const v = latest(o).egenskaber.find((e) => inForce(e.virkning))?.values[key];
  return Array.isArray(v) ? v[0] : v;
};
const refs = (o: Objekt, name: string): string[] => latest(o).relationer.filter((r) => r.name === name && inForce(r.virkning)).map((r) => r.ref.uuid!);

const unitName = new Map(objects('OrganisationEnhed').map((o) => [o.uuid, attr(o, 'EnhedNavn')!]));
const parentOf = new Map(objects('OrganisationEnhed').map((o) => [o.uuid, refs(o, 'Overordnet')[0] ?? null]));
const unitType = new Map(objects('OrganisationEnhed').map((o) => [o.uuid, refs(o, 'Enhedstype')[0] === KLASSIFIKATION.ENHEDSTYPE_TEAM ? 'Team' : 'Afdeling']));
const personName = new Map(objects('Person').map((o) => [o.uuid, attr(o, 'NavnTekst')!]));
const addressText = new Map(objects('Adresse').map((o) => [o.uuid, attr(o, 'AdresseTekst')!]));
const brugere = new Map(objects('Bruger').map((o) => [o.uuid, {
  navn: attr(o, 'BrugerNavn')!,
  person: personName.get(refs(o, 'TilknyttedePersoner')[0])!,
  email: addressText.get(refs(o, 'Adresser')[0])!,
}]));
const funktioner = objects('OrganisationFunktion').map((o) => ({
  navn: attr(o, 'FunktionNavn')!, type: refs(o, 'Funktionstype')[0], unit: refs(o, 'TilknyttedeEnheder')[0], bruger: refs(o, 'TilknyttedeBrugere')[0] as string | undefined,
}));
const positions = (unit: string) => funktioner.filter((f) => f.unit === unit && f.type === KLASSIFIKATION.FUNK_ENHEDSROLLE);
const employees = (unit: string): string[] => [...new Set(positions(unit).flatMap((f) => (f.bruger ? [f.bruger] : [])))];
const ancestors = (unit: string): string[] => {
  const out: string[] = [];
  for (let p = parentOf.get(unit); p; p = parentOf.get(p)) out.push(p);
  return out;
};
const inheritedLeader = (unit: string): string => [unit, ...ancestors(unit)].map((u) => KORSBAEK.leaders[u]).find((l) => l)!;
const bvn = (bruger: string): string => brugere.get(bruger)!.navn;
const kleOf = (unit: string): string[] => [...(KORSBAEK.opgaver[unit] ?? [])];
const byNavn = <T extends { navn: string }>(l: T[]): T[] => [...l].sort((a, b) => a.navn.localeCompare(b.navn, 'da'));

// ---------- the tests ----------

describe('examples/', () => {
  let stack: Awaited<ReturnType<typeof testStack>>;
  const run = async (name: string, extra: Record<string, unknown> = {}): Promise<Record<string, any>> => {
    const { query, variables } = example(name);
    const res: GqlResult = await stack.gql(query, { ...variables, ...extra });
    expect(res.errors).toBeUndefined();
    return res.data!;
  };

  beforeAll(async () => {
    stack = await testStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('every example has a test here and is valid against schema/subgraph.graphql', () => {
    expect(exampleFiles.map((f) => f.replace(/\.graphql$/, ''))).toEqual(TESTED);
    const schema = buildSubgraphSchema(parse(readFileSync(join(__dirname, '..', '..', 'schema', 'subgraph.graphql'), 'utf8')));
    for (const f of exampleFiles) {
      const errors = validate(schema, parse(readFileSync(join(EXAMPLES, f), 'utf8')));
      expect({ file: f, errors: errors.map((e) => e.message) }).toEqual({ file: f, errors: [] });
    }
  });

  it('org-chart: the whole tree, with inherited leaders and employee counts', async () => {
    const data = await run('org-chart');
    expect(data.organisation.navn).toBe(KORSBAEK.navn);
    type Unit = { uuid: string; navn: string; enhedstype: { titel: string }; antalMedarbejdere: number; leder: { navn: string; tilknyttedePersoner: Array<{ navn: string }> } | null; egenLeder: { navn: string } | null; underenheder?: Unit[] };
    const seen = new Map<string, { unit: Unit; parent: string | null }>();
    const walk = (u: Unit, parent: string | null): void => {
      expect(seen.has(u.uuid)).toBe(false);
      seen.set(u.uuid, { unit: u, parent });
      // Children come by name.
      const names = (u.underenheder ?? []).map((c) => c.navn);
      expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'da')));
      for (const c of u.underenheder ?? []) walk(c, u.uuid);
    };
    walk(data.organisation.rodEnhed, null);
    expect(data.organisation.rodEnhed.uuid).toBe(KORSBAEK.rootUnit);
    expect(seen.size).toBe(KORSBAEK.counts.units);
    for (const [uuid, { unit, parent }] of seen) {
      const leader = inheritedLeader(uuid);
      expect({ uuid, navn: unit.navn, parent, type: unit.enhedstype.titel, employees: unit.antalMedarbejdere, leder: unit.leder, egenLeder: unit.egenLeder }).toEqual({
        uuid, navn: unitName.get(uuid), parent: parentOf.get(uuid), type: unitType.get(uuid), employees: employees(uuid).length,
        leder: { navn: bvn(leader), tilknyttedePersoner: [{ navn: brugere.get(leader)!.person }] },
        egenLeder: KORSBAEK.leaders[uuid] ? { navn: bvn(KORSBAEK.leaders[uuid]) } : null,
      });
    }
    // The story's key facts, spelled out.
    expect(seen.get(KORSBAEK.leaderlessTwoUp.unit)!.unit.leder!.navn).toBe(bvn(KORSBAEK.leaderlessTwoUp.leaderBruger));
    expect(seen.get(KORSBAEK.moved.unit)!.parent).toBe(KORSBAEK.moved.newParent);
    expect([...seen.values()].reduce((n, { unit }) => n + unit.antalMedarbejdere, 0)).toBe(KORSBAEK.counts.positions - 1); // one vacant
  });

  it('unit-employees-kle: Kontanthjælpsteamet\'s positions, employees, leader and KLE; the units responsible for KLE 32.03', async () => {
    const { variables } = example('unit-employees-kle');
    expect(variables).toEqual({ enhed: KORSBAEK.renamed.unit, kle: kleKlasseUuid('32.03') });
    const unit = KORSBAEK.renamed.unit;
    const data = await run('unit-employees-kle');
    const u = data.organisationEnhed;
    expect(u.navn).toBe(KORSBAEK.renamed.newName);
    expect(u.enhedstype.titel).toBe(unitType.get(unit));
    expect(u.overordnet.navn).toBe(unitName.get(parentOf.get(unit)!));
    const leader = KORSBAEK.leaderless.leaderBruger;
    expect(u.leder).toEqual({ navn: bvn(leader), tilknyttedePersoner: [{ navn: brugere.get(leader)!.person }] });
    expect(u.antalMedarbejdere).toBe(employees(unit).length);
    expect(byNavn(u.stillinger)).toEqual(byNavn(positions(unit).map((f) => ({ navn: f.navn, tilknyttedeBrugere: f.bruger ? [{ navn: bvn(f.bruger) }] : [] }))));
    expect(u.stillinger.some((s: { navn: string; tilknyttedeBrugere: unknown[] }) => s.tilknyttedeBrugere.length === 0)).toBe(true); // the vacant YM03
    expect(byNavn(u.medarbejdere)).toEqual(byNavn(employees(unit).map((b) => ({
      uuid: b, navn: bvn(b), tilknyttedePersoner: [{ navn: brugere.get(b)!.person }], adresser: [{ adresse: { adresseTekst: brugere.get(b)!.email } }],
    }))));
    const kle = (nummer: string) => ({ klasse: { brugervendtNoegle: nummer, titel: kleRow(nummer)![1] } });
    expect(u.opgaver).toEqual(kleOf(unit).map(kle));
    expect(u.forfaedre).toEqual(ancestors(unit).map((a) => ({ navn: unitName.get(a), opgaver: kleOf(a).map(kle) })));
    expect(u.forfaedre[0].opgaver).toEqual([kle('32')]);

    // KLE 32.03 and its main group 32: Kontaktcenteret (32.03 itself) and Ydelsescenteret (all of 32).
    const row = kleRow('32.03')!;
    expect(data.kle).toMatchObject({ brugervendtNoegle: '32.03', titel: row[1], overordnetKlasse: { brugervendtNoegle: row[2], titel: kleRow(row[2])![1] } });
    const chain = ['32.03', '32.03'.slice(0, 2)];
    const responsible = Object.keys(KORSBAEK.opgaver).filter((x) => kleOf(x).some((n) => chain.includes(n)));
    expect(byNavn(data.kle.ansvarligeEnheder)).toEqual(byNavn(responsible.map((x) => ({ navn: unitName.get(x)!, antalMedarbejdere: employees(x).length }))));
    expect(data.kle.ansvarligeEnheder.map((x: { navn: string }) => x.navn).sort()).toEqual(['Kontaktcenteret', 'Ydelsescenteret']);
  });

  it('user-leaders: KA\'s unit, its path from the root, and the inherited leader', async () => {
    const { variables } = example('user-leaders');
    const ka = variables!.bruger as string;
    expect(ka).toBe(KORSBAEK.brugere.KA);
    const data = await run('user-leaders');
    const unit = funktioner.find((f) => f.bruger === ka && f.type === KLASSIFIKATION.FUNK_ENHEDSROLLE)!.unit;
    expect(data.bruger.navn).toBe('KA');
    expect(data.bruger.tilknyttedePersoner).toEqual([{ navn: brugere.get(ka)!.person }]);
    expect(data.bruger.funktioner).toEqual(funktioner.filter((f) => f.bruger === ka).map((f) => ({ navn: f.navn })));
    expect(data.bruger.enheder).toEqual([{ navn: unitName.get(unit), sti: [...ancestors(unit)].reverse().concat(unit).map((x) => ({ navn: unitName.get(x) })) }]);
    // Kontanthjælpsteamet has no leader: Ydelsescenteret's Centerchef leads KA.
    const leader = KORSBAEK.leaderless.leaderBruger;
    expect(inheritedLeader(unit)).toBe(leader);
    expect(data.bruger.ledere).toEqual([{
      uuid: leader, navn: bvn(leader), tilknyttedePersoner: [{ navn: brugere.get(leader)!.person }],
      adresser: [{ adresse: { adresseTekst: brugere.get(leader)!.email } }],
      funktioner: funktioner.filter((f) => f.bruger === leader).map((f) => ({ navn: f.navn })),
    }]);
    expect(data.bruger.ledere[0].funktioner).toEqual([{ navn: 'Centerchef' }]);
  });

  it('history: the 2019 rename and the 2023 move, in virkning and in registrering', async () => {
    const { renamed, moved, movedLeader } = KORSBAEK;
    const { variables } = example('history');
    expect(variables).toEqual({ kontanthjaelp: renamed.unit, ungeteamet: moved.unit });
    const data = await run('history');
    const same = (a: string | null, b: string | null) => (a === null || b === null ? a === b : Date.parse(a) === Date.parse(b));
    const period = (v: { fra: string | null; til: string | null }, fra: string | null, til: string | null) => same(v.fra, fra) && same(v.til, til);

    expect(data.foerOmdoebning.navn).toBe(renamed.oldName);
    expect(data.efterOmdoebning.navn).toBe(renamed.newName);
    expect(data.somRegistreret20190305.navn).toBe(renamed.oldName); // the rename was registered on 2019-03-13
    const names = data.kontanthjaelp.historik.egenskaber as Array<{ navn: string; virkning: { fra: string | null; til: string | null } }>;
    expect(names.map((e) => e.navn)).toEqual([renamed.oldName, renamed.newName]);
    expect(period(names[0].virkning, renamed.firstRegistreret, renamed.virkningFra)).toBe(true);
    expect(period(names[1].virkning, renamed.virkningFra, null)).toBe(true);
    const regs = (x: Array<{ tidspunkt: string; livscyklus: string }>) => x.map((r) => Date.parse(r.tidspunkt));
    expect(regs(data.kontanthjaelp.registreringer)).toEqual([Date.parse(renamed.firstRegistreret), Date.parse(renamed.registreret)]);

    expect(data.ungeteametFoerFlytning).toEqual({ navn: 'Ungeteamet', overordnet: { navn: unitName.get(moved.oldParent) }, leder: { navn: bvn(movedLeader.before) } });
    expect(data.ungeteametEfterFlytning).toEqual({ navn: 'Ungeteamet', overordnet: { navn: unitName.get(moved.newParent) }, leder: { navn: bvn(movedLeader.after) } });
    expect(data.ungeteametSomRegistreret20221201.overordnet.navn).toBe(unitName.get(moved.oldParent)); // registered on 2022-12-15
    const parents = (data.ungeteamet.historik.relationer as Array<{ relation: string; uuid: string; virkning: { fra: string | null; til: string | null } }>)
      .filter((r) => r.relation === 'Overordnet');
    expect(parents.map((r) => r.uuid)).toEqual([moved.oldParent, moved.newParent]);
    expect(period(parents[0].virkning, KORSBAEK.virkningFra, moved.virkningFra)).toBe(true);
    expect(period(parents[1].virkning, moved.virkningFra, null)).toBe(true);
    expect(regs(data.ungeteamet.registreringer)).toEqual([Date.parse(KORSBAEK.importTidspunkt), Date.parse(moved.registreret)]);
  });

  it('search: wildcards, paging with cursors, a KLE criterion', async () => {
    const teams = [...unitName].filter(([, n]) => /^sygedagpenge/i.test(n)).map(([u]) => u).sort();
    const first = await run('search');
    expect(first.sygedagpenge.totalCount).toBe(teams.length);
    expect(first.sygedagpenge.nodes).toHaveLength(2);
    expect(first.sygedagpenge.pageInfo.hasNextPage).toBe(true);
    const next = await run('search', { after: first.sygedagpenge.pageInfo.endCursor });
    expect(next.sygedagpenge.nodes).toHaveLength(teams.length - 2);
    expect(next.sygedagpenge.pageInfo.hasNextPage).toBe(false);
    // Pages are ordered by UUID and together hold every team exactly once.
    const all = [...first.sygedagpenge.nodes, ...next.sygedagpenge.nodes];
    expect(all).toEqual(teams.map((u) => ({ navn: unitName.get(u), overordnet: { navn: unitName.get(parentOf.get(u)!) } })));

    // KLE 32.03 as an Opgaver criterion: only units naming that very class (no KLE hierarchy in Soeg).
    const responsible = Object.keys(KORSBAEK.opgaver).filter((u) => kleOf(u).includes('32.03'));
    expect(first.kle.totalCount).toBe(responsible.length);
    expect(first.kle.nodes).toEqual(responsible.map((u) => ({ navn: unitName.get(u) })));

    const sen = [...personName.values()].filter((n) => /sen$/i.test(n)).sort();
    expect(first.personer.totalCount).toBe(sen.length);
    expect(first.personer.edges.map((e: { node: { navn: string } }) => e.node.navn).sort()).toEqual(sen);
    expect(new Set(first.personer.edges.map((e: { cursor: string }) => e.cursor)).size).toBe(sen.length);
  });
});

describe('examples/ change feed', () => {
  let stack: Awaited<ReturnType<typeof testStack>>;
  const dir = mkdtempSync(join(tmpdir(), 'sf1500-consumer-'));
  beforeAll(async () => {
    stack = await testStack({ SF1500_HIERARCHY_REFRESH_MS: '100', SUBGRAPH_CHANGES: 'on', SUBGRAPH_CHANGES_POLL_MS: '25', SF1500_PLANNER: 'snapshot' });
    for (let i = 0; i < 400 && !stack.subgraph.changes!.started; i++) await new Promise((r) => setTimeout(r, 25));
  });
  afterAll(async () => {
    await stack?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('aendringer: from the newest position, nothing old', async () => {
    const { query, variables } = example('aendringer');
    const res = await stack.gql(query, variables);
    expect(res.errors).toBeUndefined();
    expect(res.data!.aendringer.aendringer).toEqual([]);
    expect(typeof res.data!.aendringer.naesteEfter).toBe('string');
  });

  it('consumer.mjs: mirrors every unit by genudsend, then follows a rename through the feed', async () => {
    const run = async (): Promise<Record<string, string>> => {
      const { stdout } = await promisify(execFile)(process.execPath, [join(EXAMPLES, 'consumer.mjs'), join(dir, 'state.json')], { env: { ...process.env, SUBGRAPH_URL: stack.subgraph.url } });
      return JSON.parse(stdout) as Record<string, string>;
    };
    expect(await run()).toEqual(Object.fromEntries(objects('OrganisationEnhed').map((o) => [o.uuid, unitName.get(o.uuid)!])));
    const writer = new Sf1500Client({ baseUrl: stack.sf1500!.url });
    try {
      const unit = KORSBAEK.units.borgerservice;
      const o = await writer.laes('OrganisationEnhed', unit);
      const row = o!.registreringer[o!.registreringer.length - 1].egenskaber.find((e) => e.virkning.til === null)!;
      await writer.ret('OrganisationEnhed', unit, { egenskaber: [{ virkning: { ...row.virkning, fra: new Date().toISOString() }, values: { ...row.values, EnhedNavn: 'Borgerservice Korsbæk' } }] });
      let mirror: Record<string, string> = {};
      for (let i = 0; i < 50 && mirror[unit] !== 'Borgerservice Korsbæk'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        mirror = await run();
      }
      expect(mirror[unit]).toBe('Borgerservice Korsbæk');
      expect(Object.keys(mirror)).toHaveLength(KORSBAEK.counts.units);
    } finally {
      writer.close();
    }
  });
});
