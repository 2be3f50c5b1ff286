/**
 * A bounded loopback load test: a few thousand mixed queries (1,500 in CI; 20,000 with STRESS=1) at
 * concurrency 12 against the whole stack (subgraph + local SF1500 over HTTP). Every answer must be
 * HTTP 200 without errors and identical to the answer the same query got alone (checked against
 * Korsbæk facts first). Throughput and latency are reported, never asserted.
 */
import { KORSBAEK } from '../../src/emulator/seed/korsbaek';
import { testStack } from '../support/stack';
import { FUZZ_SEED, mapLimit, percentiles, Rng, scaledTimeout, sized, STRESS_FACTOR } from '../support/fuzz';

const U = KORSBAEK.units;
const B = KORSBAEK.brugere;

interface Q {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  /** Facts the answer must show (checked on the reference answer). */
  check: (data: any) => void;
}

const QUERIES: Q[] = [
  {
    name: 'unit with parent',
    query: 'query($u: UUID!) { organisationEnhed(uuid: $u) { navn overordnet { uuid navn } tilhoerer { navn } } }',
    variables: { u: U.kontaktcenteret },
    check: (d) => expect(d.organisationEnhed).toEqual({ navn: 'Kontaktcenteret', overordnet: { uuid: U.borgerservice, navn: 'Borgerservice' }, tilhoerer: { navn: 'Korsbæk Kommune' } }),
  },
  {
    name: 'user with person and addresses',
    query: 'query($b: UUID!) { bruger(uuid: $b) { navn tilknyttedePersoner { navn } adresser { adresse { adresseTekst } } } }',
    variables: { b: B.KA },
    check: (d) => {
      expect(d.bruger.tilknyttedePersoner).toEqual([{ navn: 'Kjeld Andersen' }]);
      expect(d.bruger.adresser.map((a: any) => a.adresse.adresseTekst)).toContain('ka@korsbaek.dk');
    },
  },
  {
    name: 'search',
    query: '{ soegOrganisationEnheder(first: 10, filter: { navn: "Job*" }) { totalCount nodes { uuid navn } } }',
    check: (d) => expect(d.soegOrganisationEnheder.nodes.map((n: any) => n.uuid)).toContain(U.jobcenter),
  },
  {
    name: 'inherited leader',
    query: `{ organisationEnhed(uuid: "${KORSBAEK.leaderlessTwoUp.unit}") { leder { uuid navn } } }`,
    check: (d) => expect(d.organisationEnhed.leder.uuid).toBe(KORSBAEK.leaderlessTwoUp.leaderBruger),
  },
  {
    name: 'rename in the past',
    query: `{ old: organisationEnhed(uuid: "${KORSBAEK.renamed.unit}", virkning: { tidspunkt: "2018-06-01T00:00:00Z" }) { navn } now: organisationEnhed(uuid: "${KORSBAEK.renamed.unit}") { navn } }`,
    check: (d) => expect(d).toEqual({ old: { navn: KORSBAEK.renamed.oldName }, now: { navn: KORSBAEK.renamed.newName } }),
  },
  {
    name: 'move: parent then and now',
    query: `{ then: organisationEnhed(uuid: "${KORSBAEK.moved.unit}", virkning: { tidspunkt: "2022-06-01T00:00:00Z" }) { overordnet { uuid } } now: organisationEnhed(uuid: "${KORSBAEK.moved.unit}") { overordnet { uuid } } }`,
    check: (d) => expect(d).toEqual({ then: { overordnet: { uuid: KORSBAEK.moved.oldParent } }, now: { overordnet: { uuid: KORSBAEK.moved.newParent } } }),
  },
  {
    name: 'org chart below the root',
    query: `{ organisationEnhed(uuid: "${U.kommune}") { navn efterkommere { uuid } underenheder { navn antalUnderenheder } } }`,
    check: (d) => expect(d.organisationEnhed.efterkommere).toHaveLength(KORSBAEK.counts.units - 1),
  },
  {
    name: 'all units by UUID (one List)',
    query: 'query($u: [UUID!]!) { organisationEnheder(uuids: $u) { uuid navn gyldighed } }',
    variables: { u: Object.values(U) },
    check: (d) => {
      expect(d.organisationEnheder).toHaveLength(Object.values(U).length);
      expect(d.organisationEnheder.every((e: any) => e && e.gyldighed === 'Aktiv')).toBe(true);
    },
  },
  {
    name: 'function with units and KLE',
    query: `{ organisationFunktion(uuid: "${KORSBAEK.henvendelsessted.funktion}") { navn funktionstype { titel } tilknyttedeEnheder { uuid } tilknyttedeOpgaver { brugervendtNoegle } } }`,
    check: (d) => expect(d.organisationFunktion).toMatchObject({ funktionstype: { titel: 'Henvendelsessted' }, tilknyttedeEnheder: [{ uuid: U.jobcenter }], tilknyttedeOpgaver: [{ brugervendtNoegle: '32.00' }] }),
  },
  {
    name: 'missing object is null',
    query: '{ organisationEnhed(uuid: "00000000-0000-4000-8000-000000000000") { navn } }',
    check: (d) => expect(d).toEqual({ organisationEnhed: null }),
  },
];

