import type { KeyObject, X509Certificate } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import { base64Of } from '../../wssec/certs';
import { buildSignature } from '../../wssec/dsig';
import { SAML, TRUST, VALUE_TYPE, WS } from '../../wssec/ns';
import { newMessageId, text, timestampXml } from './wire';

/**
 * The RequestSecurityToken to KOMBIT's STS, as KOMBIT's own client writes it (IDWS.md §3;
 * vectors/sts-request.xml): SOAP 1.2, WS-Addressing Action/MessageID/To, one Security header with
 * Timestamp and the caller's certificate as BinarySecurityToken, and a signature over Action,
 * MessageID, To, Timestamp, the BinarySecurityToken and Body, KeyInfo pointing at the BST.
 */

export interface RstInput {
  stsUrl: string;
  /** Optional wst:Issuer (KOMBIT's client sends it; others omit it). */
  stsEntityId?: string;
  appliesTo: string;
  cvr: string;
  cert: X509Certificate;
  key: KeyObject;
  now: number;
  /** Lifetime of the message's Timestamp. */
  ttlMs?: number;
  messageId?: string;
}

export interface BuiltRst {
  xml: string;
  messageId: string;
}

export function buildRst(input: RstInput): BuiltRst {
  const messageId = input.messageId ?? newMessageId();
  const bst = base64Of(input.cert);
  const bstAttrs = `ValueType="${VALUE_TYPE.x509v3}" EncodingType="${VALUE_TYPE.base64}"`;
  const issuer = input.stsEntityId
    ? `<trust:Issuer><a:EndpointReference><a:Address>${text(input.stsEntityId)}</a:Address></a:EndpointReference></trust:Issuer>` : '';
  const body = `<s:Body wsu:Id="body"><trust:RequestSecurityToken Context="${randomUUID()}" xmlns:trust="${WS.trust}">`
    + `<trust:RequestType>${TRUST.requestIssue}</trust:RequestType>`
    + `<trust:TokenType>${VALUE_TYPE.samlToken}</trust:TokenType>`
    + `<trust:KeyType>${TRUST.keyTypePublic}</trust:KeyType>`
    + `<wsp:AppliesTo xmlns:wsp="${WS.wsp}"><wsa:EndpointReference xmlns:wsa="${WS.wsa}"><wsa:Address>${text(input.appliesTo)}</wsa:Address></wsa:EndpointReference></wsp:AppliesTo>`
    + `<trust:Claims Dialect="${TRUST.claimsDialect}"><auth:ClaimType Uri="${SAML.cvr}" Optional="false" xmlns:auth="${WS.auth}"><auth:Value>${text(input.cvr)}</auth:Value></auth:ClaimType></trust:Claims>`
    + `<trust:UseKey><BinarySecurityToken ${bstAttrs} xmlns="${WS.wsse}">${bst}</BinarySecurityToken></trust:UseKey>`
    + issuer
    + '</trust:RequestSecurityToken></s:Body>';
  const head = `<s:Envelope xmlns:a="${WS.wsa}" xmlns:s="${WS.soap}" xmlns:wsu="${WS.wsu}"><s:Header>`
    + `<a:Action s:mustUnderstand="1" wsu:Id="action">${TRUST.issueAction}</a:Action>`
    + `<a:MessageID wsu:Id="msgid">${text(messageId)}</a:MessageID>`
    + `<a:To wsu:Id="to">${text(input.stsUrl)}</a:To>`
    + `<Security s:mustUnderstand="1" xmlns="${WS.wsse}">`
    + timestampXml('wsu', input.now, input.ttlMs ?? 5 * 60_000, false)
    + `<BinarySecurityToken ${bstAttrs} wsu:Id="sec-binsectoken">${bst}</BinarySecurityToken>`;
  const tail = '</Security></s:Header>' + body + '</s:Envelope>';
  const unsigned = head + tail;
  const keyInfo = `<SecurityTokenReference xmlns="${WS.wsse}"><Reference URI="#sec-binsectoken" ValueType="${VALUE_TYPE.x509v3}"/></SecurityTokenReference>`;
  const signature = buildSignature(unsigned, ['action', 'msgid', 'to', 'sec-ts', 'sec-binsectoken', 'body'].map((id) => ({ id })), input.key, keyInfo);
  return { xml: head + signature + tail, messageId };
}
