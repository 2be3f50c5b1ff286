import { buildRst } from '../../src/sf1500/idws/rst';
import { readRstr, requestToken, StsError, type StsSettings } from '../../src/sf1500/idws/sts-client';
import { TokenCache } from '../../src/sf1500/idws/token-cache';
import { adminFor } from '../../src/emulator/sts/admin';
import { DEFAULT_STS_LIFETIME_MS } from '../../src/emulator/sts/issue';
import { startLocalSts, type RunningSts } from '../../src/emulator/sts/server';
import { certFromBase64, type KeyPair } from '../../src/wssec/certs';
import { parseDom, textOf } from '../../src/wssec/dom';
import { ORGANISATION_ENTITY_ID, WS } from '../../src/wssec/ns';
import { pair, postSoap, shape, testPki, vector } from './support';

const ENTITY = 'https://saml.sts.local.test/runtime';
let sts: RunningSts;

beforeAll(async () => {
  const pki = testPki();
  const admin = adminFor([
    { cert: pki.wsc.cert, cvrs: { '11111111': { roles: ['Udstil', 'Rediger organisation'], restrictions: ['senavn'] }, '22222222': { roles: ['Udstil'], restrictions: [] } } },
    { cert: pki.expired.cert, cvrs: { '11111111': { roles: ['Udstil'], restrictions: [] } } },
    { cert: pki.foreign.cert, cvrs: { '11111111': { roles: ['Udstil'], restrictions: [] } } },
  ]);
  sts = await startLocalSts({ entityId: ENTITY, signer: pair('sts'), ca: pki.ca.cert, admin, now: Date.now, skewMs: 60_000, maxLifetimeMs: DEFAULT_STS_LIFETIME_MS });
});
afterAll(() => sts.close());

const settings = (credentials: KeyPair = pair('wsc')): StsSettings => ({ url: sts.endpoint, entityId: ENTITY, cert: testPki().sts.cert, credentials, skewMs: 60_000 });
const post = (url: string, body: string, action: string): Promise<{ status: number; text: string }> => postSoap(url, body, action);
const rst = (over: Partial<Parameters<typeof buildRst>[0]> = {}): string => buildRst({
  stsUrl: sts.endpoint, stsEntityId: ENTITY, appliesTo: ORGANISATION_ENTITY_ID, cvr: '11111111', cert: testPki().wsc.cert, key: testPki().wsc.key, now: Date.now(), ...over,
}).xml;
const refusal = async (xml: string): Promise<string> => {
  const res = await postSoap(sts.endpoint, xml);
  expect(res.status).toBe(500);
  const doc = parseDom(res.text);
  return `${textOf(doc.getElementsByTagNameNS(WS.soap, 'Subcode')[0] as Element) || 'business'}: ${textOf(doc.getElementsByTagNameNS(WS.soap, 'Text')[0] as Element)}`;
};

describe('our RST has the structure of KOMBIT\'s', () => {
  test('same elements in the same order and namespaces as vectors/sts-request.xml', () => {
    const ours = rst();
    expect(shape(ours)).toEqual(shape(vector('sts-request.xml')));
  });
});

describe('KOMBIT\'s RSTR passes our client-side checks (fixed clock)', () => {
  test('sts-response.xml: pinned KOMBIT STS certificate, RelatesTo, assertion issuer/audience/HoK/CVR', () => {
    const xml = vector('sts-response.xml');
    const doc = parseDom(xml);
    const assertion = doc.getElementsByTagNameNS(WS.saml, 'Assertion')[0] as Element;
    const stsCert = certFromBase64(textOf(assertion.getElementsByTagNameNS(WS.ds, 'X509Certificate')[0] as Element));
    const hok = certFromBase64(textOf(assertion.getElementsByTagNameNS(WS.ds, 'X509Certificate')[1] as Element));
    const relatesTo = textOf(doc.getElementsByTagNameNS(WS.wsa, 'RelatesTo')[0] as Element);
    const s: StsSettings = { url: '', entityId: 'https://saml.n2adgangsstyring.eksterntest-stoettesystemerne.dk/runtime', cert: stsCert, credentials: { cert: hok, key: testPki().wsc.key }, skewMs: 60_000 };
    const token = readRstr(xml, relatesTo, s, '11111111', 'http://wsp12.oioidws-net.dk/service/service/1', Date.parse('2023-04-04T08:22:00Z'));
    expect(token.info.cvr).toBe('11111111');
    expect(token.xml.startsWith('<Assertion ID="_')).toBe(true);
    expect(() => readRstr(xml, 'uuid:other', s, '11111111', 'http://wsp12.oioidws-net.dk/service/service/1', Date.parse('2023-04-04T08:22:00Z'))).toThrow(/RelatesTo/);
    expect(() => readRstr(xml, relatesTo, { ...s, cert: testPki().sts.cert }, '11111111', 'http://wsp12.oioidws-net.dk/service/service/1', Date.parse('2023-04-04T08:22:00Z'))).toThrow(/does not verify/);
    expect(() => readRstr(xml, relatesTo, s, '22222222', 'http://wsp12.oioidws-net.dk/service/service/1', Date.parse('2023-04-04T08:22:00Z'))).toThrow(/CVR/);
    expect(() => readRstr(xml, relatesTo, s, '11111111', 'http://wsp12.oioidws-net.dk/service/service/1', Date.parse('2023-04-05T08:22:00Z'))).toThrow(/expired/);
    // a clock well before the answer's Created (beyond the skew): the RSTR is not yet valid
    expect(() => readRstr(xml, relatesTo, s, '11111111', 'http://wsp12.oioidws-net.dk/service/service/1', Date.parse('2023-04-04T08:19:00Z'))).toThrow(/Created is in the future/);
  });
});