describe('load: mixed queries at concurrency 12', () => {
  let s: Awaited<ReturnType<typeof testStack>>;
  beforeAll(async () => {
    // The production default hierarchy cache (30 s), as a deployed subgraph runs; testStack turns it off.
    s = await testStack({ SF1500_HIERARCHY_CACHE_MS: '30000' });
  });
  afterAll(async () => {
    await s?.close();
  });

  const send = async (q: Q): Promise<{ status: number; text: string; ms: number }> => {
    const started = performance.now();
    const res = await fetch(s.subgraph.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: q.query, variables: q.variables }) });
    return { status: res.status, text: await res.text(), ms: performance.now() - started };
  };

  /** The answer without `extensions` (they say how old the structure behind it is, which changes between requests). */
  const withoutExtensions = (text: string): string => {
    const { extensions: _ignored, ...answer } = JSON.parse(text) as Record<string, unknown>;
    return JSON.stringify(answer);
  };

  it(`answers ${sized(1500, 20000)} mixed queries with zero failures, each identical to its reference answer`, async () => {
    // Reference answers, one query at a time, checked against the Korsbæk facts.
    const reference = new Map<string, string>();
    for (const q of QUERIES) {
      const r = await send(q);
      expect([q.name, r.status]).toEqual([q.name, 200]);
      const body = JSON.parse(r.text);
      expect([q.name, body.errors]).toEqual([q.name, undefined]);
      q.check(body.data);
      reference.set(q.name, withoutExtensions(r.text));
    }

    const rng = new Rng(FUZZ_SEED + 2);
    const n = sized(1500, 20000);
    const plan = Array.from({ length: n }, () => rng.pick(QUERIES));
    const concurrency = 12;
    const failures: string[] = [];
    const latencies: number[] = [];
    const byName = new Map<string, number[]>();
    const started = performance.now();
    await mapLimit(plan, concurrency, async (q, i) => {
      try {
        const r = await send(q);
        latencies.push(r.ms);
        byName.set(q.name, [...(byName.get(q.name) ?? []), r.ms]);
        if (r.status !== 200) failures.push(`#${i} ${q.name}: HTTP ${r.status} ${r.text.slice(0, 200)}`);
        else if (withoutExtensions(r.text) !== reference.get(q.name)) failures.push(`#${i} ${q.name}: answer differs: ${r.text.slice(0, 300)}`);
      } catch (e) {
        failures.push(`#${i} ${q.name}: ${(e as Error).message}`);
      }
    });
    const seconds = (performance.now() - started) / 1000;
    const metrics = await (await fetch(new URL('/metrics', s.subgraph.url))).text();
    const soapCalls = metrics.split('\n').filter((l) => l.startsWith('sf1500_calls_total{')).reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
    const p = percentiles(latencies);
    console.log(`load (STRESS factor ${STRESS_FACTOR}): ${n} queries, concurrency ${concurrency}, ${seconds.toFixed(1)} s → ${(n / seconds).toFixed(0)} queries/s; `
      + `latency ms p50 ${p.p50} p95 ${p.p95} p99 ${p.p99} max ${p.max}; ${soapCalls} SOAP calls (${(soapCalls / n).toFixed(2)}/query); failures ${failures.length}; `
      + `rss ${Math.round(process.memoryUsage().rss / 1e6)} MB\n  p50 by query: ${[...byName].map(([k, v]) => `${k} ${percentiles(v).p50}`).join(', ')}`);
    expect(failures.slice(0, 10)).toEqual([]);
    expect(latencies).toHaveLength(n);
  }, scaledTimeout(120_000));

  it('is healthy and ready afterwards', async () => {
    expect((await fetch(new URL('/health', s.subgraph.url))).status).toBe(200);
    expect((await fetch(new URL('/ready', s.subgraph.url))).status).toBe(200);
  });
});
