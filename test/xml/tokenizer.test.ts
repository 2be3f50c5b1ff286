/**
 * src/xml/tokenizer.ts against saxes (xmlns off, as the mapper ran it): the same events on generated
 * well-formed documents fed in random chunks (names, attribute name/value pairs in order, the text
 * between two tags concatenated), the same verdict on malformed ones (a corpus, every truncation of a
 * document, random one-character mutations), and linear time on hostile input.
 */
import { SaxesParser } from 'saxes';
import { mulberry32 } from '../../src/emulator/seed/uuid';
import { XmlParseError } from '../../src/xml/errors';
import { XmlTokenizer, type SaxEvents } from '../../src/xml/tokenizer';

// ---------- recording the events of either parser ----------

type Ev = ['a', string, string] | ['o', string] | ['c'] | ['t', string];

class Recorder implements SaxEvents {
  readonly events: Ev[] = [];
  private t = '';
  private depth = 0;
  private flush(): void {
    if (this.t !== '') this.events.push(['t', this.t]);
    this.t = '';
  }
  attribute(name: string, value: string): void {
    this.flush();
    this.events.push(['a', name, value]);
  }
  open(qname: string): void {
    this.flush();
    this.events.push(['o', qname]);
    this.depth++;
  }
  close1(): void {
    this.flush();
    this.events.push(['c']);
    this.depth--;
  }
  /** Text outside the root element (whitespace saxes reports) is not compared. */
  text(t: string): void {
    if (this.depth > 0) this.t += t;
  }
  end(): Ev[] {
    this.flush();
    return this.events;
  }
}

type Outcome = { ok: true; events: Ev[] } | { ok: false; error: Error };

function viaSaxes(xml: string): Outcome {
  const r = new Recorder();
  const p = new SaxesParser({ xmlns: false, position: false });
  p.on('doctype', () => {
    throw new Error('DOCTYPE');
  });
  p.on('attribute', (a) => r.attribute(a.name, a.value));
  p.on('opentag', (t) => r.open(t.name));
  p.on('closetag', () => r.close1());
  p.on('text', (t) => r.text(t));
  p.on('cdata', (t) => r.text(t));
  try {
    p.write(xml).close();
    return { ok: true, events: r.end() };
  } catch (e) {
    return { ok: false, error: e as Error };
  }
}

function viaTokenizer(chunks: string[]): Outcome {
  const r = new Recorder();
  const t = new XmlTokenizer(r);
  try {
    for (const c of chunks) t.write(c);
    t.close();
    return { ok: true, events: r.end() };
  } catch (e) {
    return { ok: false, error: e as Error };
  }
}

// ---------- a seeded generator of well-formed documents ----------

class Gen {
  constructor(readonly r: () => number) {}
  int(n: number): number {
    return Math.floor(this.r() * n);
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)];
  }
  ws(min = 0): string {
    let s = '';
    const n = min + this.int(3);
    for (let i = 0; i < n; i++) s += this.pick([' ', ' ', '\t', '\n', '\r\n', '\r']);
    return s;
  }
}

const NAMES = ['a', 'b', 'item', 'sd:UUIDIdentifikator', 'orgenhed:Registrering', 'x:y', '_u', 'n.m-1', 'æble', 'Ærø', 'A\u{10000}b', 'ñ·x', 'Ω', ':c', 'v2', 'A'.repeat(40)];
const ATTR_NAMES = ['id', 'xmlns', 'xmlns:sd', 'xml:lang', 'b', 'c-d', 'e.f', 'ø', 'g_h', 'x:id', 'i1', 'j', 'k', 'l', 'm', 'n'];
const TEXT_PIECES = [
  'hello', ' ', 'Nybæk Kommune', '2016-01-01T00:00:00.000+01:00', '34a755a5-5ac9-4bf4-ae4d-e79c910f8aca', '\n', '\t', '\r\n', '\r', '\r\r\n',
  '>', ']', ']]', 'a]b', '"', "'", '&amp;', '&lt;', '&gt;', '&quot;', '&apos;', '&#65;', '&#x41;', '&#x1F600;', '&#128512;', '&#228;', '&#xe6;',
  '&#10;', '&#13;', '&#9;', '&#x0000041;', 'æøå ÆØÅ', '😀', '\u{10FFFF}', '\uFEFF', 'ab\u00a0cd', '=', '/', '?', '!', '-', '--',
];
const ATTR_PIECES = [
  'v', ' ', '\t', '\n', '\r\n', '\r', 'urn:oio:sagdok:3.0.0', '>', '&amp;', '&lt;', '&gt;', '&quot;', '&apos;', '&#9;', '&#10;', '&#13;', '&#x20;',
  '&#x1F600;', 'æøå', '😀', '/', '=', '?', ']]>', '--',
];

