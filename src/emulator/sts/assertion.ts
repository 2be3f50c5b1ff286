import { randomUUID } from 'node:crypto';
import type { KeyObject, X509Certificate } from 'node:crypto';
import { base64Of } from '../../wssec/certs';
import { buildSignature } from '../../wssec/dsig';
import { SAML, WS } from '../../wssec/ns';
import { escapeXml } from '../../xml/writer';
import { privilegeUri, type ServiceAgreement } from './admin';

/** The holder-of-key assertion as KOMBIT's STS issues it (IDWS.md §4; vectors/sts-token-signature-scenario.xml). */

export interface AssertionInput {
  issuer: string;
  signer: { cert: X509Certificate; key: KeyObject };
  holderOfKey: X509Certificate;
  cvr: string;
  agreement: ServiceAgreement;
  now: number;
  lifetimeMs: number;
}

const attr = (name: string, value: string): string =>
  `<Attribute Name="${name}" NameFormat="${SAML.basicAttr}"><AttributeValue>${escapeXml(value)}</AttributeValue></Attribute>`;

export function privilegeList(cvr: string, a: ServiceAgreement): string {
  const group = [...a.roles, ...a.restrictions].map((p) => `<Privilege>${escapeXml(privilegeUri(p))}</Privilege>`).join('');
  return '<?xml version="1.0" encoding="UTF-8"?><bpp:PrivilegeList xmlns:bpp="http://itst.dk/oiosaml/basic_privilege_profile" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    + `<PrivilegeGroup Scope="urn:dk:gov:saml:cvrNumberIdentifier:${cvr}">${group}</PrivilegeGroup></bpp:PrivilegeList>`;
}

/** A signed assertion (enveloped signature right after Issuer) and its ID. */
export function issueAssertion(input: AssertionInput): { xml: string; id: string; notOnOrAfter: number } {
  const id = `_${randomUUID()}`;
  const iso = (ms: number): string => new Date(ms).toISOString();
  const from = iso(input.now);
  const until = input.now + input.lifetimeMs;
  const window = `NotBefore="${from}" NotOnOrAfter="${iso(until)}"`;
  const entity = escapeXml(input.agreement.entityId);
  const issuer = `<Issuer Format="${SAML.entityFormat}">${escapeXml(input.issuer)}</Issuer>`;
  const rest = '<Subject>'
    + `<NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName">${escapeXml(input.holderOfKey.subject.split('\n').reverse().join(', '))}</NameID>`
    + `<SubjectConfirmation Method="${SAML.holderOfKey}"><SubjectConfirmationData a:type="KeyInfoConfirmationDataType" ${window} Recipient="${entity}" xmlns:a="${WS.xsi}">`
    + `<KeyInfo xmlns="${WS.ds}"><X509Data><X509Certificate>${base64Of(input.holderOfKey)}</X509Certificate></X509Data></KeyInfo></SubjectConfirmationData></SubjectConfirmation></Subject>`
    + `<Conditions ${window}><AudienceRestriction><Audience>${entity}</Audience></AudienceRestriction></Conditions>`
    + '<AttributeStatement>'
    + attr(SAML.cvr, input.cvr) + attr('dk:gov:saml:attribute:AssuranceLevel', '3') + attr('dk:gov:saml:attribute:SpecVer', 'DK-SAML-2.0')
    + attr('dk:gov:saml:attribute:KombitSpecVer', '1.0') + attr(SAML.privileges, Buffer.from(privilegeList(input.cvr, input.agreement)).toString('base64'))
    + '</AttributeStatement>'
    + `<AuthnStatement AuthnInstant="${from}"><AuthnContext><AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:X509</AuthnContextClassRef></AuthnContext></AuthnStatement>`
    + '</Assertion>';
  const open = `<Assertion ID="${id}" IssueInstant="${from}" Version="2.0" xmlns="${WS.saml}">`;
  const keyInfo = `<X509Data><X509Certificate>${base64Of(input.signer.cert)}</X509Certificate></X509Data>`;
  const signature = buildSignature(open + issuer + rest, [{ id, enveloped: true }], input.signer.key, keyInfo);
  return { xml: open + issuer + signature + rest, id, notOnOrAfter: until };
}
