/**
 * Hostile queries against the real stack (local SF1500 over HTTP + subgraph), one class at a time:
 * fan-out chains (static cost and the run-time budget), fragment DAGs (linear validation and cost),
 * pathological wildcards (linear matching with SF1500's semantics), forged cursors, abandoned and slow
 * requests (cancellation reaches the SOAP call), a hanging SF1500 (/ready answers in its own bound),
 * the inline trace, and connection bounds. For each: the answer is a clear 4xx (never a 500), /health
 * answers within a second meanwhile, and a good query right after succeeds.
 *
 * Under `npm run stress` the generated attacks run many more variants against the large municipality.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { KORSBAEK } from '../../src/emulator/seed/korsbaek';
import { encodeCursor } from '../../src/resolvers/search';
import { Rng, STRESS, sized, scaledTimeout } from '../support/fuzz';
import { startChildSf1500, type ChildSf1500 } from '../support/sf1500-child';
import { testStack } from '../support/stack';

type Stack = Awaited<ReturnType<typeof testStack>>;
/** What the HTTP helpers need: a subgraph's URL (in this process, or a child's). */
type Target = { subgraph: { url: string } };
const U = KORSBAEK.units;
const ROOT = KORSBAEK.rootUnit;

interface Answer {
  status: number;
  body: { data?: Record<string, any> | null; errors?: Array<{ message: string; extensions?: Record<string, any> }>; extensions?: Record<string, any> };
  ms: number;
}

async function post(s: Target, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Answer> {
  const t = performance.now();
  const res = await fetch(s.subgraph.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }), signal });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as Answer['body'], ms: performance.now() - t };
}

/**
 * Runs `attack` while /health is asked every 50 ms; returns the attack's result and the slowest /health,
 * counted from when the probe was due (a blocked event loop also delays the timer that sends it).
 */
async function watchingHealth<T>(s: Target, attack: () => Promise<T>): Promise<{ result: T; slowestHealthMs: number; healthAnswers: number }> {
  const healthUrl = new URL('/health', s.subgraph.url);
  let done = false;
  let slowest = 0;
  let answers = 0;
  const poll = (async () => {
    let due = performance.now();
    while (!done) {
      const r = await fetch(healthUrl);
      await r.text();
      if (r.status === 200) answers++;
      const now = performance.now();
      slowest = Math.max(slowest, now - due);
      due = now + 50;
      await new Promise((res) => setTimeout(res, 50));
    }
  })();
  try {
    const result = await attack();
    return { result, slowestHealthMs: slowest, healthAnswers: answers };
  } finally {
    done = true;
    await poll;
  }
}

const GOOD = `{ organisationEnhed(uuid: "${U.kontanthjaelp}") { navn overordnet { navn } } }`;

async function expectGoodQuery(s: Stack): Promise<void> {
  const r = await post(s, GOOD);
  expect(r.status).toBe(200);
  expect(r.body.errors).toBeUndefined();
  expect(r.body.data?.organisationEnhed).toEqual({ navn: 'Kontanthjælp og Integration', overordnet: { navn: 'Ydelsescenteret' } });
}

function expectLimit(r: Answer, limits: string[]): void {
  expect(r.status).toBeGreaterThanOrEqual(400);
  expect(r.status).toBeLessThan(500);
  expect(r.body.errors?.[0]?.extensions?.code).toBe('QUERY_LIMIT');
  expect(limits).toContain(r.body.errors?.[0]?.extensions?.limit);
  expect(r.body.data ?? null).toBeNull();
}

/** `efterkommere { rod { … } }` n levels: each level multiplies the answer by the units of the organisation. */
function upAndDown(levels: number, inner = 'navn'): string {
  let sel = inner;
  for (let i = 0; i < levels; i++) sel = `efterkommere { rod { ${sel} } }`;
  return `{ organisationEnhed(uuid: "${ROOT}") { ${sel} } }`;
}

