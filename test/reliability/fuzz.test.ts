/**
 * Fuzzing both entry points with a seeded PRNG (FUZZ_SEED; sizes ×10 with STRESS=1):
 *  - GraphQL: mutated and random query text, broken JSON, wrong content types and methods, alias floods,
 *    nesting past the depth limit, bad UUID/DateTime variables, `first` out of range, unknown fields,
 *    oversized bodies. Each answer must be a proper HTTP status with a JSON error carrying a code; never a
 *    500, a stack trace, an INTERNAL_SERVER_ERROR, or a hang; a good query answers correctly afterwards.
 *  - SOAP: mutations of valid envelopes (recorded from the project's client, plus the Korsbæk sample
 *    messages when present): truncations, disallowed characters, random bytes, DTD/entity attacks, wrong
 *    namespaces, missing required elements, bad UUIDs, dates and numbers, oversized and over-deep bodies.
 *    Each answer must be a SOAP Fault or StandardRetur 40; nothing is written; a good Laes still answers.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { korsbaekSeed, KORSBAEK } from '../../src/emulator/seed';
import { startSf1500, type RunningSf1500 } from '../../src/emulator';
import { NS, OBJECT_TYPES, type Objekt } from '../../src/model';
import { Sf1500Client } from '../../src/sf1500/client';
import { MAX_OPERATION_LABELS } from '../../src/server/app';
import { envelope, readAnswer, startTestEmulator, type SoapAnswer } from '../support/soap';
import { testStack } from '../support/stack';
import { FUZZ_SEED, isFailure, looksLikeStack, mapLimit, mutate, rawRequest, Rng, scaledTimeout, sized, type RawRequest } from '../support/fuzz';

const U = KORSBAEK.units;
const B = KORSBAEK.brugere;

// ---------------------------------------------------------------------------------------------
// GraphQL
// ---------------------------------------------------------------------------------------------

interface GqlCase {
  kind: string;
  req: RawRequest;
  /** Extra expectation beyond the generic one; returns a problem or undefined. */
  expect?: (status: number, body: GqlBody) => string | undefined;
  /** The request must be refused (an error, not data). */
  mustFail: boolean;
}

interface GqlBody {
  data?: unknown;
  errors?: Array<{ message?: unknown; extensions?: { code?: unknown } }>;
}

