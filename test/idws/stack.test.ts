import { mkdtempSync, writeFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { KORSBAEK } from '../../src/emulator/seed/korsbaek';
import { testStack } from '../support/stack';

/** `SF1500_SECURITY=idws` with the local STS and the local SF1500 (idws), GraphQL through it. */

type S = Awaited<ReturnType<typeof testStack>>;
let s: S;
let dir: string;
let sign: (claims: Record<string, unknown>) => Promise<string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'idws-stack-'));
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  writeFileSync(join(dir, 'jwt.pem'), await exportSPKI(publicKey));
  sign = (claims) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256' }).setIssuedAt().setExpirationTime('5m').sign(privateKey);
  s = await testStack({
    SF1500_SECURITY: 'idws', SF1500_STS_PORT: '0', SF1500_IDWS_DIR: join(dir, 'pki'), SF1500_TRACE_DIR: join(dir, 'trace'),
    SF1500_CVRS: '22222222', AUTH_JWT_PUBLIC_KEY_FILE: join(dir, 'jwt.pem'),
  });
}, 60_000);
afterAll(async () => {
  await s.close();
  rmSync(dir, { recursive: true, force: true });
});

const as = async (cvr?: string): Promise<Record<string, string>> => ({ authorization: `Bearer ${await sign(cvr ? { cvr } : {})}` });
const ROOT = `{ organisation(uuid: "${KORSBAEK.organisation}") { navn rodEnhed { navn } } units: soegOrganisationEnheder(filter: { navn: "*" }) { totalCount nodes { uuid } } }`;

test('GraphQL through the local STS and the local SF1500 in idws mode', async () => {
  const r = await s.gql(ROOT, {}, await as('11111111'));
  expect(r.errors).toBeUndefined();
  expect(r.data!.organisation.rodEnhed.navn).toBeTruthy();
  expect(r.data!.units.totalCount).toBeGreaterThan(5);
});

test('two CVRs through one subgraph, concurrently, never mixed', async () => {
  const korsbaek = await as('11111111');
  const synthetic = await as('22222222');
  const runs = await Promise.all(Array.from({ length: 6 }, (_, i) => s.gql(ROOT, {}, i % 2 ? synthetic : korsbaek)));
  const korsbaekUnits = new Set(runs[0].data!.units.nodes.map((n: { uuid: string }) => n.uuid));
  for (const [i, r] of runs.entries()) {
    expect(r.errors).toBeUndefined();
    if (i % 2) {
      expect(r.data!.organisation).toBeNull();
      expect(r.data!.units.nodes.some((n: { uuid: string }) => korsbaekUnits.has(n.uuid))).toBe(false);
    } else {
      expect(r.data!.organisation.navn).toBe(KORSBAEK.navn);
      expect(new Set(r.data!.units.nodes.map((n: { uuid: string }) => n.uuid))).toEqual(korsbaekUnits);
    }
  }
});

test('a CVR outside the allow-list is refused before any SF1500 call', async () => {
  const res = await fetch(s.subgraph.url, { method: 'POST', headers: { 'content-type': 'application/json', ...(await as('33333333')) }, body: JSON.stringify({ query: ROOT }) });
  expect(res.status).toBe(401);
});

test('with several municipalities, a token without the CVR claim is refused (the default municipality is nobody else\'s)', async () => {
  const res = await fetch(s.subgraph.url, { method: 'POST', headers: { 'content-type': 'application/json', ...(await as()) }, body: JSON.stringify({ query: ROOT }) });
  expect(res.status).toBe(401);
  expect(JSON.stringify(await res.json())).toMatch(/no cvr claim, and this subgraph serves several municipalities/);
});

test('SF1500_TRACE_DIR holds every request and answer, the STS calls too', () => {
  const files = readdirSync(join(dir, 'trace'));
  expect(files.some((f) => /^\d{6}-sts-issue-request\.xml$/.test(f))).toBe(true);
  expect(files.some((f) => /^\d{6}-organisationenhed-soeg-response\.xml$/.test(f))).toBe(true);
});
