import { SaxesParser, type SaxesAttributePlain, type SaxesTagPlain } from 'saxes';
import { XmlParseError } from '../../xml/reader';

/** What a pooled parser's handlers forward to: the mapper that holds the parser. */
export interface SaxEvents {
  attribute(name: string, value: string): void;
  open(qname: string): void;
  close1(): void;
  text(t: string): void;
}

/**
 * A saxes parser and its handlers, reused from response to response (saxes resets itself on close).
 * The handlers forward to whichever mapper holds the parser. Why: V8 optimizes saxes' code for the
 * handler functions it sees; with fresh closures per response that code is thrown away again and
 * again ("weak objects" deopts) and, once parseXml had run in the same process, mapping was measured
 * about 3x slower for good. Long-lived handlers keep it fast.
 */
export interface PooledParser {
  parser: SaxesParser<{ xmlns: false; position: false }>;
  mapper: SaxEvents | undefined;
}
const POOL: PooledParser[] = [];
const POOL_MAX = 8;

function createParser(): PooledParser {
  const parser = new SaxesParser({ xmlns: false, position: false });
  const e: PooledParser = { parser, mapper: undefined };
  // Six handlers at most: more turn the saxes parser into a dictionary-mode object (V8), about
  // 2x slower (xmlns:false tolerates seven, xmlns:true six).
  parser.on('doctype', () => {
    throw new XmlParseError('DOCTYPE declarations are not allowed');
  });
  parser.on('attribute', (a: SaxesAttributePlain) => e.mapper!.attribute(a.name, a.value));
  parser.on('opentag', (t: SaxesTagPlain) => e.mapper!.open(t.name));
  parser.on('closetag', () => e.mapper!.close1());
  parser.on('text', (t: string) => e.mapper!.text(t));
  parser.on('cdata', (t: string) => e.mapper!.text(t));
  return e;
}

/** A parser for `mapper`, from the pool when one is free. */
export function acquireParser(mapper: SaxEvents): PooledParser {
  const p = POOL.pop() ?? createParser();
  p.mapper = mapper;
  return p;
}

/** Back to the pool after a clean close (closing reset the parser); a parser that threw is never returned. */
export function releaseParser(p: PooledParser): void {
  p.mapper = undefined;
  if (POOL.length < POOL_MAX) POOL.push(p);
}
