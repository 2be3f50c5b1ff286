import { AMP, BANG, COLON, DQ, EQ, GT, HASH, isCharCode, isWS, LOWER_X, LT, PREDEFINED_ENTITIES, QMARK, SLASH, SPACE, SQ } from '../xml/chars';
import { isIdName } from './ns';

/**
 * Exclusive XML canonicalisation (W3C exc-c14n 1.0, without comments, no InclusiveNamespaces) of
 * one element, read straight from the message text: what is already canonical is passed on as raw
 * slices, and only the pieces c14n changes (namespace declarations moved to where they are used,
 * attribute order and quoting, `<a/>`, escapes) are rewritten.
 *
 * Why by hand: a signed SF1500 answer is up to 2 MB, and its digest is checked before the client
 * reads it. Re-emitting every token through a SAX parser (stream-c14n.ts) costs ~30 ms per MB;
 * answers are mostly canonical already, so scanning for the few places that are not and hashing
 * the rest as it is costs a few ms (bench/idws.ts). No library on npm digests a subtree this way.
 *
 * It handles a strict subset of XML: elements, attributes, text with entity and character
 * references. Anything else (comments, CDATA, processing instructions, `<` or unknown references in
 * attribute values, unbound prefixes, an end tag of another length than its start tag, a truncated
 * element) returns undefined and the caller falls back to the authoritative SAX path, which
 * canonicalises or refuses it. Names and end tags of the right length are not checked character by
 * character: what is passed on as it is stays in the output, so a malformed one makes the output
 * something no signer's canonical form can equal. So this never has to be right about malformed
 * input, only about what it accepts: the tests hold it equal to xml-crypto's
 * ExclusiveCanonicalization and to the SAX path (test/idws/fast-c14n.test.ts).
 */

/** In-scope namespaces: prefix ('' = default) → URI. */
export type NsScope = ReadonlyMap<string, string>;

/** Receives the canonical form in pieces. */
export interface C14nSink {
  push(s: string): void;
}

export interface CanonicalElement {
  /** Index just after the element's end tag. */
  end: number;
  /** Values of Id/ID/id attributes (any prefix) of the element's descendants, in document order. */
  ids: string[];
  /** Namespace URI and local name of each child element. */
  children: Array<{ uri: string; local: string }>;
  /** The element's own Id/ID/id attribute, if any. */
  id?: string;
}

const XML_NS = 'http://www.w3.org/XML/1998/namespace';

export const escText = (s: string): string => (/[&<>\r]/.test(s) ? s.replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#xD;')) : s);
const ATTR_ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '"': '&quot;', '\t': '&#x9;', '\n': '&#xA;', '\r': '&#xD;' };
export const escAttr = (s: string): string => (/[&<"\t\n\r]/.test(s) ? s.replace(/[&<"\t\n\r]/g, (c) => ATTR_ESC[c]) : s);


/** Replaces entity and character references; undefined for an unknown or malformed one. */
function decodeRefs(s: string): string | undefined {
  let out = '';
  let from = 0;
  for (let amp = s.indexOf('&'); amp >= 0; amp = s.indexOf('&', from)) {
    const semi = s.indexOf(';', amp);
    if (semi < 0 || semi - amp > 10) return undefined;
    const ref = s.slice(amp + 1, semi);
    let ch: string | undefined;
    if (ref.charCodeAt(0) === HASH) {
      const code = ref.charCodeAt(1) === LOWER_X ? (/^x[0-9a-fA-F]+$/.test(ref.slice(1)) ? parseInt(ref.slice(2), 16) : NaN) : (/^[0-9]+$/.test(ref.slice(1)) ? parseInt(ref.slice(1), 10) : NaN);
      // XML Char only; the SAX path is the one to explain a bad reference
      if (!isCharCode(code)) return undefined;
      ch = String.fromCodePoint(code);
    } else {
      ch = Object.hasOwn(PREDEFINED_ENTITIES, ref) ? PREDEFINED_ENTITIES[ref] : undefined;
    }
    if (ch === undefined) return undefined;
    out += s.slice(from, amp) + ch;
    from = semi + 1;
  }
  return out + s.slice(from);
}

