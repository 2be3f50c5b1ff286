import { KORSBAEK } from '../../src/emulator/seed/korsbaek';
import { issueAssertion } from '../../src/emulator/sts/assertion';
import { LOCAL_STS_ENTITY_ID, SYNTHETIC_CVR } from '../../src/emulator/local-idws';
import { Sf1500Error } from '../../src/sf1500/errors';
import { requestToken, type Token } from '../../src/sf1500/idws/sts-client';
import { withCvr } from '../../src/sf1500/idws/tenant';
import { TokenCache } from '../../src/sf1500/idws/token-cache';
import { secureEnvelope, strXml } from '../../src/sf1500/idws/wsp';
import { buildEnvelope } from '../../src/wire/envelope';
import { readAssertion } from '../../src/wssec/saml';
import { parseDom } from '../../src/wssec/dom';
import { buildSignature, verifySignatureXmlCrypto } from '../../src/wssec/dsig';
import { ORGANISATION_ENTITY_ID, VALUE_TYPE, WS } from '../../src/wssec/ns';
import { idwsWorld, type IdwsWorld } from './harness';
import { requireOfficialContract, validateMany } from '../support/xsd';
import { pair, postSoap, shape, testPki, vector } from './support';

let w: IdwsWorld;
beforeAll(async () => {
  w = await idwsWorld();
}, 30_000);
afterAll(() => w.close());

const UNIT = KORSBAEK.rootUnit;
const v = { fra: '2020-01-01T00:00:00.000Z', til: null };
const ENDPOINT = (): string => `${w.sf1500.url}/organisation/organisationenhed/6/`;
const ACTION = 'http://kombit.dk/sts/organisation/organisationenhed/opret';
const opretBody = (): string => buildEnvelope({
  qname: 'oe:OpretInput', namespaces: { oe: 'http://stoettesystemerne.dk/organisation/organisationenhed/6/', sd: 'urn:oio:sagdok:3.0.0' },
  content: '<sd:NoteTekst>negativ</sd:NoteTekst>',
});
const token = (cvr = '11111111'): Promise<Token> => requestToken({ url: w.sts.endpoint, entityId: LOCAL_STS_ENTITY_ID, cert: testPki().sts.cert, credentials: pair('wsc'), skewMs: 60_000 },
  postSoap, cvr, ORGANISATION_ENTITY_ID);
const secured = (t: { xml: string; info: { id: string } }, over: { now?: number; key?: keyof ReturnType<typeof testPki>; envelope?: string } = {}): string => secureEnvelope({
  envelope: over.envelope ?? opretBody(), action: ACTION, to: ENDPOINT(), assertion: t.xml, assertionId: t.info.id, key: testPki()[over.key ?? 'wsc'].key, now: over.now ?? Date.now(),
}).xml;
const forged = (o: { signer?: 'sts' | 'foreign'; cvr?: string; entityId?: string; now?: number; lifetimeMs?: number }): { xml: string; info: { id: string } } => {
  const a = issueAssertion({
    issuer: LOCAL_STS_ENTITY_ID, signer: pair(o.signer ?? 'sts'), holderOfKey: testPki().wsc.cert, cvr: o.cvr ?? '11111111',
    agreement: { entityId: o.entityId ?? ORGANISATION_ENTITY_ID, roles: ['Udstil', 'Rediger organisation'], restrictions: [] }, now: o.now ?? Date.now(), lifetimeMs: o.lifetimeMs ?? 3600_000,
  });
  return { xml: a.xml, info: { id: a.id } };
};
/** `xml` with its message signature replaced by one over `ids` (+ the STR) with `key` and `keyInfo`. */
const resigned = (xml: string, ids: string[], key: keyof ReturnType<typeof testPki>, keyInfo: string, extraSecurity = ''): string => {
  const unsigned = xml.replace(/<Signature xmlns="http:\/\/www.w3.org\/2000\/09\/xmldsig#"><SignedInfo>(?:(?!<\/Signature>).)*<\/Signature>(?=<\/o:Security>)/, '')
    .replace('</o:Security>', `${extraSecurity}</o:Security>`);
  const at = unsigned.indexOf('</o:Security>');
  const sig = buildSignature(unsigned, [...ids.map((id) => ({ id })), { id: 'sec-str', strTransform: true }], testPki()[key].key, keyInfo);
  return unsigned.slice(0, at) + sig + unsigned.slice(at);
};
const laesBody = (): string => buildEnvelope({ qname: 'oe:LaesInput', namespaces: { oe: 'http://stoettesystemerne.dk/organisation/organisationenhed/6/', sd: 'urn:oio:sagdok:3.0.0' }, content: `<sd:UUIDIdentifikator>${UNIT}</sd:UUIDIdentifikator>` });
const units = (): Promise<number> => w.sf1500.store.count('OrganisationEnhed');
async function refused(xml: string): Promise<string> {
  const before = await units();
  const res = await postSoap(ENDPOINT(), xml, ACTION);
  expect(res.status).toBe(500);
  expect(await units()).toBe(before);
  const doc = parseDom(res.text);
  const sub = doc.getElementsByTagNameNS(WS.soap, 'Subcode')[0]?.textContent ?? '';
  return `${sub}: ${doc.getElementsByTagNameNS(WS.soap, 'Text')[0]?.textContent ?? ''}`;
}

