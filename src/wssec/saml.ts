import type { X509Certificate } from 'node:crypto';
import { certFromBase64, publicKeyOf, sameCert } from './certs';
import { elements, idIndex, kid, kids, only, textOf, XmlSecurityError, type El } from './dom';
import { verifySignature } from './dsig';
import { SAML, WS } from './ns';

/** SAML 2.0 holder-of-key assertions as KOMBIT's STS issues them (IDWS.md §4). */

export interface AssertionInfo {
  id: string;
  issuer: string;
  audiences: string[];
  notBefore: number;
  notOnOrAfter: number;
  /** dk:gov:saml:attribute:CvrNumberIdentifier. */
  cvr?: string;
  /** The holder-of-key certificate from SubjectConfirmationData/KeyInfo. */
  holderOfKey: X509Certificate;
  /** SubjectConfirmationData's own window and Recipient, when present (KOMBIT sets all three). */
  confirmation: { notBefore?: number; notOnOrAfter?: number; recipient?: string };
  subject: string;
  /** Privilege URIs from Privileges_intermediate (the Basic Privilege Profile list), for the token's CVR. */
  privileges: string[];
}

const time = (e: El | undefined, attr: string, what: string): number => {
  const v = e?.getAttribute(attr);
  const t = v ? Date.parse(v) : NaN;
  if (!Number.isFinite(t)) throw new XmlSecurityError(`${what}/@${attr} is missing or not a time`);
  return t;
};

function attributeValues(assertion: El, name: string): string[] {
  const out: string[] = [];
  for (const st of kids(assertion, WS.saml, 'AttributeStatement')) {
    for (const a of kids(st, WS.saml, 'Attribute')) if (a.getAttribute('Name') === name) out.push(...kids(a, WS.saml, 'AttributeValue').map(textOf));
  }
  return out;
}

/** Privilege URIs granted for `cvr` in a base64 bpp:PrivilegeList (other scopes are ignored). */
export function privilegesFor(encoded: string | undefined, cvr: string | undefined): string[] {
  if (!encoded || !cvr) return [];
  const xml = Buffer.from(encoded, 'base64').toString('utf8');
  const out: string[] = [];
  for (const g of xml.matchAll(/<PrivilegeGroup\s+Scope="([^"]*)"\s*>([\s\S]*?)<\/PrivilegeGroup>/g)) {
    if (g[1] !== `urn:dk:gov:saml:cvrNumberIdentifier:${cvr}`) continue;
    for (const p of g[2].matchAll(/<Privilege>([^<]*)<\/Privilege>/g)) out.push(p[1].trim());
  }
  return out;
}

export function readAssertion(assertion: El): AssertionInfo {
  const id = assertion.getAttribute('ID') ?? '';
  if (!id) throw new XmlSecurityError('Assertion has no ID');
  if (assertion.getAttribute('Version') !== '2.0') throw new XmlSecurityError('Assertion is not SAML 2.0');
  const subject = only(assertion, WS.saml, 'Subject', 'Assertion/Subject');
  const confirmations = kids(subject, WS.saml, 'SubjectConfirmation').filter((c) => c.getAttribute('Method') === SAML.holderOfKey);
  if (confirmations.length !== 1) throw new XmlSecurityError('Assertion must have exactly one holder-of-key SubjectConfirmation');
  const data = only(confirmations[0], WS.saml, 'SubjectConfirmationData');
  const x509 = kid(kid(kid(data, WS.ds, 'KeyInfo'), WS.ds, 'X509Data'), WS.ds, 'X509Certificate');
  if (!x509) throw new XmlSecurityError('holder-of-key SubjectConfirmationData carries no X509Certificate');
  const conditions = only(assertion, WS.saml, 'Conditions', 'Assertion/Conditions');
  const optionalTime = (attr: string): number | undefined => (data.hasAttribute(attr) ? time(data, attr, 'SubjectConfirmationData') : undefined);
  const cvrs = attributeValues(assertion, SAML.cvr);
  if (cvrs.length > 1) throw new XmlSecurityError('Assertion carries more than one CVR');
  return {
    id,
    issuer: textOf(only(assertion, WS.saml, 'Issuer', 'Assertion/Issuer')),
    audiences: kids(conditions, WS.saml, 'AudienceRestriction').flatMap((r) => kids(r, WS.saml, 'Audience').map(textOf)),
    notBefore: time(conditions, 'NotBefore', 'Conditions'),
    notOnOrAfter: time(conditions, 'NotOnOrAfter', 'Conditions'),
    cvr: cvrs[0],
    holderOfKey: certFromBase64(textOf(x509)),
    confirmation: { notBefore: optionalTime('NotBefore'), notOnOrAfter: optionalTime('NotOnOrAfter'), recipient: data.hasAttribute('Recipient') ? data.getAttribute('Recipient')! : undefined },
    subject: textOf(kid(subject, WS.saml, 'NameID')),
    privileges: privilegesFor(attributeValues(assertion, SAML.privileges)[0], cvrs[0]),
  };
}