/** Text content as the parser reports it: line ends normalised to LF, references decoded. */
function decodeText(raw: string): string | undefined {
  const lf = raw.indexOf('\r') >= 0 ? raw.replace(/\r\n?/g, '\n') : raw;
  return lf.indexOf('&') >= 0 ? decodeRefs(lf) : lf;
}

/** An attribute value as the parser reports it: literal whitespace normalised to spaces, references decoded. */
function decodeAttr(raw: string): string | undefined {
  const ws = /[\t\n\r]/.test(raw) ? raw.replace(/\r\n|[\t\n\r]/g, ' ') : raw;
  return ws.indexOf('&') >= 0 ? decodeRefs(ws) : ws;
}


interface Attr {
  qname: string;
  local: string;
  uri: string;
  value: string;
}

const byUriLocal = (a: Attr, b: Attr): number => (a.uri === b.uri ? (a.local < b.local ? -1 : a.local > b.local ? 1 : 0) : a.uri < b.uri ? -1 : 1);

/**
 * Namespace state while reading: one slot per prefix ('' = default), holding the URI in scope and
 * the URI the output ancestors rendered, with an undo log for end tags.
 */
class Namespaces {
  private readonly slots = new Map<string, number>();
  readonly prefixes: string[] = [];
  readonly inScope: Array<string | undefined> = [];
  readonly rendered: string[] = [];
  private readonly undo: Array<number | string | undefined> = [];
  private readonly close: string[] = [];
  private readonly closeUri: Array<string | undefined> = [];
  private last = 0;

  constructor(private readonly outer: NsScope) {}

  slot(prefix: string): number {
    let s = this.slots.get(prefix);
    if (s === undefined) {
      s = this.prefixes.length;
      this.slots.set(prefix, s);
      this.prefixes.push(prefix);
      this.inScope.push(prefix === '' ? (this.outer.get('') ?? '') : this.outer.get(prefix));
      this.rendered.push('');
    }
    return s;
  }

  /** The slot of the prefix `xml[from, from + len)`, compared in place (no slice per tag). */
  slotAt(xml: string, from: number, len: number): number {
    const ps = this.prefixes;
    // the last one found first: siblings and children mostly share a prefix
    for (let i = 0, q = this.last; i < ps.length; i++, q = q + 1 === ps.length ? 0 : q + 1) {
      const p = ps[q];
      if (p.length !== len) continue;
      let k = 0;
      while (k < len && p.charCodeAt(k) === xml.charCodeAt(from + k)) k++;
      if (k === len) return (this.last = q);
    }
    return (this.last = this.slot(xml.slice(from, from + len)));
  }

  /** ` xmlns:p="uri">` for a slot and URI: what a rewritten start tag without attributes gains. */
  declarationClose(slot: number, uri: string): string {
    if (this.closeUri[slot] !== uri) {
      const p = this.prefixes[slot];
      this.closeUri[slot] = uri;
      this.close[slot] = p ? ` xmlns:${p}="${escAttr(uri)}">` : ` xmlns="${escAttr(uri)}">`;
    }
    return this.close[slot];
  }

  get mark(): number {
    return this.undo.length;
  }

  declare(slot: number, uri: string): void {
    this.undo.push(0, slot, this.inScope[slot]);
    this.inScope[slot] = uri;
  }

  render(slot: number, uri: string): void {
    this.undo.push(1, slot, this.rendered[slot]);
    this.rendered[slot] = uri;
  }

  /** c14n renders the prefix of `slot` on this element: visibly used, and not rendered above with this URI. */
  needsRendering(slot: number, uri: string): boolean {
    return this.rendered[slot] !== uri && (uri !== '' || this.prefixes[slot] === '');
  }

  rewind(mark: number): void {
    const u = this.undo;
    while (u.length > mark) {
      const old = u.pop();
      const slot = u.pop() as number;
      if (u.pop() === 0) this.inScope[slot] = old as string | undefined;
      else this.rendered[slot] = old as string;
    }
  }
}

