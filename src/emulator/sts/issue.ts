import type { KeyObject, X509Certificate } from 'node:crypto';
import { certFromBase64, publicKeyOf, subjectKeyIdentifier } from '../../wssec/certs';
import { buildSignature, requireSigned, verifySignature } from '../../wssec/dsig';
import { kid, kids, only, textOf, XmlSecurityError, type El } from '../../wssec/dom';
import { SAML, TRUST, VALUE_TYPE, WS } from '../../wssec/ns';
import { escapeXml } from '../../xml/writer';
import { checked, parseSecured } from '../security/checks';
import { ReplayCache, SecurityFault } from '../security/fault';
import { findAgreement, type AdminModule } from './admin';
import { issueAssertion } from './assertion';

/** The local STS's answer to one RequestSecurityToken: every check of IDWS.md §7.2, in order. */

export interface StsOptions {
  entityId: string;
  signer: { cert: X509Certificate; key: KeyObject };
  /** CA that issues registered caller certificates. */
  ca: X509Certificate;
  admin: AdminModule;
  now: () => number;
  skewMs: number;
  maxLifetimeMs: number;
}

const EIGHT_HOURS = 8 * 3600_000;
export const DEFAULT_STS_LIFETIME_MS = EIGHT_HOURS;

/** The caller certificate in the BST the signature's KeyInfo points at (KeyInfo STR → #BST). */
function signingCert(security: El, signature: El): { cert: X509Certificate; bst: El } {
  const ref = kid(kid(kid(signature, WS.ds, 'KeyInfo'), WS.wsse, 'SecurityTokenReference'), WS.wsse, 'Reference');
  const uri = ref?.getAttribute('URI') ?? '';
  const bst = kids(security, WS.wsse, 'BinarySecurityToken').find((b) => `#${b.getAttributeNS(WS.wsu, 'Id')}` === uri);
  if (!bst) throw new SecurityFault('SecurityTokenUnavailable', 'the signature\'s KeyInfo does not reference a BinarySecurityToken in the Security header');
  if (bst.getAttribute('ValueType') !== VALUE_TYPE.x509v3) throw new SecurityFault('InvalidSecurityToken', 'BinarySecurityToken is not an X509v3 certificate');
  return { cert: checked(() => certFromBase64(textOf(bst)), 'InvalidSecurityToken'), bst };
}

export class LocalSts {
  private readonly replay: ReplayCache;

  constructor(private readonly opts: StsOptions) {
    this.replay = new ReplayCache(opts.now);
  }

  /** The RSTR for a valid request; throws SecurityFault otherwise. */
  issue(xml: string): string {
    const now = this.opts.now();
    const parts = parseSecured(xml, now, this.opts.skewMs);
    const { doc, header, body, security } = parts;
    const signatures = kids(security, WS.ds, 'Signature');
    if (signatures.length !== 1) throw new SecurityFault('InvalidSecurity', 'the request must carry one signature');
    const { cert, bst } = signingCert(security, signatures[0]);
    const v = checked(() => verifySignature(xml, signatures[0], publicKeyOf(cert)));
    const action = kid(header, WS.wsa, 'Action');
    const messageId = kid(header, WS.wsa, 'MessageID');
    const replyTo = kid(header, WS.wsa, 'ReplyTo');
    const required: Array<[string, El | undefined]> = [['Body', body], ['Timestamp', parts.timestamp], ['Action', action], ['MessageID', messageId], ['To', kid(header, WS.wsa, 'To')], ['BinarySecurityToken', bst]];
    if (replyTo) required.push(['ReplyTo', replyTo]);
    checked(() => requireSigned(doc, v, required));
    if (!cert.checkIssued(this.opts.ca) || !cert.verify(this.opts.ca.publicKey)) throw new SecurityFault('FailedAuthentication', 'the certificate is not issued by a trusted CA');
    if (Date.parse(cert.validTo) <= now || Date.parse(cert.validFrom) > now) throw new SecurityFault('FailedAuthentication', 'the certificate is not valid now');
    if (textOf(action) !== TRUST.issueAction) throw new SecurityFault('InvalidSecurity', `Action must be ${TRUST.issueAction}`);
    this.replay.use(textOf(messageId), parts.expires + this.opts.skewMs);
    return this.answer(body, cert, textOf(messageId), now);
  }

