import { DOMParser } from '@xmldom/xmldom';
import { isIdName } from './ns';

/** A small DOM toolkit over @xmldom/xmldom (the copy xml-crypto uses), strict about malformed input. */

export type El = Element;

export class XmlSecurityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlSecurityError';
  }
}

export function parseDom(xml: string): Document {
  const problems: string[] = [];
  // No locator: positions cost ~40% of xmldom's parse time and messages do not need them.
  const parser = new DOMParser({
    errorHandler: { warning: () => undefined, error: (m: string) => problems.push(m), fatalError: (m: string) => problems.push(m) },
  });
  let doc: Document;
  try {
    doc = parser.parseFromString(xml, 'application/xml') as unknown as Document;
  } catch (e) {
    throw new XmlSecurityError(`unreadable XML: ${(e as Error).message}`);
  }
  if (problems.length > 0 || !doc.documentElement) throw new XmlSecurityError(`unreadable XML: ${problems[0] ?? 'no root element'}`);
  if (/<!DOCTYPE/i.test(xml)) throw new XmlSecurityError('DOCTYPE is not allowed');
  return doc;
}

export function elements(parent: Node): El[] {
  const out: El[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) out.push(n as El);
  return out;
}

export function kids(parent: Node, ns: string, local: string): El[] {
  return elements(parent).filter((e) => e.namespaceURI === ns && e.localName === local);
}

export function kid(parent: Node | undefined, ns: string, local: string): El | undefined {
  return parent ? kids(parent, ns, local)[0] : undefined;
}

/** The single child; absent or repeated is an error (repeats are how wrapping attacks start). */
export function only(parent: Node, ns: string, local: string, what = local): El {
  const found = kids(parent, ns, local);
  if (found.length !== 1) throw new XmlSecurityError(found.length === 0 ? `${what} is missing` : `${what} occurs ${found.length} times`);
  return found[0];
}

export function textOf(e: El | undefined): string {
  return (e?.textContent ?? '').trim();
}

/** Every element carrying an ID-like attribute (wsu:Id, ID, Id, id), by value. */
export function idIndex(doc: Document): Map<string, El[]> {
  const index = new Map<string, El[]>();
  const walk = (e: El): void => {
    for (let i = 0; i < e.attributes.length; i++) {
      const a = e.attributes[i];
      if (isIdName(a.localName)) {
        const list = index.get(a.value) ?? [];
        list.push(e);
        index.set(a.value, list);
      }
    }
    for (const c of elements(e)) walk(c);
  };
  walk(doc.documentElement);
  return index;
}

/** Captures were pretty-printed after signing: removing whitespace between tags restores the signed bytes. */
export function compact(xml: string): string {
  return xml.replace(/^\uFEFF/, '').replace(/>\s+</g, '><').trim();
}
