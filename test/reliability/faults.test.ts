/**
 * The subgraph when SF1500 misbehaves, with a fault-injecting proxy between the subgraph's client and a
 * local SF1500 we control: SF1500 dies mid-query (errors on the affected fields only, partial data kept,
 * the subgraph stays up, /ready 503, and recovers), answers too slowly (SF1500_TIMEOUT), fails
 * transiently (reads retried, counted at the proxy; writes never retried and never duplicated), fails
 * repeatedly (the per-service circuit breaker opens, fails fast without traffic, and recovers), and
 * answers StandardRetur 40/49, a Fault or garbage (SF1500_STATUS with statusKode, SF1500_FAULT,
 * SF1500_BAD_RESPONSE).
 */
import { KORSBAEK } from '../../src/emulator/seed/korsbaek';
import { seedFor } from '../../src/emulator/seed/presets';
import { startSf1500, type RunningSf1500 } from '../../src/emulator';
import { Sf1500Client } from '../../src/sf1500/client';
import { Sf1500Error } from '../../src/sf1500/errors';
import { READY_CACHE_MS } from '../../src/server/app';
import { testStack } from '../support/stack';
import { startFaultProxy, type FaultProxy } from '../support/proxy';

const U = KORSBAEK.units;
const B = KORSBAEK.brugere;
const V = { fra: '2020-01-01T00:00:00.000Z', til: null, aktoerRef: KORSBAEK.systemAktoer, aktoerTypeKode: 'Organisation' as const };

type Stack = Awaited<ReturnType<typeof testStack>>;

const emulator = (): Promise<RunningSf1500> => startSf1500({ dbFile: ':memory:', seed: seedFor('korsbaek') });

/** Registrations of one object (every write appends one). */
const registrations = async (sf: RunningSf1500, uuid: string): Promise<number> => (await sf.store.get('OrganisationEnhed', uuid))?.registreringer.length ?? 0;

async function ready(s: Stack): Promise<number> {
  return (await fetch(new URL('/ready', s.subgraph.url))).status;
}

async function health(s: Stack): Promise<number> {
  return (await fetch(new URL('/health', s.subgraph.url))).status;
}

const codes = (r: { errors?: Array<{ extensions?: Record<string, any> }> }): string[] => (r.errors ?? []).map((e) => String(e.extensions?.code));

async function expectSf1500Error(p: Promise<unknown>, code: string): Promise<Sf1500Error> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(Sf1500Error);
    expect((e as Sf1500Error).code).toBe(code);
    return e as Sf1500Error;
  }
  throw new Error(`expected ${code}, the call succeeded`);
}

/** A local SF1500, a fault-injecting proxy in front of it, and a subgraph whose client goes through the proxy. */
async function behindProxy(timeoutMs: string, client: Partial<Sf1500Client['options']>): Promise<{ sf: RunningSf1500; proxy: FaultProxy; s: Stack }> {
  const sf = await emulator();
  const proxy = await startFaultProxy(sf.url);
  const s = await testStack({ SF1500_BASE_URL: proxy.url, SF1500_TIMEOUT_MS: timeoutMs, SF1500_RETRIES: '2' });
  // Breaker settings are not configurable by env; the client reads them when a service's breaker is first made.
  Object.assign(s.client.options, client);
  return { sf, proxy, s };
}

async function closeAll(s: Stack | undefined, proxy: FaultProxy | undefined, sf: RunningSf1500 | undefined): Promise<void> {
  await s?.close();
  await proxy?.close();
  await sf?.close().catch(() => undefined); // may have been killed by the test
}