/** Steps down (a list) and up (one unit) the tree, for generated chains. */
const DOWN: Array<(sel: string) => string> = [
  (x) => `efterkommere { ${x} }`, (x) => `underenheder { ${x} }`, (x) => `forfaedre { ${x} }`, (x) => `sti { ${x} }`,
  (x) => `stillinger { tilknyttedeEnheder { ${x} } }`, (x) => `medarbejdere { enheder { ${x} } }`, (x) => `funktioner { tilknyttedeEnheder { ${x} } }`,
];
const UP: Array<(sel: string) => string> = [(x) => `rod { ${x} }`, (x) => `overordnet { ${x} }`];

function chain(rng: Rng, levels: number): string {
  let sel = 'navn';
  for (let l = 0; l < levels; l++) sel = rng.pick(DOWN)(rng.pick(UP)(sel));
  return sel;
}

describe('fan-out chains', () => {
  let s: Stack;
  beforeAll(async () => { s = await testStack({ SF1500_HIERARCHY_CACHE_MS: '30000' }); });
  afterAll(async () => { await s.close(); });

  test('up and down the tree six levels deep is refused by the static cost before any work', async () => {
    const { result, slowestHealthMs } = await watchingHealth(s, () => post(s, upAndDown(6), undefined, { 'x-sf1500-calls': '1' }));
    expectLimit(result, ['GRAPHQL_MAX_COST']);
    expect(result.body.errors![0].message).toMatch(/exceeds the limit of 50000 \(GRAPHQL_MAX_COST\)/);
    expect(slowestHealthMs).toBeLessThan(1000);
    await expectGoodQuery(s);
  });

  test('list fields cost by their fan-out: efterkommere counts the units of the organisation once a snapshot is loaded', async () => {
    // Warm the snapshot, so the cost model knows Korsbæk's 20 units.
    // (efterkommere needs the whole tree: antalUnderenheder alone is answered by targeted Soeg, no snapshot.)
    expect((await post(s, `{ organisationEnhed(uuid: "${ROOT}") { efterkommere(maksDybde: 1) { uuid } } }`)).status).toBe(200);
    // 20 × 20 × 20 units with a few fields each: within the cost limit, and answered in full.
    const three = await post(s, upAndDown(2, 'uuid'));
    expect(three.status).toBe(200);
    expect(three.body.errors).toBeUndefined();
    expect(three.body.data!.organisationEnhed.efterkommere).toHaveLength(19);
    expect(three.body.data!.organisationEnhed.efterkommere[0].rod.efterkommere).toHaveLength(19);
    // One more level is 20 times as much: refused.
    expectLimit(await post(s, upAndDown(4)), ['GRAPHQL_MAX_COST']);
  });

  test('a cost the model underestimates is stopped by the execution budget: objects', async () => {
    const t = await testStack({ GRAPHQL_MAX_OBJECTS: '300' });
    try {
      // With a snapshot loaded the cost model knows Korsbæk's 20 units (before, it assumes 2,000).
      expect((await post(t, `{ organisationEnhed(uuid: "${ROOT}") { efterkommere(maksDybde: 1) { uuid } } }`)).status).toBe(200);
      // 1 + 19 + 19 × 19 units: the static cost (about 1,200) passes, the answer has more than 300 objects.
      const { result, slowestHealthMs } = await watchingHealth(t, () => post(t, upAndDown(2, 'uuid navn')));
      expectLimit(result, ['GRAPHQL_MAX_OBJECTS']);
      expect(result.body.errors).toHaveLength(1);
      expect(result.body.errors![0].message).toMatch(/more than 300 objects \(GRAPHQL_MAX_OBJECTS\)/);
      expect(slowestHealthMs).toBeLessThan(1000);
      await expectGoodQuery(t);
      // Just under the budget, the same shape answers in full.
      const small = await post(t, `{ organisationEnhed(uuid: "${ROOT}") { efterkommere { uuid navn } } }`);
      expect(small.status).toBe(200);
      expect(small.body.data!.organisationEnhed.efterkommere).toHaveLength(19);
    } finally {
      await t.close();
    }
  });

  test('… and answer bytes', async () => {
    const t = await testStack({ GRAPHQL_MAX_ANSWER_BYTES: '2000' });
    try {
      const r = await post(t, `{ organisationEnhed(uuid: "${ROOT}") { efterkommere { uuid navn brugervendtNoegle overordnetUuid } } }`);
      expectLimit(r, ['GRAPHQL_MAX_ANSWER_BYTES']);
      await expectGoodQuery(t);
    } finally {
      await t.close();
    }
  });

  test('aliases, _entities and uuids multiply the cost as they multiply the answer', async () => {
    const wide = `{ ${Array.from({ length: 25 }, (_, i) => `a${i}: organisationEnhed(uuid: "${ROOT}") { efterkommere { rod { efterkommere { rod { efterkommere { navn } } } } } }`).join(' ')} }`;
    expectLimit(await post(s, wide), ['GRAPHQL_MAX_COST']);
    const reps = Array.from({ length: 1000 }, () => ({ __typename: 'OrganisationEnhed', uuid: ROOT }));
    const ents = await post(s, 'query($r: [_Any!]!) { _entities(representations: $r) { ... on OrganisationEnhed { efterkommere { rod { efterkommere { navn } } } } } }', { r: reps });
    expectLimit(ents, ['GRAPHQL_MAX_COST']);
    const many = Array.from({ length: 1000 }, () => ROOT);
    expectLimit(await post(s, 'query($u: [UUID!]!) { organisationEnheder(uuids: $u) { efterkommere { rod { efterkommere { navn } } } } }', { u: many }), ['GRAPHQL_MAX_COST']);
  });

  test('generated fan-out attacks: every one a 4xx or a full answer, never a 500, and /health stays quick', async () => {
    const rng = new Rng(0xfa17);
    const n = sized(12, 60);
    const { result, slowestHealthMs } = await watchingHealth(s, async () => {
      const out: Answer[] = [];
      for (let i = 0; i < n; i++) {
        const sel = chain(rng, rng.int(2, 6));
        const aliases = rng.int(1, 4);
        out.push(await post(s, `{ ${Array.from({ length: aliases }, (_, a) => `x${a}: organisationEnhed(uuid: "${rng.pick(Object.values(U))}") { ${sel} }`).join(' ')} }`));
      }
      return out;
    });
    for (const r of result) {
      expect(r.status).toBeLessThan(500);
      if (r.status !== 200) expectLimit(r, ['GRAPHQL_MAX_COST', 'GRAPHQL_MAX_OBJECTS', 'GRAPHQL_MAX_ANSWER_BYTES', 'GRAPHQL_MAX_DEPTH']);
    }
    expect(result.some((r) => r.status === 400)).toBe(true);
    expect(slowestHealthMs).toBeLessThan(1000);
    await expectGoodQuery(s);
  }, scaledTimeout(120_000));
});

