import { XmlParseError } from './errors';
import { AMP, BANG, CR, DQ, EQ, GT, HASH, LF, LOWER_X, LT, QMARK, RSQB, SEMI, SLASH, SPACE, SQ, TAB, isCharCode, isWS, PREDEFINED_ENTITIES } from './chars';


/**
 * What the tokenizer reports: attributes of a start tag (all of them, in document order, before its
 * `open`), element starts and ends (names as written, prefixes included: no namespace processing), and
 * character data (text and CDATA sections, entities and character references decoded, line ends
 * normalised). Text may come in several pieces between two tags; a handler concatenates them.
 */
export interface SaxEvents {
  attribute(name: string, value: string): void;
  open(qname: string): void;
  close1(): void;
  text(t: string): void;
}

/**
 * A strict, streaming, non-validating XML 1.0 tokenizer for SOAP answers, written for speed: markup is
 * found with indexOf, start tags without attributes and text without references take a short path, and
 * element names are interned (the same string object for the same name, so that a handler's Map lookups
 * hit a cached hash). Chunks may be split anywhere, also inside tokens and surrogate pairs.
 *
 * What it checks (well-formedness, as saxes does):
 * - every character is an XML 1.0 Char (no C0 controls but tab/CR/LF, no lone surrogates, no U+FFFE/FFFF),
 *   checked once per chunk with a regular expression;
 * - element and attribute names are XML Names (NameStartChar NameChar*; ASCII by table, the rest by the
 *   ranges of the spec); end tags match their start tags; exactly one root element; nothing but
 *   whitespace, comments and processing instructions outside it;
 * - attribute values quoted with " or ', no `<` in them, unique attribute names per tag, whitespace
 *   between attributes; values normalised (tab, CR, LF and CRLF each become one space);
 * - text: CRLF and lone CR become LF (also in CDATA sections), `]]>` is refused; references are the five
 *   predefined entities and decimal/hex character references that denote a Char; anything else is an error;
 * - comments may not contain `--`; PIs need a target, and the target `xml` (any case) is refused except as
 *   the XML declaration at the very start (after an optional byte order mark), which is checked (version
 *   1.x, then optional encoding name and standalone yes/no, in that order);
 * - a DOCTYPE is refused outright ('DOCTYPE declarations are not allowed'), so there are no other entities,
 *   no external subsets, no entity expansion;
 * - a truncated document is refused at close.
 * Differences from saxes (all on input that is not plain XML 1.0 text): an XML declaration with version
 * 1.1 is read with the XML 1.0 rules (saxes switches to XML 1.1's character and line-end rules); saxes
 * accepts `<?target?x?>` and reports a lone high surrogate followed by another character as one character,
 * this tokenizer refuses both. The encoding declaration is checked for its syntax only (the caller decodes
 * the bytes as UTF-8, as with saxes).
 *
 * Linear time on any input: a token split over chunks is carried as its pieces and searched for its end in
 * each new chunk only (never rescanned), then parsed once; only prefixes shorter than ten characters are
 * prepended to the next chunk. Errors are XmlParseError; after one the tokenizer must not be used again.
 */
export class XmlTokenizer {
  private h: SaxEvents;
  // the open elements
  private readonly stack: string[] = [];
  private depth = 0;
  private sawRoot = false;
  private rootClosed = false;
  private atStart = true;
  private bomDone = false;
  /** The last chunk ended with a high surrogate; the next must start with a low one. */
  private highPending = false;
  // a token split over chunks: its kind, its pieces (or a short prefix for the next chunk), scan state
  private kind = K_NONE;
  private carry = '';
  private readonly parts: string[] = [];
  private st = 0;
  /** Characters written before the current chunk, and the document offset of the string being parsed. */
  private seen = 0;
  private off = 0;
  // attributes of the start tag being read
  private readonly an: string[] = [];
  private readonly av: string[] = [];
  private attrSet: Set<string> | undefined;
  /** Interned element names by hash of their characters (open addressing of one: a collision replaces). */
  private readonly names: Array<string | undefined> = new Array<string | undefined>(NAMES_SIZE).fill(undefined);
  private ref = '';