describe('our signed service request has the structure of KOMBIT\'s', () => {
  test('header, Security and SignedInfo as in vectors/service-request-signed.xml (without the optional Liberty Framework header)', async () => {
    const ours = secured(await token());
    // Compare everything but the token's inside (compared below) and the Body's content.
    const skip = (_ns: string, local: string): boolean => local === 'RequestHeader' || local === 'Framework';
    const plain = (xml: string): string => xml.replace(/<Assertion [^>]*>.*<\/Assertion>/, `<Assertion xmlns="${WS.saml}"/>`).replace(/(<[\w:]*Body[^>]*>).*(<\/[\w:]*Body>)/, '$1<x/>$2');
    const theirs = vector('service-request-signed.xml').replace(/<Reference URI="#lib">.*?<\/Reference>/, '');
    const header = (xml: string): string[] => shape(plain(xml), skip);
    expect(header(ours)).toEqual(header(theirs));
  });

  test('xml-crypto\'s verifier accepts our signed request, our assertion and the local SF1500\'s signed answer', async () => {
    const t = await token();
    const xml = secured(t);
    const doc = parseDom(xml);
    const sec = doc.getElementsByTagNameNS(WS.wsse, 'Security')[0] as Element;
    const messageSig = Array.from(sec.childNodes).find((n) => (n as Element).localName === 'Signature') as Element;
    expect(verifySignatureXmlCrypto(xml, messageSig, testPki().wsc.certPem).strIds).toEqual(['sec-str']);
    const assertionSig = doc.getElementsByTagNameNS(WS.saml, 'Assertion')[0].getElementsByTagNameNS(WS.ds, 'Signature')[0] as Element;
    expect(verifySignatureXmlCrypto(xml, assertionSig, testPki().sts.certPem).ids).toEqual([t.info.id]);
    await w.client.laes('OrganisationEnhed', UNIT);
    const answer = w.exchanges[w.exchanges.length - 1].response;
    const adoc = parseDom(answer);
    const asig = adoc.getElementsByTagNameNS(WS.ds, 'Signature')[0] as Element;
    expect(verifySignatureXmlCrypto(answer, asig, testPki().sf1500.certPem).ids).toHaveLength(6);
  });

  test('the signature read off the text (fast-c14n.ts) is byte for byte the one the DOM path builds', async () => {
    const t = await token();
    for (const envelope of [opretBody(), laesBody(), buildEnvelope({ qname: 'oe:ListInput', namespaces: { oe: 'http://stoettesystemerne.dk/organisation/organisationenhed/6/', sd: 'urn:oio:sagdok:3.0.0' }, content: `<sd:UUIDIdentifikator>${UNIT}</sd:UUIDIdentifikator>`.repeat(500) })]) {
      const s = secureEnvelope({ envelope, action: ACTION, to: ENDPOINT(), assertion: t.xml, assertionId: t.info.id, key: testPki().wsc.key, now: Date.now() });
      expect(s.path).toBe('fast');
      const xml = s.xml;
      const m = /<Signature xmlns="http:\/\/www.w3.org\/2000\/09\/xmldsig#"><SignedInfo>(?:(?!<\/Signature>).)*<\/Signature>(?=<\/o:Security>)/.exec(xml)!;
      const unsigned = xml.slice(0, m.index) + xml.slice(m.index + m[0].length);
      const dom = buildSignature(unsigned, [...['body', 'action', 'msgid', 'replyto', 'to', 'sec-ts'].map((id) => ({ id })), { id: 'sec-str', strTransform: true }], testPki().wsc.key, strXml(t.info.id, false));
      expect(m[0]).toBe(dom);
    }
  });

  test('an Id we sign carried twice is never signed: in the Body or in the assertion', async () => {
    const t = await token();
    const sign = (envelope: string, assertion = t.xml) => secureEnvelope({ envelope, action: ACTION, to: ENDPOINT(), assertion, assertionId: t.info.id, key: testPki().wsc.key, now: Date.now() });
    const ns = { oe: 'http://stoettesystemerne.dk/organisation/organisationenhed/6/', sd: 'urn:oio:sagdok:3.0.0', u: WS.wsu };
    // in the Body: the fast path declines, the DOM path (which sees the headers only) refuses
    expect(() => sign(buildEnvelope({ qname: 'oe:LaesInput', namespaces: ns, content: `<sd:UUIDIdentifikator u:Id="msgid">${UNIT}</sd:UUIDIdentifikator>` }))).toThrow(/#msgid: the Body carries that Id too/);
    // in the assertion: the fast path declines, the DOM path finds two elements with that Id
    const doubled = t.xml.replace('<Issuer ', '<Issuer xmlns:u2="' + WS.wsu + '" u2:Id="to" ');
    expect(() => sign(laesBody(), doubled)).toThrow(/cannot sign #to: 2 elements carry that Id/);
    // an Id the signature does not use changes nothing: the fast path signs
    expect(sign(buildEnvelope({ qname: 'oe:LaesInput', namespaces: ns, content: `<sd:UUIDIdentifikator u:Id="other">${UNIT}</sd:UUIDIdentifikator>` })).path).toBe('fast');
  });

  test('the local STS issues assertions shaped like KOMBIT\'s (vectors/sts-token-signature-scenario.xml)', async () => {
    const t = await token();
    const theirs = vector('sts-token-signature-scenario.xml');
    const root = theirs.indexOf('<Assertion') >= 0 ? theirs.slice(theirs.indexOf('<Assertion')) : theirs;
    expect(shape(t.xml)).toEqual(shape(root.slice(0, root.indexOf('</Assertion>') + '</Assertion>'.length)));
  });
});

describe('client ↔ local STS ↔ local SF1500 (idws)', () => {
  test('reads and writes go through signed and verified, one token for them all', async () => {
    const before = w.sts.issued();
    expect((await w.client.laes('OrganisationEnhed', UNIT))?.uuid).toBe(UNIT);
    expect((await w.client.list('OrganisationEnhed', [UNIT, KORSBAEK.units.kontanthjaelp])).length).toBe(2);
    expect((await w.client.soeg('OrganisationEnhed', { egenskaber: { EnhedNavn: 'Korsbæk*' } }, { offset: 0, limit: 10 })).length).toBeGreaterThan(0);
    expect((await w.client.fremsoeg({ offset: 0, limit: 50 })).lists.get('OrganisationEnhed')!.length).toBeGreaterThan(0);
    const uuid = await w.client.opret('OrganisationEnhed', {
      egenskaber: [{ virkning: v, values: { BrugervendtNoegleTekst: 'IDWS', EnhedNavn: 'IDWS-enhed' } }],
      tilstande: [{ virkning: v, value: 'Aktiv' }],
      relationer: [{ name: 'Tilhoerer', virkning: v, ref: { uuid: KORSBAEK.organisation } }],
    });
    expect((await w.client.ret('OrganisationEnhed', uuid, { egenskaber: [{ virkning: v, values: { BrugervendtNoegleTekst: 'IDWS', EnhedNavn: 'IDWS 2' } }] })).statusKode).toBe(20);
    const obj = (await w.client.laes('OrganisationEnhed', uuid))!;
    expect((await w.client.importer('OrganisationEnhed', obj)).statusKode).toBeLessThan(50);
    expect((await w.client.passiver('OrganisationEnhed', uuid)).statusKode).toBe(20);
    expect((await w.client.slet('OrganisationEnhed', uuid)).statusKode).toBe(20);
    expect(w.sts.issued() - before).toBeLessThanOrEqual(1);
    expect(w.exchanges.filter((x) => x.httpStatus === 200).every((x) => x.response.includes('<a:RelatesTo'))).toBe(true);
  });

  test('secured requests and signed answers still validate against KOMBIT\'s XSDs (Body and RequestHeader)', async () => {
    if (!requireOfficialContract()) return;
    const ok = w.exchanges.filter((x) => x.httpStatus === 200);
    expect(ok.length).toBeGreaterThan(8);
    const results = await validateMany(ok.flatMap((x) => [x.request, x.response]));
    expect(results.flatMap((r) => r.errors)).toEqual([]);
  });

  test('the token\'s CVR scopes the data: Korsbæk\'s units do not exist for the synthetic municipality', async () => {
    expect(await withCvr(SYNTHETIC_CVR, () => w.client.laes('OrganisationEnhed', UNIT))).toBeNull();
    expect(await w.client.laes('OrganisationEnhed', UNIT)).not.toBeNull();
    await expect(withCvr('99999999', () => w.client.laes('OrganisationEnhed', UNIT))).rejects.toThrow(/not among the configured/);
  });

  test('a write under a read-only agreement is refused and nothing is written', async () => {
    const before = await units();
    const err = await withCvr(SYNTHETIC_CVR, () => w.client.passiver('OrganisationEnhed', UNIT)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Sf1500Error);
    expect((err as Error).message).toMatch(/FailedAuthentication.*Rediger organisation/);
    expect(await units()).toBe(before);
  });

  test('without secpr-nummer the SOAP answer holds no CPR; without senavn no person name', async () => {
    const persons = await w.client.soeg('Person', {}, { offset: 0, limit: 5 });
    expect(persons.length).toBeGreaterThan(0);
    await w.client.list('Person', persons);
    const answer = w.exchanges[w.exchanges.length - 1].response;
    expect(answer).toMatch(/PersonAttributter|AttributListe/);
    expect(answer).not.toMatch(/CPR-NummerTekst/);
    expect(answer).toMatch(/NavnTekst/);
  });

  test('a token refused mid-life is fetched again once', async () => {
    let fetches = 0;
    const { client } = w.clientFor({
      tokens: (fetch) => new TokenCache(async (cvr, entityId) => {
        const real = await fetch(cvr, entityId);
        // The first token looks fine to the client but SF1500 no longer accepts it (another STS key).
        if (fetches++ === 0) {
          const stale = forged({ signer: 'foreign' });
          return { ...real, xml: stale.xml, info: { ...real.info, id: stale.info.id } };
        }
        return real;
      }),
    });
    const before = w.exchanges.length;
    expect((await client.laes('OrganisationEnhed', UNIT))?.uuid).toBe(UNIT);
    expect(fetches).toBe(2);
    expect(w.exchanges.slice(before).map((x) => x.httpStatus)).toEqual([500, 200]);
  });

  test('an answer signed by another key than the pinned SF1500 certificate is refused by the client', async () => {
    const { client } = w.clientFor({ serviceCert: 'sts' });
    await expect(client.laes('OrganisationEnhed', UNIT)).rejects.toThrow(/answer failed verification/);
  });
});

describe('the local SF1500 refuses, writes nothing, and keeps serving', () => {
  let good: Token;
  beforeAll(async () => {
    good = await token();
  });
  afterAll(async () => {
    expect((await w.client.laes('OrganisationEnhed', UNIT))?.uuid).toBe(UNIT);
  });

  test.each<[string, () => string | Promise<string>, RegExp]>([
    ['unsigned', () => secured(good).replace(/<Signature xmlns="http:\/\/www.w3.org\/2000\/09\/xmldsig#"><SignedInfo>(?:(?!<\/Signature>).)*<\/Signature>(?=<\/o:Security>)/, ''), /InvalidSecurity: .*not signed/],
    ['body tampered', () => secured(good).replace('<sd:NoteTekst>negativ<', '<sd:NoteTekst>ondsindet<'), /FailedCheck: .*digest/],
    ['MessageID tampered', () => secured(good).replace(/(<a:MessageID u:Id="msgid">urn:uuid:)[0-9a-f]/, '$1x'), /FailedCheck/],
    ['CVR claim tampered in the assertion', () => secured(good).replace(/(CvrNumberIdentifier" NameFormat="[^"]*"><AttributeValue>)11111111/, '$122222222'), /InvalidSecurityToken: .*does not verify/],
    ['a wrapped second Body', () => secured(good).replace('</soap:Envelope>', '<soap:Body><x/></soap:Body></soap:Envelope>'), /InvalidSecurity: .*Body occurs 2 times/],
    ['a signed Body moved into a header wrapper', () => {
      const xml = secured(good);
      const body = /<soap:Body u:Id="body">.*<\/soap:Body>/.exec(xml)![0];
      return xml.replace(body, '<soap:Body u:Id="body"><oe:PassiverInput xmlns:oe="http://stoettesystemerne.dk/organisation/organisationenhed/6/"/></soap:Body>').replace('<o:Security', `<w:Wrapper xmlns:w="urn:x">${body}</w:Wrapper><o:Security`);
    }, /FailedCheck|InvalidSecurity/],
    ['an expired timestamp', () => secured(good, { now: Date.now() - 20 * 60_000 }), /MessageExpired/],
    ['an expired token', () => secured(forged({ now: Date.now() - 10 * 3600_000, lifetimeMs: 8 * 3600_000 })), /InvalidSecurityToken: .*expired/],
    ['wrong audience', () => secured(forged({ entityId: 'http://stoettesystemerne.dk/service/organisation/3/' })), /InvalidSecurityToken: .*audience/],
    ['a token for a CVR this SF1500 does not hold', () => secured(forged({ cvr: '33333333' })), /FailedAuthentication: .*CVR 33333333/],
    ['holder-of-key certificate ≠ signing key', () => secured(good, { key: 'wsc2' }), /FailedCheck: .*does not verify/],
    ['an assertion signed by a foreign key', () => secured(forged({ signer: 'foreign' })), /InvalidSecurityToken: .*does not verify/],
    ['a pretty-printed assertion', () => secured({ xml: good.xml.replace(/></g, '>\n  <'), info: good.info }), /InvalidSecurityToken|FailedCheck/],
    ['no Security header', () => opretBody(), /InvalidSecurity: .*no wsse:Security/],
    ['a second, unsigned wsa:To', () => secured(good).replace('<o:Security', '<a:To>http://elsewhere.example/</a:To><o:Security'), /InvalidSecurity: .*wsa:To occurs more than once/],
    ['To left out of the signature', () => resigned(secured(good), ['body', 'action', 'msgid', 'replyto', 'sec-ts'], 'wsc', strXml(good.info.id, false)),
      /FailedCheck: .*To is not signed/],
  ])('%s', async (_name, make, why) => {
    expect(await refused(await make())).toMatch(why);
  });

  test('the CXF/WSS4J KeyInfo form (an STR to a BinarySecurityToken holding the HoK certificate) is accepted; another certificate is not', async () => {
    const keyInfo = `<o:SecurityTokenReference><o:Reference URI="#X509-1" ValueType="${VALUE_TYPE.x509v3}"/></o:SecurityTokenReference>`;
    const resign = (who: 'wsc' | 'wsc2'): string => resigned(secured(good, { envelope: laesBody() }), ['body', 'action', 'msgid', 'replyto', 'to', 'sec-ts'], who, keyInfo,
      `<o:BinarySecurityToken ValueType="${VALUE_TYPE.x509v3}" EncodingType="${VALUE_TYPE.base64}" u:Id="X509-1">${testPki()[who].cert.raw.toString('base64')}</o:BinarySecurityToken>`);
    expect((await postSoap(ENDPOINT(), resign('wsc'))).status).toBe(200);
    expect(await refused(resign('wsc2'))).toMatch(/FailedAuthentication: .*not the holder-of-key/);
  });

  test('a replayed MessageID', async () => {
    const xml = secured(good, { envelope: laesBody() });
    expect((await postSoap(ENDPOINT(), xml)).status).toBe(200);
    expect(await refused(xml)).toMatch(/replay/);
  });

  test('the token is read back as issued', () => {
    expect(readAssertion(parseDom(good.xml).documentElement).cvr).toBe('11111111');
  });
});
