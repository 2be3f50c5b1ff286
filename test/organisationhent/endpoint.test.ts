import { KLASSIFIKATION, KORSBAEK } from '../../src/emulator/seed';
import { testStack } from '../support/stack';
import { addFixtures, FIX } from './fixtures';
import { hent, readmeQueries } from './support';

/**
 * The OrganisationHent endpoint on the real stack (local SF1500 over SOAP, Korsbæk), checked
 * against the seeded facts: organisation by CVR, paging both ways, KLE wildcards, IT systems,
 * memberships by KOMBIT's start/slut rule, user filters, person data gating, headers and errors.
 */

jest.setTimeout(120_000);
type Stack = Awaited<ReturnType<typeof testStack>>;
let s: Stack;
const U = KORSBAEK.units;
const B = KORSBAEK.brugere;
const ANSVARLIG = KLASSIFIKATION.OPGAVE_ROLLE_ANSVARLIG;
const ENHEDSROLLE = KLASSIFIKATION.FUNK_ENHEDSROLLE;

beforeAll(async () => {
  s = await testStack();
  await addFixtures(s.client);
});
afterAll(() => s?.close());

const data = async (query: string, variables?: Record<string, unknown>) => {
  const r = await hent(s, query, variables);
  expect(r.status).toBe(200);
  expect((r.body.errors ?? []).filter((e: any) => e.extensions?.type !== 'WARNING')).toEqual([]);
  return r.body.data;
};

describe('organisation by CVR', () => {
  it('answers Korsbæk (CVR 11111111) with its Virksomhed, Myndighed and root unit', async () => {
    const d = await data(`{ organisation(cvr: "11111111") { uuid organisationsnavn brugervendtNoegle virksomhed { uuid cvrNummerTekst } myndighed { uuid myndighedskode } organisationEnhed { uuid enhedsnavn underliggendeEnheder { enhedsnavn } } } }`);
    const { underliggendeEnheder, ...root } = d.organisation.organisationEnhed;
    expect({ ...d.organisation, organisationEnhed: root }).toEqual({
      uuid: KORSBAEK.organisation, organisationsnavn: KORSBAEK.navn, brugervendtNoegle: KORSBAEK.navn,
      virksomhed: { uuid: KORSBAEK.virksomhed, cvrNummerTekst: KORSBAEK.cvr },
      myndighed: { uuid: KORSBAEK.myndighed, myndighedskode: KORSBAEK.myndighedsKode },
      organisationEnhed: { uuid: KORSBAEK.rootUnit, enhedsnavn: KORSBAEK.navn },
    });
    expect(underliggendeEnheder.map((u: any) => u.enhedsnavn).sort()).toEqual(['Borgerservice', 'Social og Sundhedsforvaltningen', 'Ydelsescenteret']);
  });

  it('is null with a NotFound error for an unknown CVR', async () => {
    const r = await hent(s, `{ organisation(cvr: "99999999") { uuid } }`);
    expect(r.body.data.organisation).toBeNull();
    expect(r.body.errors[0]).toMatchObject({ path: ['organisation'], extensions: { classification: 'NotFound', type: 'ERROR', kildeId: 'GrapqhQL Organisation', id: expect.stringMatching(/^[0-9a-f-]{36}$/) } });
  });
});

