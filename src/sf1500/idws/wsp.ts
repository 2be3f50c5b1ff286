import { createHash, createSign, type KeyObject } from 'node:crypto';
import { buildSignature, signatureXml, signedInfoXml } from '../../wssec/dsig';
import { joinEnvelope, splitEnvelope } from '../../wssec/envelope';
import { canonicalElement, canonicalString, HashSink, type NsScope } from '../../wssec/fast-c14n';
import { digestBody } from '../../wssec/stream-c14n';
import { XmlSecurityError } from '../../wssec/dom';
import { TRUST, VALUE_TYPE, WS } from '../../wssec/ns';
import { newMessageId, text, timestampXml } from './wire';

/**
 * Secures one SF1500 call the way KOMBIT's client does (IDWS.md §5; vectors/service-request-signed.xml):
 * WS-Addressing Action, MessageID, ReplyTo (anonymous), To; one Security header holding Timestamp,
 * the assertion verbatim, a SecurityTokenReference to it by SAMLID, and a signature with the
 * holder-of-key over Body, Action, MessageID, ReplyTo, To, Timestamp and the STR (STR-Transform),
 * KeyInfo = an STR to the assertion. RequestHeader stays as it is, unsigned (as OS2sync sends it).
 */

export interface WspInput {
  /** A SOAP 1.2 envelope as our builder writes it (see splitEnvelope). */
  envelope: string;
  action: string;
  to: string;
  assertion: string;
  assertionId: string;
  key: KeyObject;
  now: number;
  ttlMs?: number;
  messageId?: string;
}

const STR_ATTRS = `b:TokenType="${VALUE_TYPE.samlToken}" xmlns:b="${WS.wsse11}"`;

export function strXml(assertionId: string, withId: boolean): string {
  return `<o:SecurityTokenReference ${withId ? 'u:Id="sec-str" ' : ''}${STR_ATTRS}>`
    + `<o:KeyIdentifier ValueType="${VALUE_TYPE.samlId}">${text(assertionId)}</o:KeyIdentifier></o:SecurityTokenReference>`;
}

export function secureEnvelope(input: WspInput): { xml: string; messageId: string; path: 'fast' | 'dom' } {
  const e = splitEnvelope(input.envelope);
  const messageId = input.messageId ?? newMessageId();
  const mu = `${e.prefix}:mustUnderstand="1"`;
  const extraNs = ` xmlns:a="${WS.wsa}" xmlns:u="${WS.wsu}"`;
  const parts = {
    action: `<a:Action ${mu} u:Id="action">${text(input.action)}</a:Action>`,
    msgid: `<a:MessageID u:Id="msgid">${text(messageId)}</a:MessageID>`,
    replyto: `<a:ReplyTo u:Id="replyto"><a:Address>${TRUST.anonymous}</a:Address></a:ReplyTo>`,
    to: `<a:To ${mu} u:Id="to">${text(input.to)}</a:To>`,
  };
  const securityOpen = `<o:Security ${mu} xmlns:o="${WS.wsse}">`;
  const timestamp = timestampXml('u', input.now, input.ttlMs ?? 5 * 60_000, true);
  const str = strXml(input.assertionId, true);
  const { head, tail } = joinEnvelope(e, extraNs, parts.action + parts.msgid + parts.replyto + parts.to + securityOpen + timestamp + input.assertion + str, 'body');
  const xml = head + tail;
  const keyInfo = strXml(input.assertionId, false);
  const fast = fastSignature(xml, head.length + tail.indexOf(`<${e.prefix}:Body `), e.rootAttributes + extraNs, parts, timestamp, input, keyInfo, e.headers);
  if (fast) return { xml: head + fast + tail, messageId, path: 'fast' };
  const split = digestBody(xml);
  // the DOM holds the headers only: an Id we sign carried again inside the Body would go unseen there
  const twice = split.bodyIds.find((id) => SIGNED_IDS.has(id));
  if (twice) throw new XmlSecurityError(`cannot sign #${twice}: the Body carries that Id too`);
  const signature = buildSignature(split.headerXml, [...SIGNED_PARTS.map((id) => ({ id })), { id: 'sec-str', strTransform: true }], input.key, keyInfo, { body: split.bodyDigest });
  return { xml: head + signature + tail, messageId, path: 'dom' };
}