describe('fragment DAGs and node counts', () => {
  let s: Stack;
  beforeAll(async () => { s = await testStack(); });
  afterAll(async () => { await s.close(); });

  /** `levels` fragments, each spreading the next `fanout` times (2^24 paths for 24 × 2). */
  function dag(levels: number, fanout: number, prefix: string, body = 'navn'): string {
    let frags = '';
    for (let i = 0; i < levels; i++) frags += `fragment ${prefix}${i} on OrganisationEnhed { ${body} ${Array.from({ length: fanout }, () => `...${prefix}${i + 1}`).join(' ')} }\n`;
    frags += `fragment ${prefix}${levels} on OrganisationEnhed { uuid }`;
    return `{ organisationEnhed(uuid: "${ROOT}") { ...${prefix}0 } }\n${frags}`;
  }

  test('24 fragments that each spread the next twice validate and answer without walking every path', async () => {
    // Fresh names each time: the document cache must not be what saves us.
    const { result, slowestHealthMs } = await watchingHealth(s, async () => [await post(s, dag(24, 2, 'A')), await post(s, dag(24, 2, 'B')), await post(s, dag(40, 3, 'C'))]);
    for (const r of result) {
      expect(r.status).toBe(200);
      expect(r.body.data?.organisationEnhed).toEqual({ navn: 'Korsbæk Kommune', uuid: ROOT });
    }
    expect(slowestHealthMs).toBeLessThan(1000);
  });

  test('fragment levels under aliases (a legal query beyond graphql-query-complexity\'s node limit) is not a 500', async () => {
    let frags = '';
    for (let i = 0; i < 6; i++) frags += `fragment L${i} on OrganisationEnhed { ${Array.from({ length: 5 }, (_, a) => `a${a}: overordnet { ...L${i + 1} }`).join(' ')} }\n`;
    frags += 'fragment L6 on OrganisationEnhed { navn }';
    const r = await post(s, `{ organisationEnhed(uuid: "${U.kontanthjaelp}") { ...L0 } }\n${frags}`);
    // About 20,000 expected fields: within every limit, so it is answered (graphql-query-complexity threw a 500).
    expect(r.status).toBe(200);
    expect(r.body.errors).toBeUndefined();
    // Kontanthjælp's parent and grandparent exist: two levels of the five aliases answered (the third is above the root).
    expect(Object.keys(r.body.data?.organisationEnhed.a0.a4)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
  });

  test('a document nested thousands deep is refused before parsing (graphql-js recurses and overflowed the stack: a 500)', async () => {
    for (const depth of [100, 1500, 2500, 20_000]) {
      for (const q of [`{${'a{'.repeat(depth)}b${'}'.repeat(depth)}}`, `{ organisationEnhed(uuid: "${ROOT}", virkning: ${'{ tidspunkt: '.repeat(depth)}"x"${'}'.repeat(depth)}) { navn } }`, `{ a(x: ${'['.repeat(depth)}1${']'.repeat(depth)}) }`]) {
        const r = await post(s, q.slice(0, 99_000));
        expectLimit(r, ['GRAPHQL_MAX_DEPTH']);
        expect(r.body.errors![0].message).toMatch(/nests \d+ levels deep; at most 64/);
      }
    }
    // Braces inside strings and comments do not count.
    const r = await post(s, `{ soegOrganisationEnheder(first: 1, filter: { navn: "${'{'.repeat(150)}" }) { nodes { uuid } } } # ${'{'.repeat(150)}`);
    expect(r.status).toBe(200);
    await expectGoodQuery(s);
  });

  test('a cycle of fragments is a validation error, not a hang', async () => {
    const r = await post(s, `{ organisationEnhed(uuid: "${ROOT}") { ...X } } fragment X on OrganisationEnhed { navn overordnet { ...Y } } fragment Y on OrganisationEnhed { ...X }`);
    expect(r.status).toBe(400);
    expect(r.body.errors?.[0].message).toMatch(/Cannot spread fragment "X" within itself/);
  });
});

describe('wildcards', () => {
  let s: Stack;
  const v = { fra: '2020-01-01T00:00:00.000Z', til: null, aktoerRef: KORSBAEK.systemAktoer, aktoerTypeKode: 'Organisation' as const };
  let lineBreak = '';
  let longName = '';
  beforeAll(async () => {
    s = await testStack();
    const unit = (navn: string): Promise<string> => s.client.opret('OrganisationEnhed', {
      egenskaber: [{ virkning: v, values: { BrugervendtNoegleTekst: navn.slice(0, 40).replace(/\n/g, ' '), EnhedNavn: navn } }],
      tilstande: [{ virkning: v, value: 'Aktiv' }],
      relationer: [{ name: 'Tilhoerer', virkning: v, ref: { uuid: KORSBAEK.organisation } }],
    });
    lineBreak = await unit('Linje et\nLinje to');
    longName = await unit(`${'a'.repeat(190)}b`);
  });
  afterAll(async () => { await s.close(); });

  const search = (navn: string): Promise<Answer> => post(s, 'query($n: String!) { soegOrganisationEnheder(filter: { navn: $n }, first: 50) { nodes { uuid } } }', { n: navn });

  test('a name with a line break is found by SF1500 and kept by our re-check', async () => {
    for (const p of ['Linje*to', 'linje et?linje to', '*ET*TO', 'Linje et\nLinje to']) {
      const r = await search(p);
      expect(r.status).toBe(200);
      expect(r.body.data!.soegOrganisationEnheder.nodes.map((n: { uuid: string }) => n.uuid)).toContain(lineBreak);
    }
    expect((await search('Linje et')).body.data!.soegOrganisationEnheder.nodes).toEqual([]);
  });

  test('patterns of many stars do not backtrack', async () => {
    const { result, slowestHealthMs } = await watchingHealth(s, () => Promise.all([
      search(`${'*a'.repeat(9)}*c`), search(`${'*a'.repeat(15)}*`), search(`${'a*'.repeat(30)}b`), search(`${'?*'.repeat(40)}b`),
    ]));
    expect(result.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const ids = (r: Answer): string[] => r.body.data!.soegOrganisationEnheder.nodes.map((n: { uuid: string }) => n.uuid);
    expect(ids(result[0])).not.toContain(longName); // ends in b, not c
    expect(ids(result[1])).toContain(longName);
    expect(ids(result[2])).toContain(longName);
    expect(ids(result[3])).toContain(longName);
    expect(slowestHealthMs).toBeLessThan(1000);
  });
});

describe('cursors', () => {
  let s: Stack;
  beforeAll(async () => { s = await testStack(); });
  afterAll(async () => { await s.close(); });

  test('anything our cursors never contain is BAD_USER_INPUT before any SOAP call', async () => {
    const b64 = (t: string): string => Buffer.from(t).toString('base64url');
    const forged = [b64('sf1500:1e308'), b64('sf1500:123456789012'), b64('sf1500:0001'), b64('sf1500:-1'), b64('sf1500:1.5'), b64('other:1'), `${encodeCursor(3)}=`, 'not a cursor', 'x'.repeat(200)];
    for (const after of forged) {
      const r = await post(s, 'query($a: String) { soegOrganisationEnheder(first: 2, after: $a) { nodes { uuid } } }', { a: after }, { 'x-sf1500-calls': '1' });
      expect(r.status).toBe(200);
      expect(r.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
      expect(r.body.extensions?.sf1500?.calls).toBe(0);
    }
    // Our own cursors still page.
    const first = await post(s, '{ soegOrganisationEnheder(first: 2) { pageInfo { endCursor } nodes { uuid } } }');
    const next = await post(s, 'query($a: String) { soegOrganisationEnheder(first: 2, after: $a) { nodes { uuid } } }', { a: first.body.data!.soegOrganisationEnheder.pageInfo.endCursor });
    expect(next.body.errors).toBeUndefined();
    expect(next.body.data!.soegOrganisationEnheder.nodes).toHaveLength(2);
    expect(next.body.data!.soegOrganisationEnheder.nodes[0].uuid).not.toBe(first.body.data!.soegOrganisationEnheder.nodes[0].uuid);
  });
});

/** A TCP server that accepts SOAP connections and never answers: counts open sockets. */
async function blackHole(): Promise<{ url: string; open: () => number; accepted: () => number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((sock) => {
    accepted++;
    sockets.add(sock);
    sock.on('data', () => undefined);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    open: () => sockets.size,
    accepted: () => accepted,
    close: async () => {
      for (const x of sockets) x.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return cond();
}

describe('abandoned and slow requests', () => {
  let hole: Awaited<ReturnType<typeof blackHole>>;
  let s: Stack;
  /** Budgets far beyond the test's waits, so a closed SOAP call can only be the cancellation. */
  let patient: Stack;
  beforeAll(async () => {
    hole = await blackHole();
    s = await testStack({ SF1500_BASE_URL: hole.url, SF1500_TIMEOUT_MS: '60000', SF1500_RETRIES: '0', GRAPHQL_TIMEOUT_MS: '800', READY_TIMEOUT_MS: '300' });
    patient = await testStack({ SF1500_BASE_URL: hole.url, SF1500_TIMEOUT_MS: '60000', SF1500_RETRIES: '0', GRAPHQL_TIMEOUT_MS: '30000' });
  });
  afterAll(async () => {
    await s.close();
    await patient.close();
    await hole.close();
  });

  test('a client that hangs up cancels its SOAP calls', async () => {
    const aborts = Array.from({ length: 40 }, () => new AbortController());
    const pending = aborts.map((a, i) => post(patient, `{ organisationEnhed(uuid: "${Object.values(U)[i % 20]}") { navn } }`, undefined, {}, a.signal).catch(() => 'aborted'));
    expect(await until(() => hole.open() >= 1, 10_000)).toBe(true);
    for (const a of aborts) a.abort();
    expect(await Promise.all(pending)).toEqual(aborts.map(() => 'aborted'));
    // Gone from SF1500 long before the 30 s request budget or the 60 s SOAP deadline could end them.
    expect(await until(() => hole.open() === 0, 10_000)).toBe(true);
    const h = await fetch(new URL('/health', patient.subgraph.url));
    expect(h.status).toBe(200);
  });

  test('a request past its time budget gets QUERY_LIMIT (GRAPHQL_TIMEOUT_MS) and its SOAP call is cancelled', async () => {
    const r = await post(s, `{ organisationEnhed(uuid: "${ROOT}") { navn } }`);
    expectLimit(r, ['GRAPHQL_TIMEOUT_MS']);
    expect(r.ms).toBeLessThan(30_000); // the SOAP deadline is 60 s
    expect(await until(() => hole.open() === 0, 10_000)).toBe(true);
  });

  test('/ready answers 503 within its own bound when SF1500 accepts connections but never answers', async () => {
    const t = performance.now();
    const r = await fetch(new URL('/ready', s.subgraph.url));
    expect(r.status).toBe(503);
    expect(performance.now() - t).toBeLessThan(3000);
  });
});

describe('inline trace and connections', () => {
  test('Apollo\'s inline trace only for the router (router secret set and given)', async () => {
    const open = await testStack();
    const routed = await testStack({ AUTH_ROUTER_SECRET: 'r0uter' });
    try {
      const q = `{ organisationEnhed(uuid: "${ROOT}") { navn } }`;
      const plain = await post(open, q, undefined, { 'apollo-federation-include-trace': 'ftv1' });
      expect(plain.status).toBe(200);
      expect(plain.body.extensions?.ftv1).toBeUndefined();
      const router = await post(routed, q, undefined, { 'apollo-federation-include-trace': 'ftv1', 'x-router-secret': 'r0uter' });
      expect(router.status).toBe(200);
      expect(typeof router.body.extensions?.ftv1).toBe('string');
    } finally {
      await open.close();
      await routed.close();
    }
  });

  test('open connections are bounded and idle ones closed; the service answers after a flood', async () => {
    const s = await testStack({ HTTP_MAX_CONNECTIONS: '20', HTTP_KEEPALIVE_TIMEOUT_MS: '300', HTTP_HEADERS_TIMEOUT_MS: '500' });
    try {
      const port = Number(new URL(s.subgraph.url).port);
      const open = (): Promise<number> => new Promise((r) => s.subgraph.server.getConnections((_e, n) => r(n)));
      const socks: net.Socket[] = [];
      for (let i = 0; i < 60; i++) {
        const c = net.connect(port, '127.0.0.1');
        c.on('error', () => undefined);
        // A slowloris start: part of the headers, never finished, nothing read.
        c.write('POST /graphql HTTP/1.1\r\nHost: x\r\n');
        socks.push(c);
      }
      await until(() => socks.every((c) => !c.connecting), 2000);
      await new Promise((r) => setTimeout(r, 100));
      // The bound holds at once (the rest were dropped) …
      expect(await open()).toBeLessThanOrEqual(20);
      // … and the slow ones are gone when their headers take too long.
      let n = await open();
      for (const end = Date.now() + 5000; n > 0 && Date.now() < end; n = await open()) await new Promise((r) => setTimeout(r, 100));
      expect(n).toBe(0);
      // An idle keep-alive connection is closed after HTTP_KEEPALIVE_TIMEOUT_MS.
      const idle = net.connect(port, '127.0.0.1');
      let idleClosed = false;
      idle.on('data', () => undefined).on('close', () => { idleClosed = true; });
      idle.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
      expect(await until(() => idleClosed, 3000)).toBe(true);
      for (const c of socks) c.destroy();
      const h = await fetch(new URL('/health', s.subgraph.url));
      expect(h.status).toBe(200);
      await expectGoodQuery(s);
    } finally {
      await s.close();
    }
  });
});

describe('local SF1500: writes with many rows of one relation', () => {
  let s: Stack;
  beforeAll(async () => { s = await testStack(); });
  afterAll(async () => { await s.close(); });
  const v = (i: number) => ({ fra: new Date(Date.UTC(2000, 0, 1) + i * 86_400_000).toISOString(), til: new Date(Date.UTC(2000, 0, 2) + i * 86_400_000).toISOString(), aktoerRef: KORSBAEK.systemAktoer, aktoerTypeKode: 'Organisation' as const });
  const ansatte = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ name: 'Ansatte', virkning: v(from + i), ref: { uuid: Object.values(KORSBAEK.brugere)[i % 12] } }));

  test('an Opret with 10,000 rows and Rets of it are accepted (the overlap check was quadratic), and the service keeps answering', async () => {
    const { result: uuid, slowestHealthMs } = await watchingHealth(s, async () => {
      const id = await s.client.opret('OrganisationEnhed', {
        egenskaber: [{ virkning: v(0), values: { BrugervendtNoegleTekst: 'Mange', EnhedNavn: 'Mange ansatte' } }],
        tilstande: [{ virkning: v(0), value: 'Aktiv' }],
        relationer: ansatte(10_000),
      });
      // Resending 500 of the rows replaces them (same reference, overlapping period): still 10,000.
      const r = await s.client.ret('OrganisationEnhed', id, { relationer: ansatte(500) }, 'igen');
      expect(r).toMatchObject({ statusKode: 20 });
      return id;
    });
    // The local SF1500 shares the process in this stack, so its parsing of 4 MB shows here; what this guards
    // against is the quadratic check: 10,000 rows took 22 s, a Ret of them 19 s (limits.test.ts checks the verdicts).
    expect(slowestHealthMs).toBeLessThan(10_000);
    const read = await s.client.laes('OrganisationEnhed', uuid, { virkning: { fra: null, til: null }, registrering: { fra: null, til: null } });
    expect(read!.registreringer.at(-1)!.relationer.filter((r) => r.name === 'Ansatte')).toHaveLength(10_000);
  });

  test('beyond the per-request row bounds: StandardRetur 40 naming the bound', async () => {
    const big = await s.client.opret('OrganisationEnhed', {
      egenskaber: [{ virkning: v(0), values: { BrugervendtNoegleTekst: 'Stor', EnhedNavn: 'Stor' } }], tilstande: [{ virkning: v(0), value: 'Aktiv' }], relationer: [],
    });
    const ret = await s.client.ret('OrganisationEnhed', big, { relationer: ansatte(1001) }, 'for mange').catch((e: Error) => e);
    expect(String((ret as Error).message ?? JSON.stringify(ret))).toMatch(/1001 rows; at most 1000 per list/);
    const opret = await s.client.opret('OrganisationEnhed', {
      egenskaber: [{ virkning: v(0), values: { BrugervendtNoegleTekst: 'Størst', EnhedNavn: 'Størst' } }], tilstande: [{ virkning: v(0), value: 'Aktiv' }], relationer: ansatte(10_001),
    }).catch((e: Error) => e);
    expect((opret as Error).message).toMatch(/10001 rows; at most 10000 per list/);
    await expectGoodQuery(s);
  });
});

/** Resident memory of a child process in MB (Linux /proc). */
async function subgraphRss(pid: number | undefined): Promise<number | undefined> {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1000) : undefined;
  } catch {
    return undefined;
  }
}

if (STRESS) {
  describe('stress: generated attacks at the large municipality', () => {
    // The local SF1500 and the subgraph each in their own process (as `npm start` against KOMBIT would
    // run): this process is only the client, so /health measures the subgraph alone, not the emulator's
    // seeded heap or the test's own parsing of the answers.
    let s: Target;
    let sf: ChildSf1500;
    let subgraph: ChildProcess;
    let dir = '';
    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf1500-hostile-'));
      sf = await startChildSf1500(path.join(dir, 'large.db'), { SF1500_SEED: 'large' }, 180_000);
      subgraph = spawn(process.execPath, [path.join(__dirname, '..', '..', 'dist', 'src', 'main.js')], {
        env: { ...process.env, NODE_ENV: 'development', PORT: '0', SF1500_BASE_URL: sf.url, SF1500_HIERARCHY_CACHE_MS: '600000', SUBGRAPH_STATE_DIR: path.join(dir, 'state'), SF1500_TIMEOUT_MS: '120000', LOG_LEVEL: 'info' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the subgraph did not start: ${out}`)), 60_000);
        subgraph.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /"url":"(http:\/\/[^"]+\/graphql)"/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
      });
      s = { subgraph: { url } };
    }, 240_000);
    afterAll(async () => {
      const gone = new Promise((r) => subgraph.once('exit', r));
      subgraph.kill('SIGTERM');
      await gone;
      sf.child.kill('SIGTERM');
      await sf.exited;
      fs.rmSync(dir, { recursive: true, force: true });
    });

    test('fan-out chains, fragment DAGs, wildcards and abandoned requests, mixed', async () => {
      const rng = new Rng(0x5ca1e);
      const root = (await post(s, '{ soegOrganisationer(first: 1) { nodes { rodEnhed { uuid efterkommere { uuid } } } } }')).body.data!.soegOrganisationer.nodes[0].rodEnhed.uuid as string;
      // The first snapshot is then written to SUBGRAPH_STATE_DIR and taken in by the change feed (once per
      // refresh, not part of an attack): let that settle before the watch starts.
      await new Promise((r) => setTimeout(r, 5000));
      const kinds = {
        chain: (): string => `{ organisationEnhed(uuid: "${root}") { ${chain(rng, rng.int(2, 5))} } }`,
        dag: (): string => {
          const p = `D${rng.int(0, 1e9)}_`;
          const levels = rng.int(10, 40);
          let frags = '';
          for (let i = 0; i < levels; i++) frags += `fragment ${p}${i} on OrganisationEnhed { navn ${`...${p}${i + 1} `.repeat(rng.int(2, 4))} }\n`;
          return `{ organisationEnhed(uuid: "${root}") { ...${p}0 } }\n${frags}fragment ${p}${levels} on OrganisationEnhed { uuid }`;
        },
        wildcard: (): string => `{ soegBrugere(first: 100, filter: { navn: "${Array.from({ length: rng.int(5, 15) }, () => rng.pick(['*', '?', 'a', 'e', '*n'])).join('')}" }) { nodes { uuid } } }`,
      };
      const n = sized(50, 400);
      const statuses = new Map<number, number>();
      const started = performance.now();
      const { slowestHealthMs, healthAnswers } = await watchingHealth(s, async () => {
        const work: Array<Promise<void>> = [];
        for (let i = 0; i < n; i++) {
          const kind = rng.pick(['chain', 'dag', 'wildcard', 'abandon'] as const);
          if (kind === 'abandon') {
            const a = new AbortController();
            const p = post(s, kinds.chain(), undefined, {}, a.signal).then(() => undefined, () => undefined);
            setTimeout(() => a.abort(), rng.int(5, 200));
            work.push(p);
          } else {
            work.push(post(s, kinds[kind]()).then((r) => {
              statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
              expect(r.status).toBeLessThan(500);
            }));
          }
          if (work.length >= 8) await Promise.all(work.splice(0));
        }
        await Promise.all(work);
      });
      // Reported by the stress run (SECURITY.md).
      console.log(JSON.stringify({ attacks: n, seconds: Math.round((performance.now() - started) / 1000), statuses: Object.fromEntries(statuses), slowestHealthMs: Math.round(slowestHealthMs), healthAnswers, subgraphRssMb: await subgraphRss(subgraph.pid) }));
      expect(slowestHealthMs).toBeLessThan(1000);
      const good = await post(s, `{ organisationEnhed(uuid: "${root}") { navn antalUnderenheder } }`);
      expect(good.status).toBe(200);
      expect(good.body.data?.organisationEnhed.antalUnderenheder).toBeGreaterThan(0);
    }, 1_800_000);
  });
}