  constructor(handler: SaxEvents) {
    this.h = handler;
  }

  /** The next document goes to `handler` (after a clean close, the tokenizer is ready for another). */
  setHandler(handler: SaxEvents): void {
    this.h = handler;
  }

  write(chunk: string): void {
    const n = chunk.length;
    if (n === 0) return;
    this.check(chunk);
    const kind = this.kind;
    if (kind === K_NONE) {
      this.off = this.seen;
      this.seen += n;
      this.run(chunk, 0, false);
      return;
    }
    if (kind === K_CONCAT) {
      const s = this.carry + chunk;
      this.off = this.seen - this.carry.length;
      this.seen += n;
      this.carry = '';
      this.kind = K_NONE;
      this.run(s, 0, false);
      return;
    }
    const k = this.scan(chunk, 0);
    const before = this.seen;
    this.seen += n;
    if (k < 0) {
      this.parts.push(chunk);
      return;
    }
    // an entity ends at its ';' (inclusive) or before the character that stopped it
    const e = kind === K_ENTITY && chunk.charCodeAt(k) !== SEMI ? k : k + 1;
    this.parts.push(chunk.slice(0, e));
    const token = this.parts.join('');
    this.parts.length = 0;
    this.kind = K_NONE;
    this.off = before + e - token.length;
    this.run(token, 0, true);
    if (e < n) {
      this.off = before;
      this.run(chunk, e, false);
    }
  }

  /** End of the document: final checks, then the tokenizer is reset for another. */
  close(): void {
    if (this.kind === K_CONCAT) {
      const s = this.carry;
      this.off = this.seen - s.length;
      this.carry = '';
      this.kind = K_NONE;
      this.run(s, 0, true);
    } else if (this.kind !== K_NONE) {
      this.off = this.seen;
      this.fail(`unexpected end of document (in ${KIND_NAMES[this.kind]})`, 0);
    }
    this.off = this.seen;
    if (this.highPending) this.fail('disallowed character (a lone surrogate)', 0);
    if (!this.sawRoot) this.fail('document must contain a root element', 0);
    if (this.depth > 0) this.fail(`unclosed tag: ${clip(this.stack[this.depth - 1])}`, 0);
    this.reset();
  }

  /** Forgets the document under way (after an error, or to start over). */
  reset(): void {
    this.stack.length = 0;
    this.depth = 0;
    this.sawRoot = false;
    this.rootClosed = false;
    this.atStart = true;
    this.bomDone = false;
    this.highPending = false;
    this.kind = K_NONE;
    this.carry = '';
    this.parts.length = 0;
    this.st = 0;
    this.seen = 0;
    this.off = 0;
    this.an.length = 0;
    this.av.length = 0;
    this.attrSet = undefined;
  }

  private fail(message: string, at: number): never {
    throw new XmlParseError(`malformed XML: ${message} (at character ${this.off + at})`);
  }

  /** Every character must be an XML Char: one regular expression over the chunk; surrogate pairs checked here. */
  private check(chunk: string): void {
    let i = 0;
    if (this.highPending) {
      const c = chunk.charCodeAt(0);
      if (c < 0xdc00 || c > 0xdfff) this.fail('disallowed character (a lone surrogate)', this.seen - this.off - 1);
      this.highPending = false;
      i = 1;
    }
    const re = NOT_CHAR;
    re.lastIndex = i;
    while (re.test(chunk)) {
      const k = re.lastIndex - 1;
      const c = chunk.charCodeAt(k);
      if (c >= 0xd800 && c <= 0xdbff) {
        if (k + 1 === chunk.length) {
          this.highPending = true;
          break;
        }
        const d = chunk.charCodeAt(k + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          re.lastIndex = k + 2;
          continue;
        }
      }
      this.off = this.seen;
      this.fail(c >= 0xd800 && c <= 0xdfff ? 'disallowed character (a lone surrogate)' : `disallowed character U+${c.toString(16).toUpperCase().padStart(4, '0')}`, k);
    }
  }