function genText(g: Gen, max = 5): string {
  let s = '';
  const n = g.int(max + 1);
  for (let i = 0; i < n; i++) s += g.pick(TEXT_PIECES);
  return s.replace(/]]>/g, ']]&gt;');
}

function genAttrValue(g: Gen, q: string): string {
  let s = '';
  const n = g.int(5);
  for (let i = 0; i < n; i++) s += g.pick([...ATTR_PIECES, q === '"' ? "'" : '"']);
  return s;
}

function genMisc(g: Gen): string {
  switch (g.int(6)) {
    case 0:
      return `<!--${genText(g).replace(/&/g, '').replace(/-+/g, '-').replace(/-$/, '')}-->`;
    case 1:
      return `<?${g.pick(['pi', 'xml-stylesheet', 'x.y', 'ø'])}${g.pick(['', ` ${genText(g).replace(/\?>/g, '')}`])}?>`;
    default:
      return g.ws();
  }
}

function genElement(g: Gen, depth: number): string {
  const name = g.pick(NAMES);
  let tag = `<${name}`;
  const nAttrs = g.r() < 0.05 ? 12 : g.int(4);
  const used = new Set<string>();
  for (let i = 0; i < nAttrs; i++) {
    let a = g.pick(ATTR_NAMES);
    if (used.has(a)) a = `${a}${i}`;
    if (used.has(a)) continue;
    used.add(a);
    const q = g.pick(['"', "'"]);
    tag += `${g.ws(1)}${a}${g.ws()}=${g.ws()}${q}${genAttrValue(g, q)}${q}`;
  }
  tag += g.ws();
  if (g.r() < 0.2) return `${tag}/>`;
  let content = '';
  const n = depth > 5 ? 0 : g.int(5);
  for (let i = 0; i < n; i++) {
    switch (g.int(6)) {
      case 0:
      case 1:
        content += genElement(g, depth + 1);
        break;
      case 2:
        content += `<![CDATA[${genText(g).replace(/]]>/g, '')}<&]]]>`.replace(/]]>(?=.)/g, '');
        break;
      case 3:
        content += genMisc(g);
        break;
      default:
        content += genText(g);
    }
  }
  if (g.r() < 0.3) content += genText(g);
  return `${tag}>${content}</${name}${g.ws()}>`;
}

function genDocument(g: Gen): string {
  let s = '';
  if (g.r() < 0.2) s += '\uFEFF';
  if (g.r() < 0.6) s += g.pick(['<?xml version="1.0"?>', `<?xml version='1.0' encoding='UTF-8'?>`, '<?xml version="1.0" encoding="utf-8" standalone="yes" ?>', '<?xml\tversion = "1.0"\r\n?>']);
  s += genMisc(g) + genMisc(g);
  s += genElement(g, 0);
  s += genMisc(g) + genMisc(g);
  return s;
}

/** `s` cut at random places: anywhere, also inside tokens and surrogate pairs. */
function split(g: Gen, s: string, mode: number): string[] {
  if (mode === 0) return [s];
  if (mode === 1) return [...s.split('')]; // every UTF-16 unit alone
  const out: string[] = [];
  for (let i = 0; i < s.length;) {
    const n = 1 + g.int(mode === 2 ? 4 : 40);
    out.push(s.slice(i, i + n));
    i += n;
  }
  return out;
}

function expectSameOutcome(xml: string, chunks: string[]): void {
  const a = viaSaxes(xml);
  const b = viaTokenizer(chunks);
  if (!a.ok) throw new Error(`saxes rejects a generated document (${a.error.message}): ${JSON.stringify(xml)}`);
  if (!b.ok) throw new Error(`the tokenizer rejects a document saxes reads (${b.error.message}): ${JSON.stringify(xml)}`);
  expect(b.events).toEqual(a.events);
}

// ---------- well-formed documents ----------