describe('organisationEnhedListe paging', () => {
  const q = `query ($first: Int, $after: Cursor, $last: Int, $before: Cursor) { organisationEnhedListe(cvr: "11111111", status: AKTIV, first: $first, after: $after, last: $last, before: $before) {
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { uuid } } } }`;
  let all: string[];

  it('gives every unit by default (page of 500), the root first', async () => {
    const d = await data(q);
    all = d.organisationEnhedListe.edges.map((e: any) => e.node.uuid);
    expect(all).toHaveLength(KORSBAEK.counts.units);
    expect(all[0]).toBe(KORSBAEK.rootUnit);
    expect(new Set(all)).toEqual(new Set(Object.values(U)));
    expect(d.organisationEnhedListe.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
  });

  it('pages three at a time with first/after: no duplicates, no gaps', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (let i = 0; i < 10; i++) {
      const p = (await data(q, { first: 3, after })).organisationEnhedListe;
      seen.push(...p.edges.map((e: any) => e.node.uuid));
      expect(p.edges.length).toBeLessThanOrEqual(3);
      expect(p.pageInfo.hasPreviousPage).toBe(after !== undefined);
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor;
    }
    expect(seen).toEqual(all);
  });

  it('pages three at a time backwards with last/before: no duplicates, no gaps', async () => {
    const pages: string[][] = [];
    let before: string | undefined;
    for (let i = 0; i < 10; i++) {
      const p = (await data(q, { last: 3, before })).organisationEnhedListe;
      pages.unshift(p.edges.map((e: any) => e.node.uuid));
      expect(p.pageInfo.hasNextPage).toBe(before !== undefined);
      if (!p.pageInfo.hasPreviousPage) break;
      before = p.pageInfo.startCursor;
    }
    expect(pages.flat()).toEqual(all);
    expect(pages[pages.length - 1]).toHaveLength(3);
  });

  it('uses opaque cursors (base64 of the UUID, as KOMBIT) and refuses mixed directions and forged cursors', async () => {
    const p = (await data(q, { first: 1 })).organisationEnhedListe;
    expect(Buffer.from(p.edges[0].cursor, 'base64').toString()).toBe(KORSBAEK.rootUnit);
    for (const v of [{ first: 1, last: 1 }, { after: p.pageInfo.endCursor, before: p.pageInfo.endCursor }, { after: 'cursor123' }, { first: -1 }]) {
      const r = await hent(s, q, v);
      expect(r.status).toBe(200);
      expect(r.body.errors[0].extensions.classification).toBe('ValidationError');
    }
  });

  it('caps a page at 500', async () => {
    const d = await data(q, { first: 100_000 });
    expect(d.organisationEnhedListe.edges).toHaveLength(KORSBAEK.counts.units);
  });
});

describe('organisationEnhedListe filters', () => {
  const units = async (args: string) => (await data(`{ organisationEnhedListe(cvr: "11111111", status: AKTIV, ${args}) { edges { node { uuid } } } }`))
    .organisationEnhedListe.edges.map((e: any) => e.node.uuid).sort();

  it('filters by KLE number with right-padded wildcards and the task role', async () => {
    expect(await units(`opgaver: { rolle: "${ANSVARLIG}", kleNummer: ["32*"] }`)).toEqual([U.kontaktcenteret, U.ydelsescenteret].sort());
    expect(await units(`opgaver: { rolle: "${ANSVARLIG}", kleNummer: ["32.0*"] }`)).toEqual([U.kontaktcenteret]);
    expect(await units(`opgaver: { kleNummer: ["32"] }`)).toEqual([U.ydelsescenteret]);
    expect(await units(`opgaver: { rolle: "${ANSVARLIG}", kleNummer: ["*"] }`)).toEqual([U.kontaktcenteret, U.ydelsescenteret].sort());
    expect(await units(`opgaver: { rolle: "${ANSVARLIG}", kleNummer: ["00.01*", "02.05.02"] }`)).toEqual([]);
    expect(await units(`opgaver: { rolle: "${ENHEDSROLLE}", kleNummer: ["*"] }`)).toEqual([]);
  });

  it('answers opgaver with KLE number, title and role title from Klassifikation', async () => {
    const d = await data(`{ organisationEnhed(uuid: "${U.kontaktcenteret}") { opgaver { kleEmneNummer kleEmneTitel opgaveRolleTitel klassifikation { rolle type indeks } } } }`);
    expect(d.organisationEnhed[0].opgaver.map((o: any) => [o.kleEmneNummer, o.opgaveRolleTitel, o.klassifikation.rolle, o.klassifikation.indeks])).toEqual([
      ['32.03', 'Ansvarlig', ANSVARLIG, '1'], ['32.06', 'Ansvarlig', ANSVARLIG, '2'],
    ]);
    expect(d.organisationEnhed[0].opgaver.every((o: any) => typeof o.kleEmneTitel === 'string' && o.kleEmneTitel.length > 0)).toBe(true);
  });

  it('filters by IT system', async () => {
    expect(await units(`itSystemer: ["${FIX.itSystem}", "61ad62e1-7ea0-42ae-a702-43779ebe8b06"]`)).toEqual([U.kontaktcenteret]);
    const d = await data(`{ organisationEnhed(uuid: "${U.kontaktcenteret}") { itSystemer { uuid itSystemNavn } } }`);
    expect(d.organisationEnhed[0].itSystemer).toEqual([{ uuid: FIX.itSystem, itSystemNavn: 'KMD Nexus' }]);
  });

  it('lists no unit as INAKTIV in Korsbæk', async () => {
    expect(await (async () => (await data(`{ organisationEnhedListe(cvr: "11111111", status: INAKTIV) { edges { node { uuid } } } }`)).organisationEnhedListe.edges)()).toEqual([]);
  });
});

