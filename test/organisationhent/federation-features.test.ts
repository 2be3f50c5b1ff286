import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloGateway, IntrospectAndCompose } from '@apollo/gateway';
import { KLASSIFIKATION, KORSBAEK } from '../../src/emulator/seed';
import { testStack, type GqlResult } from '../support/stack';
import { addFixtures, FIX } from './fixtures';

/**
 * OrganisationHent's features in our federation schema, on /graphql and through @apollo/gateway:
 * organisation(cvr:), units by KLE wildcards and IT system, adresser(rolle:), memberships with start
 * and end (at now and at a past virkning), user search, titles from Klassifikation, name gating and
 * registreringer with time arguments. Answers are checked against Korsbæk and the fixtures.
 */

jest.setTimeout(120_000);
const U = KORSBAEK.units;
const B = KORSBAEK.brugere;
const silent = { debug() {}, info() {}, warn() {}, error() {} };

let stack: Awaited<ReturnType<typeof testStack>>;
let gatewayServer: ApolloServer;
let gatewayUrl: string;

beforeAll(async () => {
  stack = await testStack();
  await addFixtures(stack.client);
  const gateway = new ApolloGateway({ logger: silent, supergraphSdl: new IntrospectAndCompose({ subgraphs: [{ name: 'sf1500', url: stack.subgraph.url }] }) });
  gatewayServer = new ApolloServer({ gateway, logger: silent });
  ({ url: gatewayUrl } = await startStandaloneServer(gatewayServer, { listen: { port: 0, host: '127.0.0.1' } }));
});
afterAll(async () => {
  await gatewayServer?.stop();
  await stack?.close();
});

const via: Array<[string, (q: string) => Promise<GqlResult>]> = [
  ['/graphql', (q) => stack.gql(q)],
  ['the gateway', async (q) => (await fetch(gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: q }) })).json() as Promise<GqlResult>],
];