const byPrefix = (a: [string, string], b: [string, string]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/**
 * Canonicalises the element whose start tag begins at `xml[start]` (in a document where `scope` is
 * in force at its parent) into `sink`. Returns undefined, having pushed an unspecified prefix, when
 * the element uses anything this reader leaves to the SAX path.
 */
export function canonicalElement(xml: string, start: number, scope: NsScope, sink: C14nSink): CanonicalElement | undefined {
  const n = xml.length;
  if (xml.charCodeAt(start) !== LT) return undefined;
  const ns = new Namespaces(scope);
  // open elements: where each name starts in the text, its length, and the namespace undo mark
  const starts: number[] = [];
  const lens: number[] = [];
  const marks: number[] = [];
  const ids: string[] = [];
  const children: Array<{ uri: string; local: string }> = [];
  let ownId: string | undefined;
  // raw text from `run` on is canonical and not yet pushed
  let run = start;
  let pos = start;
  // next positions of characters that are rare in an answer, found once and reused until passed
  let nextAmp = -2;
  let nextCr = -2;
  let nextSp = -2;
  let nextNl = -2;
  let nextTab = -2;
  const flushTo = (end: number): void => {
    if (end > run) sink.push(xml.slice(run, end));
  };

  for (;;) {
    const lt = xml.indexOf('<', pos);
    if (lt < 0) return undefined;
    // the first '>' after the text, when the text has none: the end of the tag at `lt`
    let tagEnd = -1;
    if (lt > pos) {
      // text: canonical unless it holds a reference, a '>' or a CR
      if (nextAmp !== -1 && nextAmp < pos) nextAmp = xml.indexOf('&', pos);
      if (nextCr !== -1 && nextCr < pos) nextCr = xml.indexOf('\r', pos);
      const gt = xml.indexOf('>', pos);
      tagEnd = gt;
      if ((nextAmp >= 0 && nextAmp < lt) || (nextCr >= 0 && nextCr < lt) || (gt >= 0 && gt < lt)) {
        const text = decodeText(xml.slice(pos, lt));
        if (text === undefined) return undefined;
        flushTo(pos);
        sink.push(escText(text));
        run = lt;
      }
    }
    const c1 = xml.charCodeAt(lt + 1);
    if (c1 === SLASH) {
      const depth = lens.length - 1;
      if (depth < 0) return undefined;
      const len = lens[depth];
      let j = lt + 2 + len;
      // An end tag of the right length is passed on as it is, without comparing its name: a wrong
      // one makes the output ill-formed, so it cannot equal the signer's canonical form and the
      // digest fails (and the client's parser refuses the answer anyway). Only a rewritten end tag
      // is compared, since the rewrite would hide the difference.
      if (xml.charCodeAt(j) !== GT) {
        const name = xml.substr(starts[depth], len);
        if (!xml.startsWith(name, lt + 2)) return undefined;
        while (j < n && isWS(xml.charCodeAt(j))) j++;
        if (xml.charCodeAt(j) !== GT || j === lt + 2 + len) return undefined;
        flushTo(lt);
        sink.push(`</${name}>`);
        run = j + 1;
      }
      pos = j + 1;
      starts.pop();
      lens.pop();
      const mark = marks.pop()!;
      if (ns.mark > mark) ns.rewind(mark);
      if (depth === 0) {
        flushTo(pos);
        return { end: pos, ids, children, id: ownId };
      }
      continue;
    }
    if (c1 === BANG || c1 === QMARK) return undefined; // comment, CDATA, DOCTYPE, PI: the SAX path

    // The common case, no attributes (no whitespace before the '>'): canonical unless its prefix
    // has to be rendered here. The name is not checked character by character: a malformed one
    // passes into the output as it is, which then cannot be anyone's canonical form.
    const gt = tagEnd > lt ? tagEnd : xml.indexOf('>', lt);
    if (gt < 0) return undefined;
    if (nextSp !== -1 && nextSp < lt) nextSp = xml.indexOf(' ', lt);
    if (nextNl !== -1 && nextNl < lt) nextNl = xml.indexOf('\n', lt);
    if (nextTab !== -1 && nextTab < lt) nextTab = xml.indexOf('\t', lt);
    if (nextCr !== -1 && nextCr < lt) nextCr = xml.indexOf('\r', lt);
    if (xml.charCodeAt(gt - 1) !== SLASH && gt > lt + 1 && !(nextSp >= 0 && nextSp < gt) && !(nextNl >= 0 && nextNl < gt)
      && !(nextTab >= 0 && nextTab < gt) && !(nextCr >= 0 && nextCr < gt)) {
      let k = lt + 1;
      while (k < gt && xml.charCodeAt(k) !== COLON) k++;
      const slot = k === gt ? ns.slotAt(xml, lt + 1, 0) : ns.slotAt(xml, lt + 1, k - lt - 1);
      const uri = ns.inScope[slot];
      // unbound, or the reserved prefixes: the SAX path says what is wrong
      if (uri === undefined || k === lt + 1) return undefined;
      const mark = ns.mark;
      if (ns.needsRendering(slot, uri)) {
        ns.render(slot, uri);
        flushTo(gt);
        sink.push(ns.declarationClose(slot, uri));
        run = gt + 1;
      }
      if (lens.length === 1) children.push({ uri, local: xml.slice(k === gt ? lt + 1 : k + 1, gt) });
      starts.push(lt + 1);
      lens.push(gt - lt - 1);
      marks.push(mark);
      pos = gt + 1;
      continue;
    }

    // any other start tag: read it in full
    let i = lt + 1;
    for (; i < n; i++) {
      const c = xml.charCodeAt(i);
      if (c === GT || c === SLASH || isWS(c)) break;
      if (c === LT || c === DQ || c === SQ || c === EQ || c === AMP) return undefined;
    }
    if (i === lt + 1 || i >= n) return undefined;
    const name = xml.slice(lt + 1, i);
    const colon = name.indexOf(':');
    if (colon === 0 || name.indexOf(':', colon + 1) >= 0) return undefined;
    const slot = ns.slot(colon < 0 ? '' : name.slice(0, colon));
    const local = colon < 0 ? name : name.slice(colon + 1);
    let canon = true;
    let selfClose = false;
    let attrs: Attr[] | undefined;
    let decls: Array<[string, string]> | undefined;
    let afterDecls = false;
    for (;;) {
      let c = xml.charCodeAt(i);
      if (c === GT) {
        i++;
        break;
      }
      if (c === SLASH) {
        if (xml.charCodeAt(i + 1) !== GT) return undefined;
        i += 2;
        selfClose = true;
        canon = false;
        break;
      }
      if (!isWS(c)) return undefined; // attributes need whitespace between them
      if (c !== SPACE || isWS(xml.charCodeAt(i + 1))) canon = false;
      while (i < n && isWS(xml.charCodeAt(i))) i++;
      c = xml.charCodeAt(i);
      if (c === GT || c === SLASH) {
        canon = false;
        continue;
      }
      const aStart = i;
      for (; i < n; i++) {
        c = xml.charCodeAt(i);
        if (c === EQ || isWS(c)) break;
        if (c === GT || c === SLASH || c === LT || c === DQ || c === SQ || c === AMP) return undefined;
      }
      const qname = xml.slice(aStart, i);
      if (!qname) return undefined;
      if (isWS(c)) {
        canon = false;
        while (i < n && isWS(xml.charCodeAt(i))) i++;
      }
      if (xml.charCodeAt(i) !== EQ) return undefined;
      i++;
      if (isWS(xml.charCodeAt(i))) {
        canon = false;
        while (i < n && isWS(xml.charCodeAt(i))) i++;
      }
      const q = xml.charCodeAt(i);
      if (q !== DQ && q !== SQ) return undefined;
      if (q === SQ) canon = false;
      const vEnd = xml.indexOf(q === DQ ? '"' : "'", i + 1);
      if (vEnd < 0) return undefined;
      const rawValue = xml.slice(i + 1, vEnd);
      if (rawValue.indexOf('<') >= 0) return undefined;
      let value = rawValue;
      if (/[&\t\n\r]/.test(rawValue)) {
        const v = decodeAttr(rawValue);
        if (v === undefined) return undefined;
        value = v;
      }
      if (canon && escAttr(value) !== rawValue) canon = false;
      i = vEnd + 1;
      if (qname === 'xmlns' || qname.startsWith('xmlns:')) {
        const prefix = qname.length === 5 ? '' : qname.slice(6);
        // undeclaring a prefix, or binding xml/xmlns: the SAX path says what is wrong
        if ((prefix !== '' && value === '') || prefix === 'xml' || prefix === 'xmlns' || prefix.indexOf(':') >= 0) return undefined;
        if (afterDecls) canon = false;
        (decls ??= []).push([prefix, value]);
      } else {
        afterDecls = true;
        const colon = qname.indexOf(':');
        if (colon === 0 || qname.indexOf(':', colon + 1) >= 0) return undefined;
        // `uri` holds the prefix until the declarations are in
        (attrs ??= []).push({ qname, local: colon < 0 ? qname : qname.slice(colon + 1), uri: colon < 0 ? '' : qname.slice(0, colon), value });
      }
    }

    const mark = ns.mark;
    if (decls) {
      for (let k = 1; k < decls.length && canon; k++) if (!(decls[k - 1][0] < decls[k][0])) canon = false;
      decls.sort(byPrefix);
      for (let k = 0; k < decls.length; k++) {
        if (k > 0 && decls[k][0] === decls[k - 1][0]) return undefined; // declared twice
        ns.declare(ns.slot(decls[k][0]), decls[k][1]);
      }
    }
    const uri = ns.inScope[slot];
    if (uri === undefined) return undefined;
    // visibly utilised prefixes: the element's own, then its attributes'
    const used: number[] = [slot];
    if (attrs) {
      for (const a of attrs) {
        if (a.uri === '') continue;
        if (a.uri === 'xml') {
          a.uri = XML_NS;
          continue;
        }
        if (a.uri === 'xmlns') return undefined;
        const slot = ns.slot(a.uri);
        const u = ns.inScope[slot];
        if (u === undefined) return undefined;
        a.uri = u;
        if (!used.includes(slot)) used.push(slot);
      }
      for (const a of attrs) {
        if (!isIdName(a.local)) continue;
        if (lens.length === 0) ownId ??= a.value;
        else ids.push(a.value);
      }
      const raw = attrs.slice();
      attrs.sort(byUriLocal);
      for (let k = 0; k < attrs.length; k++) {
        if (k > 0 && byUriLocal(attrs[k], attrs[k - 1]) === 0) return undefined; // the same attribute twice
        if (canon && attrs[k] !== raw[k]) canon = false;
      }
    }
    // the declarations c14n renders here
    const out: Array<[string, string]> = [];
    for (const slot of used) {
      const u = ns.inScope[slot]!;
      if (ns.needsRendering(slot, u)) out.push([ns.prefixes[slot], u]);
    }
    if (out.length > 1) out.sort(byPrefix);
    if (canon) {
      const have = decls ?? [];
      if (have.length !== out.length) canon = false;
      else for (let k = 0; k < out.length && canon; k++) if (have[k][0] !== out[k][0]) canon = false;
    }
    for (const [p, u] of out) ns.render(ns.slot(p), u);
    if (lens.length === 1) children.push({ uri, local });

    if (!canon) {
      flushTo(lt);
      let tag = `<${name}`;
      for (const [p, u] of out) tag += p ? ` xmlns:${p}="${escAttr(u)}"` : ` xmlns="${escAttr(u)}"`;
      if (attrs) for (const a of attrs) tag += ` ${a.qname}="${escAttr(a.value)}"`;
      sink.push(selfClose ? `${tag}></${name}>` : `${tag}>`);
      run = i;
    }
    pos = i;
    if (selfClose) {
      ns.rewind(mark);
      if (lens.length === 0) {
        flushTo(pos);
        return { end: pos, ids, children, id: ownId };
      }
    } else {
      starts.push(lt + 1);
      lens.push(name.length);
      marks.push(mark);
    }
  }
}

/** Batches small pieces into one hash update per ~64 KB; large raw runs go straight in. */
export class HashSink implements C14nSink {
  private pieces: string[] = [];
  private length = 0;

  constructor(private readonly hash: { update(s: string, enc: 'utf8'): unknown }) {}

  push(s: string): void {
    if (s.length >= 16_384) {
      this.flush();
      this.hash.update(s, 'utf8');
      return;
    }
    this.pieces.push(s);
    this.length += s.length;
    if (this.length >= 65_536) this.flush();
  }

  flush(): void {
    if (this.pieces.length === 0) return;
    this.hash.update(this.pieces.length === 1 ? this.pieces[0] : this.pieces.join(''), 'utf8');
    this.pieces = [];
    this.length = 0;
  }
}

/** Collects the canonical form as one string (small elements: headers, SignedInfo). */
export function canonicalString(xml: string, scope: NsScope, start = 0): { text: string; end: number } | undefined {
  const pieces: string[] = [];
  const r = canonicalElement(xml, start, scope, { push: (s) => pieces.push(s) });
  return r && { text: pieces.join(''), end: r.end };
}