describe('memberships (Medlemskab)', () => {
  const fields = 'uuid medlemskabRolleTitel brugervendtNoegle funktionsTypeUuid funktionsTypeTitel start slut';

  it('takes start as the latest and slut as the earliest of the three virkninger', async () => {
    const d = await data(`{ bruger(uuid: "${B.KA}") { harMedlemskab { ${fields} medlemAf { uuid } } } }`);
    const byUuid = Object.fromEntries(d.bruger[0].harMedlemskab.map((m: any) => [m.uuid, m]));
    expect(byUuid[FIX.staggered.uuid]).toEqual({
      uuid: FIX.staggered.uuid, medlemskabRolleTitel: 'Sagsbehandler', brugervendtNoegle: 'Sagsbehandler', funktionsTypeUuid: ENHEDSROLLE,
      funktionsTypeTitel: 'Enhedsrolle', start: FIX.staggered.start, slut: FIX.staggered.slut, medlemAf: { uuid: FIX.staggered.enhed },
    });
    // The seeded position YM01 in Kontanthjælpsteamet: all three rows open from the import.
    expect(byUuid['596db1d4-b40c-411a-963b-f04e78345788']).toMatchObject({ start: new Date(KORSBAEK.virkningFra).toISOString(), slut: null, medlemAf: { uuid: U.kontanthjaelp } });
  });

  it('lists active memberships only, and answers at another virkning when asked', async () => {
    const now = await data(`{ bruger(uuid: "${B.KA}") { harMedlemskab { uuid } } }`);
    expect(now.bruger[0].harMedlemskab.map((m: any) => m.uuid).sort()).toEqual(['596db1d4-b40c-411a-963b-f04e78345788', FIX.staggered.uuid].sort());
    const in2019 = await data(`{ bruger(uuid: "${B.KA}", virkning: { tidspunkt: "2019-06-01T00:00:00Z" }) { harMedlemskab { uuid start slut } } }`);
    expect(in2019.bruger[0].harMedlemskab.map((m: any) => m.uuid).sort()).toEqual(['596db1d4-b40c-411a-963b-f04e78345788', FIX.ended.uuid].sort());
    expect(in2019.bruger[0].harMedlemskab.find((m: any) => m.uuid === FIX.ended.uuid)).toMatchObject({ start: FIX.ended.start, slut: FIX.ended.slut });
  });

  it('filters by Funktionstype (rolle), on users and on units', async () => {
    const leder = await data(`{ bruger(uuid: "${B.KA}") { harMedlemskab(rolle: "${KLASSIFIKATION.FUNK_LEDERROLLE}") { uuid } } }`);
    expect(leder.bruger[0].harMedlemskab).toEqual([]);
    const unit = await data(`{ organisationEnhed(uuid: "${U.kontanthjaelp}") { medlemskaber(rolle: "${ENHEDSROLLE}") { uuid bruger { brugernavn } } } }`);
    // YM03 is vacant: a function without a Bruger is no membership.
    expect(unit.organisationEnhed[0].medlemskaber.map((m: any) => m.bruger.brugernavn).sort()).toEqual(['HN', 'KA']);
  });
});

