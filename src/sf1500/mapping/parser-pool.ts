import { XmlTokenizer, type SaxEvents } from '../../xml/tokenizer';

export type { SaxEvents };

/**
 * Tokenizers (src/xml/tokenizer.ts) reused from response to response: a clean close resets one, and
 * its table of interned element names stays warm (the same few hundred names on every answer).
 * A tokenizer that threw, or whose response was given up, is left mid-document and never returned.
 */
const POOL: XmlTokenizer[] = [];
const POOL_MAX = 8;

/** A tokenizer reporting to `mapper`, from the pool when one is free. */
export function acquireParser(mapper: SaxEvents): XmlTokenizer {
  const p = POOL.pop();
  if (p === undefined) return new XmlTokenizer(mapper);
  p.setHandler(mapper);
  return p;
}

/** Back to the pool after a clean close (closing reset it). */
export function releaseParser(p: XmlTokenizer): void {
  p.setHandler(DETACHED);
  if (POOL.length < POOL_MAX) POOL.push(p);
}

/** The handler of a pooled tokenizer: keeps no mapper (and its response) alive. */
const DETACHED: SaxEvents = {
  attribute: () => undefined,
  open: () => undefined,
  close1: () => undefined,
  text: () => undefined,
};