describe('generated well-formed documents: the same events as saxes', () => {
  test.each([1, 2, 3, 4, 5, 6, 7, 8])('seed %i: 150 documents, whole and in random chunks', (seed) => {
    const g = new Gen(mulberry32(seed));
    for (let i = 0; i < 150; i++) {
      const xml = genDocument(g);
      for (const mode of [0, 2, 3]) expectSameOutcome(xml, split(g, xml, mode));
      if (i % 10 === 0) expectSameOutcome(xml, split(g, xml, 1));
    }
  });

  test('what the events look like', () => {
    const r = viaTokenizer(['\uFEFF<?xml version="1.0"?>\r\n<!-- c --><a:b x="1 &amp;\t2" y=\'"\'><c>t&#x41;&lt;\r\nu<![CDATA[<&\r]]></c><d/></a:b>\n']);
    expect(r).toEqual({ ok: true, events: [['a', 'x', '1 & 2'], ['a', 'y', '"'], ['o', 'a:b'], ['o', 'c'], ['t', 'tA<\nu<&\n'], ['c'], ['o', 'd'], ['c'], ['c']] });
  });

  test('a reused tokenizer: every document after a clean close', () => {
    const g = new Gen(mulberry32(99));
    const r = new Recorder();
    const t = new XmlTokenizer(r);
    const expected: Ev[] = [];
    for (let i = 0; i < 50; i++) {
      const xml = genDocument(g);
      const a = viaSaxes(xml);
      if (!a.ok) throw a.error;
      expected.push(...a.events);
      for (const c of split(g, xml, 3)) t.write(c);
      t.close();
    }
    expect(r.end()).toEqual(expected);
  });
});

// ---------- malformed documents ----------

const OK = '<?xml version="1.0" encoding="UTF-8"?><s:E xmlns:s="urn:s"><s:B a="1" b=\'2\'>text &amp; more<x/><![CDATA[c]]><!-- c --><?p i?></s:B></s:E>';

