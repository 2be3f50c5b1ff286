/**
 * Access to the subgraph and the local SF1500, and personal data in logs:
 *  - JWT bearer (RS256 key from a PEM file, or a local JWKS file): 401 with a clear message without or
 *    with a bad token (expired, wrong issuer/audience/key, alg none, HS256 with the public key), 200 with
 *    a valid one; CPR only with the CPR scope (`scope` or `scp`; CPR_SCOPE configurable);
 *  - the router secret (x-router-secret) when configured, alone and together with JWT;
 *  - the local SF1500's HTTP basic auth (and the subgraph's client sending it);
 *  - CPR numbers and person names never appear in the logs at info level (pino captured in memory,
 *    plus console and process warnings), while queries return CPR numbers and names and fail in ways
 *    that echo input.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { loadConfig } from '../../src/config';
import { startStack, type Stack } from '../../src/stack';
import { startSf1500, type RunningSf1500 } from '../../src/emulator';
import { korsbaekSeed, KORSBAEK } from '../../src/emulator/seed';
import { envelope, readAnswer } from '../support/soap';
import { testStack } from '../support/stack';

const U = KORSBAEK.units;
const B = KORSBAEK.brugere;
const ISSUER = 'https://idp.korsbaek.example';
const AUDIENCE = 'sf1500-subgraph';

type TestStack = Awaited<ReturnType<typeof testStack>>;
type Key = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

/** People in the seed: CPR numbers and names that must not reach the logs. */
const PEOPLE = korsbaekSeed().objects.filter((o) => o.type === 'Person').map((o) => {
  const values = o.objekt.registreringer[0].egenskaber[0].values;
  return { uuid: o.objekt.uuid, cpr: String(values['CPR-NummerTekst']), navn: String(values.NavnTekst) };
});

let dir = '';
let privateKey: Key;
let otherKey: Key;
let pemFile = '';
let jwksFile = '';

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf1500-access-'));
  const pair = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  privateKey = pair.privateKey;
  otherKey = (await generateKeyPair('RS256', { modulusLength: 2048 })).privateKey;
  pemFile = path.join(dir, 'jwt.pub.pem');
  fs.writeFileSync(pemFile, await exportSPKI(pair.publicKey));
  jwksFile = path.join(dir, 'jwks.json');
  fs.writeFileSync(jwksFile, JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] }));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

interface SignOptions {
  key?: Key;
  issuer?: string;
  audience?: string;
  expires?: string | number;
  kid?: string;
}

function sign(claims: JWTPayload, o: SignOptions = {}): Promise<string> {
  let jwt = new SignJWT(claims).setProtectedHeader({ alg: 'RS256', ...(o.kid ? { kid: o.kid } : {}) }).setSubject('svc-test').setIssuedAt()
    .setIssuer(o.issuer ?? ISSUER).setAudience(o.audience ?? AUDIENCE);
  jwt = jwt.setExpirationTime(o.expires ?? '5m');
  return jwt.sign(o.key ?? privateKey);
}

const b64 = (x: unknown): string => Buffer.from(JSON.stringify(x)).toString('base64url');