describe('local STS', () => {
  test('issues a verified holder-of-key token for a registered caller and CVR', async () => {
    const token = await requestToken(settings(), post, '11111111', ORGANISATION_ENTITY_ID);
    expect(token.info.cvr).toBe('11111111');
    expect(token.info.holderOfKey.raw.equals(testPki().wsc.cert.raw)).toBe(true);
    expect(token.info.notOnOrAfter - token.info.notBefore).toBe(8 * 3600_000);
    expect(token.info.privileges.some((p) => p.endsWith('Rediger%20organisation'))).toBe(true);
  });

  test('the cache fetches one token per (CVR, entity ID), once for concurrent callers', async () => {
    const before = sts.issued();
    const cache = new TokenCache((cvr, e) => requestToken(settings(), post, cvr, e));
    const got = await Promise.all([cache.get('11111111', ORGANISATION_ENTITY_ID), cache.get('11111111', ORGANISATION_ENTITY_ID), cache.get('22222222', ORGANISATION_ENTITY_ID)]);
    expect(got[0]).toBe(got[1]);
    expect(got[2].info.cvr).toBe('22222222');
    expect(await cache.get('11111111', ORGANISATION_ENTITY_ID)).toBe(got[0]);
    expect(sts.issued() - before).toBe(2);
  });

  test.each([
    ['unregistered certificate', () => requestToken(settings(pair('unregistered')), post, '11111111', ORGANISATION_ENTITY_ID), /5607/],
    ['expired certificate', () => requestToken(settings(pair('expired')), post, '11111111', ORGANISATION_ENTITY_ID), /not valid now/],
    ['certificate from a foreign CA', () => requestToken(settings(pair('foreign')), post, '11111111', ORGANISATION_ENTITY_ID), /trusted CA/],
    ['AppliesTo with a trailing slash', () => requestToken(settings(), post, '11111111', `${ORGANISATION_ENTITY_ID}/`), /5002/],
    ['a CVR without agreement', () => requestToken(settings(), post, '33333333', ORGANISATION_ENTITY_ID), /101/],
  ])('refuses %s', async (_name, call, why) => {
    await expect(call()).rejects.toThrow(StsError);
    await expect(call()).rejects.toThrow(why);
  });

  test('refuses tampered, unsigned, expired and replayed requests, and keeps serving', async () => {
    expect(await refusal(rst().replace('<auth:Value>11111111<', '<auth:Value>22222222<'))).toMatch(/FailedCheck.*digest/);
    expect(await refusal(rst().replace(/<Signature [\s\S]*<\/Signature>/, ''))).toMatch(/InvalidSecurity.*one signature/);
    expect(await refusal(rst({ now: Date.now() - 20 * 60_000 }))).toMatch(/MessageExpired/);
    const once = rst({ messageId: 'urn:uuid:replayed-1' });
    expect((await postSoap(sts.endpoint, once)).status).toBe(200);
    expect(await refusal(once)).toMatch(/replay/);
    const other = testPki().wsc2;
    const swapped = rst().replace(/(<trust:UseKey><BinarySecurityToken[^>]*>)[^<]*/, `$1${other.cert.raw.toString('base64')}`);
    expect(await refusal(swapped)).toMatch(/FailedCheck|UseKey/);
    expect((await requestToken(settings(), post, '11111111', ORGANISATION_ENTITY_ID)).info.cvr).toBe('11111111');
  });

});
