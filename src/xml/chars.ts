/**
 * Character codes the XML readers compare against (`s.charCodeAt(i) === LT`): one set of names for the
 * client's tokenizer (tokenizer.ts) and the canonicaliser that reads signed messages (wssec/fast-c14n.ts).
 */
export const TAB = 9;
export const LF = 10;
export const CR = 13;
export const SPACE = 32;
export const BANG = 33;
export const DQ = 34;
export const HASH = 35;
export const AMP = 38;
export const SQ = 39;
export const DASH = 45;
export const SLASH = 47;
export const COLON = 58;
export const SEMI = 59;
export const LT = 60;
export const EQ = 61;
export const GT = 62;
export const QMARK = 63;
export const RSQB = 93;
export const LOWER_X = 120;

/** XML's white space (S): space, tab, LF, CR. */
export const isWS = (c: number): boolean => c === SPACE || c === LF || c === TAB || c === CR;

/** A code point XML 1.0 allows as a character (the Char production). */
export function isCharCode(cp: number): boolean {
  return cp === TAB || cp === LF || cp === CR || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/** The five entities XML predefines (no DTD is read, so no other exists), by name. */
export const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