describe('SF1500 dies in the middle of a query', () => {
  let sf: RunningSf1500;
  let proxy: FaultProxy;
  let s: Stack;

  beforeAll(async () => {
    ({ sf, proxy, s } = await behindProxy('2000', { breakerResetMs: 500 })); // recovery fits in a test
  });
  afterAll(() => closeAll(s, proxy, sf));

  const QUERY = `{ a: organisationEnhed(uuid: "${U.kontaktcenteret}") { navn overordnet { navn overordnet { navn } } }
    b: bruger(uuid: "${B.KA}") { navn } }`;

  it('keeps the fields answered before the kill, errors the rest with SF1500_UNAVAILABLE, and stays up', async () => {
    // The unit's own read (and the user's) pass; the next unit read (its parent) is held, SF1500 is killed, then released.
    proxy.holdAfter(1, (a) => a.service === 'organisationenhed');
    const pending = s.gql(QUERY);
    await proxy.waitHeld(1);
    await sf.close();
    proxy.release();
    const r = await pending;
    expect(r.data).toEqual({ a: { navn: 'Kontaktcenteret', overordnet: null }, b: { navn: 'KA' } });
    expect(r.errors).toHaveLength(1);
    expect(r.errors![0].path).toEqual(['a', 'overordnet']);
    expect(r.errors![0].extensions).toMatchObject({ code: 'SF1500_UNAVAILABLE', service: 'organisationenhed' });
    expect(r.errors![0].message).not.toMatch(/\n\s+at /);
    // Reads were retried against the dead SF1500 (the first attempt plus two retries reached the proxy).
    expect(proxy.count(undefined, 'organisationenhed')).toBe(1 + 3);

    expect(await health(s)).toBe(200);
    expect(await ready(s)).toBe(503);
    const again = await s.gql(`{ organisationEnhed(uuid: "${U.jobcenter}") { navn } }`);
    expect(again.data).toEqual({ organisationEnhed: null });
    expect(['SF1500_UNAVAILABLE', 'SF1500_CIRCUIT_OPEN']).toContain(codes(again)[0]);
  });

  it('recovers when SF1500 is back (after the breaker\'s reset time)', async () => {
    sf = await emulator();
    proxy.upstream = sf.url;
    await new Promise((r) => setTimeout(r, 600));
    const r = await s.gql(QUERY);
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ a: { navn: 'Kontaktcenteret', overordnet: { navn: 'Borgerservice', overordnet: { navn: 'Korsbæk Kommune' } } }, b: { navn: 'KA' } });
    // /ready reuses one probe for READY_CACHE_MS: it turns 200 within that time.
    const until = Date.now() + READY_CACHE_MS + 2000;
    let status = await ready(s);
    while (status !== 200 && Date.now() < until) {
      await new Promise((w) => setTimeout(w, 100));
      status = await ready(s);
    }
    expect(status).toBe(200);
  });
});

