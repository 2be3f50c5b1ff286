import { SignedXml } from 'xml-crypto';
import { parseDom } from '../../src/wssec/dom';
import { verifySignature, verifySignatureXmlCrypto } from '../../src/wssec/dsig';
import { ALG, WS } from '../../src/wssec/ns';
import { testPki, vector } from './support';

/** The verifier's policy on messages KOMBIT's captures do not cover. */

const sigIn = (xml: string): Element => parseDom(xml).getElementsByTagNameNS(WS.ds, 'Signature')[0] as Element;
const verifyBoth = (xml: string, cert: string): void => {
  const doc = parseDom(xml);
  const s = doc.getElementsByTagNameNS(WS.ds, 'Signature')[0] as Element;
  expect(verifySignature(xml, s, cert)).toEqual(verifySignatureXmlCrypto(xml, s, cert));
};

test('a CXF/WSS4J-style signature with InclusiveNamespaces PrefixList (made by xml-crypto) verifies', () => {
  const xml = '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" xmlns:x="urn:x"><soap:Header/><soap:Body xmlns:wsu="' + WS.wsu + '" wsu:Id="b"><x:a t="x:v">1</x:a></soap:Body></soap:Envelope>';
  const sig = new SignedXml({ privateKey: testPki().wsc.keyPem, signatureAlgorithm: ALG.rsaSha256, canonicalizationAlgorithm: ALG.excC14n, inclusiveNamespacesPrefixList: ['soap'] });
  sig.addReference({ xpath: "//*[local-name(.)='Body']", transforms: [ALG.excC14n], digestAlgorithm: ALG.sha256, inclusiveNamespacesPrefixList: ['soap', 'x'] });
  sig.computeSignature(xml, { location: { reference: "//*[local-name(.)='Header']", action: 'append' } });
  const signed = sig.getSignedXml();
  expect(signed).toContain('PrefixList="soap x"');
  verifyBoth(signed, testPki().wsc.certPem);
  expect(() => verifySignature(signed.replace('>1<', '>2<'), sigIn(signed.replace('>1<', '>2<')), testPki().wsc.certPem)).toThrow(/digest/);
});

test('the Agency for Digitisation\'s Java reference traces use rsa-sha1 / sha1: refused, KOMBIT\'s profile is SHA-256', () => {
  const xml = vector('digst-java/3-WSC-TO-WSP.xml');
  expect(() => verifySignature(xml, sigIn(xml), testPki().wsc.certPem)).toThrow(/rsa-sha256/);
});

test('an Id carried twice is refused before any digest (signature wrapping)', () => {
  const xml = vector('service-request-signed.xml').replace('<s:Header>', '<s:Header><w xmlns="urn:w" xmlns:u="' + WS.wsu + '" u:Id="body"/>');
  const messageSignature = parseDom(xml).getElementsByTagNameNS(WS.ds, 'Signature')[1] as Element;
  expect(() => verifySignature(xml, messageSignature, testPki().wsc.certPem)).toThrow(/carried by 2 elements/);
});
