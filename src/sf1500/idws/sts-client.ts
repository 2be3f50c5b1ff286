import type { X509Certificate } from 'node:crypto';
import { publicKeyOf, type KeyPair } from '../../wssec/certs';
import { canonical, envelopeParts, requireSigned, verifySignature } from '../../wssec/dsig';
import { kid, kids, only, parseDom, textOf, XmlSecurityError, type El } from '../../wssec/dom';
import { TRUST, WS } from '../../wssec/ns';
import { checkAssertion, type AssertionInfo } from '../../wssec/saml';
import { faultOf } from './fault';
import { buildRst } from './rst';

/** Posts one SOAP message and returns the answer's status and text (transport, tracing: the caller's). */
export type SoapPost = (url: string, body: string, soapAction: string) => Promise<{ status: number; text: string }>;

export interface StsSettings {
  url: string;
  /** STS entity ID: the assertion's Issuer and the RST's wst:Issuer. */
  entityId: string;
  /** Pinned STS signing certificate (RSTR and assertion). */
  cert: X509Certificate;
  credentials: KeyPair;
  skewMs: number;
}

export interface Token {
  /** The assertion exactly as the STS sent it (its signature covers these bytes' canonical form). */
  xml: string;
  info: AssertionInfo;
  cvr: string;
  entityId: string;
}

export class StsError extends Error {
  constructor(message: string, public readonly fault?: { code: string; subcode?: string; reason: string }) {
    super(message);
    this.name = 'StsError';
  }
}

/**
 * The assertion's own text, sliced from the answer: re-serialising would change its bytes (and a
 * pretty-printed assertion no longer verifies). Its canonical form must equal the in-context one,
 * so a slice relying on namespace declarations outside the assertion is refused.
 */
export function assertionText(raw: string, assertion: El): string {
  const starts = [...raw.matchAll(/<((?:[A-Za-z_][\w.-]*:)?)Assertion[\s>/]/g)];
  if (starts.length !== 1) throw new XmlSecurityError(`answer holds ${starts.length} Assertion start tags`);
  const prefix = starts[0][1];
  const from = starts[0].index ?? 0;
  const close = `</${prefix}Assertion>`;
  const end = raw.indexOf(close, from);
  if (end < 0) throw new XmlSecurityError('Assertion is not closed');
  const slice = raw.slice(from, end + close.length);
  let alone: string;
  try {
    alone = canonical(parseDom(slice).documentElement);
  } catch {
    throw new XmlSecurityError('the assertion depends on namespace declarations outside it');
  }
  if (alone !== canonical(assertion)) throw new XmlSecurityError('the assertion does not stand alone');
  return slice;
}

/** Verifies an RSTR (IDWS.md §4, kombit .NET ValidateRstr) and returns the token it carries. */
export function readRstr(raw: string, messageId: string, settings: StsSettings, cvr: string, appliesTo: string, now: number): Token {
  const doc = parseDom(raw);
  const fault = faultOf(doc);
  if (fault) throw new StsError(`the STS refused the token request: ${fault.reason}`, fault);
  const { header, body } = envelopeParts(doc);
  const security = only(header, WS.wsse, 'Security', 'RSTR Security header');
  const signature = kids(security, WS.ds, 'Signature');
  if (signature.length !== 1) throw new XmlSecurityError('RSTR must carry exactly one header signature');
  const v = verifySignature(raw, signature[0], publicKeyOf(settings.cert));
  const timestamp = kid(security, WS.wsu, 'Timestamp');
  const relatesTo = kid(header, WS.wsa, 'RelatesTo');
  requireSigned(doc, v, [['Body', body], ['Action', kid(header, WS.wsa, 'Action')], ['RelatesTo', relatesTo], ['Timestamp', timestamp]]);
  if (textOf(relatesTo) !== messageId) throw new XmlSecurityError(`RSTR RelatesTo ${textOf(relatesTo)} is not our MessageID ${messageId}`);
  const created = Date.parse(textOf(kid(timestamp, WS.wsu, 'Created')));
  const expires = Date.parse(textOf(kid(timestamp, WS.wsu, 'Expires')));
  if (!(created <= now + settings.skewMs)) throw new XmlSecurityError('RSTR Timestamp is not yet valid (Created is in the future)');
  if (!(expires > now - settings.skewMs)) throw new XmlSecurityError('RSTR Timestamp has expired');
  if (textOf(kid(header, WS.wsa, 'Action')) !== TRUST.issueFinalAction) throw new XmlSecurityError('RSTR Action is not RSTRC/IssueFinal');
  const rstr = only(only(body, WS.trust, 'RequestSecurityTokenResponseCollection'), WS.trust, 'RequestSecurityTokenResponse');
  const assertion = only(only(rstr, WS.trust, 'RequestedSecurityToken'), WS.saml, 'Assertion');
  const info = checkAssertion(raw, assertion, {
    stsCert: settings.cert, issuer: settings.entityId, audience: appliesTo, now, skewMs: settings.skewMs,
    holderOfKey: settings.credentials.cert, cvr,
  });
  return { xml: assertionText(raw, assertion), info, cvr, entityId: appliesTo };
}

/** Asks the STS for a holder-of-key token for (cvr, appliesTo) and verifies the answer. */
export async function requestToken(settings: StsSettings, post: SoapPost, cvr: string, appliesTo: string, now: () => number = Date.now): Promise<Token> {
  const rst = buildRst({
    stsUrl: settings.url, stsEntityId: settings.entityId, appliesTo, cvr,
    cert: settings.credentials.cert, key: settings.credentials.key, now: now(),
  });
  const res = await post(settings.url, rst.xml, TRUST.issueAction);
  if (res.status !== 200 && res.status !== 500) throw new StsError(`the STS answered HTTP ${res.status}`);
  return readRstr(res.text, rst.messageId, settings, cvr, appliesTo, now());
}
