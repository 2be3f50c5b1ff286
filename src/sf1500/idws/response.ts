import type { X509Certificate } from 'node:crypto';
import { publicKeyOf } from '../../wssec/certs';
import { envelopeParts, requireSigned, verifySignature } from '../../wssec/dsig';
import { kid, kids, only, parseDom, textOf, XmlSecurityError, type El } from '../../wssec/dom';
import { WS } from '../../wssec/ns';
import { digestBody } from '../../wssec/stream-c14n';
import { faultOf, type SoapFaultInfo } from './fault';

/**
 * Checks a signed SF1500 answer before it is parsed (IDWS.md §5, kombit .NET OioIdwsSoapChannel):
 * the first signature under Security verifies with the pinned SF1500 certificate and covers Body,
 * MessageID, RelatesTo, Timestamp (and Action when present); RelatesTo is our MessageID; the
 * Timestamp is current; a response MessageID is never accepted twice.
 */
export class ResponseVerifier {
  private readonly seen = new Map<string, number>();

  constructor(private readonly cert: X509Certificate, private readonly skewMs: number, private readonly now: () => number = Date.now) {}

  /** Returns the Fault of an (unsigned) fault answer, else verifies and returns undefined. */
  check(raw: string, requestMessageId: string): SoapFaultInfo | undefined {
    // The Body is digested while streaming; only the envelope without the Body's content becomes a DOM.
    const split = digestBody(raw);
    if (split.fault) return faultOf(parseDom(raw));
    const doc = parseDom(split.headerXml);
    const { header, body } = envelopeParts(doc);
    const security = only(header, WS.wsse, 'Security', 'response Security header');
    const signature = kids(security, WS.ds, 'Signature')[0];
    if (!signature) throw new XmlSecurityError('the answer is not signed');
    if (!split.bodyId) throw new XmlSecurityError('Body is not signed (no Id)');
    const v = verifySignature(raw, signature, publicKeyOf(this.cert), { id: split.bodyId, digest: split.bodyDigest, ids: split.bodyIds });
    const timestamp = kid(security, WS.wsu, 'Timestamp');
    const messageId = kid(header, WS.wsa, 'MessageID');
    const relatesTo = kid(header, WS.wsa, 'RelatesTo');
    const action = kid(header, WS.wsa, 'Action');
    const required: Array<[string, El | undefined]> = [['Body', body], ['MessageID', messageId], ['RelatesTo', relatesTo], ['Timestamp', timestamp]];
    if (action) required.push(['Action', action]);
    requireSigned(doc, v, required);
    if (textOf(relatesTo) !== requestMessageId) throw new XmlSecurityError(`RelatesTo ${textOf(relatesTo)} is not our MessageID`);
    const now = this.now();
    const created = Date.parse(textOf(kid(timestamp, WS.wsu, 'Created')));
    const expires = Date.parse(textOf(kid(timestamp, WS.wsu, 'Expires')));
    if (!(created <= now + this.skewMs) || !(expires > now - this.skewMs)) throw new XmlSecurityError('the answer\'s Timestamp is not current');
    this.remember(textOf(messageId), expires);
    return undefined;
  }

  private remember(id: string, until: number): void {
    const now = this.now();
    if (this.seen.size > 10_000) for (const [k, t] of this.seen) if (t < now) this.seen.delete(k);
    if (this.seen.has(id)) throw new XmlSecurityError(`answer MessageID ${id} was already received (replay)`);
    this.seen.set(id, until + this.skewMs);
  }
}