  /**
   * Parses `s` from `pos`. Not `final`: a token cut off by the end of `s` is carried to the next chunk.
   * `final`: `s` ends where the document does, or is one whole token; a cut-off token is an error.
   */
  private run(s: string, pos: number, final: boolean): void {
    const n = s.length;
    if (this.atStart) {
      pos = this.start(s, pos, final);
      if (pos < 0) return;
    }
    const h = this.h;
    // where the next '&', CR and "]]>" are (n: none); recomputed only once passed, so each is one scan
    let amp = -1;
    let cr = -1;
    let cd = -1;
    while (pos < n) {
      const lt = s.indexOf('<', pos);
      if (lt !== pos) {
        let end = lt < 0 ? n : lt;
        if (this.depth > 0) {
          if (amp < pos) {
            amp = s.indexOf('&', pos);
            if (amp < 0) amp = n;
          }
          if (cr < pos) {
            cr = s.indexOf('\r', pos);
            if (cr < 0) cr = n;
          }
          if (cd < pos) {
            cd = s.indexOf(']]>', pos);
            if (cd < 0) cd = n;
          }
          if (cd < end) this.fail('the string "]]>" is not allowed in text', cd);
          // text up to the end of the chunk: a trailing CR (CRLF?) or "]"/"]]" ("]]>"?) waits for the next
          if (lt < 0 && !final) {
            const c = s.charCodeAt(n - 1);
            if (c === CR) end = n - 1;
            else if (c === RSQB) end = n - 2 >= pos && s.charCodeAt(n - 2) === RSQB ? n - 2 : n - 1;
          }
          if (amp >= end && cr >= end) {
            if (end > pos) h.text(s.slice(pos, end));
          } else if (!this.slowText(s, pos, end, final)) return;
          if (lt < 0) {
            if (end < n) {
              this.kind = K_CONCAT;
              this.carry = s.slice(end);
            }
            return;
          }
        } else {
          this.outside(s, pos, end);
          if (lt < 0) return;
        }
        pos = lt;
      }
      // markup at pos
      let next = -1;
      if (pos + 1 < n) {
        const c = s.charCodeAt(pos + 1);
        if (c < 128) {
          if ((CHARS[c] & NAME_START) !== 0) next = this.startTag(s, pos, n);
          else if (c === SLASH) next = this.endTag(s, pos, n);
          else if (c === BANG) next = this.bang(s, pos, n, final);
          else if (c === QMARK) next = this.pi(s, pos, n);
          else this.fail(`disallowed character after "<": ${JSON.stringify(s[pos + 1])}`, pos + 1);
        } else {
          const r = nameStartAt(s, pos + 1, n);
          if (r > 0) next = this.startTag(s, pos, n);
          else if (r === 0) this.fail('disallowed character after "<"', pos + 1);
        }
      }
      if (next < 0) {
        if (final) this.fail('unexpected end of document', pos);
        this.carryFrom(s, pos);
        return;
      }
      pos = next;
    }
  }

  /** The start of the document: a byte order mark, the XML declaration. -1: carried to the next chunk. */
  private start(s: string, pos: number, final: boolean): number {
    const n = s.length;
    if (!this.bomDone) {
      this.bomDone = true;
      if (s.charCodeAt(pos) === 0xfeff) pos++;
    }
    if (pos >= n) return n;
    if (!final && n - pos < 6 && '<?xml'.startsWith(s.slice(pos, pos + 5))) {
      this.kind = K_CONCAT;
      this.carry = s.slice(pos);
      return -1;
    }
    if (s.startsWith('<?xml', pos) && (isWS(s.charCodeAt(pos + 5)) || s.charCodeAt(pos + 5) === QMARK)) {
      const e = s.indexOf('?>', pos + 5);
      if (e < 0) {
        if (final) this.fail('unexpected end of document (in the XML declaration)', pos);
        this.carryFrom(s, pos);
        return -1;
      }
      if (!XML_DECL.test(s.slice(pos + 5, e))) this.fail('malformed XML declaration (version 1.x, then optional encoding and standalone)', pos);
      pos = e + 2;
    }
    this.atStart = false;
    return pos;
  }