describe('a slow or failing SF1500: timeouts and retries', () => {
  let sf: RunningSf1500;
  let proxy: FaultProxy;
  let s: Stack;

  beforeAll(async () => {
    ({ sf, proxy, s } = await behindProxy('300', { breakerThreshold: 1000 })); // keep the breaker out of these tests
  });
  afterEach(() => proxy.reset());
  afterAll(() => closeAll(s, proxy, sf));

  it('answers SF1500_TIMEOUT when SF1500 is slower than SF1500_TIMEOUT_MS, after retrying the read twice', async () => {
    proxy.mode = { delayMs: 1500 };
    const started = Date.now();
    const r = await s.gql(`{ organisationEnhed(uuid: "${U.jobcenter}") { navn } }`);
    const ms = Date.now() - started;
    expect(r.data).toEqual({ organisationEnhed: null });
    expect(codes(r)).toEqual(['SF1500_TIMEOUT']);
    expect(r.errors![0].path).toEqual(['organisationEnhed']);
    expect(proxy.attempts.length).toBe(3);
    expect(ms).toBeLessThan(1500 * 3); // each attempt gave up at the deadline, not when the answer came
  });

  it('a read that fails once (connection reset) succeeds on retry, invisibly to the caller', async () => {
    proxy.mode = { fail: 'reset', failTimes: 1 };
    const r = await s.gql(`{ organisationEnhed(uuid: "${U.jobcenter}") { navn } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ organisationEnhed: { navn: 'Jobcenter' } });
    expect(proxy.attempts.length).toBe(2);
  });

  it.each([
    ['connection reset', 'SF1500_UNAVAILABLE', { fail: 'reset' as const }],
    ['HTTP 503', 'SF1500_UNAVAILABLE', { fail: 'http503' as const }],
  ])('retries reads on %s (3 attempts), then answers %s', async (_name, code, mode) => {
    proxy.mode = mode;
    const r = await s.gql(`{ soegOrganisationEnheder(first: 2) { nodes { navn } } }`);
    expect(codes(r)).toEqual([code]);
    expect(proxy.count('Soeg')).toBe(3);
  });

  describe('writes are never retried (the client used directly; the subgraph itself only reads)', () => {
    let client: Sf1500Client;
    beforeAll(() => {
      client = new Sf1500Client({ baseUrl: proxy.url, retries: 3, retryBaseMs: 5, timeoutMs: 300, breakerThreshold: 1000 });
    });
    afterAll(() => client.close());

    const unitLists = {
      egenskaber: [{ virkning: V, values: { BrugervendtNoegleTekst: 'w', EnhedNavn: 'Skrivning' } }],
      tilstande: [{ virkning: V, value: 'Aktiv' }],
      relationer: [{ name: 'Overordnet', virkning: V, ref: { uuid: U.kommune } }],
    };
    const writes: Array<[string, () => Promise<unknown>]> = [
      ['ret', () => client.ret('OrganisationEnhed', U.jobcenter, { egenskaber: [{ virkning: V, values: { BrugervendtNoegleTekst: 'Jobcenter', EnhedNavn: 'Jobcenter' } }] }, 'retry?')],
      ['opret', () => client.opret('OrganisationEnhed', unitLists, 'retry?')],
      ['passiver', () => client.passiver('OrganisationEnhed', U.sygNord, 'retry?')],
      ['importer', () => client.importer('OrganisationEnhed', { uuid: '3f1c2b7a-1d2e-4f5a-9b8c-7d6e5f4a3b2c', registreringer: [{ ...unitLists }] })],
    ];

    it.each(writes)('%s through a resetting proxy: one attempt, SF1500_UNAVAILABLE, nothing written', async (_op, call) => {
      const before = { units: await sf.store.count('OrganisationEnhed'), jobcenter: await registrations(sf, U.jobcenter), sygNord: await registrations(sf, U.sygNord) };
      proxy.mode = { fail: 'reset' };
      await expectSf1500Error(call(), 'SF1500_UNAVAILABLE');
      expect(proxy.attempts.length).toBe(1);
      expect({ units: await sf.store.count('OrganisationEnhed'), jobcenter: await registrations(sf, U.jobcenter), sygNord: await registrations(sf, U.sygNord) }).toEqual(before);
    });

    it.each(writes)('%s through an HTTP 503: one attempt', async (_op, call) => {
      proxy.mode = { fail: 'http503' };
      await expectSf1500Error(call(), 'SF1500_UNAVAILABLE');
      expect(proxy.attempts.length).toBe(1);
    });

    it('a Ret whose answer is too late: SF1500_TIMEOUT after one attempt, and SF1500 applied it exactly once (no duplicate)', async () => {
      const before = await registrations(sf, U.jobcenter);
      proxy.mode = { delayMs: 800 };
      await expectSf1500Error(writes[0][1](), 'SF1500_TIMEOUT');
      expect(proxy.attempts.length).toBe(1);
      await new Promise((r) => setTimeout(r, 900));
      expect(await registrations(sf, U.jobcenter)).toBe(before + 1);
    });

    it('while a Laes through the same failures is attempted 1 + retries = 4 times', async () => {
      proxy.mode = { fail: 'reset' };
      await expectSf1500Error(client.laes('OrganisationEnhed', U.jobcenter), 'SF1500_UNAVAILABLE');
      expect(proxy.attempts.length).toBe(4);
      proxy.reset();
      proxy.mode = { delayMs: 500 };
      await expectSf1500Error(client.laes('OrganisationEnhed', U.jobcenter), 'SF1500_TIMEOUT');
      expect(proxy.attempts.length).toBe(4);
    });
  });
});

describe('the circuit breaker', () => {
  let sf: RunningSf1500;
  let proxy: FaultProxy;

  beforeAll(async () => {
    sf = await emulator();
    proxy = await startFaultProxy(sf.url);
  });
  afterEach(() => proxy.reset());
  afterAll(async () => {
    await proxy?.close();
    await sf?.close();
  });

  it('opens after N consecutive failures, fails fast with no request reaching SF1500, is per service, and recovers after the reset time', async () => {
    const client = new Sf1500Client({ baseUrl: proxy.url, retries: 0, timeoutMs: 1000, breakerThreshold: 3, breakerResetMs: 400 });
    try {
      proxy.mode = { fail: 'reset' };
      for (let i = 0; i < 3; i++) await expectSf1500Error(client.laes('OrganisationEnhed', U.jobcenter), 'SF1500_UNAVAILABLE');
      expect(proxy.attempts.length).toBe(3);
      const started = performance.now();
      for (let i = 0; i < 20; i++) {
        const e = await expectSf1500Error(client.laes('OrganisationEnhed', U.jobcenter), 'SF1500_CIRCUIT_OPEN');
        expect(e.service).toBe('organisationenhed');
      }
      expect(performance.now() - started).toBeLessThan(200); // fast: no network
      expect(proxy.attempts.length).toBe(3);
      // Another service has its own breaker: its call still goes out (and fails on its own).
      await expectSf1500Error(client.laes('Bruger', B.KA), 'SF1500_UNAVAILABLE');
      expect(proxy.count(undefined, 'bruger')).toBe(1);

      // Half-open after the reset time: one trial; it fails, so the circuit opens again.
      await new Promise((r) => setTimeout(r, 450));
      await expectSf1500Error(client.laes('OrganisationEnhed', U.jobcenter), 'SF1500_UNAVAILABLE');
      await expectSf1500Error(client.laes('OrganisationEnhed', U.jobcenter), 'SF1500_CIRCUIT_OPEN');
      expect(proxy.count(undefined, 'organisationenhed')).toBe(4);

      // SF1500 is healthy again: after the reset time the trial succeeds and the circuit closes.
      proxy.mode = {};
      await new Promise((r) => setTimeout(r, 450));
      expect((await client.laes('OrganisationEnhed', U.jobcenter))?.uuid).toBe(U.jobcenter);
      for (let i = 0; i < 5; i++) expect((await client.laes('OrganisationEnhed', U.kommune))?.uuid).toBe(U.kommune);
      expect(proxy.count(undefined, 'organisationenhed')).toBe(10);
    } finally {
      client.close();
    }
  });

  it('counts reads answered StandardRetur 50+ as failures (soeg, list), but not 40/44 answers', async () => {
    const client = new Sf1500Client({ baseUrl: proxy.url, retries: 0, timeoutMs: 1000, breakerThreshold: 2, breakerResetMs: 60_000 });
    const status = (code: number) => (body: string): string => body.replace(/<sd:StatusKode>\d+<\/sd:StatusKode>/, `<sd:StatusKode>${code}</sd:StatusKode>`);
    try {
      proxy.mode = { transform: status(40) };
      for (let i = 0; i < 3; i++) expect((await expectSf1500Error(client.list('OrganisationEnhed', [U.jobcenter]), 'SF1500_STATUS')).statusKode).toBe(40);
      proxy.mode = { transform: status(90) };
      expect((await expectSf1500Error(client.soeg('OrganisationEnhed', {}, { offset: 0, limit: 5 }), 'SF1500_STATUS')).statusKode).toBe(90);
      expect((await expectSf1500Error(client.list('OrganisationEnhed', [U.jobcenter]), 'SF1500_STATUS')).statusKode).toBe(90);
      await expectSf1500Error(client.laes('OrganisationEnhed', U.jobcenter), 'SF1500_CIRCUIT_OPEN');
      expect(proxy.count(undefined, 'organisationenhed')).toBe(5);
    } finally {
      client.close();
    }
  });

  it('through GraphQL: SF1500_CIRCUIT_OPEN after the failures, no SOAP traffic, then answers again', async () => {
    const s = await testStack({ SF1500_BASE_URL: proxy.url, SF1500_TIMEOUT_MS: '1000', SF1500_RETRIES: '0' });
    s.client.options.breakerResetMs = 500;
    try {
      const q = `{ organisationEnhed(uuid: "${U.jobcenter}") { navn } }`;
      proxy.mode = { fail: 'http503' };
      for (let i = 0; i < s.client.options.breakerThreshold; i++) expect(codes(await s.gql(q))).toEqual(['SF1500_UNAVAILABLE']);
      const sent = proxy.attempts.length;
      const open = await s.gql(q);
      expect(codes(open)).toEqual(['SF1500_CIRCUIT_OPEN']);
      expect(open.errors![0].extensions).toMatchObject({ service: 'organisationenhed' });
      expect(proxy.attempts.length).toBe(sent);
      proxy.mode = {};
      await new Promise((r) => setTimeout(r, 600));
      const back = await s.gql(q);
      expect(back.errors).toBeUndefined();
      expect(back.data).toEqual({ organisationEnhed: { navn: 'Jobcenter' } });
    } finally {
      await s.close();
    }
  });
});

describe('SF1500 business and protocol errors', () => {
  let sf: RunningSf1500;
  let proxy: FaultProxy;
  let s: Stack;

  beforeAll(async () => {
    ({ sf, proxy, s } = await behindProxy('2000', { breakerThreshold: 1000 }));
  });
  afterEach(() => proxy.reset());
  afterAll(() => closeAll(s, proxy, sf));

  const statusKode = (code: number, text: string) => (body: string, a: { service: string }): string =>
    (a.service === 'organisationenhed' ? body.replace(/<sd:StatusKode>20<\/sd:StatusKode>\s*<sd:FejlbeskedTekst>[^<]*<\/sd:FejlbeskedTekst>/, `<sd:StatusKode>${code}</sd:StatusKode><sd:FejlbeskedTekst>${text}</sd:FejlbeskedTekst>`) : body);

  it.each([
    [40, 'Ugyldigt input'],
    [49, 'Objektet findes allerede'],
  ])('StandardRetur %i surfaces as SF1500_STATUS with statusKode, not retried; other fields keep their data', async (code, text) => {
    proxy.mode = { transform: statusKode(code, text) };
    const r = await s.gql(`{ organisationEnhed(uuid: "${U.jobcenter}") { navn } bruger(uuid: "${B.KA}") { navn } }`);
    expect(r.data).toEqual({ organisationEnhed: null, bruger: { navn: 'KA' } });
    expect(r.errors).toHaveLength(1);
    expect(r.errors![0]).toMatchObject({ path: ['organisationEnhed'], extensions: { code: 'SF1500_STATUS', statusKode: code, service: 'organisationenhed' } });
    expect(r.errors![0].message).toContain(String(code));
    expect(r.errors![0].message).toContain(text);
    expect(proxy.count(undefined, 'organisationenhed')).toBe(1);
  });

  it('StandardRetur 90 (SF1500 internal) surfaces as SF1500_STATUS 90 after the read is retried (1 + 2 attempts)', async () => {
    proxy.mode = { transform: statusKode(90, 'Intern fejl') };
    const r = await s.gql(`{ organisationEnhed(uuid: "${U.jobcenter}") { navn } }`);
    expect(r.data).toEqual({ organisationEnhed: null });
    expect(r.errors![0].extensions).toMatchObject({ code: 'SF1500_STATUS', statusKode: 90 });
    expect(proxy.count(undefined, 'organisationenhed')).toBe(3);
  });

  it('a read answered 90 once succeeds on retry, invisibly to the caller', async () => {
    let first = true;
    proxy.mode = { transform: (body, a) => (first && a.service === 'organisationenhed' ? ((first = false), statusKode(90, 'Intern fejl')(body, a)) : body) };
    const r = await s.gql(`{ organisationEnhed(uuid: "${U.jobcenter}") { navn } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ organisationEnhed: { navn: 'Jobcenter' } });
    expect(proxy.count(undefined, 'organisationenhed')).toBe(2);
  });

  it('/ready (unauthenticated) cannot be used to drive SF1500 traffic: 200 concurrent probes, one SOAP call', async () => {
    const answers = await Promise.all(Array.from({ length: 200 }, () => ready(s)));
    expect(new Set(answers)).toEqual(new Set([200]));
    expect(proxy.attempts.length).toBe(1);
  });

  it('a SOAP Fault surfaces as SF1500_FAULT; an unreadable answer as SF1500_BAD_RESPONSE; neither leaks internals', async () => {
    proxy.mode = { transform: () => '<?xml version="1.0"?><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><soap:Fault><soap:Code><soap:Value>soap:Receiver</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang="da">Nede</soap:Text></soap:Reason></soap:Fault></soap:Body></soap:Envelope>' };
    const f = await s.gql(`{ organisationEnhed(uuid: "${U.jobcenter}") { navn } }`);
    expect(codes(f)).toEqual(['SF1500_FAULT']);
    expect(f.errors![0].message).toContain('Nede');
    proxy.mode = { transform: () => '<html><body>502 Bad Gateway</body></html>' };
    const g = await s.gql(`{ organisationEnhed(uuid: "${U.jobcenter}") { navn } }`);
    expect(codes(g)).toEqual(['SF1500_BAD_RESPONSE']);
    expect(JSON.stringify(g)).not.toMatch(/\bat \S+ \(|stacktrace/);
    proxy.mode = { transform: (b) => b.slice(0, Math.floor(b.length / 2)) };
    const t = await s.gql(`{ organisationEnhed(uuid: "${U.jobcenter}") { navn } }`);
    expect(codes(t)).toEqual(['SF1500_BAD_RESPONSE']);
  });
});
