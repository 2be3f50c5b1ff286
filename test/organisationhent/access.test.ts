import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { KORSBAEK } from '../../src/emulator/seed';
import { testStack } from '../support/stack';
import { hent } from './support';

/**
 * OrganisationHent's access rules with tokens: 401 in the pre-execution format without one, person
 * data by the token's scopes (senavn, secpr-nummer), and the execution budget of /graphql.
 */

jest.setTimeout(120_000);
const ISSUER = 'https://sts.test';
const AUDIENCE = 'sf1500-subgraph';
const Q = `{ bruger(uuid: "${KORSBAEK.brugere.KA}") { person { navn cpr } } }`;

let s: Awaited<ReturnType<typeof testStack>>;
let sign: (scope: string) => Promise<string>;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const pemFile = join(mkdtempSync(join(tmpdir(), 'orghent-')), 'key.pem');
  writeFileSync(pemFile, await exportSPKI(pair.publicKey));
  sign = (scope) => new SignJWT({ scope }).setProtectedHeader({ alg: 'RS256' }).setIssuer(ISSUER).setAudience(AUDIENCE).setSubject('app').setIssuedAt().setExpirationTime('5m').sign(pair.privateKey);
  s = await testStack({ AUTH_JWT_PUBLIC_KEY_FILE: pemFile, AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE, NAVN_EXPOSE: 'false', GRAPHQL_MAX_OBJECTS: '30' });
});
afterAll(() => s?.close());

it('refuses a request without a token: HTTP 401 in the pre-execution format', async () => {
  const r = await hent(s, Q);
  expect(r.status).toBe(401);
  expect(r.body).toMatchObject({ status: 401, error: 'Unauthorized', path: '/organisation/organisationhent/1' });
});

it.each([
  ['no person scope', 'openid', { navn: null, cpr: null }, ['cpr', 'navn']],
  ['senavn', 'openid senavn', { navn: 'Kjeld Andersen', cpr: null }, ['cpr']],
  ['senavn and secpr-nummer', 'senavn secpr-nummer', { navn: 'Kjeld Andersen', cpr: '0606751234' }, []],
])('shows person data by the token\'s scopes: %s', async (_n, scope, person, warned) => {
  const r = await hent(s, Q, undefined, { authorization: `Bearer ${await sign(scope)}` });
  expect(r.status).toBe(200);
  expect(r.body.data.bruger[0].person).toEqual(person);
  expect((r.body.errors ?? []).map((e: any) => [e.path.at(-1), e.extensions.type, e.extensions.classification]).sort())
    .toEqual(warned.map((f) => [f, 'WARNING', 'Unauthorized']));
});

it('stops an answer over the execution budget (GRAPHQL_MAX_OBJECTS), as /graphql', async () => {
  const r = await hent(s, `{ organisationEnhedListe(cvr: "11111111", status: AKTIV) { edges { node { uuid tilhoerer { uuid } } } } }`, undefined, { authorization: `Bearer ${await sign('openid')}` });
  expect(r.status).toBe(200);
  expect(r.body.data).toBeUndefined();
  expect(r.body.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ classification: 'ValidationError', limit: 'GRAPHQL_MAX_OBJECTS' }) })]);
});