  /** Text outside the root element: whitespace only (not reported). */
  private outside(s: string, pos: number, end: number): void {
    for (let i = pos; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c !== SPACE && c !== LF && c !== TAB && c !== CR) this.fail('text outside the root element', i);
    }
  }

  /** Text with references or CRs in [pos, end). False: an unfinished reference at the end of `s` was carried. */
  private slowText(s: string, pos: number, end: number, final: boolean): boolean {
    let out = '';
    let k = pos;
    for (let i = pos; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c === AMP) {
        const e = this.reference(s, i, s.length);
        if (e < 0) {
          if (final) this.fail('unexpected end of document (in a reference)', i);
          out += s.slice(k, i);
          if (out !== '') this.h.text(out);
          this.kind = K_ENTITY;
          this.st = 0;
          this.parts.push(s.slice(i));
          return false;
        }
        out += s.slice(k, i) + this.ref;
        k = e;
        i = e - 1;
      } else if (c === CR) {
        out += `${s.slice(k, i)}\n`;
        if (s.charCodeAt(i + 1) === LF) i++;
        k = i + 1;
      }
    }
    out += s.slice(k, end);
    if (out !== '') this.h.text(out);
    return true;
  }

  /**
   * The reference at s[i] ('&'): its replacement text in this.ref, and the index after its ';'.
   * -1: `s` ends (at `lim`) before the reference does.
   */
  private reference(s: string, i: number, lim: number): number {
    let j = i + 1;
    if (j >= lim) return -1;
    if (s.charCodeAt(j) === HASH) {
      // character reference: &#[0-9]+; or &#x[0-9a-fA-F]+;
      j++;
      if (j >= lim) return -1;
      const hex = s.charCodeAt(j) === LOWER_X;
      if (hex) j++;
      const digits = j;
      let cp = 0;
      for (; j < lim; j++) {
        const c = s.charCodeAt(j);
        let v: number;
        if (c >= 48 && c <= 57) v = c - 48;
        else if (hex && c >= 97 && c <= 102) v = c - 87;
        else if (hex && c >= 65 && c <= 70) v = c - 55;
        else break;
        cp = cp * (hex ? 16 : 10) + v;
        if (cp > 0x10ffff) cp = 0x110000; // saturate: still not a Char, and no float drift on long inputs
      }
      if (j >= lim) return -1;
      if (s.charCodeAt(j) !== SEMI || j === digits) this.fail('malformed character reference', i);
      if (!isCharCode(cp)) this.fail(`character reference to a disallowed character (${clip(s.slice(i, j + 1))})`, i);
      this.ref = String.fromCodePoint(cp);
      return j + 1;
    }
    const r = nameStartAt(s, j, lim);
    if (r < 0) return -1;
    if (r === 0) this.fail('malformed reference ("&" must be escaped as &amp;)', i);
    j = nameEnd(s, j, lim);
    if (j >= lim) return -1;
    if (s.charCodeAt(j) !== SEMI) this.fail('malformed reference ("&" must be escaped as &amp;)', i);
    const name = s.slice(i + 1, j);
    const ref = Object.hasOwn(PREDEFINED_ENTITIES, name) ? PREDEFINED_ENTITIES[name] : undefined;
    if (ref === undefined) this.fail(`undefined entity &${clip(name)};`, i);
    this.ref = ref;
    return j + 1;
  }

  /** `<name ...>` or `<name .../>` at lt (its first name character checked). The index after it, or -1. */
  private startTag(s: string, lt: number, n: number): number {
    let i = lt + 1;
    let hash = 0;
    let c = 0;
    let ascii = true;
    for (;;) {
      if (i >= n) return -1;
      c = s.charCodeAt(i);
      if (c < 128) {
        if ((CHARS[c] & NAME) === 0) break;
        hash = (Math.imul(hash, 31) + c) | 0;
        i++;
      } else {
        ascii = false;
        i = nameEnd(s, i, n);
        if (i >= n) return -1;
        c = s.charCodeAt(i);
        break;
      }
    }
    const name = ascii ? this.intern(s, lt + 1, i, hash) : s.slice(lt + 1, i);
    if (c === GT) {
      this.openEl(name, lt);
      return i + 1;
    }
    if (c === SLASH) {
      if (i + 1 >= n) return -1;
      if (s.charCodeAt(i + 1) !== GT) this.fail('"/" in a start tag not followed by ">"', i);
      this.openEl(name, lt);
      this.closeEl();
      return i + 2;
    }
    if (!isWS(c)) this.fail(`disallowed character in the element name ${clip(name)}`, i);
    return this.attributes(s, i, n, name, lt);
  }

  /** The attributes of a start tag, from the whitespace after its name at `i`; then the element is opened. */
  private attributes(s: string, i: number, n: number, name: string, lt: number): number {
    const an = this.an;
    const av = this.av;
    let na = 0;
    this.attrSet = undefined;
    for (;;) {
      const ws = i;
      while (i < n && isWS(s.charCodeAt(i))) i++;
      if (i >= n) return -1;
      const c = s.charCodeAt(i);
      if (c === GT || c === SLASH) {
        if (c === SLASH) {
          if (i + 1 >= n) return -1;
          if (s.charCodeAt(i + 1) !== GT) this.fail('"/" in a start tag not followed by ">"', i);
        }
        for (let k = 0; k < na; k++) this.h.attribute(an[k], av[k]);
        an.length = 0;
        av.length = 0;
        this.openEl(name, lt);
        if (c === GT) return i + 1;
        this.closeEl();
        return i + 2;
      }
      if (i === ws) this.fail('no whitespace between attributes', i);
      const r = nameStartAt(s, i, n);
      if (r < 0) return -1;
      if (r === 0) this.fail('disallowed character in an attribute name', i);
      const a = i;
      i = nameEnd(s, i, n);
      if (i >= n) return -1;
      const attr = s.slice(a, i);
      while (i < n && isWS(s.charCodeAt(i))) i++;
      if (i >= n) return -1;
      if (s.charCodeAt(i) !== EQ) this.fail(`attribute without value: ${clip(attr)}`, i);
      i++;
      while (i < n && isWS(s.charCodeAt(i))) i++;
      if (i >= n) return -1;
      const q = s.charCodeAt(i);
      if (q !== DQ && q !== SQ) this.fail(`unquoted attribute value: ${clip(attr)}`, i);
      const b = s.indexOf(q === DQ ? '"' : "'", i + 1);
      if (b < 0) return -1;
      const value = this.attrValue(s, i + 1, b);
      if (na < 8) {
        for (let k = 0; k < na; k++) if (an[k] === attr) this.fail(`duplicate attribute: ${clip(attr)}`, a);
        if (na === 7) this.attrSet = new Set(an.slice(0, 7)).add(attr);
      } else {
        const set = this.attrSet!;
        if (set.has(attr)) this.fail(`duplicate attribute: ${clip(attr)}`, a);
        set.add(attr);
      }
      an[na] = attr;
      av[na] = value;
      na++;
      i = b + 1;
    }
  }

  /** An attribute value in s[a, b): references decoded, tab/CR/LF/CRLF each one space; `<` refused. */
  private attrValue(s: string, a: number, b: number): string {
    for (let k = a; k < b; k++) {
      const c = s.charCodeAt(k);
      if (c < EQ && (c === LT || c === AMP || c === TAB || c === LF || c === CR)) return this.attrValueSlow(s, a, b, k);
    }
    return s.slice(a, b);
  }

  private attrValueSlow(s: string, a: number, b: number, from: number): string {
    let out = '';
    let k = a;
    for (let i = from; i < b; i++) {
      const c = s.charCodeAt(i);
      if (c === LT) this.fail('"<" in an attribute value', i);
      if (c === AMP) {
        const e = this.reference(s, i, b);
        if (e < 0) this.fail('malformed reference in an attribute value', i);
        out += s.slice(k, i) + this.ref;
        k = e;
        i = e - 1;
      } else if (c === TAB || c === LF || c === CR) {
        out += `${s.slice(k, i)} `;
        if (c === CR && s.charCodeAt(i + 1) === LF) i++;
        k = i + 1;
      }
    }
    return out + s.slice(k, b);
  }

  private openEl(name: string, at: number): void {
    const d = this.depth;
    if (d === 0) {
      if (this.rootClosed) this.fail('a document may contain only one root element', at);
      this.sawRoot = true;
    }
    this.stack[d] = name;
    this.depth = d + 1;
    this.h.open(name);
  }

  private closeEl(): void {
    const d = this.depth - 1;
    this.depth = d;
    if (d === 0) this.rootClosed = true;
    this.h.close1();
  }

  /** `</name S?>` at lt, which must close the innermost open element. The index after it, or -1. */
  private endTag(s: string, lt: number, n: number): number {
    const d = this.depth;
    const i = lt + 2;
    if (d === 0) this.fail('end tag without a start tag', lt);
    const top = this.stack[d - 1];
    if (s.startsWith(top, i)) {
      let j = i + top.length;
      if (j >= n) return -1;
      let c = s.charCodeAt(j);
      if (c !== GT) {
        if (isWS(c)) {
          do j++;
          while (j < n && isWS(s.charCodeAt(j)));
          if (j >= n) return -1;
          c = s.charCodeAt(j);
        }
        if (c !== GT) this.fail(`mismatched end tag: expected </${clip(top)}>`, lt);
      }
      this.closeEl();
      return j + 1;
    }
    const gt = s.indexOf('>', i);
    if (gt < 0) return -1;
    this.fail(`mismatched end tag </${clip(s.slice(i, gt))}>: expected </${clip(top)}>`, lt);
  }

  /** `<!--`, `<![CDATA[` or `<!DOCTYPE` at lt. The index after the comment or section, or -1. */
  private bang(s: string, lt: number, n: number, final: boolean): number {
    if (s.startsWith('<!--', lt)) {
      const e = s.indexOf('--', lt + 4);
      if (e < 0 || e + 2 >= n) return -1;
      if (s.charCodeAt(e + 2) !== GT) this.fail('"--" in a comment', e);
      return e + 3;
    }
    if (s.startsWith('<![CDATA[', lt)) {
      if (this.depth === 0) this.fail('a CDATA section outside the root element', lt);
      const e = s.indexOf(']]>', lt + 9);
      if (e < 0) return -1;
      if (e > lt + 9) {
        const t = s.slice(lt + 9, e);
        this.h.text(t.indexOf('\r') < 0 ? t : t.replace(CRLF, '\n'));
      }
      return e + 3;
    }
    if (s.startsWith('<!DOCTYPE', lt)) throw new XmlParseError('DOCTYPE declarations are not allowed');
    const head = s.slice(lt, lt + 9);
    if (!final && head.length < 9 && ('<!--'.startsWith(head) || '<![CDATA['.startsWith(head) || '<!DOCTYPE'.startsWith(head))) return -1;
    this.fail(`incorrect syntax after "<!": ${JSON.stringify(head)}`, lt);
  }

  /** A processing instruction at lt (skipped). The index after it, or -1. */
  private pi(s: string, lt: number, n: number): number {
    const t = lt + 2;
    const r = nameStartAt(s, t, n);
    if (r < 0) return -1;
    if (r === 0) this.fail('processing instruction without a target', t);
    const e = nameEnd(s, t, n);
    if (e >= n) return -1;
    const target = s.slice(t, e);
    if (target.length === 3 && target.toLowerCase() === 'xml') {
      this.fail(target === 'xml' ? 'the XML declaration must be at the start of the document' : `the processing instruction target ${target} is reserved`, lt);
    }
    const c = s.charCodeAt(e);
    if (c === QMARK) {
      if (e + 1 >= n) return -1;
      if (s.charCodeAt(e + 1) !== GT) this.fail('malformed processing instruction', e);
      return e + 2;
    }
    if (!isWS(c)) this.fail('disallowed character in a processing instruction target', e);
    const end = s.indexOf('?>', e);
    return end < 0 ? -1 : end + 2;
  }

  /** Keeps the unfinished token at s[t..] for the next chunk. */
  private carryFrom(s: string, t: number): void {
    const n = s.length;
    const c0 = s.charCodeAt(t);
    let kind = K_CONCAT;
    let from = 0;
    if (c0 === AMP) {
      kind = K_ENTITY;
      from = 1;
    } else if (c0 === LT && t + 1 < n) {
      const c1 = s.charCodeAt(t + 1);
      if (c1 === SLASH) {
        kind = K_END_TAG;
        from = 2;
      } else if (c1 === QMARK) {
        kind = K_PI;
        from = 2;
      } else if (c1 === BANG) {
        if (s.startsWith('<!--', t)) {
          kind = K_COMMENT;
          from = 4;
        } else if (s.startsWith('<![CDATA[', t)) {
          kind = K_CDATA;
          from = 9;
        }
      } else if (!(c1 >= 0xd800 && c1 <= 0xdbff && t + 2 >= n)) {
        kind = K_START_TAG;
        from = 1;
      }
    }
    const rest = s.slice(t);
    if (kind === K_CONCAT) {
      if (rest.length > 9) throw new Error(`XmlTokenizer: ${rest.length} characters carried as a prefix`);
      this.kind = K_CONCAT;
      this.carry = rest;
      return;
    }
    this.kind = kind;
    this.st = 0;
    if (this.scan(rest, from) >= 0) throw new Error('XmlTokenizer: a complete token was carried');
    this.parts.push(rest);
  }

  /** The index in `c` (from `from`) where the carried token ends (its last character), or -1; keeps its state. */
  private scan(c: string, from: number): number {
    const n = c.length;
    let st = this.st;
    switch (this.kind) {
      case K_START_TAG:
        // '>' outside quoted attribute values
        for (let i = from; i < n; i++) {
          const x = c.charCodeAt(i);
          if (st !== 0) {
            if (x === st) st = 0;
          } else if (x === GT) return i;
          else if (x === DQ || x === SQ) st = x;
        }
        break;
      case K_END_TAG:
        return c.indexOf('>', from);
      case K_COMMENT:
      case K_CDATA: {
        // "-->" / "]]>": st counts the dashes / brackets just before
        const m = this.kind === K_COMMENT ? 45 : 93;
        for (let i = from; i < n; i++) {
          const x = c.charCodeAt(i);
          if (x === m) st++;
          else if (x === GT && st >= 2) return i;
          else st = 0;
        }
        break;
      }
      case K_PI:
        for (let i = from; i < n; i++) {
          const x = c.charCodeAt(i);
          if (x === QMARK) st = 1;
          else if (x === GT && st === 1) return i;
          else st = 0;
        }
        break;
      case K_ENTITY:
        for (let i = from; i < n; i++) {
          const x = c.charCodeAt(i);
          if (x === SEMI || x === LT || x === AMP) return i;
        }
        break;
      default:
        throw new Error(`XmlTokenizer: no scanner for ${this.kind}`);
    }
    this.st = st;
    return -1;
  }

  /** The interned copy of the ASCII name s[a, b) with character hash `hash`. */
  private intern(s: string, a: number, b: number, hash: number): string {
    const slot = (hash ^ (hash >>> 11)) & (NAMES_SIZE - 1);
    const names = this.names;
    const cand = names[slot];
    if (cand !== undefined && cand.length === b - a && s.startsWith(cand, a)) return cand;
    // a fresh flat copy: a slice would keep the whole chunk alive for as long as the table holds it
    const name = (' ' + s.slice(a, b)).slice(1);
    names[slot] = name;
    return name;
  }
}

