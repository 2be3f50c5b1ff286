import { randomUUID, type KeyObject, type X509Certificate } from 'node:crypto';
import { base64Of, certFromBase64, publicKeyOf, sameCert } from '../../wssec/certs';
import { requireSigned, strTarget, verifySignature } from '../../wssec/dsig';
import { kid, kids, textOf, type El } from '../../wssec/dom';
import { buildSignature } from '../../wssec/dsig';
import { digestBody } from '../../wssec/stream-c14n';
import { joinEnvelope, splitEnvelope } from '../../wssec/envelope';
import { VALUE_TYPE, WS } from '../../wssec/ns';
import { checkAssertion, type AssertionInfo } from '../../wssec/saml';
import { NS, organisationNs } from '../../model/namespaces';
import { escapeXml } from '../../xml/writer';
import { privilegeUri } from '../sts/admin';
import { checked, parseSecured } from './checks';
import { ReplayCache, SecurityFault } from './fault';

/**
 * The local SF1500 in OIO IDWS mode (IDWS.md §7.3): every request carries a holder-of-key token from
 * the pinned local STS and is signed with its key; answers are signed with the local SF1500 key.
 */

export interface IdwsGuardOptions {
  stsCert: X509Certificate;
  stsEntityId: string;
  /** Audience SF1500 accepts (`http://stoettesystemerne.dk/service/organisation/3`). */
  entityId: string;
  signer: { cert: X509Certificate; key: KeyObject };
  now: () => number;
  skewMs: number;
}

/** Who is calling, from the verified token. */
export interface IdwsCaller {
  cvr: string;
  messageId: string;
  action: string;
  canWrite: boolean;
  canRead: boolean;
  /** Data restrictions granted: CPR numbers (`secpr-nummer`) and person names (`senavn`). */
  cpr: boolean;
  names: boolean;
}

/** The message signature: the Security child Signature that is not the assertion's; its key is the HoK key. */
function messageSignature(security: El, info: AssertionInfo): El {
  const signatures = kids(security, WS.ds, 'Signature');
  if (signatures.length !== 1) throw new SecurityFault('InvalidSecurity', signatures.length === 0 ? 'the message is not signed' : 'more than one message signature');
  const str = kid(kid(signatures[0], WS.ds, 'KeyInfo'), WS.wsse, 'SecurityTokenReference');
  const keyId = kid(str, WS.wsse, 'KeyIdentifier');
  const ref = kid(str, WS.wsse, 'Reference');
  if (keyId) {
    if (keyId.getAttribute('ValueType') !== VALUE_TYPE.samlId || textOf(keyId) !== info.id) throw new SecurityFault('FailedAuthentication', 'the signature\'s KeyInfo does not reference the assertion');
  } else if (ref) {
    // CXF/WSS4J form: KeyInfo → a BinarySecurityToken, which must hold the holder-of-key certificate.
    const bst = kids(security, WS.wsse, 'BinarySecurityToken').find((b) => `#${b.getAttributeNS(WS.wsu, 'Id')}` === ref.getAttribute('URI'));
    if (!bst || !sameCert(checked(() => certFromBase64(textOf(bst))), info.holderOfKey)) throw new SecurityFault('FailedAuthentication', 'the signing certificate is not the holder-of-key certificate');
  } else {
    throw new SecurityFault('InvalidSecurity', 'the signature has no usable KeyInfo');
  }
  return signatures[0];
}

export class IdwsGuard {
  private readonly replay: ReplayCache;

  constructor(private readonly opts: IdwsGuardOptions) {
    this.replay = new ReplayCache(opts.now);
  }

