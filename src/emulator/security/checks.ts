import { envelopeParts } from '../../wssec/dsig';
import { kid, kids, parseDom, textOf, XmlSecurityError, type El } from '../../wssec/dom';
import { WS } from '../../wssec/ns';
import { SecurityFault } from './fault';

/** Checks both local services (STS and SF1500) make on an incoming secured message. */

export interface SecuredParts {
  header: El;
  body: El;
  security: El;
  timestamp: El;
  created: number;
  expires: number;
}

const mustUnderstand = (e: El): boolean => /^(1|true)$/.test(e.getAttributeNS(WS.soap, 'mustUnderstand') ?? '');

/** SOAP 1.2; one Security header, mustUnderstand; a Timestamp whose window holds `now`. */
export function securedParts(doc: Document, now: number, skewMs: number): SecuredParts {
  let parts: { header: El; body: El };
  try {
    parts = envelopeParts(doc);
  } catch (e) {
    throw new SecurityFault('InvalidSecurity', (e as XmlSecurityError).message);
  }
  const securities = kids(parts.header, WS.wsse, 'Security');
  if (securities.length === 0) throw new SecurityFault('InvalidSecurity', 'no wsse:Security header');
  if (securities.length > 1) throw new SecurityFault('InvalidSecurity', 'more than one wsse:Security header');
  const security = securities[0];
  if (!mustUnderstand(security)) throw new SecurityFault('InvalidSecurity', 'wsse:Security must be mustUnderstand');
  const timestamps = kids(security, WS.wsu, 'Timestamp');
  if (timestamps.length !== 1) throw new SecurityFault('InvalidSecurity', 'wsse:Security must hold one wsu:Timestamp');
  const created = Date.parse(textOf(kid(timestamps[0], WS.wsu, 'Created')));
  const expiresText = textOf(kid(timestamps[0], WS.wsu, 'Expires'));
  const expires = expiresText ? Date.parse(expiresText) : created + 5 * 60_000;
  if (!Number.isFinite(created) || !Number.isFinite(expires)) throw new SecurityFault('InvalidSecurity', 'Timestamp/Created or Expires is not a time');
  if (created > now + skewMs) throw new SecurityFault('MessageExpired', 'Timestamp/Created lies in the future');
  if (expires <= now - skewMs || created < now - skewMs - 5 * 60_000) throw new SecurityFault('MessageExpired', 'the message has expired (Timestamp)');
  return { ...parts, security, timestamp: timestamps[0], created, expires };
}

/** Maps the kernel's verification errors to a FailedCheck fault. */
export function checked<T>(fn: () => T, subcode: 'FailedCheck' | 'InvalidSecurityToken' | 'InvalidSecurity' = 'FailedCheck'): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof SecurityFault) throw e;
    if (e instanceof XmlSecurityError) throw new SecurityFault(subcode, e.message);
    throw e;
  }
}

/** Parses a request and runs securedParts on it. */
export function parseSecured(xml: string, now: number, skewMs: number): SecuredParts & { doc: Document } {
  const doc = checked(() => parseDom(xml), 'InvalidSecurity');
  return { doc, ...securedParts(doc, now, skewMs) };
}