// kinds of carried tokens
const K_NONE = 0;
/** A prefix of fewer than ten characters, prepended to the next chunk. */
const K_CONCAT = 1;
const K_START_TAG = 2;
const K_END_TAG = 3;
const K_COMMENT = 4;
const K_CDATA = 5;
const K_PI = 6;
const K_ENTITY = 7;
const KIND_NAMES = ['', '', 'a start tag', 'an end tag', 'a comment', 'a CDATA section', 'a processing instruction', 'a reference'];

const NAMES_SIZE = 1024;

/** Not an XML Char, or a surrogate (checked for pairing by the caller). */
// eslint-disable-next-line no-control-regex
const NOT_CHAR = /[\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/g;
const CRLF = /\r\n?/g;
const S = '[ \\t\\r\\n]';
/** What follows `<?xml` up to `?>`: VersionInfo EncodingDecl? SDDecl? S? */
const XML_DECL = new RegExp(`^${S}+version${S}*=${S}*(?:"1\\.[0-9]+"|'1\\.[0-9]+')`
  + `(?:${S}+encoding${S}*=${S}*(?:"[A-Za-z][A-Za-z0-9._-]*"|'[A-Za-z][A-Za-z0-9._-]*'))?`
  + `(?:${S}+standalone${S}*=${S}*(?:"(?:yes|no)"|'(?:yes|no)'))?${S}*$`);

const NAME_START = 1;
const NAME = 2;
/** ASCII character classes: NAME_START | NAME. */
const CHARS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_:]/.test(ch)) CHARS[c] = NAME_START | NAME;
  else if (/[0-9.-]/.test(ch)) CHARS[c] = NAME;
}