  /** Checks a request; `endpoint` is the URL it was posted to (To must name it). Throws SecurityFault. */
  check(xml: string, endpoint: string): IdwsCaller {
    const now = this.opts.now();
    const parts = parseSecured(xml, now, this.opts.skewMs);
    const { doc, header, body, security } = parts;
    const messageId = kid(header, WS.wsa, 'MessageID');
    if (!textOf(messageId)) throw new SecurityFault('InvalidSecurity', 'wsa:MessageID is required');
    const to = kid(header, WS.wsa, 'To');
    if (to && textOf(to).replace(/\/$/, '') !== endpoint.replace(/\/$/, '')) throw new SecurityFault('InvalidSecurity', `wsa:To ${textOf(to)} is not this endpoint`);
    const assertions = kids(security, WS.saml, 'Assertion');
    if (assertions.length !== 1) throw new SecurityFault('SecurityTokenUnavailable', assertions.length === 0 ? 'no SAML assertion in the Security header' : 'more than one assertion');
    const info = checked(() => checkAssertion(xml, assertions[0], {
      stsCert: this.opts.stsCert, issuer: this.opts.stsEntityId, audience: this.opts.entityId, now, skewMs: this.opts.skewMs,
    }), 'InvalidSecurityToken');
    const signature = messageSignature(security, info);
    const v = checked(() => verifySignature(xml, signature, publicKeyOf(info.holderOfKey)), 'FailedCheck');
    const action = kid(header, WS.wsa, 'Action');
    const replyTo = kid(header, WS.wsa, 'ReplyTo');
    const required: Array<[string, El | undefined]> = [['Body', body], ['Timestamp', parts.timestamp], ['MessageID', messageId]];
    if (action) required.push(['Action', action]);
    if (to) required.push(['To', to]);
    if (replyTo) required.push(['ReplyTo', replyTo]);
    checked(() => requireSigned(doc, v, required));
    // The assertion is covered through an STR with the STR-Transform that points at this assertion.
    const strs = kids(security, WS.wsse, 'SecurityTokenReference').filter((s) => v.strIds.includes(s.getAttributeNS(WS.wsu, 'Id') ?? ''));
    if (!strs.some((s) => checked(() => strTarget(s)) === assertions[0])) throw new SecurityFault('FailedCheck', 'the assertion is not signed (STR-Transform reference missing)');
    if (!info.cvr) throw new SecurityFault('InvalidSecurityToken', 'the token carries no CVR');
    this.replay.use(textOf(messageId), parts.expires + this.opts.skewMs);
    const has = (p: Parameters<typeof privilegeUri>[0]): boolean => info.privileges.includes(privilegeUri(p));
    return {
      cvr: info.cvr, messageId: textOf(messageId), action: textOf(action),
      canRead: has('Udstil') || has('Rediger organisation'), canWrite: has('Rediger organisation'), cpr: has('secpr-nummer'), names: has('senavn'),
    };
  }

  /** Signs an answer envelope: Action, MessageID, RelatesTo, Timestamp, BST and Body (WSS4J layout). */
  seal(envelope: string, caller: IdwsCaller): string {
    const e = splitEnvelope(envelope);
    const now = this.opts.now();
    const iso = (ms: number): string => new Date(ms).toISOString();
    const mu = `${e.prefix}:mustUnderstand="1"`;
    const bst = `<o:BinarySecurityToken ValueType="${VALUE_TYPE.x509v3}" EncodingType="${VALUE_TYPE.base64}" u:Id="X509-sf1500">${base64Of(this.opts.signer.cert)}</o:BinarySecurityToken>`;
    const { head, tail } = joinEnvelope(e, ` xmlns:a="${WS.wsa}" xmlns:u="${WS.wsu}"`,
      `<a:Action ${mu} u:Id="_2">${escapeXml(`${caller.action}Response`)}</a:Action>`
      + `<a:RelatesTo u:Id="_3">${escapeXml(caller.messageId)}</a:RelatesTo>`
      + `<a:MessageID u:Id="_4">urn:uuid:${randomUUID()}</a:MessageID>`
      + `<o:Security ${mu} xmlns:o="${WS.wsse}">`
      + `<u:Timestamp u:Id="_0"><u:Created>${iso(now)}</u:Created><u:Expires>${iso(now + 5 * 60_000)}</u:Expires></u:Timestamp>${bst}`, '_1');
    const keyInfo = `<o:SecurityTokenReference><o:Reference URI="#X509-sf1500" ValueType="${VALUE_TYPE.x509v3}"/></o:SecurityTokenReference>`;
    // The Body (a hierarchy page is tens of MB) digested from the text; the DOM holds the headers only.
    const split = digestBody(head + tail);
    const signature = buildSignature(split.headerXml, ['_0', '_1', '_2', '_3', '_4', 'X509-sf1500'].map((id) => ({ id })), this.opts.signer.key, keyInfo, { _1: split.bodyDigest });
    return head + signature + tail;
  }
}


const prefixesOf = (xml: string, ns: string): string[] => [...xml.matchAll(/xmlns:([\w.-]+)="([^"]*)"/g)].filter((m) => m[2] === ns).map((m) => m[1]);
const drop = (xml: string, prefixes: string[], local: string): string =>
  prefixes.reduce((s, p) => s.replace(new RegExp(`<${p}:${local}>[^<]*</${p}:${local}>`, 'g'), ''), xml);

/** KOMBIT's data restrictions: without `secpr-nummer` no CPR number, without `senavn` no person name leaves SF1500. */
export function restrict(content: string, caller: IdwsCaller): string {
  let out = content;
  if (!caller.cpr) out = drop(out, prefixesOf(out, NS.sts), 'CPR-NummerTekst');
  if (!caller.names) out = drop(out, prefixesOf(out, organisationNs('person')), 'NavnTekst');
  return out;
}