async function post(s: TestStack, query: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(s.subgraph.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

const KA_PERSON = `{ bruger(uuid: "${B.KA}") { navn tilknyttedePersoner { navn cprNummer } } }`;
const KA = PEOPLE.find((p) => p.navn === 'Kjeld Andersen')!;

describe('JWT bearer tokens (public key from a PEM file)', () => {
  let s: TestStack;
  beforeAll(async () => {
    s = await testStack({ AUTH_JWT_PUBLIC_KEY_FILE: pemFile, AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('refuses a request without a token: 401, UNAUTHENTICATED, a clear message, WWW-Authenticate: Bearer', async () => {
    const r = await post(s, '{ __typename }');
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toBe('Bearer');
    expect(r.body).toEqual({ errors: [{ message: 'a Bearer token is required', extensions: { code: 'UNAUTHENTICATED' } }] });
  });

  it.each<[string, () => Promise<string>]>([
    ['a Basic header instead', async () => `Basic ${Buffer.from('a:b').toString('base64')}`],
    ['garbage', async () => 'Bearer not.a.jwt'],
    ['an expired token', async () => `Bearer ${await sign({ scope: 'secpr-nummer' }, { expires: Math.floor(Date.now() / 1000) - 60 })}`],
    ['a wrong issuer', async () => `Bearer ${await sign({}, { issuer: 'https://evil.example' })}`],
    ['a wrong audience', async () => `Bearer ${await sign({}, { audience: 'another-api' })}`],
    ['another key', async () => `Bearer ${await sign({ scope: 'secpr-nummer' }, { key: otherKey })}`],
    ['alg none', async () => `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss: ISSUER, aud: AUDIENCE, sub: 'x', scope: 'secpr-nummer', exp: Math.floor(Date.now() / 1000) + 300 })}.`],
    ['HS256 signed with the public key (algorithm confusion)', async () => {
      const { createHmac } = await import('node:crypto');
      const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ iss: ISSUER, aud: AUDIENCE, sub: 'x', scope: 'secpr-nummer', exp: Math.floor(Date.now() / 1000) + 300 })}`;
      return `Bearer ${head}.${createHmac('sha256', fs.readFileSync(pemFile)).update(head).digest('base64url')}`;
    }],
    ['a tampered payload', async () => {
      const [h, , sig] = (await sign({ scope: 'openid' })).split('.');
      return `Bearer ${h}.${b64({ iss: ISSUER, aud: AUDIENCE, sub: 'x', scope: 'secpr-nummer', exp: Math.floor(Date.now() / 1000) + 300 })}.${sig}`;
    }],
  ])('refuses %s with 401 and an "invalid token"/"Bearer" message', async (_name, header) => {
    const r = await post(s, '{ __typename }', { authorization: await header() });
    expect(r.status).toBe(401);
    expect(r.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(r.body.errors[0].message).toMatch(/^(invalid token: |a Bearer token is required)/);
    expect(JSON.stringify(r.body)).not.toMatch(/\bat \S+ \(|BEGIN PUBLIC KEY/);
  });

  it('answers with a valid token (200), but withholds CPR without the CPR scope (FORBIDDEN on that field only)', async () => {
    const r = await post(s, KA_PERSON, { authorization: `Bearer ${await sign({ scope: 'openid profile' })}` });
    expect(r.status).toBe(200);
    expect(r.body.data.bruger).toEqual({ navn: 'KA', tilknyttedePersoner: [{ navn: 'Kjeld Andersen', cprNummer: null }] });
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors[0]).toMatchObject({ path: ['bruger', 'tilknyttedePersoner', 0, 'cprNummer'], extensions: { code: 'FORBIDDEN' } });
    expect(JSON.stringify(r.body)).not.toContain(KA.cpr);
  });

  it.each([
    ['scope (space separated)', { scope: 'openid secpr-nummer' }],
    ['scp (array)', { scp: ['openid', 'secpr-nummer'] }],
  ])('shows CPR with the scope in %s', async (_name, claims) => {
    const r = await post(s, KA_PERSON, { authorization: `Bearer ${await sign(claims)}` });
    expect(r.status).toBe(200);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.bruger.tilknyttedePersoner).toEqual([{ navn: 'Kjeld Andersen', cprNummer: KA.cpr }]);
  });

  it('does not take a scope that merely contains the CPR scope as a substring', async () => {
    const r = await post(s, KA_PERSON, { authorization: `Bearer ${await sign({ scope: 'secpr-nummer-read not-secpr-nummer' })}` });
    expect(r.body.data.bruger.tilknyttedePersoner[0].cprNummer).toBeNull();
    expect(r.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('keeps /health open (probes) while /graphql needs the token', async () => {
    expect((await fetch(new URL('/health', s.subgraph.url))).status).toBe(200);
    expect((await fetch(s.subgraph.url, { method: 'GET', headers: { 'apollo-require-preflight': '1' } })).status).toBe(401);
  });
});

describe('JWT from a local JWKS file, with CPR_SCOPE changed', () => {
  let s: TestStack;
  beforeAll(async () => {
    s = await testStack({ AUTH_JWKS_FILE: jwksFile, AUTH_JWT_ISSUER: ISSUER, CPR_SCOPE: 'cpr:read' });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('accepts a token whose kid is in the set; refuses an unknown kid', async () => {
    expect((await post(s, '{ __typename }', { authorization: `Bearer ${await sign({}, { kid: 'k1' })}` })).status).toBe(200);
    const r = await post(s, '{ __typename }', { authorization: `Bearer ${await sign({}, { kid: 'nope', key: otherKey })}` });
    expect(r.status).toBe(401);
    expect(r.body.errors[0].message).toMatch(/^invalid token: /);
  });

  it('CPR follows the configured scope: cpr:read shows it, secpr-nummer no longer does', async () => {
    const withScope = await post(s, KA_PERSON, { authorization: `Bearer ${await sign({ scope: 'cpr:read' }, { kid: 'k1' })}` });
    expect(withScope.body.data.bruger.tilknyttedePersoner[0].cprNummer).toBe(KA.cpr);
    const oldScope = await post(s, KA_PERSON, { authorization: `Bearer ${await sign({ scope: 'secpr-nummer' }, { kid: 'k1' })}` });
    expect(oldScope.body.data.bruger.tilknyttedePersoner[0].cprNummer).toBeNull();
  });
});

describe('router secret', () => {
  let s: TestStack;
  beforeAll(async () => {
    s = await testStack({ AUTH_ROUTER_SECRET: 'router-shared-secret-0123456789' });
  });
  afterAll(async () => {
    await s?.close();
  });

  it.each([
    ['missing', {}],
    ['wrong', { 'x-router-secret': 'router-shared-secret-0123456788' }],
    ['shorter', { 'x-router-secret': 'router' }],
    ['longer', { 'x-router-secret': 'router-shared-secret-0123456789x' }],
    ['sent-as-bearer', { authorization: 'Bearer router-shared-secret-0123456789' }],
  ])('refuses a %s secret with 401', async (_name, headers) => {
    const r = await post(s, '{ __typename }', headers as Record<string, string>);
    expect(r.status).toBe(401);
    expect(r.body.errors[0]).toEqual({ message: 'missing or wrong x-router-secret header', extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('answers with the right secret', async () => {
    const r = await post(s, `{ organisationEnhed(uuid: "${U.jobcenter}") { navn } }`, { 'x-router-secret': 'router-shared-secret-0123456789' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ data: { organisationEnhed: { navn: 'Jobcenter' } } });
  });

  it('with JWT too, both are required', async () => {
    const both = await testStack({ AUTH_ROUTER_SECRET: 'sekret', AUTH_JWT_PUBLIC_KEY_FILE: pemFile });
    try {
      const token = `Bearer ${await sign({})}`;
      expect((await post(both, '{ __typename }', { authorization: token })).status).toBe(401);
      expect((await post(both, '{ __typename }', { 'x-router-secret': 'sekret' })).status).toBe(401);
      expect((await post(both, '{ __typename }', { 'x-router-secret': 'sekret', authorization: token })).status).toBe(200);
    } finally {
      await both.close();
    }
  });
});

describe('the local SF1500\'s basic auth', () => {
  let sf: RunningSf1500;
  beforeAll(async () => {
    sf = await startSf1500({ seed: korsbaekSeed, http: { basicAuth: 'sf1500:hemmeligt' } });
  });
  afterAll(async () => {
    await sf?.close();
  });

  const laes = envelope(`<o:LaesInput xmlns:o="http://stoettesystemerne.dk/organisation/organisationenhed/6/" xmlns:sd="urn:oio:sagdok:3.0.0"><sd:UUIDIdentifikator>${U.jobcenter}</sd:UUIDIdentifikator></o:LaesInput>`);
  const send = async (authorization?: string): Promise<Response> => fetch(`${sf.url}/organisation/organisationenhed/6/`, { method: 'POST', headers: { 'content-type': 'application/soap+xml', ...(authorization ? { authorization } : {}) }, body: laes });
  const basic = (s: string): string => `Basic ${Buffer.from(s).toString('base64')}`;

  it.each([
    ['no credentials', undefined],
    ['a wrong password', basic('sf1500:forkert')],
    ['a wrong user', basic('admin:hemmeligt')],
    ['a bearer token', 'Bearer x'],
  ])('refuses %s with 401 and WWW-Authenticate: Basic, writing nothing', async (_name, auth) => {
    const units = await sf.store.count('OrganisationEnhed');
    const res = await send(auth);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    expect(await sf.store.count('OrganisationEnhed')).toBe(units);
  });

  it('answers with the right credentials, and ?wsdl needs them too', async () => {
    const a = readAnswer({ status: 200, text: await (await send(basic('sf1500:hemmeligt'))).text() });
    expect(a.retur?.statusKode).toBe(20);
    expect((await fetch(`${sf.url}/organisation/organisationenhed/6/?wsdl`)).status).toBe(401);
  });

  it('the subgraph\'s client sends SF1500_BASIC_AUTH to its local SF1500; a client without it gets an SF1500 error', async () => {
    const s = await testStack({ SF1500_BASIC_AUTH: 'sf1500:hemmeligt' });
    try {
      expect(await s.gql(`{ organisationEnhed(uuid: "${U.jobcenter}") { navn } }`)).toMatchObject({ data: { organisationEnhed: { navn: 'Jobcenter' } } });
    } finally {
      await s.close();
    }
    // Pointed at a protected SF1500 without credentials: the field errors with an SF1500_* code, nothing leaks.
    const bare = await testStack({ SF1500_BASE_URL: sf.url, SF1500_RETRIES: '0' });
    try {
      const r = await bare.gql(`{ organisationEnhed(uuid: "${U.jobcenter}") { navn } }`);
      expect(r.data).toEqual({ organisationEnhed: null });
      expect(r.errors![0].extensions!.code).toBe('SF1500_UNAUTHORIZED');
      expect(r.errors![0].message).toMatch(/refused our credentials \(HTTP 401\)/);
      // SF1500_CLIENT_BASIC_AUTH is the setting for an external SF1500.
      const withAuth = await testStack({ SF1500_BASE_URL: sf.url, SF1500_CLIENT_BASIC_AUTH: 'sf1500:hemmeligt' });
      try {
        expect((await withAuth.gql(`{ organisationEnhed(uuid: "${U.jobcenter}") { navn } }`)).data).toEqual({ organisationEnhed: { navn: 'Jobcenter' } });
      } finally {
        await withAuth.close();
      }
    } finally {
      await bare.close();
    }
  });
});

describe('personal data in logs', () => {
  const lines: string[] = [];
  let stack: Stack;
  const consoleText: string[] = [];
  const warnings: string[] = [];
  const onWarning = (w: Error): void => {
    warnings.push(`${w.name}: ${w.message}`);
  };
  const spies: jest.SpyInstance[] = [];

  beforeAll(async () => {
    const memory = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString('utf8'));
        cb();
      },
    });
    for (const m of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      spies.push(jest.spyOn(console, m).mockImplementation((...args: unknown[]) => {
        consoleText.push(args.map(String).join(' '));
      }));
    }
    process.on('warning', onWarning);
    const config = loadConfig({ PORT: '0', SF1500_PORT: '0', SF1500_DB: ':memory:', SF1500_SEED: 'korsbaek', LOG_LEVEL: 'info', SF1500_HIERARCHY_CACHE_MS: '0', CPR_EXPOSE: 'true' });
    stack = await startStack(config, pino({ level: config.logLevel }, memory));
  });
  afterAll(async () => {
    await stack?.close();
    process.off('warning', onWarning);
    for (const s of spies) s.mockRestore();
  });

  const gql = async (query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}): Promise<any> => {
    const res = await fetch(stack.subgraph.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
    return res.json();
  };

  it('logs requests at info level without CPR numbers or person names, though the answers carry them', async () => {
    const everyone = await gql('query Personer($u: [UUID!]!) { personer(uuids: $u) { navn cprNummer brugervendtNoegle } }', { u: PEOPLE.map((p) => p.uuid) });
    expect(everyone.data.personer.map((p: any) => p.cprNummer).sort()).toEqual(PEOPLE.map((p) => p.cpr).sort());
    const search = await gql(`{ soegPersoner(filter: { navn: "${KA.navn}" }) { nodes { navn cprNummer } } }`);
    expect(search.data.soegPersoner.nodes).toEqual([{ navn: KA.navn, cprNummer: KA.cpr }]);
    await gql(KA_PERSON, undefined, { 'x-sf1500-calls': '1' });
    // Failures that echo input: a CPR number where a UUID belongs (variable and literal), a name in an unknown field.
    const badVar = await gql('query($u: UUID!) { person(uuid: $u) { navn } }', { u: KA.cpr });
    expect(badVar.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    await gql(`{ person(uuid: "${KA.cpr}") { navn } }`);
    await gql(`{ soegPersoner(filter: { navn: "${KA.navn}", cpr: "${KA.cpr}" }) { nodes { navn } } }`);
    await gql(`query Personer { personer(uuids: ["${KA.uuid}"]) { navn cprNummer } }`);
    // A failing SF1500 call (the error message carries SF1500's text) and a 401-free malformed body.
    await fetch(stack.subgraph.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"query": "${KA.cpr} ${KA.navn}"` });
    await stack.sf1500!.close();
    await gql(`{ soegPersoner(filter: { navn: "${KA.navn}" }) { nodes { navn cprNummer } } }`);

    const text = [...lines, ...consoleText, ...warnings].join('\n');
    expect(lines.filter((l) => l.includes('"graphql request"')).length).toBeGreaterThanOrEqual(6); // the capture works
    const leaked = PEOPLE.flatMap((p) => [p.cpr, p.navn, p.navn.split(' ').pop()!].filter((x) => text.includes(x)));
    // Also any 10-digit run that looks like a CPR number (DDMMYY + 4), e.g. from messages or query text.
    const cprLike = text.match(/(?<!\d)(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])\d{2}-?\d{4}(?!\d)/g) ?? [];
    expect({ leaked, cprLike }).toEqual({ leaked: [], cprLike: [] });
  });
});