  private answer(body: El, cert: X509Certificate, messageId: string, now: number): string {
    const business = (code: string, text: string): SecurityFault => new SecurityFault('Business', text, code);
    const rst = checked(() => only(body, WS.trust, 'RequestSecurityToken'), 'InvalidSecurity');
    const field = (name: string): string => textOf(kid(rst, WS.trust, name));
    if (field('RequestType') !== TRUST.requestIssue) throw business('103', 'RequestType must be Issue');
    if (field('TokenType') !== VALUE_TYPE.samlToken) throw business('103', 'TokenType must be SAML 2.0');
    if (field('KeyType') !== TRUST.keyTypePublic) throw business('103', 'KeyType must be PublicKey');
    const claims = kids(kid(rst, WS.trust, 'Claims') ?? rst, WS.auth, 'ClaimType').filter((c) => c.getAttribute('Uri') === SAML.cvr);
    if (claims.length !== 1) throw business('5015', 'It is expected that the received STR must contain exactly one CVR claim');
    const cvr = textOf(kid(claims[0], WS.auth, 'Value'));
    const useKey = kid(kid(rst, WS.trust, 'UseKey'), WS.wsse, 'BinarySecurityToken');
    if (!useKey || !checked(() => certFromBase64(textOf(useKey)), 'InvalidSecurityToken').raw.equals(cert.raw)) throw new SecurityFault('FailedAuthentication', 'UseKey must be the signing certificate');
    const appliesToEl = kid(kid(kid(rst, WS.wsp, 'AppliesTo'), WS.wsa, 'EndpointReference'), WS.wsa, 'Address');
    const appliesTo = textOf(appliesToEl);
    const caller = findAgreement(this.opts.admin, cert);
    if (!caller) throw business('5607', `No mapped user exists for thumbprint '${cert.fingerprint256.replace(/:/g, '')}'`);
    const agreement = (caller.cvrs[cvr] ?? []).find((a) => a.entityId === appliesTo);
    if (!caller.cvrs[cvr]) throw business('101', `no service agreement for CVR ${cvr}`);
    if (!agreement) throw business('5002', `Path resolution: no connection '${appliesTo}' found`);
    const requested = Date.parse(textOf(kid(kid(rst, WS.trust, 'Lifetime'), WS.wsu, 'Expires')));
    const lifetime = Math.min(this.opts.maxLifetimeMs, Number.isFinite(requested) ? Math.max(60_000, requested - now) : this.opts.maxLifetimeMs);
    const token = issueAssertion({ issuer: this.opts.entityId, signer: this.opts.signer, holderOfKey: cert, cvr, agreement, now, lifetimeMs: lifetime });
    return this.rstr(rst, token, messageId, appliesToEl!, now);
  }

  private rstr(rst: El, token: { xml: string; id: string; notOnOrAfter: number }, relatesTo: string, appliesTo: El, now: number): string {
    const iso = (ms: number): string => new Date(ms).toISOString();
    const str = `<o:SecurityTokenReference b:TokenType="${VALUE_TYPE.samlToken}" xmlns:b="${WS.wsse11}"><o:KeyIdentifier ValueType="${VALUE_TYPE.samlId}">${token.id}</o:KeyIdentifier></o:SecurityTokenReference>`;
    const context = rst.getAttribute('Context');
    const body = `<s:Body u:Id="_1"><trust:RequestSecurityTokenResponseCollection xmlns:trust="${WS.trust}">`
      + `<trust:RequestSecurityTokenResponse${context ? ` Context="${escapeXml(context)}"` : ''}>`
      + `<trust:Lifetime><u:Created>${iso(now)}</u:Created><u:Expires>${iso(token.notOnOrAfter)}</u:Expires></trust:Lifetime>`
      + `<wsp:AppliesTo xmlns:wsp="${WS.wsp}"><wsa:EndpointReference xmlns:wsa="${WS.wsa}"><wsa:Address>${escapeXml(textOf(appliesTo))}</wsa:Address></wsa:EndpointReference></wsp:AppliesTo>`
      + `<trust:RequestedSecurityToken>${token.xml}</trust:RequestedSecurityToken>`
      + `<trust:RequestedAttachedReference>${str}</trust:RequestedAttachedReference>`
      + `<trust:RequestedUnattachedReference>${str}</trust:RequestedUnattachedReference>`
      + `<trust:TokenType>${VALUE_TYPE.samlToken}</trust:TokenType><trust:RequestType>${TRUST.requestIssue}</trust:RequestType><trust:KeyType>${TRUST.keyTypePublic}</trust:KeyType>`
      + '</trust:RequestSecurityTokenResponse></trust:RequestSecurityTokenResponseCollection></s:Body>';
    const head = `<s:Envelope xmlns:s="${WS.soap}" xmlns:a="${WS.wsa}" xmlns:u="${WS.wsu}"><s:Header>`
      + `<a:Action s:mustUnderstand="1" u:Id="_2">${TRUST.issueFinalAction}</a:Action>`
      + `<a:RelatesTo u:Id="_3">${escapeXml(relatesTo)}</a:RelatesTo>`
      + `<o:Security s:mustUnderstand="1" xmlns:o="${WS.wsse}">`
      + `<u:Timestamp u:Id="_0"><u:Created>${iso(now)}</u:Created><u:Expires>${iso(now + 5 * 60_000)}</u:Expires></u:Timestamp>`;
    const tail = `</o:Security></s:Header>${body}</s:Envelope>`;
    const ski = subjectKeyIdentifier(this.opts.signer.cert);
    if (!ski) throw new XmlSecurityError('the STS certificate has no SubjectKeyIdentifier');
    const keyInfo = `<o:SecurityTokenReference><o:KeyIdentifier ValueType="${VALUE_TYPE.ski}">${ski}</o:KeyIdentifier></o:SecurityTokenReference>`;
    const signature = buildSignature(head + tail, ['_1', '_2', '_3', '_0'].map((id) => ({ id })), this.opts.signer.key, keyInfo);
    return head + signature + tail;
  }
}
