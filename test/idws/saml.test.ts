import { LOCAL_STS_ENTITY_ID } from '../../src/emulator/local-idws';
import { issueAssertion } from '../../src/emulator/sts/assertion';
import { base64Of } from '../../src/wssec/certs';
import { parseDom } from '../../src/wssec/dom';
import { buildSignature } from '../../src/wssec/dsig';
import { ORGANISATION_ENTITY_ID } from '../../src/wssec/ns';
import { checkAssertion } from '../../src/wssec/saml';
import { pair, testPki } from './support';

/** The holder-of-key confirmation's own window and Recipient (SAML core §2.4.1.2), on real signed assertions. */

const NOW = Date.parse('2026-06-01T10:00:00Z');
const HOUR = 3600_000;

/** An assertion from the local STS with `edit` applied to its text, signed again by the STS key. */
function assertion(edit: (xml: string) => string = (x) => x): string {
  const a = issueAssertion({
    issuer: LOCAL_STS_ENTITY_ID, signer: pair('sts'), holderOfKey: testPki().wsc.cert, cvr: '11111111',
    agreement: { entityId: ORGANISATION_ENTITY_ID, roles: ['Udstil'], restrictions: [] }, now: NOW, lifetimeMs: 8 * HOUR,
  });
  const unsigned = edit(a.xml.replace(/<Signature xmlns="http:\/\/www.w3.org\/2000\/09\/xmldsig#">.*?<\/Signature>/, ''));
  const at = unsigned.indexOf('</Issuer>') + '</Issuer>'.length;
  const keyInfo = `<X509Data><X509Certificate>${base64Of(testPki().sts.cert)}</X509Certificate></X509Data>`;
  const signature = buildSignature(unsigned, [{ id: a.id, enveloped: true }], testPki().sts.key, keyInfo);
  return unsigned.slice(0, at) + signature + unsigned.slice(at);
}

const check = (xml: string, now = NOW): unknown => {
  const doc = parseDom(xml);
  return checkAssertion(xml, doc.documentElement, { stsCert: testPki().sts.cert, issuer: LOCAL_STS_ENTITY_ID, audience: ORGANISATION_ENTITY_ID, now, skewMs: 60_000 });
};
const confirmation = (attrs: string) => (xml: string): string =>
  xml.replace(/(<SubjectConfirmationData a:type="KeyInfoConfirmationDataType") [^>]*?( xmlns:a=)/, `$1 ${attrs}$2`);

test('an assertion as the local STS issues it passes', () => {
  expect(check(assertion())).toMatchObject({ cvr: '11111111', confirmation: { recipient: ORGANISATION_ENTITY_ID } });
});

test.each<[string, (xml: string) => string, number, RegExp]>([
  ['Recipient is another service', confirmation(`NotBefore="${new Date(NOW).toISOString()}" NotOnOrAfter="${new Date(NOW + 8 * HOUR).toISOString()}" Recipient="http://stoettesystemerne.dk/service/organisation/3/"`), NOW, /Recipient .* is not/],
  ['the confirmation ended before the Conditions did', confirmation(`NotBefore="${new Date(NOW).toISOString()}" NotOnOrAfter="${new Date(NOW + HOUR).toISOString()}" Recipient="${ORGANISATION_ENTITY_ID}"`), NOW + 2 * HOUR, /SubjectConfirmationData has expired/],
  ['the confirmation starts later', confirmation(`NotBefore="${new Date(NOW + HOUR).toISOString()}" NotOnOrAfter="${new Date(NOW + 8 * HOUR).toISOString()}" Recipient="${ORGANISATION_ENTITY_ID}"`), NOW, /SubjectConfirmationData is not yet valid/],
  ['a confirmation time that is not a time', confirmation(`NotBefore="soon" Recipient="${ORGANISATION_ENTITY_ID}"`), NOW, /SubjectConfirmationData\/@NotBefore/],
])('refused: %s', (_name, edit, now, why) => {
  const xml = assertion(edit);
  expect(() => check(xml, now)).toThrow(why);
});

test('without the optional window and Recipient (as the SAML core allows) only the Conditions count', () => {
  expect(check(assertion(confirmation('')), NOW + 7 * HOUR)).toMatchObject({ confirmation: {} });
});