const JSON_CT = { 'content-type': 'application/json' };
const post = (body: unknown, headers: Record<string, string> = JSON_CT): RawRequest => ({ method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

/** Valid queries the mutators start from (each answers correctly when sent as is). */
const SEEDS: Array<{ query: string; variables?: Record<string, unknown> }> = [
  { query: `{ organisationEnhed(uuid: "${U.kontaktcenteret}") { uuid navn overordnet { uuid navn } tilhoerer { navn } } }` },
  { query: 'query B($u: UUID!) { bruger(uuid: $u) { navn tilknyttedePersoner { navn } adresser { adresse { adresseTekst } } } }', variables: { u: B.KA } },
  { query: '{ soegOrganisationEnheder(first: 5, filter: { navn: "Job*" }) { totalCount nodes { navn } pageInfo { hasNextPage endCursor } } }' },
  { query: `{ organisationEnhed(uuid: "${U.jobcenter}") { navn underenheder { navn } leder { navn } forfaedre { navn } } }` },
  { query: `query T($t: DateTime) { organisationEnhed(uuid: "${KORSBAEK.renamed.unit}", virkning: { tidspunkt: $t }) { navn } }`, variables: { t: '2018-06-01T00:00:00Z' } },
  { query: `query { a: organisationEnhed(uuid: "${U.borgerservice}") { ...F } b: organisationEnhed(uuid: "${U.jobcenter}") { ...F } } fragment F on OrganisationEnhed { navn brugervendtNoegle gyldighed }` },
  { query: `{ organisationEnheder(uuids: ["${U.jobcenter}", "${U.kommune}"]) { navn antalUnderenheder } }` },
  { query: '{ soegBrugere(first: 3) { nodes { navn } edges { cursor } } }' },
];

const FIELDS = ['organisationEnhed', 'bruger', 'navn', 'uuid', 'overordnet', 'underenheder', 'soegBrugere', 'nodes', 'edges', 'first', 'after', 'filter', 'virkning', '__typename', '__schema', 'types', 'fields', 'query', 'fragment', 'on', 'true', 'null'];
const TOKENS = ['{', '}', '(', ')', '[', ']', ':', '$', '!', '@', '...', '"x"', '"""', ',', '=', '|', '&', '#c\n', '1', '-1', '1.5e9', 'query', 'mutation', 'subscription', ...FIELDS];

const BAD_UUIDS: unknown[] = ['', 'x', 'not-a-uuid', '1234', '00000000-0000-0000-0000-00000000000', 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz', `${U.kommune}x`, "' OR 1=1 --", '${jndi:ldap://x/a}', '../../etc/passwd', 'x'.repeat(5000), 42, -1, 1.5, true, false, null, [], [U.kommune], {}, { uuid: U.kommune }];
const BAD_TIMES: unknown[] = ['', 'yesterday', '2020-13-01T00:00:00Z', '2020-01-01T25:00:00Z', '2021-02-30T00:00:00Z', '99999-01-01T00:00:00Z', 'NaN', '1e9', 12345, true, {}, [], '2020-01-01T00:00:00+25:00', '\u0000'];
const BAD_FIRST: unknown[] = [0, -1, -2147483648, 501, 1000, 100000, 2147483647, 2147483648, 1.5, '5', 'ten', true, [], {}];
const CONTENT_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/graphql', 'text/html', '', '*/*', 'application/octet-stream', 'application/json; charset=utf-16', 'application/jsonx', 'text/json', 'application/soap+xml'];

/** The generated GraphQL cases: `n` of them, mixed over every kind, deterministic for a seed. */
function gqlCases(rng: Rng, n: number): GqlCase[] {
  const seed = (): (typeof SEEDS)[number] => rng.pick(SEEDS);
  const codeIs = (...codes: string[]) => (_s: number, b: GqlBody): string | undefined =>
    b.errors?.some((e) => codes.includes(String(e.extensions?.code))) ? undefined : `expected a code in ${codes.join('/')}`;
  const statusIs = (...statuses: number[]) => (s: number): string | undefined => (statuses.includes(s) ? undefined : `expected HTTP ${statuses.join('/')}`);
  const all = (...checks: Array<(s: number, b: GqlBody) => string | undefined>) => (s: number, b: GqlBody): string | undefined => {
    for (const c of checks) {
      const p = c(s, b);
      if (p) return p;
    }
    return undefined;
  };
  const nested = (depth: number): string => `{ organisationEnhed(uuid: "${U.ungeteamet}") ${'{ overordnet '.repeat(depth)}{ navn }${' }'.repeat(depth)} }`;

  const kinds: Array<[weight: number, make: () => GqlCase]> = [
    [28, () => {
      const s = seed();
      return { kind: 'mutated-query', mustFail: false, req: post({ query: mutate(rng, s.query, rng.int(1, 5)), variables: s.variables }) };
    }],
    [5, () => ({ kind: 'random-query', mustFail: false, req: post({ query: Array.from({ length: rng.int(1, 40) }, () => rng.pick(TOKENS)).join(rng.pick([' ', '', '\n'])) }) })],
    [10, () => {
      const text = JSON.stringify({ query: seed().query });
      const broken = rng.pick([
        () => text.slice(0, rng.int(0, text.length - 1)),
        () => text + rng.pick(['x', '}', ',', ' {}', '\u0000']),
        () => text.replace(/"/g, "'"),
        () => `{"query": ${rng.pick(['NaN', 'undefined', "'q'", '{', '[1,]', '01'])}}`,
        () => rng.bytes(rng.int(1, 300)).toString('latin1'),
        () => `/* c */ ${text}`,
        () => '['.repeat(rng.int(1000, 40000)),
        () => `{"query": "{ __typename }", "variables": {${'"a":{'.repeat(rng.int(100, 3000))}}}`,
      ])();
      return { kind: 'invalid-json', mustFail: true, req: post(broken), expect: all(statusIs(400), codeIs('BAD_REQUEST')) };
    }],
    [8, () => {
      const ct = rng.pick(CONTENT_TYPES);
      return { kind: 'content-type', mustFail: false, req: post({ query: seed().query }, ct ? { 'content-type': ct } : {}) };
    }],
    [7, () => {
      const n = rng.int(31, 3000);
      const q = `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${rng.pick(['__typename', `organisationEnhed(uuid: "${U.kommune}") { navn }`])}`).join(' ')} }`;
      if (q.length > 95_000) return { kind: 'aliases', mustFail: true, req: post({ query: q.slice(0, 95_000) }), expect: statusIs(400) };
      return { kind: 'aliases', mustFail: true, req: post({ query: q }), expect: all(statusIs(400), (_s, b) => (JSON.stringify(b).includes('GRAPHQL_MAX_ALIASES') ? undefined : 'expected GRAPHQL_MAX_ALIASES')) };
    }],
    [7, () => {
      const depth = rng.int(15, 200);
      return { kind: 'depth', mustFail: true, req: post({ query: nested(depth) }), expect: all(statusIs(400), (_s, b) => (JSON.stringify(b).includes('GRAPHQL_MAX_DEPTH') ? undefined : 'expected GRAPHQL_MAX_DEPTH')) };
    }],
    [3, () => {
      // Nesting far past anything sensible: the parser and validators must not overflow their stacks.
      const depth = rng.int(1000, 30_000);
      const q = rng.chance(0.5) ? `{${'a{'.repeat(depth)}b${'}'.repeat(depth)}}` : `{ organisationEnhed(uuid: "${U.kommune}", virkning: ${'{ tidspunkt: '.repeat(depth)}"x"${'}'.repeat(depth)}) { navn } }`;
      return { kind: 'deep-parse', mustFail: true, req: post({ query: q.slice(0, 99_000) }), expect: statusIs(400, 413) };
    }],
    [10, () => {
      const which = rng.int(0, 3);
      if (which === 0) return { kind: 'bad-uuid-variable', mustFail: true, req: post({ query: 'query($u: UUID!) { organisationEnhed(uuid: $u) { navn } }', variables: { u: rng.pick(BAD_UUIDS) } }), expect: all(statusIs(400), codeIs('BAD_USER_INPUT')) };
      if (which === 1) return { kind: 'bad-uuid-variable', mustFail: true, req: post({ query: 'query($u: [UUID!]!) { brugere(uuids: $u) { navn } }', variables: { u: [B.KA, rng.pick(BAD_UUIDS)] } }), expect: all(statusIs(400), codeIs('BAD_USER_INPUT')) };
      if (which === 2) return { kind: 'bad-datetime-variable', mustFail: true, req: post({ query: `query($t: DateTime) { organisationEnhed(uuid: "${U.kommune}", virkning: { tidspunkt: $t }) { navn } }`, variables: { t: rng.pick(BAD_TIMES.filter((t) => t !== null)) } }), expect: all(statusIs(400), codeIs('BAD_USER_INPUT')) };
      return { kind: 'bad-datetime-variable', mustFail: true, req: post({ query: `query($t: DateTime!) { organisationEnhed(uuid: "${U.kommune}", registrering: { tidspunkt: $t }) { navn } }`, variables: { t: rng.pick(BAD_TIMES) } }), expect: all(statusIs(400), codeIs('BAD_USER_INPUT')) };
    }],
    [4, () => {
      // Literal bad values: rejected by validation.
      const lit = rng.chance(0.5) ? `uuid: ${JSON.stringify(String(rng.pick(BAD_UUIDS.filter((u) => typeof u === 'string'))).slice(0, 100))}` : `uuid: "${U.kommune}", virkning: { tidspunkt: ${JSON.stringify(String(rng.pick(BAD_TIMES)))} }`;
      return { kind: 'bad-literal', mustFail: true, req: post({ query: `{ organisationEnhed(${lit}) { navn } }` }), expect: statusIs(400) };
    }],
    [6, () => {
      const first = rng.pick(BAD_FIRST);
      if (rng.chance(0.5)) return { kind: 'first-out-of-range', mustFail: true, req: post({ query: 'query($n: Int) { soegOrganisationEnheder(first: $n) { nodes { navn } } }', variables: { n: first } }) };
      return { kind: 'first-out-of-range', mustFail: true, req: post({ query: `{ soegBrugere(first: ${typeof first === 'string' ? JSON.stringify(first) : JSON.stringify(first)}) { nodes { navn } } }` }) };
    }],
    [6, () => {
      const q = rng.pick([
        `{ ${rng.pick(FIELDS)}x${rng.int(0, 99)} }`,
        `{ organisationEnhed(uuid: "${U.kommune}") { navn hemmelig } }`,
        `{ organisationEnhed(uuid: "${U.kommune}", x: 1) { navn } }`,
        `{ bruger(uuid: "${B.KA}") { ... on Nope { x } } }`,
        '{ ...Missing }',
        'fragment A on Query { ...B } fragment B on Query { ...A } { ...A }',
        `{ organisationEnhed(uuid: "${U.kommune}") @nope { navn } }`,
        '{ soegOrganisationEnheder(filter: { gyldighed: Maybe }) { totalCount } }',
        '{ soegOrganisationEnheder(filter: { nope: "x" }) { totalCount } }',
        `{ organisationEnhed(uuid: "${U.kommune}") }`,
        '{ __type(name: 5) { name } }',
        'query($a: Nope) { __typename }',
        'query($a: Int) { __typename }', // unused variable
      ]);
      return { kind: 'unknown', mustFail: true, req: post({ query: q }), expect: statusIs(400) };
    }],
    [3, () => {
      const size = rng.int(100_001, 2_000_000);
      if (rng.chance(0.2)) {
        return { kind: 'oversized', mustFail: true, req: { method: 'GET', path: `?query=${encodeURIComponent(`{ __typename ${'#'.repeat(size)} }`).slice(0, 200_000)}`, headers: { 'apollo-require-preflight': '1' } }, expect: statusIs(413, 414, 431) };
      }
      return { kind: 'oversized', mustFail: true, req: post({ query: `{ __typename }${' '.repeat(size)}` }), expect: all(statusIs(413), codeIs('QUERY_LIMIT')) };
    }],
    [3, () => {
      const m = rng.pick(['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'GET?']);
      if (m === 'GET?') return { kind: 'method', mustFail: true, req: { method: 'GET', path: `?query=${encodeURIComponent('mutation { x }')}`, headers: { 'apollo-require-preflight': '1' } }, expect: statusIs(400, 405) };
      if (m === 'HEAD' || m === 'OPTIONS') return { kind: 'method-no-body', mustFail: false, req: { method: m, headers: JSON_CT } };
      return { kind: 'method', mustFail: true, req: { method: m, headers: JSON_CT, body: m === 'GET' ? undefined : JSON.stringify({ query: seed().query }) }, expect: statusIs(400, 405) };
    }],
    [5, () => {
      const body = rng.pick<unknown>([
        [{ query: seed().query }], null, 5, 'query', {}, { query: 5 }, { query: null }, { query: seed().query, variables: 'x' }, { query: seed().query, variables: [1] },
        { query: seed().query, operationName: 5 }, { query: seed().query, extensions: { persistedQuery: { version: 1, sha256Hash: 'abc' } } }, { query: seed().query, extensions: 'x' },
        { query: '' }, { query: ' ' }, { query: '# only a comment' },
      ]);
      return { kind: 'body-shape', mustFail: true, req: post(JSON.stringify(body)), expect: statusIs(400) };
    }],
    [3, () => ({ kind: 'cost', mustFail: true, req: post({ query: `{ soegOrganisationEnheder(first: ${rng.int(300, 500)}) { nodes { efterkommere { rod { efterkommere { navn } } } } } s2: soegBrugere(first: 500) { nodes { ${'navn '.repeat(rng.int(1, 30))} } } }` }), expect: all(statusIs(400), codeIs('QUERY_LIMIT')) })],
    [3, () => {
      const q = rng.pick([
        { query: 'mutation { x }' }, { query: 'subscription { x }' }, { query: 'query A { __typename } query B { __typename }' },
        { query: 'query A { __typename }', operationName: 'Z' }, { query: 'mutation M { __typename }' },
      ]);
      return { kind: 'operation', mustFail: true, req: post(q), expect: statusIs(400) };
    }],
    [2, () => {
      const t = rng.pick([
        'virkning: { fra: "2022-01-01T00:00:00Z", til: "2020-01-01T00:00:00Z" }',
        'virkning: { tidspunkt: "2020-01-01T00:00:00Z", fra: "2019-01-01T00:00:00Z" }',
        'registrering: { tidspunkt: "2999-01-01T00:00:00Z" }',
        'virkning: { tidspunkt: "0001-01-01T00:00:00Z" }',
      ]);
      return { kind: 'time-args', mustFail: false, req: post({ query: `{ organisationEnhed(uuid: "${U.kommune}", ${t}) { navn } }` }) };
    }],
    [2, () => ({ kind: 'accept', mustFail: false, req: { method: 'POST', headers: { ...JSON_CT, accept: rng.pick(['application/xml', 'text/html', 'image/png', '*/*', 'application/graphql-response+json', '']) }, body: JSON.stringify({ query: seed().query }) } })],
  ];
  const total = kinds.reduce((s, [w]) => s + w, 0);
  const out: GqlCase[] = [];
  for (let i = 0; i < n; i++) {
    let r = rng.next() * total;
    const entry = kinds.find(([w]) => (r -= w) < 0) ?? kinds[0];
    out.push(entry[1]());
  }
  return out;
}

/** Codes a caller may see from a healthy stack for bad requests (SF1500_* would mean we sent SF1500 something broken). */
const ACCEPTED_CODES = new Set(['BAD_REQUEST', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'OPERATION_RESOLUTION_FAILURE', 'QUERY_LIMIT', 'FORBIDDEN', 'PERSISTED_QUERY_NOT_SUPPORTED', 'PERSISTED_QUERY_NOT_FOUND']);
const ACCEPTED_STATUS = new Set([200, 400, 405, 406, 413, 414, 415, 431]);

describe('GraphQL endpoint under malformed requests', () => {
  let s: Awaited<ReturnType<typeof testStack>>;
  beforeAll(async () => {
    s = await testStack();
  });
  afterAll(async () => {
    await s?.close();
  });

  it(`answers ${sized(1000, 10000)} generated bad requests with a proper status and a JSON error code, never a 500, stack or hang`, async () => {
    const rng = new Rng(FUZZ_SEED);
    const cases = gqlCases(rng, sized(1000, 10000));
    const started = performance.now();
    const results = await mapLimit(cases, 6, (c) => rawRequest(s.subgraph.url, { ...c.req, timeoutMs: 15_000 }));
    const seconds = (performance.now() - started) / 1000;
    const problems: string[] = [];
    const byKind = new Map<string, number>();
    const byStatus = new Map<string, number>();
    let slowest = 0;
    const msByKind = new Map<string, number>();
    results.forEach((r, i) => {
      const c = cases[i];
      byKind.set(c.kind, (byKind.get(c.kind) ?? 0) + 1);
      const where = `#${i} ${c.kind} ${String(c.req.method)} ${String(c.req.body ?? c.req.path ?? '').slice(0, 160)}`;
      if (isFailure(r)) {
        problems.push(`${where}: ${r.failure} ${r.message}`);
        return;
      }
      slowest = Math.max(slowest, r.ms);
      msByKind.set(c.kind, (msByKind.get(c.kind) ?? 0) + r.ms);
      if (c.req.method === 'HEAD' || c.req.method === 'OPTIONS') {
        if (r.status >= 500) problems.push(`${where}: HTTP ${r.status}`);
        return;
      }
      let body: GqlBody;
      try {
        body = JSON.parse(r.text) as GqlBody;
      } catch {
        problems.push(`${where}: HTTP ${r.status}, not JSON: ${r.text.slice(0, 200)}`);
        return;
      }
      const codes = (body.errors ?? []).map((e) => String(e.extensions?.code));
      byStatus.set(`${r.status} ${codes[0] ?? 'data'}`, (byStatus.get(`${r.status} ${codes[0] ?? 'data'}`) ?? 0) + 1);
      if (!ACCEPTED_STATUS.has(r.status)) problems.push(`${where}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
      if (!String(r.headers['content-type']).includes('json')) problems.push(`${where}: content-type ${r.headers['content-type']}`);
      if (looksLikeStack(r.text)) problems.push(`${where}: stack trace in answer`);
      if (r.status !== 200 && !(body.errors && body.errors.length > 0)) problems.push(`${where}: HTTP ${r.status} without errors`);
      // APQ protocol: PERSISTED_QUERY_NOT_SUPPORTED travels with HTTP 200 and no data (clients expect exactly that).
      const apq = codes.every((c) => c.startsWith('PERSISTED_QUERY_'));
      if (r.status === 200 && !('data' in body) && !apq) problems.push(`${where}: HTTP 200 without data`);
      for (const e of body.errors ?? []) {
        if (typeof e.message !== 'string' || typeof e.extensions?.code !== 'string') problems.push(`${where}: error without message/code ${JSON.stringify(e).slice(0, 200)}`);
        else if (!ACCEPTED_CODES.has(e.extensions.code)) problems.push(`${where}: code ${e.extensions.code}: ${e.message.slice(0, 200)}`);
      }
      if (c.mustFail && !(body.errors && body.errors.length > 0)) problems.push(`${where}: accepted (HTTP ${r.status}) ${r.text.slice(0, 200)}`);
      const extra = apq && codes.length > 0 ? undefined : c.expect?.(r.status, body);
      if (extra) problems.push(`${where}: ${extra}; got HTTP ${r.status} ${r.text.slice(0, 200)}`);
    });
    console.log(`GraphQL fuzz (seed ${FUZZ_SEED}): ${cases.length} requests in ${seconds.toFixed(1)} s, slowest ${Math.round(slowest)} ms\n`
      + `  kinds (count, mean ms): ${[...byKind].sort((p, q) => q[1] - p[1]).map(([k, v]) => `${k} ${v} ${Math.round((msByKind.get(k) ?? 0) / v)}`).join(', ')}\n`
      + `  answers: ${[...byStatus].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ×${v}`).join(', ')}`);
    expect(problems.slice(0, 20)).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(1000);
  }, scaledTimeout(120_000));

  it('keeps /metrics bounded when callers send many distinct operation names', async () => {
    const names = Array.from({ length: MAX_OPERATION_LABELS + 300 }, (_, i) => `Op${i}`);
    await mapLimit(names, 8, (n) => rawRequest(s.subgraph.url, post({ query: `query ${n} { __typename }` })));
    const text = await (await fetch(new URL('/metrics', s.subgraph.url))).text();
    const labels = new Set([...text.matchAll(/^graphql_requests_total\{[^}]*operation="([^"]*)"/gm)].map((m) => m[1]));
    expect(labels.size).toBeLessThanOrEqual(MAX_OPERATION_LABELS + 1);
    expect(text).toContain('operation="other"');
    expect(text.length).toBeLessThan(2_000_000);
  });

  it('still answers a good query correctly afterwards, and /health says ok', async () => {
    const r = await s.gql(`{ organisationEnhed(uuid: "${U.kontaktcenteret}") { navn overordnet { uuid } } bruger(uuid: "${B.KA}") { tilknyttedePersoner { navn } } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ organisationEnhed: { navn: 'Kontaktcenteret', overordnet: { uuid: U.borgerservice } }, bruger: { tilknyttedePersoner: [{ navn: 'Kjeld Andersen' }] } });
    const h = await fetch(new URL('/health', s.subgraph.url));
    expect(h.status).toBe(200);
  });
});

// ---------------------------------------------------------------------------------------------
// SOAP
// ---------------------------------------------------------------------------------------------

interface Base {
  name: string;
  path: string;
  xml: string;
}

const V = { fra: '2020-01-01T00:00:00.000Z', til: null, aktoerRef: KORSBAEK.systemAktoer, aktoerTypeKode: 'Organisation' as const };
const V_CLOSED = { ...V, til: '2030-01-01T00:00:00.000Z' };

/** Valid envelopes of every operation kind, recorded from the project's client against a scratch emulator. */
async function recordBases(): Promise<Base[]> {
  const em = await startTestEmulator({ seed: korsbaekSeed });
  try {
    const c = em.client;
    const unitLists = {
      egenskaber: [{ virkning: V, values: { BrugervendtNoegleTekst: 'fuzz', EnhedNavn: 'Fuzz' } }],
      tilstande: [{ virkning: V, value: 'Aktiv' }],
      relationer: [{ name: 'Overordnet', virkning: V_CLOSED, ref: { uuid: U.kommune } }, { name: 'Tilhoerer', virkning: V, ref: { uuid: KORSBAEK.organisation } }],
    };
    await c.laes('OrganisationEnhed', U.jobcenter);
    await c.laes('OrganisationEnhed', U.jobcenter, { virkning: { fra: '2020-01-01T00:00:00Z', til: '2021-01-01T00:00:00Z' }, registrering: { fra: '2022-01-01T00:00:00Z', til: '2022-01-01T00:00:00Z' } });
    await c.list('OrganisationEnhed', [U.jobcenter, U.kommune]);
    await c.list('Bruger', [B.KA, B.HN]);
    await c.soeg('OrganisationEnhed', { egenskaber: { EnhedNavn: 'Job*' }, gyldighed: 'Aktiv', relationer: [{ name: 'Overordnet', uuid: U.beskaeftigelse }] }, { offset: 0, limit: 10 }, { virkning: { fra: '2020-01-01T00:00:00Z', til: null } });
    await c.soeg('Person', { egenskaber: { NavnTekst: 'K*' } }, { offset: 0, limit: 5 });
    await c.fremsoeg({ offset: 0, limit: 5 });
    await c.opret('OrganisationEnhed', unitLists, 'fuzz opret');
    await c.ret('OrganisationEnhed', U.jobcenter, { egenskaber: [{ virkning: V_CLOSED, values: { BrugervendtNoegleTekst: 'Jobcenter', EnhedNavn: 'Jobcenter X' } }], tilstande: [{ virkning: V, value: 'Inaktiv' }], relationer: [{ name: 'Overordnet', virkning: V, ref: { uuid: U.kommune } }] }, 'fuzz ret');
    await c.ret('Person', '04f9a81f-ffa1-45f2-9a4f-1afd7bef52b5', { egenskaber: [{ virkning: V, values: { BrugervendtNoegleTekst: 'KA', NavnTekst: 'Kjeld A', 'CPR-NummerTekst': '0606751234' } }] }, 'fuzz ret person');
    await c.importer('OrganisationEnhed', { uuid: '7d6f5a3e-0b1c-4d2e-8f90-a1b2c3d4e5f6', registreringer: [{ egenskaber: unitLists.egenskaber, tilstande: unitLists.tilstande, relationer: unitLists.relationer }] });
    await c.passiver('OrganisationEnhed', U.kontanthjaelp, 'fuzz passiver');
    await c.slet('OrganisationEnhed', U.sygVest, 'fuzz slet');
    const ops = em.exchanges.map((x, i) => {
      const op = /<\w+:(\w+Input)[\s>]/.exec(x.request)?.[1] ?? `op${i}`;
      return { name: `${op}#${i}`, path: x.path, xml: x.request };
    });
    return [...ops, ...sampleBases()];
  } finally {
    await em.close();
  }
}

/** The Korsbæk sample request messages, when the shared samples are checked out next to the project. */
function sampleBases(): Base[] {
  const dir = path.resolve(__dirname, '..', '..', '..', 'shared', 'sf1500', 'samples', 'korsbaek', 'messages');
  if (!fs.existsSync(dir)) return [];
  const out: Base[] = [];
  for (const service of fs.readdirSync(dir)) {
    const sub = path.join(dir, service);
    if (!fs.statSync(sub).isDirectory()) continue;
    for (const f of fs.readdirSync(sub).filter((x) => /Input.*\.xml$/.test(x))) {
      out.push({ name: `sample ${service}/${f}`, path: `/organisation/${service}/6/`, xml: envelope(fs.readFileSync(path.join(sub, f), 'utf8')) });
    }
  }
  return out;
}

interface SoapCase {
  kind: string;
  base: string;
  method: string;
  path: string;
  body?: string | Buffer;
  contentType?: string;
}

const BAD_SOAP_UUIDS = ['', 'x', 'not-a-uuid', '1234', '00000000-0000-0000-0000-00000000000', 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz', "' OR 1=1 --", '${jndi:ldap://x/a}', '../../etc/passwd', 'a'.repeat(300), '{b9e45b18-b6ba-4434-bce4-844214aaaae8}', 'b9e45b18b6ba4434bce4844214aaaae8', 'b9e45b18-b6ba-4434-bce4-844214aaaae8-0', 'b9e45b18 b6ba 4434 bce4 844214aaaae8', 'ææææææææ-ææææ-ææææ-ææææ-ææææææææææææ'];
const BAD_SOAP_DATES = ['', 'yesterday', '2020-13-01T00:00:00Z', '2020-01-01T25:00:00Z', '2021-02-30T00:00:00Z', '99999-01-01T00:00:00Z', 'NaN', '1e9', '2020-01-01T00:00:00+25:00', '2020-1-1T00:00:00Z', 'T', "'; DROP TABLE registrering; --"];
const BAD_NUMBERS = ['-1', 'abc', '1e3', '9999999999', '', '1.5', '0x10', ' - '];
const ILLEGAL_CHARS = ['\u0000', '\u0001', '\u0008', '\u000B', '\u000C', '\u001F', '\uFFFE', '\uFFFF'];
const SERVICE_NS = OBJECT_TYPES.map((t) => t.namespace);

const DTD_ATTACKS = [
  '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>',
  '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
  '<!DOCTYPE x SYSTEM "http://127.0.0.1:1/evil.dtd">',
  '<!DOCTYPE x [<!ENTITY % p SYSTEM "http://127.0.0.1:1/p.dtd"> %p;]>',
  '<!DOCTYPE soap:Envelope [<!ATTLIST soap:Envelope a CDATA "x">]>',
  '<!DOCTYPE x PUBLIC "-//X//Y" "file:///dev/random">',
];

/** Inserts `text` right after the XML declaration (or at the start). */
const afterProlog = (xml: string, text: string): string => {
  const m = /^\s*<\?xml[^>]*\?>/.exec(xml);
  return m ? xml.slice(0, m[0].length) + text + xml.slice(m[0].length) : text + xml;
};

/** Replaces the k-th match (k chosen by rng) of `re` (global) using `f`; undefined when there is no match. */
function replaceOne(rng: Rng, xml: string, re: RegExp, f: (m: RegExpExecArray) => string): string | undefined {
  const matches = [...xml.matchAll(re)];
  if (matches.length === 0) return undefined;
  const m = rng.pick(matches) as RegExpExecArray;
  return xml.slice(0, m.index) + f(m) + xml.slice(m.index + m[0].length);
}

/** Text of UUIDIdentifikator elements (not the TransactionUUID, which the emulator only requires present). */
const UUID_EL = /(<(\w+:)?UUIDIdentifikator>)\s*([^<]*?)\s*(<\/(\w+:)?UUIDIdentifikator>)/g;

function soapMutation(rng: Rng, b: Base, maxBody: number, maxElements: number): SoapCase | undefined {
  const x = b.xml;
  const mk = (kind: string, body: string | Buffer | undefined, extra: Partial<SoapCase> = {}): SoapCase | undefined => (body === undefined || body === x ? undefined : { kind, base: b.name, method: 'POST', path: b.path, body, ...extra });
  const op = /<(\w+):(\w+Input)\b/.exec(x);
  switch (rng.int(0, 17)) {
    case 0: {
      const lastGt = x.lastIndexOf('>');
      return mk('truncated', x.slice(0, rng.int(0, lastGt - 1)));
    }
    case 1: {
      const at = rng.int(0, x.length);
      return mk('disallowed-char', x.slice(0, at) + rng.text(rng.int(0, 3), 'abc<>&"') + rng.pick(ILLEGAL_CHARS) + x.slice(at));
    }
    case 2: return mk('random-bytes', rng.chance(0.5) ? rng.bytes(rng.int(1, 4096)) : Buffer.concat([rng.bytes(rng.int(1, 64)), Buffer.from(x)]));
    case 3: return mk('dtd', afterProlog(x, rng.pick(DTD_ATTACKS)).replace(/(<\w+:NoteTekst>)/, rng.chance(0.5) ? '$1&lol3;&xxe;' : '$1'));
    case 4: return mk('entity-without-dtd', replaceOne(rng, x, />([^<]+)</g, (m) => `>${m[1]}&${rng.pick(['xxe', 'lol', 'nbsp', 'x', '#0', '#xD800', '#1'])};<`));
    case 5: {
      const which = rng.int(0, 2);
      if (which === 0) return mk('namespace-soap', x.split(NS.soap12).join(rng.pick([NS.soap11, 'http://evil.example/soap', '', 'urn:x'])));
      if (which === 1) return mk('namespace-header', x.split(NS.hdr).join(rng.pick(['http://kombit.dk/xml/schemas/RequestHeader/2/', 'urn:x'])));
      if (!op) return undefined;
      const own = new RegExp(`xmlns:${op[1]}="([^"]*)"`).exec(x)?.[1];
      const other = rng.pick([...SERVICE_NS.filter((n) => n !== own), 'http://stoettesystemerne.dk/organisation/nope/6/', '']);
      return mk('namespace-body', own ? x.replace(`xmlns:${op[1]}="${own}"`, `xmlns:${op[1]}="${other}"`) : undefined);
    }
    case 6: {
      const which = rng.int(0, 3);
      if (which === 0) return mk('missing-header', x.replace(/<soap:Header>[\s\S]*<\/soap:Header>/, ''));
      if (which === 1) return mk('missing-transaction', x.replace(/<hdr:TransactionUUID>[^<]*<\/hdr:TransactionUUID>/, ''));
      if (which === 2) return mk('missing-body-element', x.replace(/<soap:Body>[\s\S]*<\/soap:Body>/, rng.pick(['<soap:Body/>', '<soap:Body></soap:Body>', '<soap:Body>text</soap:Body>'])));
      return mk('missing-body', x.replace(/<soap:Body>[\s\S]*<\/soap:Body>/, ''));
    }
    case 7: {
      // Required children: the operation's own UUID, a relation's ReferenceID, a state's value.
      if (!op) return undefined;
      const which = rng.int(0, 2);
      if (which === 0 && /(Laes|Ret|Passiver|Slet)Input/.test(op[2])) return mk('missing-uuid', x.replace(new RegExp(`(<${op[1]}:${op[2]}[^>]*>\\s*)<sd:UUIDIdentifikator>[^<]*</sd:UUIDIdentifikator>`), '$1'));
      if (which === 1 && /(Opret|Ret|Import)Input/.test(op[2])) return mk('missing-reference', replaceOne(rng, x, /<sd:ReferenceID>[\s\S]*?<\/sd:ReferenceID>/g, () => ''));
      if (which === 2 && /(Opret|Ret|Import)Input/.test(op[2])) return mk('missing-state-value', replaceOne(rng, x, /<(\w+):GyldighedStatusKode>[^<]*<\/\1:GyldighedStatusKode>/g, () => ''));
      return undefined;
    }
    case 8:
    case 9: return mk('bad-uuid', replaceOne(rng, x, UUID_EL, (m) => `${m[1]}${rng.pick(BAD_SOAP_UUIDS)}${m[4]}`));
    case 10: return mk('bad-date', replaceOne(rng, x, /(<sd:TidsstempelDatoTid>)[^<]*(<\/sd:TidsstempelDatoTid>)/g, (m) => `${m[1]}${rng.pick(BAD_SOAP_DATES)}${m[2]}`));
    case 11: return mk('bad-number', replaceOne(rng, x, /(<sd:(FoersteResultatReference|MaksimalAntalKvantitet)>)[^<]*(<\/sd:\2>)/g, (m) => `${m[1]}${rng.pick(BAD_NUMBERS)}${m[3]}`));
    case 12: {
      const which = rng.int(0, 2);
      if (which === 0) return mk('oversized', x.replace('<soap:Body>', `<soap:Body>${' '.repeat(maxBody)}`));
      if (which === 1) return mk('too-many-elements', x.replace('</soap:Header>', `${'<hdr:X/>'.repeat(maxElements + rng.int(1, 100))}</soap:Header>`));
      const d = rng.int(65, 5000);
      return mk('too-deep', x.replace('</soap:Header>', `${'<a>'.repeat(d)}${'</a>'.repeat(d)}</soap:Header>`));
    }
    case 13: {
      if (!op) return undefined;
      const which = rng.int(0, 3);
      const whole = new RegExp(`<${op[1]}:${op[2]}[\\s\\S]*</${op[1]}:${op[2]}>`).exec(x)?.[0];
      if (which === 0 && whole) return mk('two-body-elements', x.replace(whole, whole + whole));
      if (which === 1) return mk('unknown-operation', x.split(`${op[1]}:${op[2]}`).join(`${op[1]}:${op[2].replace('Input', rng.pick(['XInput', 'Output', '']))}`));
      if (which === 2) return mk('injected-element', x.replace(new RegExp(`(<${op[1]}:${op[2]}[^>]*>)`), `$1${rng.pick(['<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd"/>', '<evil/>', '<sd:Evil>x</sd:Evil>', `<${op[1]}:Evil/>`])}`));
      return mk('duplicate-uuid', /(Laes|Ret|Passiver|Slet)Input/.test(op[2]) ? x.replace(/(<sd:UUIDIdentifikator>[^<]*<\/sd:UUIDIdentifikator>)/, `$1<sd:UUIDIdentifikator>${rng.uuid()}</sd:UUIDIdentifikator>`) : undefined);
    }
    case 14: {
      const which = rng.int(0, 4);
      if (which === 0) return mk('bad-aktoertype', replaceOne(rng, x, /(<sd:AktoerTypeKode>)[^<]*/g, (m) => `${m[1]}${rng.pick(['Hacker', '', 'organisation', 'Organisation '.repeat(3)])}`));
      if (which === 1) return mk('bad-graense', replaceOne(rng, x, /(<sd:GraenseIndikator>)[^<]*/g, (m) => `${m[1]}${rng.pick(['false', '0', 'yes', ''])}`));
      if (which === 2) return mk('bad-gyldighed', replaceOne(rng, x, /(<(\w+):GyldighedStatusKode>)[^<]*/g, (m) => `${m[1]}${rng.pick(['Maybe', '', 'aktiv', 'Slettet'])}`));
      if (which === 3) return mk('too-long-name', replaceOne(rng, x, /(<sd:(EnhedNavn|NavnTekst)>)[^<]*/g, (m) => `${m[1]}${'ø'.repeat(rng.int(256, 4000))}`));
      return mk('fra-after-til', replaceOne(rng, x, /<sd:FraTidspunkt>[\s\S]*?<\/sd:TilTidspunkt>/g, () => '<sd:FraTidspunkt><sd:TidsstempelDatoTid>2031-01-01T00:00:00Z</sd:TidsstempelDatoTid></sd:FraTidspunkt><sd:TilTidspunkt><sd:TidsstempelDatoTid>2001-01-01T00:00:00Z</sd:TidsstempelDatoTid></sd:TilTidspunkt>'));
    }
    case 15: {
      const which = rng.int(0, 3);
      if (which === 0) return mk('wrong-path', x, { path: rng.pick(['/organisation/organisationenhed/5/', '/organisation/', '/organisation/x/6/', '/organisation/organisationenhed/6/extra', '/%2e%2e/%2e%2e/etc/passwd', '/organisation/bruger/6/', '/klassifikation/klasse/6/'].filter((p) => p !== b.path)) });
      if (which === 1) return { kind: 'wrong-method', base: b.name, method: rng.pick(['PUT', 'DELETE', 'PATCH']), path: b.path, body: x };
      if (which === 2) return { kind: 'get-without-wsdl', base: b.name, method: 'GET', path: `${b.path}?${rng.pick(['', 'xsd', 'wsdl2', 'x=1'])}` };
      return mk('fault-as-request', x.replace(/<soap:Body>[\s\S]*<\/soap:Body>/, '<soap:Body><soap:Fault><soap:Code><soap:Value>soap:Sender</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang="en">x</soap:Text></soap:Reason></soap:Fault></soap:Body>'));
    }
    case 16: {
      // Several broken things at once.
      let y: string | undefined = x;
      for (let k = 0; k < rng.int(2, 4) && y; k++) y = soapMutation(rng, { ...b, xml: y }, maxBody, maxElements)?.body?.toString();
      return mk('combined', y);
    }
    default: return mk('cdata-in-uuid', replaceOne(rng, x, UUID_EL, (m) => `${m[1]}<![CDATA[${rng.pick(BAD_SOAP_UUIDS)}]]>${m[4]}`));
  }
}

describe('local SF1500 under malformed SOAP', () => {
  const MAX_BODY = 64 * 1024;
  const MAX_ELEMENTS = 5000;
  let sf: RunningSf1500;
  let client: Sf1500Client;
  let bases: Base[];

  beforeAll(async () => {
    bases = await recordBases();
    sf = await startSf1500({ dbFile: ':memory:', seed: korsbaekSeed, http: { maxBodyBytes: MAX_BODY, maxElements: MAX_ELEMENTS } });
    client = new Sf1500Client({ baseUrl: sf.url, retries: 0 });
  });
  afterAll(async () => {
    client?.close();
    await sf?.close();
  });

  /** Objects per type and registrations in total (every write appends a registration). */
  async function fingerprint(): Promise<{ counts: Record<string, number>; registrations: number }> {
    const counts: Record<string, number> = {};
    let registrations = 0;
    for (const spec of OBJECT_TYPES) {
      counts[spec.name] = await sf.store.count(spec.name);
      const uuids = await sf.store.listUuids(spec.name, Infinity, 0, 1e7, []);
      for (const o of (await sf.store.getMany(spec.name, uuids)).values()) registrations += o.registreringer.length;
    }
    return { counts, registrations };
  }

  it('the recorded base envelopes are valid (they are answered 20) — so mutations start from real messages', async () => {
    expect(bases.length).toBeGreaterThanOrEqual(13);
    const reads = bases.filter((b) => /(Laes|List|Soeg|Fremsoeg)\w*Input/.test(b.xml) && !b.name.startsWith('sample'));
    for (const b of reads) {
      const a = readAnswer(await (async () => { const r = await fetch(sf.url + b.path, { method: 'POST', headers: { 'content-type': 'application/soap+xml' }, body: b.xml }); return { status: r.status, text: await r.text() }; })());
      expect([b.name, a.retur?.statusKode]).toEqual([b.name, 20]);
    }
  });

  it(`answers ${sized(1000, 10000)} malformed envelopes with a Fault or StandardRetur 40, writes nothing, keeps answering`, async () => {
    const rng = new Rng(FUZZ_SEED + 1);
    const n = sized(1000, 10000);
    const cases: SoapCase[] = [];
    while (cases.length < n) {
      const c = soapMutation(rng, rng.pick(bases), MAX_BODY, MAX_ELEMENTS);
      if (c) cases.push(c);
    }
    const before = await fingerprint();
    const laesBefore: Objekt | null = await client.laes('OrganisationEnhed', U.jobcenter);
    const problems: string[] = [];
    const byKind = new Map<string, number>();
    const outcomes = new Map<string, number>();
    const started = performance.now();
    const batch = 100;
    for (let from = 0; from < cases.length; from += batch) {
      const chunk = cases.slice(from, from + batch);
      const results = await mapLimit(chunk, 4, (c) => rawRequest(sf.url, { method: c.method, path: c.path, body: c.body, headers: c.body === undefined ? {} : { 'content-type': c.contentType ?? 'application/soap+xml; charset=utf-8' }, timeoutMs: 15_000 }));
      results.forEach((r, k) => {
        const c = chunk[k];
        byKind.set(c.kind, (byKind.get(c.kind) ?? 0) + 1);
        const where = `#${from + k} ${c.kind} of ${c.base}: ${String(c.body ?? c.path).slice(0, 120).replace(/\s+/g, ' ')}`;
        if (isFailure(r)) {
          problems.push(`${where}: ${r.failure} ${r.message}`);
          return;
        }
        let a: SoapAnswer;
        try {
          a = readAnswer({ status: r.status, text: r.text });
        } catch (e) {
          problems.push(`${where}: HTTP ${r.status} unreadable answer ${(e as Error).message.slice(0, 200)}`);
          return;
        }
        if (looksLikeStack(r.text)) problems.push(`${where}: stack trace in the answer`);
        if (a.fault) {
          const key = `fault ${r.status} ${a.fault.code}`;
          outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
          if (a.fault.code !== 'soap:Sender') problems.push(`${where}: fault ${a.fault.code} (${a.fault.reason}) — a broken request is the sender's fault`);
          if (r.status < 400 || r.status >= 500) problems.push(`${where}: fault with HTTP ${r.status}`);
        } else {
          const code = a.retur?.statusKode;
          outcomes.set(`retur ${code}`, (outcomes.get(`retur ${code}`) ?? 0) + 1);
          if (code !== 40) problems.push(`${where}: answered StandardRetur ${code} ${a.retur?.fejlbeskedTekst ?? ''}`);
        }
      });
      const now = await fingerprint();
      if (JSON.stringify(now) !== JSON.stringify(before)) {
        problems.push(`store changed during cases ${from}..${from + chunk.length - 1}: ${JSON.stringify(before)} → ${JSON.stringify(now)}`);
        break;
      }
      const good = await client.laes('OrganisationEnhed', U.jobcenter);
      if (JSON.stringify(good) !== JSON.stringify(laesBefore)) problems.push(`Laes of Jobcenter changed after cases ${from}..`);
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`SOAP fuzz (seed ${FUZZ_SEED + 1}): ${cases.length} requests from ${bases.length} base envelopes in ${seconds.toFixed(1)} s\n`
      + `  kinds: ${[...byKind].sort((p, q) => q[1] - p[1]).map(([k, v]) => `${k} ${v}`).join(', ')}\n`
      + `  answers: ${[...outcomes].sort((p, q) => q[1] - p[1]).map(([k, v]) => `${k} ×${v}`).join(', ')}`);
    expect(problems.slice(0, 20)).toEqual([]);
    expect(await fingerprint()).toEqual(before);
    expect(cases.length).toBeGreaterThanOrEqual(1000);
    expect(laesBefore?.uuid).toBe(U.jobcenter);
  }, scaledTimeout(120_000));

  // Found by this suite: an element inside a simple-typed element used to be ignored (and a Ret written).
  it('answers 40 to an element inside UUIDIdentifikator (mixed content), writing nothing', async () => {
    const ret = bases.find((b) => b.name.startsWith('RetInput'))!;
    const xml = ret.xml.replace(/(<sd:UUIDIdentifikator>[^<]*)(<\/sd:UUIDIdentifikator>)/, '$1<x/>$2');
    const before = await fingerprint();
    const a = readAnswer(await (async () => { const r = await fetch(sf.url + ret.path, { method: 'POST', headers: { 'content-type': 'application/soap+xml' }, body: xml }); return { status: r.status, text: await r.text() }; })());
    expect(await fingerprint()).toEqual(before);
    expect(a.fault ?? a.retur?.statusKode).toBe(40);
  });

  it('still serves good requests, reads and a write, afterwards', async () => {
    expect((await client.laes('OrganisationEnhed', U.kontaktcenteret))?.uuid).toBe(U.kontaktcenteret);
    expect(await client.soeg('OrganisationEnhed', { egenskaber: { EnhedNavn: 'Kontaktcenteret' } }, { offset: 0, limit: 5 })).toEqual([U.kontaktcenteret]);
    const before = await sf.store.count('OrganisationEnhed');
    const id = await client.opret('OrganisationEnhed', { egenskaber: [{ virkning: V, values: { BrugervendtNoegleTekst: 'after', EnhedNavn: 'Efter fuzz' } }], tilstande: [{ virkning: V, value: 'Aktiv' }], relationer: [] });
    expect(await sf.store.count('OrganisationEnhed')).toBe(before + 1);
    expect((await client.laes('OrganisationEnhed', id))?.uuid).toBe(id);
  });
});