/** Rejected by both, with XmlParseError from ours. */
const MALFORMED: Array<[string, string]> = [
  ['empty', ''],
  ['whitespace only', ' \n '],
  ['text only', 'Service Unavailable'],
  ['a comment only', '<!-- x -->'],
  ['truncated in a start tag', '<a><b x="1"'],
  ['truncated in text', '<a>abc'],
  ['truncated in an end tag', '<a></a'],
  ['truncated in a comment', '<a/><!-- x'],
  ['truncated in CDATA', '<a><![CDATA[x'],
  ['truncated in a PI', '<a/><?p x'],
  ['truncated in a reference', '<a>&am'],
  ['truncated in the XML declaration', '<?xml version="1.0"'],
  ['unclosed', '<a><b></b>'],
  ['mismatched', '<a><b></a></b>'],
  ['mismatched by prefix', '<a></ab>'],
  ['mismatched, longer', '<ab></a>'],
  ['end tag alone', '</a>'],
  ['empty end tag', '<a></></a>'],
  ['two roots', '<a/><b/>'],
  ['text before the root', 'x<a/>'],
  ['text after the root', '<a/>x'],
  ['a reference after the root', '<a/>&amp;'],
  ['CDATA outside the root', '<![CDATA[x]]><a/>'],
  ['space after <', '< a/>'],
  ['bad name start', '<1a/>'],
  ['bad name start (non-ASCII)', '<·a/>'],
  ['bad name character', '<a$b/>'],
  ['bad character in an end tag', '<a></a$>'],
  ['junk after the name in an end tag', '<r><a></a x></r>'],
  ['junk after whitespace in an end tag', '<r><a></a $></r>'],
  ['"<" in text as a tag', '<a>1 < 2</a>'],
  ['"<" in an attribute value', '<a x="<"/>'],
  ['unquoted attribute value', '<a x=1/>'],
  ['attribute without value', '<a x/>'],
  ['attribute without "="', '<a x "1"/>'],
  ['duplicate attribute', '<a x="1" x="2"/>'],
  ['duplicate attribute among many', `<a ${Array.from({ length: 20 }, (_, i) => `a${i}="${i}"`).join(' ')} a13="x"/>`],
  ['no whitespace between attributes', '<a x="1"y="2"/>'],
  ['unterminated attribute value', '<a x="1/>'],
  ['"/" not followed by ">"', '<a/ >'],
  ['bare "&"', '<a>a & b</a>'],
  ['"&" in an attribute', '<a x="a & b"/>'],
  ['undefined entity', '<a>&nbsp;</a>'],
  ['empty reference', '<a>&;</a>'],
  ['reference without ";"', '<a>&amp</a>'],
  ['character reference without digits', '<a>&#;</a>'],
  ['hex reference without digits', '<a>&#x;</a>'],
  ['bad hex digit', '<a>&#xG;</a>'],
  ['upper-case X', '<a>&#X41;</a>'],
  ['reference to NUL', '<a>&#0;</a>'],
  ['reference to a C0 control', '<a>&#x1;</a>'],
  ['reference to a surrogate', '<a>&#xD800;</a>'],
  ['reference to U+FFFE', '<a>&#xFFFE;</a>'],
  ['reference beyond U+10FFFF', '<a>&#x110000;</a>'],
  ['very long reference number', `<a>&#${'9'.repeat(400)};</a>`],
  ['"]]>" in text', '<a>x]]>y</a>'],
  ['"--" in a comment', '<a><!-- a -- b --></a>'],
  ['comment ending in "-"', '<a><!-- a ---></a>'],
  ['unknown markup', '<a><!FOO></a>'],
  ['DOCTYPE', '<!DOCTYPE a><a/>'],
  ['DOCTYPE with entities', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'],
  ['XML declaration not at the start', ' <?xml version="1.0"?><a/>'],
  ['XML declaration after the root', '<a/><?xml version="1.0"?>'],
  ['XML declaration without version', '<?xml encoding="UTF-8"?><a/>'],
  ['XML declaration, bad version', '<?xml version="2.0"?><a/>'],
  ['XML declaration, bad encoding name', '<?xml version="1.0" encoding="8bit"?><a/>'],
  ['XML declaration, bad standalone', '<?xml version="1.0" standalone="maybe"?><a/>'],
  ['XML declaration, wrong order', '<?xml version="1.0" standalone="yes" encoding="UTF-8"?><a/>'],
  ['XML declaration, unquoted', '<?xml version=1.0?><a/>'],
  ['PI target xml in the document', '<a><?xml x?></a>'],
  ['PI target XML', '<a><?XML x?></a>'],
  ['PI without target', '<a><? x?></a>'],
  ['NUL character', '<a>\u0000</a>'],
  ['C0 control', '<a>\u0001</a>'],
  ['C0 control in a name', '<a\u0002/>'],
  ['C0 control in an attribute', '<a x="\u001f"/>'],
  ['C0 control in a comment', '<a><!--\u0007--></a>'],
  ['U+FFFE', '<a>\uFFFE</a>'],
  ['U+FFFF', '<a>\uFFFF</a>'],
  ['lone low surrogate', '<a>\uDC00</a>'],
  ['lone high surrogate at the end', '<a/>\uD800'],
  ['BOM after the start', ' \uFEFF<a/>'],
  ['a second BOM', '\uFEFF\uFEFF<a/>'],
];

describe('malformed documents: refused by both', () => {
  test.each(MALFORMED)('%s', (_name, xml) => {
    const a = viaSaxes(xml);
    expect(a.ok).toBe(false);
    for (const chunks of [[xml], xml.split(''), [xml.slice(0, 3), xml.slice(3)]]) {
      const b = viaTokenizer(chunks);
      expect(b.ok).toBe(false);
      expect((b as { error: Error }).error).toBeInstanceOf(XmlParseError);
    }
  });

  test('the DOCTYPE error says so, split or not', () => {
    for (const chunks of [['<!DOCTYPE a><a/>'], ['<!DOC', 'TYPE a><a/>'], '<?xml version="1.0"?>\n<!DOCTYPE a><a/>'.split('')]) {
      const b = viaTokenizer(chunks);
      expect(b.ok).toBe(false);
      expect((b as { error: Error }).error.message).toBe('DOCTYPE declarations are not allowed');
    }
  });

  test('errors name what is wrong and where', () => {
    const b = viaTokenizer(['<a><b></a>']);
    expect((b as { error: Error }).error.message).toBe('malformed XML: mismatched end tag </a>: expected </b> (at character 6)');
    const c = viaTokenizer(['<a>', 'x &nbsp;</a>']);
    expect((c as { error: Error }).error.message).toBe('malformed XML: undefined entity &nbsp; (at character 5)');
  });

  test('every truncation of a document: the same verdict as saxes', () => {
    for (const xml of [OK, `\uFEFF${OK}`, '<a x="1">t&#x1F600;<![CDATA[]]]]><!---->\r\n<?p?></a> ']) {
      for (let i = 0; i <= xml.length; i++) {
        const cut = xml.slice(0, i);
        const a = viaSaxes(cut);
        const b = viaTokenizer(split(new Gen(mulberry32(i)), cut, 2));
        expect([i, b.ok]).toEqual([i, a.ok]);
        if (a.ok && b.ok) expect(b.events).toEqual(a.events);
      }
    }
  });

  /** Where saxes is laxer than the XML spec; the tokenizer follows the spec. */
  test.each([
    ['a PI with "?" right after its target', '<a><?t?x?></a>'],
    ['a lone high surrogate before another character', '<a>\uD800x</a>'],
  ])('stricter than saxes: %s', (_name, xml) => {
    expect(viaSaxes(xml).ok).toBe(true);
    expect(viaTokenizer([xml]).ok).toBe(false);
  });

  test('random one-character mutations of generated documents: the same verdict as saxes', () => {
    const g = new Gen(mulberry32(2024));
    const specials = ['<', '>', '&', ';', '"', "'", '/', '=', '!', '?', '-', '[', ']', ' ', 'x', '#', '\r', ':', '\u0001'];
    let rejected = 0;
    let total = 0;
    for (let d = 0; d < 150; d++) {
      const doc = genDocument(g);
      for (let m = 0; m < 10; m++) {
        const at = g.int(doc.length + 1);
        const op = g.int(3);
        let xml = op === 0 ? doc.slice(0, at) + doc.slice(at + 1) : doc.slice(0, at) + g.pick(specials) + doc.slice(op === 1 ? at : at + 1);
        // keep clear of saxes' known laxness (above) and of surrogate halves cut by the mutation
        if (/<\?[^\s?>]+\?[^>]/.test(xml) || /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(xml)) xml = doc;
        const a = viaSaxes(xml);
        const b = viaTokenizer(split(g, xml, 3));
        total++;
        if (!a.ok) rejected++;
        if (a.ok !== b.ok) throw new Error(`saxes ${a.ok ? 'accepts' : `rejects (${a.error.message})`}, the tokenizer ${b.ok ? 'accepts' : `rejects (${b.error.message})`}: ${JSON.stringify(xml)}`);
        if (a.ok && b.ok) expect(b.events).toEqual(a.events);
      }
    }
    expect(rejected).toBeGreaterThan(total / 4);
  });
});

// ---------- hostile input: linear time, no crash ----------

describe('hostile input: linear time', () => {
  const M = 1 << 20;
  /** Writes `xml` in chunks of `size` and returns the milliseconds taken (the outcome is checked by the caller). */
  function timed(xml: string, size: number, expectOk: boolean): number {
    const t = new XmlTokenizer({ attribute: () => undefined, open: () => undefined, close1: () => undefined, text: () => undefined });
    const start = performance.now();
    let ok = true;
    try {
      for (let i = 0; i < xml.length; i += size) t.write(xml.slice(i, i + size));
      t.close();
    } catch (e) {
      expect(e).toBeInstanceOf(XmlParseError);
      ok = false;
    }
    expect(ok).toBe(expectOk);
    return performance.now() - start;
  }

  // each 1 MiB, fed one character at a time (a million chunks); quadratic work would take hours
  test.each([
    ['a huge attribute value', `<a x="${'v'.repeat(M)}"/>`, true],
    ['a huge attribute value with quotes of the other kind and ">"', `<a x="${"'>".repeat(M / 2)}"/>`, true],
    ['huge text', `<a>${'t'.repeat(M)}</a>`, true],
    ['huge text of "]"', `<a>${']'.repeat(M)}</a>`, true],
    ['huge text of CRs', `<a>${'\r'.repeat(M)}</a>`, true],
    ['a huge comment', `<a><!--${'- '.repeat(M / 2)}--></a>`, true],
    ['a huge CDATA section', `<a><![CDATA[${'] '.repeat(M / 2)}]]></a>`, true],
    ['a huge PI', `<a><?p ${'? '.repeat(M / 2)}?></a>`, true],
    ['a huge element name', `<${'n'.repeat(M)}></${'n'.repeat(M)}>`, true],
    ['a huge character reference', `<a>&#${'0'.repeat(M)}65;</a>`, true],
    ['many tiny elements', `<a>${'<b/>'.repeat(M / 4)}</a>`, true],
    ['many references', `<a>${'&amp;'.repeat(M / 5)}</a>`, true],
    ['many attributes', `<a ${Array.from({ length: M / 16 }, (_, i) => `a${i}="1"`).join(' ')}/>`, true],
    ['deep nesting', `${'<a>'.repeat(M / 8)}${'</a>'.repeat(M / 8)}`, true],
    ['a huge XML declaration', `<?xml${' '.repeat(M)}version="1.0"${' \r\n'.repeat(M / 3)}?><a/>`, true],
    ['a huge XML declaration without a version', `<?xml${' '.repeat(M)}?><a/>`, false],
    ['huge whitespace around the root', `${' \n'.repeat(M / 2)}<a/>${'\r\n'.repeat(M / 2)}`, true],
    ['an unterminated attribute value', `<a x="${'v'.repeat(M)}`, false],
    ['an unterminated comment', `<a><!--${'-'.repeat(M)}`, false],
  ] as const)('%s, one character per chunk', (_name, xml, ok) => {
    const ms = timed(xml, 1, ok);
    expect(ms).toBeLessThan(20_000);
    // and whole: same outcome
    timed(xml, xml.length, ok);
  });
});
