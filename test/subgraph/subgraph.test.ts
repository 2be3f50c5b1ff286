import { KORSBAEK } from '../../src/emulator/seed/korsbaek';
import { kleKlasseUuid } from '../../src/emulator/seed/kle';
import { KLASSER } from '../../src/model/objects';
import { soapCounter, testStack } from '../support/stack';

type Stack = Awaited<ReturnType<typeof testStack>>;
const U = KORSBAEK.units;
const B = KORSBAEK.brugere;
let s: Stack;

beforeAll(async () => {
  s = await testStack();
});
afterAll(async () => {
  await s.close();
});


describe('entities and relations at now', () => {
  it('answers a unit with its parent, organisation, unit type, KLE tasks and addresses', async () => {
    const r = await s.gql(`query($u: UUID!) { organisationEnhed(uuid: $u) {
      uuid navn brugervendtNoegle gyldighed livscyklus
      overordnet { uuid navn } overordnetUuid
      tilhoerer { uuid navn virksomhed { cvrNummer } myndighed { myndighedsKode } rodEnhed: overordnet { uuid } }
      enhedstype { titel }
      opgaver { rolleUuid typeUuid indeks klasse { brugervendtNoegle titel } rolle { titel } }
    } }`, { u: U.kontaktcenteret });
    expect(r.errors).toBeUndefined();
    const e = r.data!.organisationEnhed;
    expect(e.navn).toBe('Kontaktcenteret');
    expect(e.gyldighed).toBe('Aktiv');
    expect(e.overordnet.uuid).toBe(U.borgerservice);
    expect(e.overordnetUuid).toBe(U.borgerservice);
    expect(e.tilhoerer).toEqual({ uuid: KORSBAEK.organisation, navn: 'Korsbæk Kommune', virksomhed: { cvrNummer: '11111111' }, myndighed: { myndighedsKode: '999' }, rodEnhed: { uuid: KORSBAEK.rootUnit } });
    expect(e.opgaver.map((o: any) => o.klasse.brugervendtNoegle).sort()).toEqual(['32.03', '32.06']);
    expect(e.opgaver.every((o: any) => o.rolleUuid === KLASSER.OPGAVE_ROLLE_ANSVARLIG && o.typeUuid === KLASSER.OPGAVE_TYPE_KLASSE)).toBe(true);
    expect(e.opgaver.find((o: any) => o.klasse.brugervendtNoegle === '32.06').klasse.titel).toBe('Boligstøtte');
  });

  it('answers unit addresses with rolle and type', async () => {
    const r = await s.gql(`{ organisationEnhed(uuid: "${U.borgerservice}") { adresser { indeks rolle { titel } type { uuid } adresse { adresseTekst } } } }`);
    expect(r.errors).toBeUndefined();
    const a = r.data!.organisationEnhed.adresser;
    expect(a.map((x: any) => x.adresse.adresseTekst)).toContain('bs@korsbaek.dk');
    expect(a.find((x: any) => x.adresse.adresseTekst === 'bs@korsbaek.dk').rolle.titel).toBe('Email');
    expect(a).toHaveLength(5);
  });

  it('follows function → type, units, users, KLE and user → person, addresses', async () => {
    const r = await s.gql(`{ organisationFunktion(uuid: "${KORSBAEK.henvendelsessted.funktion}") {
      navn funktionstype { titel } tilknyttedeEnheder { uuid } tilknyttedeOpgaver { brugervendtNoegle } tilknyttedeOrganisationer { uuid } tilknyttedeItSystemer { uuid } }
      bruger(uuid: "${B.KA}") { navn tilknyttedePersoner { navn } adresser { adresse { adresseTekst } } tilhoerer { uuid } } }`);
    expect(r.errors).toBeUndefined();
    const f = r.data!.organisationFunktion;
    expect(f.funktionstype.titel).toBe('Henvendelsessted');
    expect(f.tilknyttedeEnheder).toEqual([{ uuid: U.jobcenter }]);
    expect(f.tilknyttedeOpgaver).toEqual([{ brugervendtNoegle: '32.00' }]);
    expect(f.tilknyttedeOrganisationer).toEqual([{ uuid: KORSBAEK.organisation }]);
    expect(f.tilknyttedeItSystemer).toEqual([]);
    const b = r.data!.bruger;
    expect(b.navn).toBe('KA');
    expect(b.tilknyttedePersoner).toEqual([{ navn: 'Kjeld Andersen' }]);
    expect(b.adresser.map((a: any) => a.adresse.adresseTekst)).toContain('ka@korsbaek.dk');
    expect(b.tilhoerer.uuid).toBe(KORSBAEK.organisation);
  });

  it('returns null for a missing object, without an error', async () => {
    const r = await s.gql('{ organisationEnhed(uuid: "00000000-0000-4000-8000-000000000000") { navn } brugere(uuids: ["00000000-0000-4000-8000-000000000000", "' + B.KA + '"]) { navn } }');
    expect(r.errors).toBeUndefined();
    expect(r.data!.organisationEnhed).toBeNull();
    expect(r.data!.brugere).toEqual([null, { navn: 'KA' }]);
  });

  it('withholds CPR without the permission and keeps the rest of the answer', async () => {
    const r = await s.gql(`{ bruger(uuid: "${B.KA}") { tilknyttedePersoner { navn cprNummer } } }`);
    expect(r.data!.bruger.tilknyttedePersoner[0].navn).toBe('Kjeld Andersen');
    expect(r.data!.bruger.tilknyttedePersoner[0].cprNummer).toBeNull();
    expect(r.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect(r.errors![0].path).toEqual(['bruger', 'tilknyttedePersoner', 0, 'cprNummer']);
  });
});

describe('time: virkning and registrering on every field', () => {
  const renamed = KORSBAEK.renamed;
  const moved = KORSBAEK.moved;

  it('shows the old name at a past virkning and the new one now', async () => {
    const r = await s.gql(`{ old: organisationEnhed(uuid: "${renamed.unit}", virkning: { tidspunkt: "2018-06-01T00:00:00Z" }) { navn }
      now: organisationEnhed(uuid: "${renamed.unit}") { navn } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data!.old.navn).toBe(renamed.oldName);
    expect(r.data!.now.navn).toBe(renamed.newName);
  });

  it('answers as recorded at a past registrering (before the rename was registered)', async () => {
    const r = await s.gql(`{ organisationEnhed(uuid: "${renamed.unit}", registrering: { tidspunkt: "2019-03-05T00:00:00Z" }) { navn registreringer { livscyklus tidspunkt } } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data!.organisationEnhed.navn).toBe(renamed.oldName);
    expect(r.data!.organisationEnhed.registreringer).toHaveLength(2);
  });

  it('keeps the move: old parent at virkning 2022, new parent now, old parent as registered before the move', async () => {
    const r = await s.gql(`{ v2022: organisationEnhed(uuid: "${moved.unit}", virkning: { tidspunkt: "2022-06-01T00:00:00Z" }) { overordnet { uuid navn } }
      now: organisationEnhed(uuid: "${moved.unit}") { overordnet { uuid } }
      asRecorded: organisationEnhed(uuid: "${moved.unit}", registrering: { tidspunkt: "2022-12-01T00:00:00Z" }, virkning: { tidspunkt: "2024-01-01T00:00:00Z" }) { overordnet { uuid } } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data!.v2022.overordnet.uuid).toBe(moved.oldParent);
    expect(r.data!.now.overordnet.uuid).toBe(moved.newParent);
    expect(r.data!.asRecorded.overordnet.uuid).toBe(moved.oldParent);
  });

  it('inherits the parent field\'s time, and a field may override it', async () => {
    const r = await s.gql(`{ organisationEnhed(uuid: "${moved.unit}", virkning: { tidspunkt: "2022-06-01T00:00:00Z" }) {
      overordnet { uuid underenheder { uuid } }
      nu: overordnet(virkning: { tidspunkt: "2024-06-01T00:00:00Z" }) { uuid underenheder { uuid } } } }`);
    expect(r.errors).toBeUndefined();
    const e = r.data!.organisationEnhed;
    expect(e.overordnet.uuid).toBe(moved.oldParent);
    expect(e.overordnet.underenheder.map((u: any) => u.uuid)).toContain(moved.unit);
    expect(e.nu.uuid).toBe(moved.newParent);
    expect(e.nu.underenheder.map((u: any) => u.uuid)).toContain(moved.unit);
  });

  it('lists history rows with their own virkning over an interval', async () => {
    const r = await s.gql(`{ organisationEnhed(uuid: "${renamed.unit}") {
      historik(virkning: { fra: "2016-01-01T00:00:00Z" }) { egenskaber { virkning { fra til } navn } gyldighed { status } relationer { relation uuid } } } }`);
    expect(r.errors).toBeUndefined();
    const h = r.data!.organisationEnhed.historik;
    expect(h.egenskaber.map((e: any) => e.navn)).toEqual([renamed.oldName, renamed.newName]);
    expect(Date.parse(h.egenskaber[0].virkning.til)).toBe(Date.parse(renamed.virkningFra));
    expect(h.egenskaber[1].virkning.til).toBeNull();
    expect(h.gyldighed[0].status).toBe('Aktiv');
    expect(h.relationer.map((x: any) => x.relation)).toContain('Overordnet');
  });

  it('a history over an interval spanning the move holds both parents', async () => {
    const r = await s.gql(`{ organisationEnhed(uuid: "${moved.unit}") { historik(virkning: { fra: "2020-01-01T00:00:00Z", til: "2025-01-01T00:00:00Z" }) { relationer { relation uuid virkning { fra til } } } } }`);
    expect(r.errors).toBeUndefined();
    const parents = r.data!.organisationEnhed.historik.relationer.filter((x: any) => x.relation === 'Overordnet');
    expect(parents.map((p: any) => p.uuid)).toEqual([moved.oldParent, moved.newParent]);
  });

  it('a single-valued field answers an interval at its start', async () => {
    const r = await s.gql(`{ organisationEnhed(uuid: "${renamed.unit}", virkning: { fra: "2018-01-01T00:00:00Z", til: "2020-01-01T00:00:00Z" }) { navn } }`);
    expect(r.data!.organisationEnhed.navn).toBe(renamed.oldName);
  });

  it('rejects bad time arguments with BAD_USER_INPUT and a clear message', async () => {
    const cases: Array<[string, RegExp]> = [
      ['virkning: { tidspunkt: "2020-01-01T00:00:00Z", fra: "2019-01-01T00:00:00Z" }', /either tidspunkt or fra\/til/],
      ['virkning: { fra: "2021-01-01T00:00:00Z", til: "2020-01-01T00:00:00Z" }', /fra is after til/],
      ['virkning: {}', /give tidspunkt/],
    ];
    for (const [arg, msg] of cases) {
      const r = await s.gql(`{ organisationEnhed(uuid: "${U.kommune}", ${arg}) { navn } }`);
      expect(r.errors?.[0].message).toMatch(msg);
      expect(r.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
    const bad = await s.gql('query($t: DateTime!) { organisationEnhed(uuid: "' + U.kommune + '", virkning: { tidspunkt: $t }) { navn } }', { t: 'yesterday' });
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0].message).toMatch(/DateTime/);
    const badUuid = await s.gql('query($u: UUID!) { organisationEnhed(uuid: $u) { navn } }', { u: 'not-a-uuid' });
    expect(badUuid.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(badUuid.errors?.[0].message).toMatch(/UUID/);
    const literal = await s.gql('{ organisationEnhed(uuid: "xyz") { navn } }');
    expect(literal.errors?.[0].message).toMatch(/UUID/);
  });
});

describe('batching', () => {
  const allUnits = Object.values(U);
  const query = (n: number): string => `{ organisationEnheder(uuids: ${JSON.stringify(allUnits.slice(0, n))}) { navn enhedstype { titel } tilhoerer { navn } overordnet { navn overordnet { navn } } } }`;

  it('a relation level costs one List per object type, whatever the number of parents', async () => {
    const counts: number[] = [];
    for (const n of [3, 20]) {
      const c = soapCounter(s);
      const r = await s.gql(query(n));
      c.stop();
      expect(r.errors).toBeUndefined();
      expect(r.data!.organisationEnheder).toHaveLength(n);
      counts.push(c.calls());
      const ops = r.extensions!.sf1500!.byOperation;
      expect(Object.keys(ops).every((k) => k.endsWith('.list'))).toBe(true);
      // levels: units, their parents, grandparents (OrganisationEnhed) + Klasse + Organisation
      expect(ops['organisationenhed.list'].calls).toBeLessThanOrEqual(3);
      expect(ops['klasse.list'].calls).toBe(1);
      expect(ops['organisation.list'].calls).toBe(1);
    }
    expect(counts[1]).toBe(counts[0]);
  });

  it.each([
    ['navn and overordnet { uuid }', '{ navn overordnet { uuid } }', { 'organisationenhed.list': 1 }],
    ['navn and overordnetUuid', '{ navn overordnetUuid }', { 'organisationenhed.list': 1 }],
    ['uuids of every kind of relation', '{ navn overordnet { uuid __typename } tilhoerer { uuid } enhedstype { uuid } opgaver { klasse { uuid } rolle { uuid } } }', { 'organisationenhed.list': 1 }],
    ['overordnet { navn }', '{ navn overordnet { navn } }', { 'organisationenhed.list': 2 }],
    ['overordnet { uuid navn }', '{ overordnet { uuid navn } }', { 'organisationenhed.list': 2 }],
    ['opgaver { klasse { titel } }', '{ opgaver { klasse { titel } } }', { 'organisationenhed.list': 1, 'klasse.list': 1 }],
  ])('costs only the calls the answer needs: %s', async (_name, selection, expected) => {
    const r = await s.gql(`{ organisationEnhed(uuid: "${U.ydelsescenteret}") ${selection} }`);
    expect(r.errors).toBeUndefined();
    expect(Object.fromEntries(Object.entries(r.extensions!.sf1500!.byOperation).map(([k, v]) => [k, v.calls]))).toEqual(expected);
  });

  it('a uuid-only relation gives the reference as recorded; asking for more checks the target exists', async () => {
    const own = await testStack();
    try {
      // The parent becomes a UUID SF1500 does not know.
      const missing = '0badc0de-0000-4000-8000-000000000001';
      const r0 = await own.client.ret('OrganisationEnhed', U.kontanthjaelp, {
        relationer: [{ name: 'Overordnet', virkning: { fra: '2024-01-01T00:00:00Z', til: null }, ref: { uuid: missing } }],
      });
      expect(r0.statusKode).toBe(20);
      const r = await own.gql(`{ a: organisationEnhed(uuid: "${U.kontanthjaelp}") { overordnet { uuid } overordnetUuid } b: organisationEnhed(uuid: "${U.kontanthjaelp}") { overordnet { uuid navn } } }`);
      expect(r.errors).toBeUndefined();
      expect(r.data!.a).toEqual({ overordnet: { uuid: missing }, overordnetUuid: missing });
      expect(r.data!.b.overordnet).toBeNull();
    } finally {
      await own.close();
    }
  });

  it('two different times in one request use separate loaders and give both answers', async () => {
    const r = await s.gql(`{ a: organisationEnhed(uuid: "${KORSBAEK.renamed.unit}", virkning: { tidspunkt: "2017-01-01T00:00:00Z" }) { navn }
      b: organisationEnhed(uuid: "${KORSBAEK.renamed.unit}") { navn } }`);
    expect([r.data!.a.navn, r.data!.b.navn]).toEqual([KORSBAEK.renamed.oldName, KORSBAEK.renamed.newName]);
    expect(r.extensions!.sf1500!.byOperation['organisationenhed.list'].calls).toBe(2);
  });
});

describe('search', () => {
  it('pages through all users with no duplicates and no gaps', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const r: any = await s.gql('query($after: String) { soegBrugere(first: 5, after: $after) { totalCount nodes { uuid } pageInfo { hasNextPage endCursor } } }', { after });
      expect(r.errors).toBeUndefined();
      expect(r.data.soegBrugere.totalCount).toBe(KORSBAEK.counts.users);
      seen.push(...r.data.soegBrugere.nodes.map((n: any) => n.uuid));
      if (!r.data.soegBrugere.pageInfo.hasNextPage) break;
      after = r.data.soegBrugere.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(KORSBAEK.counts.users);
    expect(new Set(seen).size).toBe(KORSBAEK.counts.users);
    expect(new Set(seen)).toEqual(new Set(Object.values(B)));
  });

  it('filters by name wildcard, relation and KLE responsibility', async () => {
    const r = await s.gql(`{ byName: soegOrganisationEnheder(filter: { navn: "ydelse*" }) { nodes { navn } }
      byParent: soegOrganisationEnheder(filter: { overordnet: "${U.kommune}", gyldighed: Aktiv }) { nodes { uuid } }
      byKle: soegOrganisationEnheder(filter: { opgaver: "${kleKlasseUuid('32.03')}" }) { nodes { uuid } }
      positions: soegOrganisationFunktioner(filter: { tilknyttedeEnheder: "${U.kontanthjaelp}", funktionstype: "${KLASSER.FUNKTIONSTYPE_ENHEDSROLLE}" }) { nodes { navn } } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data!.byName.nodes.map((n: any) => n.navn).sort()).toEqual(['Ydelse og Rådighed', 'Ydelsescenteret', 'Ydelseskontoret']);
    expect(r.data!.byParent.nodes).toHaveLength(3);
    expect(r.data!.byKle.nodes).toEqual([{ uuid: U.kontaktcenteret }]);
    expect(r.data!.positions.nodes).toHaveLength(3);
  });

  it('rejects bad paging arguments', async () => {
    const r1 = await s.gql('{ soegBrugere(first: 0) { nodes { uuid } } }');
    expect(r1.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const r2 = await s.gql('{ soegBrugere(after: "bm9wZQ") { nodes { uuid } } }');
    expect(r2.errors?.[0].message).toMatch(/cursor/);
  });
});
