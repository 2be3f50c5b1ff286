import type { KeyObject } from 'node:crypto';
import { buildSignature } from '../../wssec/dsig';
import { joinEnvelope, splitEnvelope } from '../../wssec/envelope';
import { digestBody } from '../../wssec/stream-c14n';
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

export function secureEnvelope(input: WspInput): { xml: string; messageId: string } {
  const e = splitEnvelope(input.envelope);
  const messageId = input.messageId ?? newMessageId();
  const mu = `${e.prefix}:mustUnderstand="1"`;
  const { head, tail } = joinEnvelope(e, ` xmlns:a="${WS.wsa}" xmlns:u="${WS.wsu}"`,
    `<a:Action ${mu} u:Id="action">${text(input.action)}</a:Action>`
    + `<a:MessageID u:Id="msgid">${text(messageId)}</a:MessageID>`
    + `<a:ReplyTo u:Id="replyto"><a:Address>${TRUST.anonymous}</a:Address></a:ReplyTo>`
    + `<a:To ${mu} u:Id="to">${text(input.to)}</a:To>`
    + `<o:Security ${mu} xmlns:o="${WS.wsse}">`
    + timestampXml('u', input.now, input.ttlMs ?? 5 * 60_000, true)
    + input.assertion
    + strXml(input.assertionId, true), 'body');
  const refs = ['body', 'action', 'msgid', 'replyto', 'to', 'sec-ts'].map((id) => ({ id }));
  // The Body (up to 500 UUIDs in a List) is digested while streaming; the DOM holds the headers only.
  const split = digestBody(head + tail);
  const signature = buildSignature(split.headerXml, [...refs, { id: 'sec-str', strTransform: true }], input.key, strXml(input.assertionId, false), { body: split.bodyDigest });
  return { xml: head + signature + tail, messageId };
}