describe('users', () => {
  const users = async (filter: string) => (await data(`{ brugerListe(cvr: "11111111", status: AKTIV${filter ? `, brugerFilter: { ${filter} }` : ''}) { edges { node { brugernavn } } } }`))
    .brugerListe.edges.map((e: any) => e.node.brugernavn).sort();

  it('lists the active users of the organisation', async () => {
    expect(await users('')).toHaveLength(KORSBAEK.counts.users);
  });

  it('filters by brugernavn (wildcards), user type, address text by role and person name', async () => {
    expect(await users('brugernavn: "JE*"')).toEqual(['JEKI']);
    expect(await users(`brugerTypeUuid: "${FIX.internBruger}"`)).toEqual(['KA']);
    expect(await users(`adresseRolleFilter: { rolle: "${KLASSIFIKATION.ROLE_USER_EMAIL}", tekst: "hn@korsbaek.dk" }`)).toEqual(['HN']);
    expect(await users(`adresseRolleFilter: { rolle: "${KLASSIFIKATION.ROLE_USER_EMAIL}", tekst: "*@korsbaek.dk" }`)).toHaveLength(KORSBAEK.counts.users);
    expect(await users(`adresseRolleFilter: { rolle: "${KLASSIFIKATION.ROLE_USER_PHONE}", tekst: "*" }`)).toEqual([]);
    expect(await users('personFilter: { navn: "Hanne*" }')).toEqual(['HN']);
  });

  it('answers brugerTypeTitel from Klassifikation and addresses by role', async () => {
    const d = await data(`{ bruger(uuid: ["${B.KA}", "${B.HN}"]) { brugernavn brugerTypeUuid brugerTypeTitel adresser(rolle: ["${KLASSIFIKATION.ROLE_USER_EMAIL}"]) { adresseTekst adresseRolleTitel } tilstand { status } } }`);
    expect(d.bruger).toEqual([
      { brugernavn: 'KA', brugerTypeUuid: FIX.internBruger, brugerTypeTitel: 'Intern bruger', adresser: [{ adresseTekst: 'ka@korsbaek.dk', adresseRolleTitel: 'Email' }], tilstand: { status: 'AKTIV' } },
      { brugernavn: 'HN', brugerTypeUuid: null, brugerTypeTitel: null, adresser: [{ adresseTekst: 'hn@korsbaek.dk', adresseRolleTitel: 'Email' }], tilstand: { status: 'AKTIV' } },
    ]);
  });

  it('refuses a CPR filter without the CPR permission (Unauthorized)', async () => {
    const r = await hent(s, `{ brugerListe(cvr: "11111111", status: AKTIV, brugerFilter: { personFilter: { cpr: "0606751234" } }) { edges { node { uuid } } } }`);
    expect(r.body.data.brugerListe).toBeNull();
    expect(r.body.errors[0].extensions).toMatchObject({ classification: 'Unauthorized', type: 'ERROR' });
  });

  it('gives null with a NotFound error at the place of an unknown UUID', async () => {
    const r = await hent(s, `{ bruger(uuid: ["${B.KA}", "00000000-0000-4000-8000-000000000000"]) { brugernavn } }`);
    expect(r.body.data.bruger).toEqual([{ brugernavn: 'KA' }, null]);
    expect(r.body.errors).toEqual([expect.objectContaining({ path: ['bruger', 1], extensions: expect.objectContaining({ classification: 'NotFound' }) })]);
  });
});

describe('person data (PersonDataConstraint)', () => {
  const q = `{ bruger(uuid: "${B.KA}") { person { uuid navn cpr brugervendtNoegle } } }`;

  it('withholds cpr without secpr-nummer: null with a WARNING, the rest answered', async () => {
    const r = await hent(s, q);
    expect(r.body.data.bruger[0].person).toEqual({ uuid: '04f9a81f-ffa1-45f2-9a4f-1afd7bef52b5', navn: 'Kjeld Andersen', cpr: null, brugervendtNoegle: 'KA' });
    expect(r.body.errors).toEqual([expect.objectContaining({ path: ['bruger', 0, 'person', 'cpr'], extensions: expect.objectContaining({ type: 'WARNING', classification: 'Unauthorized' }) })]);
  });

  it('withholds navn too when names are gated (NAVN_EXPOSE=false), and shows both when allowed', async () => {
    const gated = await testStack({ NAVN_EXPOSE: 'false' });
    const open = await testStack({ CPR_EXPOSE: 'true' });
    try {
      const r = await hent(gated, q);
      expect(r.body.data.bruger[0].person).toMatchObject({ navn: null, cpr: null });
      expect(r.body.errors.map((e: any) => [e.path.at(-1), e.extensions.type, e.extensions.classification]).sort()).toEqual([['cpr', 'WARNING', 'Unauthorized'], ['navn', 'WARNING', 'Unauthorized']]);
      const n = await hent(gated, `{ brugerListe(cvr: "11111111", status: AKTIV, brugerFilter: { personFilter: { navn: "K*" } }) { edges { cursor } } }`);
      expect(n.body.errors[0].extensions.classification).toBe('Unauthorized');
      const o = await hent(open, q);
      expect(o.body.errors).toBeUndefined();
      expect(o.body.data.bruger[0].person).toMatchObject({ navn: 'Kjeld Andersen', cpr: '0606751234' });
      const c = await hent(open, `{ brugerListe(cvr: "11111111", status: AKTIV, brugerFilter: { personFilter: { cpr: "0606751234" } }) { edges { node { brugernavn } } } }`);
      expect(c.body.data.brugerListe.edges).toEqual([{ node: { brugernavn: 'KA' } }]);
    } finally {
      await gated.close();
      await open.close();
    }
  });
});

