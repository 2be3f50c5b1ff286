import { SaxesParser } from 'saxes';

/** A parsed element: namespace URI, local name, attributes, children, and its own text. */
export interface XmlElement {
  ns: string;
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

export interface ParseLimits {
  /** Maximum number of elements in one document (guards against amplification). */
  maxElements: number;
  maxDepth: number;
}

export const DEFAULT_LIMITS: ParseLimits = { maxElements: 2_000_000, maxDepth: 64 };

export class XmlParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlParseError';
  }
}

/**
 * Parses XML into a light element tree with saxes (namespace-aware, non-validating).
 * DTDs are refused outright: no internal subset means no entity expansion and no external entities.
 */
export function parseXml(xml: string, limits: ParseLimits = DEFAULT_LIMITS): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: false });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let count = 0;
  let failure: Error | undefined;
  const fail = (msg: string): void => {
    if (!failure) failure = new XmlParseError(msg);
  };

  parser.on('doctype', () => fail('DOCTYPE declarations are not allowed'));
  parser.on('error', (e) => fail(`malformed XML: ${e.message}`));
  parser.on('opentag', (tag) => {
    if (failure) return;
    if (++count > limits.maxElements) return fail(`too many elements (limit ${limits.maxElements})`);
    if (stack.length >= limits.maxDepth) return fail(`nesting too deep (limit ${limits.maxDepth})`);
    const attrs: Record<string, string> = {};
    for (const [k, a] of Object.entries(tag.attributes)) {
      if (typeof a === 'object' && a.prefix !== 'xmlns' && k !== 'xmlns') attrs[a.local] = a.value;
    }
    const node: XmlElement = { ns: tag.uri ?? '', name: tag.local ?? tag.name, attrs, children: [], text: '' };
    if (stack.length === 0) {
      if (root) return fail('more than one root element');
      root = node;
    } else stack[stack.length - 1].children.push(node);
    stack.push(node);
  });
  parser.on('text', (t) => {
    if (stack.length > 0) stack[stack.length - 1].text += t;
  });
  parser.on('cdata', (t) => {
    if (stack.length > 0) stack[stack.length - 1].text += t;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  try {
    parser.write(xml);
    if (!failure) parser.close();
  } catch (e) {
    fail(`malformed XML: ${(e as Error).message}`);
  }
  if (failure) throw failure;
  if (!root) throw new XmlParseError('empty document');
  return root;
}

/** Children with the given namespace and local name. */
export function childrenOf(e: XmlElement, ns: string, name: string): XmlElement[] {
  return e.children.filter((c) => c.name === name && c.ns === ns);
}

export function child(e: XmlElement, ns: string, name: string): XmlElement | undefined {
  return e.children.find((c) => c.name === name && c.ns === ns);
}

export function childText(e: XmlElement, ns: string, name: string): string | undefined {
  const c = child(e, ns, name);
  return c === undefined ? undefined : c.text.trim();
}
