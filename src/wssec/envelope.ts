import { XmlSecurityError } from './dom';
import { WS } from './ns';

/**
 * Splits a SOAP 1.2 envelope written by our own builder (`<P:Envelope ...><P:Header>…</P:Header><P:Body>…`)
 * so security headers can be added around its bytes without re-serialising anything.
 */
export interface EnvelopeText {
  /** `<?xml …?>` or ''. */
  declaration: string;
  prefix: string;
  /** The Envelope start tag's attributes (namespace declarations), verbatim. */
  rootAttributes: string;
  /** Existing header blocks, verbatim ('' when there was no Header). */
  headers: string;
  /** Everything after `<P:Body>`, verbatim (through `</P:Envelope>`). */
  bodyAndEnd: string;
}

export function splitEnvelope(xml: string): EnvelopeText {
  const m = /^(<\?xml[^>]*\?>)?<([A-Za-z_][\w.-]*):Envelope\b([^>]*)>/.exec(xml);
  if (!m) throw new XmlSecurityError('cannot secure: not a prefixed SOAP envelope');
  const prefix = m[2];
  if (!m[3].includes(`xmlns:${prefix}="${WS.soap}"`)) throw new XmlSecurityError('cannot secure: not SOAP 1.2');
  let rest = xml.slice(m[0].length);
  let headers = '';
  const headerOpen = `<${prefix}:Header>`;
  if (rest.startsWith(headerOpen)) {
    const end = rest.indexOf(`</${prefix}:Header>`);
    if (end < 0) throw new XmlSecurityError('cannot secure: Header is not closed');
    headers = rest.slice(headerOpen.length, end);
    rest = rest.slice(end + `</${prefix}:Header>`.length);
  }
  const bodyOpen = `<${prefix}:Body>`;
  if (!rest.startsWith(bodyOpen)) throw new XmlSecurityError('cannot secure: Body must follow Header');
  return { declaration: m[1] ?? '', prefix, rootAttributes: m[3], headers, bodyAndEnd: rest.slice(bodyOpen.length) };
}

/**
 * Reassembles with extra root namespace declarations, extra header blocks and a wsu:Id on Body
 * (`u` must be bound to wsu, by `extraNs` or already). Returns the parts before and after the place
 * where the Signature goes (the end of the Security header the caller opened in `securityHead`).
 */
export function joinEnvelope(e: EnvelopeText, extraNs: string, securityHead: string, bodyId: string): { head: string; tail: string } {
  const p = e.prefix;
  return {
    head: `${e.declaration}<${p}:Envelope${e.rootAttributes}${extraNs}><${p}:Header>${e.headers}${securityHead}`,
    tail: `</o:Security></${p}:Header><${p}:Body u:Id="${bodyId}">${e.bodyAndEnd}`,
  };
}
