import { readFileSync } from 'node:fs';
import { certFromBase64, certFromFile, subjectKeyIdentifier } from '../../src/wssec/certs';
import { elements, kid, only, parseDom, textOf, type El } from '../../src/wssec/dom';
import { buildSignedInfo, canonical, envelopeParts, requireSigned, verifySignature, verifySignatureXmlCrypto } from '../../src/wssec/dsig';
import { WS } from '../../src/wssec/ns';

import { vector, vectorPath } from './support';

const security = (doc: Document): El => only(envelopeParts(doc).header, WS.wsse, 'Security');
const sigOf = (e: El): El => only(e, WS.ds, 'Signature');

describe("KOMBIT's captured messages verify with our verifier", () => {
  test('RST: signed by the caller certificate over Action, MessageID, To, Timestamp, BST, Body', () => {
    const xml = vector('sts-request.xml');
    const doc = parseDom(xml);
    const sec = security(doc);
    const cert = certFromBase64(textOf(kid(sec, WS.wsse, 'BinarySecurityToken')));
    const v = verifySignature(xml, sigOf(sec), cert.toString());
    const { header, body } = envelopeParts(doc);
    requireSigned(doc, v, [['Action', kid(header, WS.wsa, 'Action')], ['MessageID', kid(header, WS.wsa, 'MessageID')], ['To', kid(header, WS.wsa, 'To')],
      ['Timestamp', kid(sec, WS.wsu, 'Timestamp')], ['BinarySecurityToken', kid(sec, WS.wsse, 'BinarySecurityToken')], ['Body', body]]);
    expect(v.ids).toEqual(['action', 'msgid', 'to', 'sec-ts', 'sec-binsectoken', 'body']);
  });

  test('RSTR: header signature by the STS certificate (KeyInfo = its SubjectKeyIdentifier) and the assertion signature', () => {
    const xml = vector('sts-response.xml');
    const doc = parseDom(xml);
    const sec = security(doc);
    const assertion = doc.getElementsByTagNameNS(WS.saml, 'Assertion')[0] as El;
    const stsCert = certFromBase64(textOf(assertion.getElementsByTagNameNS(WS.ds, 'X509Certificate')[0] as El));
    expect(stsCert.raw.equals(certFromFile(readFileSync(vectorPath('kombit-sts-signing-certificate.cer'))).raw)).toBe(true);
    const v = verifySignature(xml, sigOf(sec), stsCert.toString());
    expect(v.ids).toHaveLength(4);
    expect(textOf(sigOf(sec).getElementsByTagNameNS(WS.wsse, 'KeyIdentifier')[0] as El)).toBe(subjectKeyIdentifier(stsCert));
    const a = verifySignature(xml, only(assertion, WS.ds, 'Signature'), stsCert.toString());
    expect(a.ids).toEqual([assertion.getAttribute('ID')]);
  });

  test('service request: signed with the holder-of-key over Body, Action, MessageID, ReplyTo, To, Timestamp, Framework and the STR (STR-Transform)', () => {
    const xml = vector('service-request-signed.xml');
    const doc = parseDom(xml);
    const sec = security(doc);
    const assertion = only(sec, WS.saml, 'Assertion');
    const hok = certFromBase64(textOf(assertion.getElementsByTagNameNS(WS.saml, 'SubjectConfirmationData')[0].getElementsByTagNameNS(WS.ds, 'X509Certificate')[0] as El));
    const v = verifySignature(xml, sigOf(sec), hok.toString());
    expect(v.ids).toEqual(['body', 'action', 'msgid', 'replyto', 'to', 'sec-ts', 'lib', 'sec-str']);
    expect(v.strIds).toEqual(['sec-str']);
  });
});

describe("our signer reproduces KOMBIT's SignedInfo on KOMBIT's own messages", () => {
  const canonSignedInfo = (xml: string): string => canonical(only(sigOf(security(parseDom(xml))), WS.ds, 'SignedInfo'));
  const ours = (signedInfo: string): string => canonical(elements(parseDom(`<Signature xmlns="${WS.ds}">${signedInfo}</Signature>`).documentElement)[0]);

  test('RST: same references, transforms, algorithms and digests', () => {
    const xml = vector('sts-request.xml');
    const refs = ['action', 'msgid', 'to', 'sec-ts', 'sec-binsectoken', 'body'].map((id) => ({ id }));
    expect(ours(buildSignedInfo(xml, refs))).toBe(canonSignedInfo(xml));
  });

  test('service request: same SignedInfo, including the STR-Transform with its TransformationParameters', () => {
    const xml = vector('service-request-signed.xml');
    const refs = ['body', 'action', 'msgid', 'replyto', 'to', 'sec-ts', 'lib'].map((id) => ({ id }));
    expect(ours(buildSignedInfo(xml, [...refs, { id: 'sec-str', strTransform: true }]))).toBe(canonSignedInfo(xml));
  });
});

describe('xml-crypto\'s own verifier agrees with ours on KOMBIT\'s captures, and both refuse a changed byte', () => {
  const cases: Array<[string, (doc: Document) => { sig: El; cert: string }]> = [
    ['sts-request.xml', (doc) => { const sec = security(doc); return { sig: sigOf(sec), cert: certFromBase64(textOf(kid(sec, WS.wsse, 'BinarySecurityToken'))).toString() }; }],
    ['service-request-signed.xml', (doc) => {
      const sec = security(doc);
      const a = only(sec, WS.saml, 'Assertion');
      return { sig: sigOf(sec), cert: certFromBase64(textOf(a.getElementsByTagNameNS(WS.saml, 'SubjectConfirmationData')[0].getElementsByTagNameNS(WS.ds, 'X509Certificate')[0] as El)).toString() };
    }],
    ['sts-token-signature-scenario.xml', (doc) => {
      const a = doc.getElementsByTagNameNS(WS.saml, 'Assertion')[0] as El;
      return { sig: only(a, WS.ds, 'Signature'), cert: certFromBase64(textOf(a.getElementsByTagNameNS(WS.ds, 'X509Certificate')[0] as El)).toString() };
    }],
  ];
  test.each(cases)('%s', (name, pick) => {
    const xml = vector(name);
    const doc = parseDom(xml);
    const { sig, cert } = pick(doc);
    expect(verifySignature(xml, sig, cert)).toEqual(verifySignatureXmlCrypto(xml, sig, cert));
    // One changed character in a signed text node (the first Created/Expires/Value-like text).
    const tampered = xml.replace(/(<(?:[\w]+:)?(?:Created|Value|AttributeValue)>)(\d)/, (_m, tag: string, d: string) => tag + (d === '1' ? '2' : '1'));
    expect(tampered).not.toBe(xml);
    const tdoc = parseDom(tampered);
    const t = pick(tdoc);
    expect(() => verifySignature(tampered, t.sig, t.cert)).toThrow(/does not verify/);
    expect(() => verifySignatureXmlCrypto(tampered, t.sig, t.cert)).toThrow(/does not verify/);
  });
});