const envelopeName = (xml: string): string => /^(?:<\?xml[^>]*\?>)?<([^\s>]+)/.exec(xml)?.[1] ?? '';
const DECL = /\sxmlns(?::([^\s=]+))?="([^"]*)"/g;
const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('base64');
/** What the holder-of-key signs, in KOMBIT's order (vectors/service-request-signed.xml), then the STR. */
const SIGNED_PARTS = ['body', 'action', 'msgid', 'replyto', 'to', 'sec-ts'];
const SIGNED_IDS = new Set([...SIGNED_PARTS, 'sec-str']);
const OUR_ID_ATTRIBUTE = new RegExp(`\\b(?:Id|ID|id)="(?:${[...SIGNED_IDS].join('|')})"`);
const SIGNED_INFO_SCOPE: NsScope = new Map([['', WS.ds]]);

/** The namespaces in force at the headers and inside Security, per Envelope start tag (the builder writes a few). */
const SCOPES = new Map<string, { scope: NsScope; security: NsScope; scopeKey: string }>();
function scopesOf(rootAttributes: string): { scope: NsScope; security: NsScope; scopeKey: string } {
  let s = SCOPES.get(rootAttributes);
  if (!s) {
    const scope = new Map<string, string>();
    for (const m of rootAttributes.matchAll(DECL)) if (!m[2].includes('&')) scope.set(m[1] ?? '', m[2]);
    const security = new Map(scope).set('o', WS.wsse);
    s = { scope, security, scopeKey: [...security].join(' ') };
    if (SCOPES.size >= 64) SCOPES.clear();
    SCOPES.set(rootAttributes, s);
  }
  return s;
}

/** The assertion's STR-Transform digest, per assertion text and scope: the same token signs calls for hours. */
const strDigests = new Map<string, Record<string, string>>();

/**
 * The Signature from digests read off the text we just wrote (fast-c14n.ts), without a DOM: about
 * a tenth of the DOM path's time per call. Undefined (the DOM path then signs) if anything is not
 * in the fast reader's subset, or an Id we sign is carried twice.
 */
function fastSignature(xml: string, bodyStart: number, rootAttributes: string, parts: Record<'action' | 'msgid' | 'replyto' | 'to', string>, timestamp: string,
  input: WspInput, keyInfo: string, otherHeaders: string): string | undefined {
  // the Ids we sign must be carried once: not again in the other headers or the assertion (the Body: below)
  if (OUR_ID_ATTRIBUTE.test(input.assertion) || OUR_ID_ATTRIBUTE.test(otherHeaders)) return undefined;
  const { scope, security, scopeKey } = scopesOf(rootAttributes);
  // our own Body, digested from where we put it (its Envelope is the only ancestor)
  const hash = createHash('sha256');
  const sink = new HashSink(hash);
  const body = canonicalElement(xml, bodyStart, scope, sink);
  if (!body || body.id !== 'body' || body.ids.some((id) => SIGNED_IDS.has(id)) || !xml.startsWith(`</${envelopeName(xml)}>`, body.end)) return undefined;
  sink.flush();
  const digests: Record<string, string> = { body: hash.digest('base64') };
  for (const [id, part, sc] of [...Object.entries(parts).map(([k, x]) => [k, x, scope] as const), ['sec-ts', timestamp, security] as const]) {
    const c = canonicalString(part, sc);
    if (!c || c.end !== part.length) return undefined;
    digests[id] = sha256(c.text);
  }
  let strDigest = strDigests.get(input.assertion)?.[scopeKey];
  if (strDigest === undefined) {
    const c = canonicalString(input.assertion, security);
    if (!c || c.end !== input.assertion.length) return undefined;
    strDigest = sha256(c.text);
    if (strDigests.size >= 64) strDigests.clear();
    strDigests.set(input.assertion, { ...strDigests.get(input.assertion), [scopeKey]: strDigest });
  }
  digests['sec-str'] = strDigest;
  const signedInfo = signedInfoXml([...SIGNED_PARTS.map((id) => ({ id, digest: digests[id] })), { id: 'sec-str', strTransform: true, digest: strDigest }]);
  const canon = canonicalString(signedInfo, SIGNED_INFO_SCOPE);
  if (!canon) return undefined;
  const value = createSign('RSA-SHA256').update(canon.text, 'utf8').sign(input.key, 'base64');
  return signatureXml(signedInfo, value, keyInfo);
}
