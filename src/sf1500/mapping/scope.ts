import { XmlParseError } from '../../xml/reader';
import { symbolOf } from './symbols';

/**
 * Namespaces, resolved here from `xmlns`/`xmlns:*` declarations (the tokenizer does no namespace
 * processing, which keeps it cheap), with the checks saxes would make in xmlns mode.
 */

export const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

export interface Scope {
  prefixes: Map<string, string>;
  /** Default namespace ('' = none). */
  def: string;
  /** Resolved element names: qualified name -> symbol (0 = not an element the mapper knows). */
  cache: Map<string, number>;
}

export const documentScope = (): Scope => ({ prefixes: new Map([['xml', XML_NS]]), def: '', cache: new Map() });

export const localOf = (qname: string): string => qname.slice(qname.indexOf(':') + 1);

/** A child scope with the pending declarations `decls` (name, value, name, value, ...), which it empties. */
export function declare(parent: Scope, decls: string[]): Scope {
  const d = decls;
  const scope: Scope = { prefixes: new Map(parent.prefixes), def: parent.def, cache: new Map() };
  for (let i = 0; i < d.length; i += 2) {
    const name = d[i];
    const uri = d[i + 1];
    if (name === 'xmlns') {
      if (uri === XML_NS || uri === XMLNS_NS) throw new XmlParseError(`malformed XML: the default namespace may not be ${uri}`);
      scope.def = uri;
      continue;
    }
    const prefix = name.slice(6);
    if (prefix === '' || prefix.includes(':')) throw new XmlParseError(`malformed XML: malformed name: ${name}.`);
    if (uri === '') throw new XmlParseError(`malformed XML: invalid attempt to undefine prefix ${prefix} in XML 1.0`);
    if (prefix === 'xmlns') throw new XmlParseError('malformed XML: the xmlns prefix may not be declared');
    if ((prefix === 'xml') !== (uri === XML_NS) || uri === XMLNS_NS) throw new XmlParseError(`malformed XML: prefix ${prefix} may not be bound to ${uri}`);
    scope.prefixes.set(prefix, uri);
  }
  d.length = 0;
  return scope;
}

export function nameOf(scope: Scope, qname: string): { ns: string; local: string } {
  const c = qname.indexOf(':');
  if (c < 0) return { ns: scope.def, local: qname };
  const prefix = qname.slice(0, c);
  const local = qname.slice(c + 1);
  if (c === 0 || local === '' || local.includes(':')) throw new XmlParseError(`malformed XML: malformed name: ${qname}.`);
  if (prefix === 'xmlns') throw new XmlParseError('malformed XML: tags may not have "xmlns" as prefix.');
  const ns = scope.prefixes.get(prefix);
  if (ns === undefined) throw new XmlParseError(`malformed XML: unbound namespace prefix: ${JSON.stringify(prefix)}.`);
  return { ns, local };
}

/** The symbol of `qname` in `scope`, cached per scope. */
export function resolve(scope: Scope, qname: string): number {
  const { ns, local } = nameOf(scope, qname);
  const y = symbolOf(ns, local);
  scope.cache.set(qname, y);
  return y;
}