describe('headers and errors', () => {
  const q = '{ organisation(cvr: "11111111") { uuid } }';

  it.each([
    ['x-TransaktionsId missing', { 'x-transaktionsid': undefined }],
    ['x-TransaktionsId not a UUID', { 'x-transaktionsid': 'abc' }],
    ['x-TransaktionsTid missing', { 'x-transaktionstid': undefined }],
    ['x-TransaktionsTid not a time', { 'x-transaktionstid': 'yesterday' }],
  ])('refuses a request with %s: HTTP 400 in the pre-execution format', async (_n, headers) => {
    const r = await hent(s, q, undefined, headers);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ timestamp: expect.any(String), status: 400, error: 'BadRequest', message: expect.stringMatching(/x-Transaktions(Id|Tid)/), path: '/organisation/organisationhent/1' });
    expect(Number.isNaN(Date.parse(r.body.timestamp))).toBe(false);
  });

  it('takes a plain ISO time as x-TransaktionsTid too', async () => {
    expect((await hent(s, q, undefined, { 'x-transaktionstid': '2024-05-01T10:00:00Z' })).status).toBe(200);
  });

  it.each([
    ['a syntax error', '{ organisation(cvr: "11111111") { uuid ', 'InvalidSyntax'],
    ['an unknown field', '{ organisation(cvr: "11111111") { navn } }', 'ValidationError'],
    ['a CVR of 7 digits', '{ organisation(cvr: "1111111") { uuid } }', 'ValidationError'],
    ['a malformed UUID', '{ bruger(uuid: "x") { uuid } }', 'ValidationError'],
    ['a mutation', 'mutation { x }', 'ValidationError'],
  ])('classifies %s (HTTP 200)', async (_n, query, classification) => {
    const r = await hent(s, query);
    expect(r.status).toBe(200);
    expect(r.body.errors[0].extensions).toMatchObject({ classification, type: 'ERROR', kildeId: 'GrapqhQL Organisation', message: r.body.errors[0].message });
  });

  it('reports SOAP calls like /graphql when asked (x-sf1500-calls: 1)', async () => {
    const r = await hent(s, `{ organisationEnhedListe(cvr: "11111111", status: AKTIV) { edges { node { enhedsnavn tilhoerer { uuid } } } } }`, undefined, { 'x-sf1500-calls': '1' });
    expect(r.body.extensions.sf1500.calls).toBeGreaterThan(0);
    expect(Object.keys(r.body.extensions.sf1500.byOperation).some((k) => k.includes('fremsoeg'))).toBe(true);
  });

  it('applies the depth and cost limits of /graphql', async () => {
    const deep = `{ organisation(cvr: "11111111") { organisationEnhed { ${'underliggendeEnheder { '.repeat(16)}uuid${' }'.repeat(16)} } } }`;
    expect((await hent(s, deep)).body.errors[0].extensions).toMatchObject({ classification: 'ValidationError', limit: 'GRAPHQL_MAX_DEPTH' });
    const wide = `{ organisationEnhedListe(cvr: "11111111", status: AKTIV) { edges { node { ${'underliggendeEnheder { '.repeat(7)}uuid${' }'.repeat(7)} } } } }`;
    expect((await hent(s, wide)).body.errors[0].extensions).toMatchObject({ classification: 'ValidationError', limit: 'GRAPHQL_MAX_COST' });
  });
});

describe('KOMBIT README samples on Korsbæk', () => {
  /** The samples' own UUIDs and CVRs are KOMBIT's test data: Korsbæk's stand in for them. */
  const korsbaek = (text: string): string => text
    .replace(/cvr: "\d{8}"/g, 'cvr: "11111111"')
    .replace(/organisationEnhed\(uuid: "[0-9a-f-]{36}"/g, `organisationEnhed(uuid: "${U.jobcenter}"`)
    .replace(/bruger\(\s*uuid:\s*\[?([\s\S]*?)\]?\s*\)/g, (_m, ids: string) => `bruger(uuid: [${ids.match(/"[0-9a-f-]{36}"/g)!.map((_x, i) => `"${[B.KA, B.HN][i % 2]}"`).join(', ')}])`);

  it.each(readmeQueries().map((q) => [q.name, q.text]))('%s answers', async (_name, text) => {
    const r = await hent(s, korsbaek(text));
    expect(r.status).toBe(200);
    const errors = (r.body.errors ?? []).filter((e: any) => e.extensions.type !== 'WARNING');
    // One sample pages `after: "cursor123"`, a placeholder that is no cursor of ours: a ValidationError, as KOMBIT would answer.
    if (text.includes('cursor123')) expect(errors.map((e: any) => e.extensions.classification)).toEqual(['ValidationError']);
    else {
      expect(errors).toEqual([]);
      expect(Object.values(r.body.data).every((v) => v !== null)).toBe(true);
    }
  });
});
