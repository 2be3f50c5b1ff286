import { SaxesParser, type SaxesTagNS } from 'saxes';
import { XmlParseError } from './errors';

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

export { XmlParseError };

/** Thrown through saxes to stop at the first failure (the failure itself is kept on the builder). */
const STOP = Object.freeze({ stop: true });

/**
 * Builds one element tree at a time; reused across calls (saxes resets itself on close). Long-lived
 * handlers keep V8's optimized saxes code valid: fresh closures per call make it deoptimize again and
 * again, which also slowed the streaming mapper (sf1500/mapping/) sharing saxes in the process.
 */
class TreeBuilder {
  // Keep to six handlers: with xmlns:true a seventh turns the parser object into dictionary mode
  // (V8), which makes every saxes property access slow (the whole parse about 2x slower).
  readonly parser = new SaxesParser({ xmlns: true, position: false });
  private stack: XmlElement[] = [];
  private top: XmlElement | undefined;
  private root: XmlElement | undefined;
  private count = 0;
  private limits: ParseLimits = DEFAULT_LIMITS;
  private failure: Error | undefined;

  constructor() {
    const p = this.parser;
    p.on('doctype', () => this.fail('DOCTYPE declarations are not allowed'));
    p.on('error', (e) => this.fail(`malformed XML: ${e.message}`));
    p.on('opentag', (tag) => this.open(tag));
    p.on('text', (t) => {
      if (this.top !== undefined) this.top.text += t;
    });
    p.on('cdata', (t) => {
      if (this.top !== undefined) this.top.text += t;
    });
    p.on('closetag', () => {
      const stack = this.stack;
      stack.pop();
      this.top = stack.length > 0 ? stack[stack.length - 1] : undefined;
    });
  }

  private fail(msg: string): never {
    if (!this.failure) this.failure = new XmlParseError(msg);
    throw STOP;
  }

  private open(tag: SaxesTagNS): void {
    const limits = this.limits;
    if (++this.count > limits.maxElements) this.fail(`too many elements (limit ${limits.maxElements})`);
    if (this.stack.length >= limits.maxDepth) this.fail(`nesting too deep (limit ${limits.maxDepth})`);
    const attrs: Record<string, string> = {};
    // for-in, not Object.entries: no array per tag (most tags have no attributes)
    const all = tag.attributes;
    for (const k in all) {
      const a = all[k];
      if (a.prefix !== 'xmlns' && k !== 'xmlns') attrs[a.local] = a.value;
    }
    const node: XmlElement = { ns: tag.uri, name: tag.local, attrs, children: [], text: '' };
    if (this.top === undefined) {
      if (this.root) this.fail('more than one root element');
      this.root = node;
    } else this.top.children.push(node);
    this.stack.push(node);
    this.top = node;
  }

  /** Parses one document; a builder that failed must not be used again (saxes is mid-document). */
  parse(xml: string, limits: ParseLimits): XmlElement {
    this.limits = limits;
    try {
      this.parser.write(xml);
      this.parser.close();
    } catch (e) {
      if (e !== STOP && !this.failure) this.failure = new XmlParseError(`malformed XML: ${(e as Error).message}`);
    }
    if (this.failure) throw this.failure;
    const root = this.root;
    if (!root) throw new XmlParseError('empty document');
    // ready for the next document; keep no reference to this one
    this.root = this.top = undefined;
    this.count = 0;
    return root;
  }
}

let idle: TreeBuilder | undefined;

/**
 * Parses XML into a light element tree with saxes (namespace-aware, non-validating).
 * DTDs are refused outright: no internal subset means no entity expansion and no external entities.
 * The first failure stops the parse (nothing after it could change the outcome).
 */
export function parseXml(xml: string, limits: ParseLimits = DEFAULT_LIMITS): XmlElement {
  const b = idle ?? new TreeBuilder();
  idle = undefined;
  const root = b.parse(xml, limits); // throws: the builder is dropped
  idle = b;
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
