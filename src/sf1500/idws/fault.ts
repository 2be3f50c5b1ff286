import { kid, kids, textOf, type El } from '../../wssec/dom';
import { WS } from '../../wssec/ns';

/** A SOAP 1.2 Fault as read from an answer: code, WS-Security subcode (if any) and reason. */
export interface SoapFaultInfo {
  code: string;
  subcode?: string;
  reason: string;
}

/** The Fault in `doc`'s Body, or undefined. Subcode values are QNames; the prefix is resolved to its local part. */
export function faultOf(doc: Document): SoapFaultInfo | undefined {
  const body = kid(doc.documentElement, WS.soap, 'Body');
  const fault = kid(body, WS.soap, 'Fault');
  if (!fault) return undefined;
  const code = kid(fault, WS.soap, 'Code');
  const local = (e: El | undefined): string | undefined => (e ? textOf(e).replace(/^.*:/, '') : undefined);
  const reasons = kids(kid(fault, WS.soap, 'Reason') ?? fault, WS.soap, 'Text');
  return { code: local(kid(code, WS.soap, 'Value')) ?? 'Receiver', subcode: local(kid(kid(code, WS.soap, 'Subcode'), WS.soap, 'Value')), reason: textOf(reasons[0]) || 'SOAP fault' };
}

