import { randomUUID } from 'node:crypto';
import { NS } from '../model/namespaces';
import { child, parseXml, XmlParseError, type ParseLimits, type XmlElement } from '../xml/reader';
import { el, escapeXml, textEl, xmlnsAttrs } from '../xml/writer';

/**
 * SOAP 1.2 envelopes as the v6 WSDLs bind them: a `RequestHeader` header part
 * (TransactionUUID) in both directions, and one document/literal body element.
 */

export interface EnvelopeBody {
  /** Qualified name of the body element, e.g. `orgenhed:LaesInput`. */
  qname: string;
  /** Namespace declarations for the body element (prefix -> URI). */
  namespaces: Record<string, string>;
  /** Serialised children of the body element. */
  content: string;
}

export function buildEnvelope(body: EnvelopeBody, transactionUuid: string = randomUUID()): string {
  return '<?xml version="1.0" encoding="UTF-8"?>'
    + `<soap:Envelope xmlns:soap="${NS.soap12}" xmlns:hdr="${NS.hdr}">`
    + `<soap:Header>${el('hdr:RequestHeader', textEl('hdr:TransactionUUID', transactionUuid))}</soap:Header>`
    + `<soap:Body><${body.qname}${xmlnsAttrs(body.namespaces)}>${body.content}</${body.qname}></soap:Body>`
    + '</soap:Envelope>';
}

/** A SOAP 1.2 Fault (protocol-level failures; business errors travel in StandardRetur). */
export function buildFault(code: 'Sender' | 'Receiver', reason: string, transactionUuid?: string): string {
  const header = transactionUuid ? `<soap:Header>${el('hdr:RequestHeader', textEl('hdr:TransactionUUID', transactionUuid))}</soap:Header>` : '';
  return '<?xml version="1.0" encoding="UTF-8"?>'
    + `<soap:Envelope xmlns:soap="${NS.soap12}" xmlns:hdr="${NS.hdr}">${header}<soap:Body><soap:Fault>`
    + `<soap:Code><soap:Value>soap:${code}</soap:Value></soap:Code>`
    + `<soap:Reason><soap:Text xml:lang="en">${escapeXml(reason)}</soap:Text></soap:Reason>`
    + '</soap:Fault></soap:Body></soap:Envelope>';
}

export interface ParsedEnvelope {
  transactionUuid?: string;
  body: XmlElement;
}

export class SoapFaultError extends Error {
  constructor(public readonly code: string, reason: string) {
    super(reason);
    this.name = 'SoapFaultError';
  }
}

/** Parses an envelope; throws XmlParseError for non-SOAP-1.2 input and SoapFaultError for a Fault. */
export function parseEnvelope(xml: string, limits?: ParseLimits): ParsedEnvelope {
  const root = parseXml(xml, limits);
  if (root.name !== 'Envelope' || root.ns !== NS.soap12) {
    if (root.ns === NS.soap11) throw new XmlParseError('SOAP 1.1 envelopes are not accepted: the service binds SOAP 1.2');
    throw new XmlParseError(`expected a SOAP 1.2 Envelope, got {${root.ns}}${root.name}`);
  }
  const body = child(root, NS.soap12, 'Body');
  if (!body) throw new XmlParseError('SOAP Body is missing');
  const elements = body.children;
  if (elements.length !== 1) throw new XmlParseError(`SOAP Body must hold exactly one element, found ${elements.length}`);
  const first = elements[0];
  if (first.ns === NS.soap12 && first.name === 'Fault') {
    const code = child(child(first, NS.soap12, 'Code') ?? first, NS.soap12, 'Value')?.text.trim() ?? 'soap:Receiver';
    const reason = child(child(first, NS.soap12, 'Reason') ?? first, NS.soap12, 'Text')?.text.trim() ?? 'SOAP fault';
    throw new SoapFaultError(code, reason);
  }
  const header = child(root, NS.soap12, 'Header');
  const rh = header ? child(header, NS.hdr, 'RequestHeader') : undefined;
  const tx = rh ? child(rh, NS.hdr, 'TransactionUUID')?.text.trim() : undefined;
  return { transactionUuid: tx, body: first };
}