/** NameStartChar of XML 1.0 (5th edition), for a code point. */
function isNameStartCode(c: number): boolean {
  if (c < 128) return (CHARS[c] & NAME_START) !== 0;
  return (c >= 0xc0 && c <= 0xd6) || (c >= 0xd8 && c <= 0xf6) || (c >= 0xf8 && c <= 0x2ff) || (c >= 0x370 && c <= 0x37d)
    || (c >= 0x37f && c <= 0x1fff) || c === 0x200c || c === 0x200d || (c >= 0x2070 && c <= 0x218f) || (c >= 0x2c00 && c <= 0x2fef)
    || (c >= 0x3001 && c <= 0xd7ff) || (c >= 0xf900 && c <= 0xfdcf) || (c >= 0xfdf0 && c <= 0xfffd) || (c >= 0x10000 && c <= 0xeffff);
}

function isNameCode(c: number): boolean {
  if (c < 128) return (CHARS[c] & NAME) !== 0;
  return isNameStartCode(c) || c === 0xb7 || (c >= 0x300 && c <= 0x36f) || c === 0x203f || c === 0x2040;
}

/** Whether a name starts at s[i]: 1 yes, 0 no, -1 cannot tell before `lim` (a surrogate pair cut off). */
function nameStartAt(s: string, i: number, lim: number): number {
  if (i >= lim) return -1;
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff) {
    if (i + 1 >= lim) return -1;
    return isNameStartCode(0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(i + 1) - 0xdc00)) ? 1 : 0;
  }
  return isNameStartCode(c) ? 1 : 0;
}

/** The end of the name whose characters run from s[i] (`lim` if it runs to there). */
function nameEnd(s: string, i: number, lim: number): number {
  while (i < lim) {
    const c = s.charCodeAt(i);
    if (c < 128) {
      if ((CHARS[c] & NAME) === 0) return i;
      i++;
    } else if (c >= 0xd800 && c <= 0xdbff) {
      if (i + 1 >= lim) return lim;
      if (!isNameCode(0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(i + 1) - 0xdc00))) return i;
      i += 2;
    } else if (isNameCode(c)) i++;
    else return i;
  }
  return lim;
}

/** A name or value for an error message, cut short. */
function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}