export interface AssertionExpectations {
  /** The pinned STS certificate: the only key accepted for the assertion's signature. */
  stsCert: X509Certificate;
  issuer: string;
  audience: string;
  now: number;
  skewMs: number;
  holderOfKey?: X509Certificate;
  cvr?: string;
}

/**
 * Verifies an assertion inside `xml`: its enveloped signature (pinned STS certificate, a single
 * reference to the assertion itself), issuer, audience, validity window, and optionally the
 * holder-of-key certificate and CVR.
 */
export function checkAssertion(xml: string, assertion: El, want: AssertionExpectations): AssertionInfo {
  const info = readAssertion(assertion);
  const signature = only(assertion, WS.ds, 'Signature', 'Assertion/Signature');
  if (elements(assertion)[1] !== signature) throw new XmlSecurityError('Assertion/Signature must follow Issuer');
  const v = verifySignature(xml, signature, publicKeyOf(want.stsCert));
  if (v.ids.length !== 1 || v.ids[0] !== info.id) throw new XmlSecurityError('the assertion signature does not cover the assertion');
  if ((idIndex(assertion.ownerDocument).get(info.id) ?? []).length !== 1) throw new XmlSecurityError(`assertion ID ${info.id} is not unique`);
  if (info.issuer !== want.issuer) throw new XmlSecurityError(`assertion issuer ${info.issuer} is not ${want.issuer}`);
  if (!info.audiences.includes(want.audience)) throw new XmlSecurityError(`assertion audience ${info.audiences.join(', ') || '(none)'} is not ${want.audience}`);
  if (want.now + want.skewMs < info.notBefore) throw new XmlSecurityError('assertion is not yet valid');
  if (want.now - want.skewMs >= info.notOnOrAfter) throw new XmlSecurityError('assertion has expired');
  // the holder-of-key confirmation has its own window and names its recipient (SAML core §2.4.1.2)
  const c = info.confirmation;
  if (c.notBefore !== undefined && want.now + want.skewMs < c.notBefore) throw new XmlSecurityError('assertion SubjectConfirmationData is not yet valid');
  if (c.notOnOrAfter !== undefined && want.now - want.skewMs >= c.notOnOrAfter) throw new XmlSecurityError('assertion SubjectConfirmationData has expired');
  if (c.recipient !== undefined && c.recipient !== want.audience) throw new XmlSecurityError(`assertion SubjectConfirmationData Recipient ${c.recipient} is not ${want.audience}`);
  if (want.holderOfKey && !sameCert(want.holderOfKey, info.holderOfKey)) throw new XmlSecurityError('assertion holder-of-key certificate is not ours');
  if (want.cvr !== undefined && info.cvr !== want.cvr) throw new XmlSecurityError(`assertion CVR ${info.cvr ?? '(none)'} is not ${want.cvr}`);
  return info;
}
