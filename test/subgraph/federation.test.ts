import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloGateway, IntrospectAndCompose } from '@apollo/gateway';
import { KORSBAEK } from '../../src/emulator/seed';
import { testStack, type GqlResult } from '../support/stack';
import { HR_DATA, HR_UNKNOWN_TO_SF1500, startSecondSubgraph, type SecondSubgraph } from '../support/second-subgraph';

/**
 * The subgraph behind a real gateway: @apollo/gateway introspects our subgraph and the hr subgraph
 * over HTTP on loopback (`_service { sdl }`), composes them and plans queries that cross between
 * them through `_entities`. Answers are checked against the Korsbæk seed facts.
 */

const B = KORSBAEK.brugere;
const hr = (uuid: string) => HR_DATA.find((r) => r.uuid === uuid)!;
const silent = { debug() {}, info() {}, warn() {}, error() {} };

describe('federation through @apollo/gateway', () => {
  let stack: Awaited<ReturnType<typeof testStack>>;
  let second: SecondSubgraph;
  let gatewayServer: ApolloServer;
  let gatewayUrl: string;

  const query = async (q: string, variables?: Record<string, unknown>): Promise<GqlResult> => {
    const res = await fetch(gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: q, variables }) });
    expect(res.status).toBe(200);
    return (await res.json()) as GqlResult;
  };

  beforeAll(async () => {
    [stack, second] = await Promise.all([testStack(), startSecondSubgraph()]);
    const gateway = new ApolloGateway({
      logger: silent,
      supergraphSdl: new IntrospectAndCompose({
        subgraphs: [{ name: 'sf1500', url: stack.subgraph.url }, { name: second.name, url: second.url }],
      }),
    });
    gatewayServer = new ApolloServer({ gateway, logger: silent });
    ({ url: gatewayUrl } = await startStandaloneServer(gatewayServer, { listen: { port: 0, host: '127.0.0.1' } }));
  });

  afterAll(async () => {
    await gatewayServer?.stop();
    await second?.close();
    await stack?.close();
  });

  it('starts in our subgraph and joins the hr fields of the unit\'s Brugere', async () => {
    second.received.length = 0;
    const res = await query(`query ($enhed: UUID!) {
      organisationEnhed(uuid: $enhed) {
        navn
        medarbejdere { uuid navn ferieSaldo kompetencer }
        leder { uuid navn ferieSaldo kompetencer }
      }
    }`, { enhed: KORSBAEK.renamed.unit });
    expect(res.errors).toBeUndefined();
    const unit = res.data!.organisationEnhed;
    expect(unit.navn).toBe(KORSBAEK.renamed.newName);
    // Kontanthjælpsteamet: YM01 (KA) and YM02 (HN); YM03 is vacant.
    const byName = [...unit.medarbejdere].sort((a: { navn: string }, b: { navn: string }) => a.navn.localeCompare(b.navn));
    expect(byName).toEqual([
      { uuid: B.HN, navn: 'HN', ferieSaldo: hr(B.HN).ferieSaldo, kompetencer: hr(B.HN).kompetencer },
      { uuid: B.KA, navn: 'KA', ferieSaldo: hr(B.KA).ferieSaldo, kompetencer: hr(B.KA).kompetencer },
    ]);
    // The leader is inherited from Ydelsescenteret (Centerchef GRMU).
    expect(unit.leder).toEqual({ uuid: KORSBAEK.leaderless.leaderBruger, navn: 'GRMU', ferieSaldo: hr(B.GRMU).ferieSaldo, kompetencer: ['Ledelse'] });
    // The gateway fetched the hr fields through _entities.
    expect(second.received.some((q) => q.includes('_entities'))).toBe(true);
  });

  it('starts in the hr subgraph and joins our fields: names, units and leaders', async () => {
    const res = await query(`query ($kompetence: String!) {
      medarbejdereMedKompetence(kompetence: $kompetence) {
        uuid
        ferieSaldo
        navn
        tilknyttedePersoner { navn }
        enheder { navn leder { navn tilknyttedePersoner { navn } } }
        ledere { uuid navn }
      }
    }`, { kompetence: 'Jobsøgning' });
    expect(res.errors).toBeUndefined();
    // HR's order: PIASTE (Ydelse og Rådighed) then HENJAC (Job og Ressourcer); both teams of Jobcenter, led by Kontorchef IBOL.
    expect(res.data!.medarbejdereMedKompetence).toEqual([
      {
        uuid: B.PIASTE, ferieSaldo: 12, navn: 'PIASTE', tilknyttedePersoner: [{ navn: 'Pia Stenberg' }],
        enheder: [{ navn: 'Ydelse og Rådighed', leder: { navn: 'IBOL', tilknyttedePersoner: [{ navn: 'Ib Olsen' }] } }],
        ledere: [{ uuid: B.IBOL, navn: 'IBOL' }],
      },
      {
        uuid: B.HENJAC, ferieSaldo: 20, navn: 'HENJAC', tilknyttedePersoner: [{ navn: 'Henrik Jacobsen' }],
        enheder: [{ navn: 'Job og Ressourcer', leder: { navn: 'IBOL', tilknyttedePersoner: [{ navn: 'Ib Olsen' }] } }],
        ledere: [{ uuid: B.IBOL, navn: 'IBOL' }],
      },
    ]);
  });

  it('passes time arguments through the join: a unit name before the 2019 rename', async () => {
    const res = await query(`{
      medarbejdereMedKompetence(kompetence: "Kontanthjælp") {
        navn
        nu: enheder { navn }
        foer: enheder(virkning: { tidspunkt: "2018-06-01T00:00:00Z" }) { navn leder { navn } }
      }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.medarbejdereMedKompetence).toEqual([
      { navn: 'KA', nu: [{ navn: KORSBAEK.renamed.newName }], foer: [{ navn: KORSBAEK.renamed.oldName, leder: { navn: 'GRMU' } }] },
      { navn: 'HN', nu: [{ navn: KORSBAEK.renamed.newName }], foer: [{ navn: KORSBAEK.renamed.oldName, leder: { navn: 'GRMU' } }] },
    ]);
  });

  it('a Bruger that HR knows and SF1500 does not keeps its hr fields; ours are null, without errors', async () => {
    const res = await query('{ medarbejdereMedKompetence(kompetence: "Arkiv") { uuid ferieSaldo navn enheder { navn } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data!.medarbejdereMedKompetence).toEqual([{ uuid: HR_UNKNOWN_TO_SF1500, ferieSaldo: 0, navn: null, enheder: null }]);
  });
});