describe.each(via)('through %s', (_name, gql) => {
  const data = async (q: string) => {
    const r = await gql(q);
    expect(r.errors).toBeUndefined();
    return r.data!;
  };
  const uuids = (l: Array<{ uuid: string }>) => l.map((x) => x.uuid).sort();

  it('finds the organisation by CVR, and units by KLE wildcard, task role and IT system', async () => {
    const d = await data(`{ organisation(cvr: "11111111") { uuid
      kle: enhedsliste(filter: { kleNummer: ["32.0*"], opgaveRolle: "${KLASSIFIKATION.OPGAVE_ROLLE_ANSVARLIG}" }) { uuid }
      alle: enhedsliste(filter: { kleNummer: ["*"] }) { uuid }
      it: enhedsliste(filter: { itSystemer: ["${FIX.itSystem}"] }) { uuid }
      aktive: enhedsliste(filter: { gyldighed: Aktiv }) { uuid } } }`);
    expect(d.organisation.uuid).toBe(KORSBAEK.organisation);
    expect(uuids(d.organisation.kle)).toEqual([U.kontaktcenteret]);
    expect(uuids(d.organisation.alle)).toEqual([U.kontaktcenteret, U.ydelsescenteret].sort());
    expect(uuids(d.organisation.it)).toEqual([U.kontaktcenteret]);
    expect(d.organisation.aktive).toHaveLength(KORSBAEK.counts.units);
    expect(d.organisation.aktive[0].uuid).toBe(KORSBAEK.rootUnit);
  });

  it('filters addresses by role and names roles, task roles and function types from Klassifikation', async () => {
    const d = await data(`{ organisationEnhed(uuid: "${U.borgerservice}") {
      adresser(rolle: ["${KLASSIFIKATION.ROLE_OU_POST}", "${KLASSIFIKATION.ROLE_OU_PHONE}"]) { adresse { adresseTekst } adresseRolleTitel }
      medlemskaber { uuid funktionsTypeTitel funktion { funktionsTypeTitel } bruger { navn brugerTypeTitel } } }
      kc: organisationEnhed(uuid: "${U.kontaktcenteret}") { opgaver { opgaveRolleTitel klasse { brugervendtNoegle } } } }`);
    expect(d.organisationEnhed.adresser).toEqual([
      { adresse: { adresseTekst: 'Skyttemarksvej 17, 4260 Korsbæk' }, adresseRolleTitel: 'Postadresse' },
      { adresse: { adresseTekst: '55771842' }, adresseRolleTitel: 'Telefon' },
    ]);
    expect(d.organisationEnhed.medlemskaber).toEqual([{ uuid: FIX.staggered.uuid, funktionsTypeTitel: 'Enhedsrolle', funktion: { funktionsTypeTitel: 'Enhedsrolle' }, bruger: { navn: 'KA', brugerTypeTitel: 'Intern bruger' } }]);
    expect(d.kc.opgaver).toEqual([{ opgaveRolleTitel: 'Ansvarlig', klasse: { brugervendtNoegle: '32.03' } }, { opgaveRolleTitel: 'Ansvarlig', klasse: { brugervendtNoegle: '32.06' } }]);
  });

  it('gives memberships with start and end by KOMBIT\'s rule, now and at a past virkning', async () => {
    const d = await data(`{ bruger(uuid: "${B.KA}") {
      nu: harMedlemskab(rolle: ["${KLASSIFIKATION.FUNK_ENHEDSROLLE}"]) { uuid navn start slut enhed { uuid } }
      dengang: harMedlemskab(virkning: { tidspunkt: "2019-06-01T00:00:00Z" }) { uuid start slut }
      leder: harMedlemskab(rolle: ["${KLASSIFIKATION.FUNK_LEDERROLLE}"]) { uuid } } }`);
    const nu = Object.fromEntries(d.bruger.nu.map((m: any) => [m.uuid, m]));
    expect(nu[FIX.staggered.uuid]).toEqual({ uuid: FIX.staggered.uuid, navn: 'Sagsbehandler', start: FIX.staggered.start, slut: FIX.staggered.slut, enhed: { uuid: FIX.staggered.enhed } });
    expect(Object.keys(nu).sort()).toEqual(['596db1d4-b40c-411a-963b-f04e78345788', FIX.staggered.uuid].sort());
    expect(d.bruger.dengang.find((m: any) => m.uuid === FIX.ended.uuid)).toEqual({ uuid: FIX.ended.uuid, start: FIX.ended.start, slut: FIX.ended.slut });
    expect(d.bruger.dengang.some((m: any) => m.uuid === FIX.staggered.uuid)).toBe(false);
    expect(d.bruger.leder).toEqual([]);
  });

  it('searches users by brugernavn, type, address text by role and person name; CPR is gated', async () => {
    const d = await data(`{ organisation(cvr: "11111111") {
      navn: brugerliste(filter: { brugernavn: "JE*" }) { navn }
      type: brugerliste(filter: { brugerType: "${FIX.internBruger}" }) { navn }
      adresse: brugerliste(filter: { adresseRolle: "${KLASSIFIKATION.ROLE_USER_EMAIL}", adresseTekst: "hn@*" }) { navn }
      person: brugerliste(filter: { personNavn: "Grethe*" }) { navn } } }`);
    expect(d.organisation).toEqual({ navn: [{ navn: 'JEKI' }], type: [{ navn: 'KA' }], adresse: [{ navn: 'HN' }], person: [{ navn: 'GRMU' }] });
    const cpr = await gql(`{ organisation(cvr: "11111111") { brugerliste(filter: { cpr: "0606751234" }) { navn } } }`);
    expect(cpr.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('limits registreringer by registrering and virkning', async () => {
    const r = KORSBAEK.renamed;
    const d = await data(`{ organisationEnhed(uuid: "${r.unit}") {
      alle: registreringer { tidspunkt }
      foer: registreringer(registrering: { tidspunkt: "2018-01-01T00:00:00Z" }) { tidspunkt }
      virk: registreringer(virkning: { fra: "2020-01-01T00:00:00Z" }) { tidspunkt }
      foerImport: registreringer(virkning: { til: "2010-01-01T00:00:00Z" }) { tidspunkt } } }`);
    expect(d.organisationEnhed.alle).toHaveLength(2);
    expect(d.organisationEnhed.foer.map((x: any) => Date.parse(x.tidspunkt))).toEqual([Date.parse(r.firstRegistreret)]);
    expect(d.organisationEnhed.virk).toHaveLength(2);
    // Every row starts at the import (2016): no registration touches a virkning before it.
    expect(d.organisationEnhed.foerImport).toEqual([]);
  });
});

it('gates person names when configured (NAVN_EXPOSE=false), as CPR', async () => {
  const gated = await testStack({ NAVN_EXPOSE: 'false' });
  try {
    const r = await gated.gql(`{ person(uuid: "04f9a81f-ffa1-45f2-9a4f-1afd7bef52b5") { brugervendtNoegle navn } }`);
    expect(r.data?.person).toEqual({ brugervendtNoegle: 'KA', navn: null });
    expect(r.errors?.[0]).toMatchObject({ path: ['person', 'navn'], extensions: { code: 'FORBIDDEN' } });
    const s = await gated.gql(`{ soegPersoner(filter: { navn: "K*" }) { nodes { uuid } } }`);
    expect(s.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const open = await stack.gql(`{ person(uuid: "04f9a81f-ffa1-45f2-9a4f-1afd7bef52b5") { navn } }`);
    expect(open.data?.person).toEqual({ navn: 'Kjeld Andersen' });
  } finally {
    await gated.close();
  }
});
