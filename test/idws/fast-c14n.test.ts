import { mulberry32 } from '../../src/emulator/seed/uuid';
import { canonical } from '../../src/wssec/dsig';
import { parseDom } from '../../src/wssec/dom';
import { canonicalString } from '../../src/wssec/fast-c14n';
import { WS } from '../../src/wssec/ns';
import { digestBody } from '../../src/wssec/stream-c14n';
import { vector } from './support';

/**
 * fast-c14n.ts against xml-crypto's ExclusiveCanonicalization over xmldom: whatever the fast reader
 * accepts it must canonicalise byte for byte the same; what it declines goes to the SAX path.
 */

const library = (xml: string): string => canonical(parseDom(xml).documentElement);
const fast = (xml: string): string | undefined => {
  const r = canonicalString(xml, new Map());
  if (r && r.end !== xml.length) throw new Error(`stopped at ${r.end} of ${xml.length}`);
  return r?.text;
};

const PREFIXES = ['', 'a', 'b', 'sd', 'xsi'];
// (no '&' or '"' in URIs: xml-crypto writes namespace values unescaped, c14n §2.3 escapes them as
// attribute values do, which is what both of our readers do)
const URIS = ['urn:1', 'urn:2', 'http://example.org/a?b=c'];

/**
 * Random well-formed documents over the constructs c14n changes: namespace declarations anywhere
 * (redundant, rebound, unused, default and `xmlns=""`), prefixed and plain attributes in any order
 * and quoting, whitespace inside tags, empty-element tags, every reference in text and attributes,
 * CR LF, and sometimes comments, CDATA or a processing instruction (which the fast reader declines).
 */
function generate(seed: number, exotic: boolean, endTagSpace: boolean): string {
  const r = mulberry32(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const textPieces = ['plain', ' ', '\n  ', '&amp;', '&lt;', '&gt;', '&quot;', '&apos;', '&#65;', '&#x1F600;', '>', ']]>x'.replace(']]>', ']] >'), '\r\n', '\r', 'æøå', '😀', '"\''];
  const attrPieces = ['v', ' ', '&amp;', '&lt;', '&gt;', '&quot;', '&#9;', '&#xA;', '&#13;', '\t', '\n', '\r\n', '>', 'æ'];
  const exoticPieces = ['<!-- c -->', '<![CDATA[<&>]]>', '<?pi x?>'];
  const esc = (s: string, q: string): string => s.replace(q === '"' ? /"/g : /'/g, q === '"' ? '&quot;' : '&apos;');
  const element = (depth: number, bound: Set<string>): string => {
    const decls: string[] = [];
    const nowBound = new Set(bound);
    const nDecl = r() < 0.4 ? Math.floor(r() * 3) + 1 : 0;
    const declared = new Set<string>();
    for (let k = 0; k < nDecl; k++) {
      const p = pick(PREFIXES);
      if (declared.has(p)) continue;
      declared.add(p);
      const uri = p === '' && r() < 0.2 ? '' : pick(URIS);
      decls.push(`${p ? `xmlns:${p}` : 'xmlns'}="${uri.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`);
      if (p && uri) nowBound.add(p);
    }
    const usable = [...nowBound].filter((p) => p !== '');
    const prefix = usable.length && r() < 0.6 ? pick(usable) : '';
    const name = `${prefix ? `${prefix}:` : ''}${pick(['e', 'f', 'Id', 'UUIDIdentifikator'])}`;
    const attrs: string[] = [];
    const seen = new Set<string>();
    for (let k = Math.floor(r() * 4); k > 0; k--) {
      const ap = usable.length && r() < 0.4 ? pick(usable) : r() < 0.1 ? 'xml' : '';
      const local = pick(['id', 'Id', 'k', 'z', 'lang']);
      const key = `${ap}:${local}`;
      // two prefixes bound to the same URI would make the same attribute twice: keep it simple
      if (seen.has(key) || (ap && [...seen].some((s) => s.endsWith(`:${local}`) && s !== `:${local}`))) continue;
      seen.add(key);
      const q = r() < 0.7 ? '"' : "'";
      let v = '';
      for (let m = Math.floor(r() * 4); m > 0; m--) v += pick(attrPieces);
      attrs.push(`${ap ? `${ap}:` : ''}${local}${r() < 0.1 ? ' = ' : '='}${q}${esc(v, q)}${q}`);
    }
    const all = [...decls, ...attrs];
    for (let k = all.length - 1; k > 0; k--) {
      const j = Math.floor(r() * (k + 1));
      [all[k], all[j]] = [all[j], all[k]];
    }
    const sep = (): string => (r() < 0.85 ? ' ' : pick(['  ', '\n', '\t', ' \r\n ']));
    const open = `<${name}${all.map((a) => sep() + a).join('')}${r() < 0.1 ? ' ' : ''}`;
    if (depth > 3 || r() < 0.2) return `${open}/>`;
    let content = '';
    for (let k = Math.floor(r() * 4); k > 0; k--) {
      const roll = r();
      if (roll < 0.45) content += element(depth + 1, nowBound);
      else if (exotic && roll < 0.52) content += pick(exoticPieces);
      else content += pick(textPieces);
    }
    return `${open}>${content}</${name}${endTagSpace && r() < 0.1 ? ' ' : ''}>`;
  };
  return element(0, new Set());
}

test('random documents: every one the fast reader accepts is canonicalised as xml-crypto does', () => {
  let accepted = 0;
  let declined = 0;
  for (let seed = 1; seed <= 3000; seed++) {
    // (no whitespace in end tags here: xmldom 0.8 misreads `</x >` after a quote in text)
    const xml = generate(seed, seed % 5 === 0, false);
    const got = fast(xml);
    if (got === undefined) {
      declined++;
      continue;
    }
    accepted++;
    const expected = library(xml);
    if (got !== expected) throw new Error(`seed ${seed}:\n${JSON.stringify(xml)}\nfast:    ${got}\nlibrary: ${expected}`);
  }
  // the generator is built to exercise the fast reader, not to be declined by it
  expect(accepted).toBeGreaterThan(2000);
  expect(declined).toBeGreaterThan(0);
});

test('random Bodies: the fast path and the SAX path give the same digest', () => {
  let fastOnes = 0;
  for (let seed = 1; seed <= 1500; seed++) {
    const xml = `<s:Envelope xmlns:s="${WS.soap}" xmlns:a="urn:2"><s:Header/><s:Body>${generate(seed, seed % 5 === 0, true)}</s:Body></s:Envelope>`;
    const outcome = (fastPath: boolean): unknown => {
      try {
        const d = digestBody(xml, { fast: fastPath });
        if (d.path === 'fast') fastOnes++;
        return [d.bodyDigest, d.bodyIds, d.fault, d.bodyId];
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect([seed, outcome(true)]).toEqual([seed, outcome(false)]);
  }
  expect(fastOnes).toBeGreaterThan(1000);
});

test.each<[string, string, string | undefined]>([
  ['namespaces moved down to their users', '<r xmlns:a="urn:a" xmlns:b="urn:b"><a:x><b:y a:k="1"/></a:x><b:z/></r>', '<r><a:x xmlns:a="urn:a"><b:y xmlns:b="urn:b" a:k="1"></b:y></a:x><b:z xmlns:b="urn:b"></b:z></r>'],
  ['a redundant declaration dropped', '<a:r xmlns:a="urn:a"><a:x xmlns:a="urn:a"/></a:r>', '<a:r xmlns:a="urn:a"><a:x></a:x></a:r>'],
  ['attributes sorted by namespace URI, then local name', '<r xmlns:z="urn:a" xmlns:a="urn:z" a:k="1" z:k="2" b="3" a="4"/>', '<r xmlns:a="urn:z" xmlns:z="urn:a" a="4" b="3" z:k="2" a:k="1"></r>'],
  ['a comment is declined', '<r><!-- x --></r>', undefined],
  ['CDATA is declined', '<r><![CDATA[x]]></r>', undefined],
  ['an unbound prefix is declined', '<a:r/>', undefined],
  ['an unknown entity is declined', '<r>&nbsp;</r>', undefined],
  ['a truncated element is declined', '<r><x></x>', undefined],
  ['a `<` in an attribute value is declined', '<r a="<"/>', undefined],
])('%s', (_name, xml, expected) => {
  expect(fast(xml)).toBe(expected);
  if (expected !== undefined) expect(expected).toBe(library(xml));
});

test('an end tag of the right length but the wrong name stays in the output (the digest then fails)', () => {
  // not well-formed: the library cannot parse it; the fast reader's output is not a canonical form of anything
  expect(fast('<ab><c></d></ab>')).toBe('<ab><c></d></ab>');
});

test.each(['sts-request.xml', 'sts-response.xml', 'service-request-signed.xml', 'service-response-signed.xml'])('KOMBIT capture %s: the Body digest is the same on both paths', (name) => {
  const xml = vector(name);
  expect(digestBody(xml).bodyDigest).toBe(digestBody(xml, { fast: false }).bodyDigest);
});

test('a large answer shaped like the local SF1500\'s is taken by the fast path', () => {
  const item = '<ns:FiltreretOejebliksbillede><ns:ObjektType><sd:UUIDIdentifikator>0b0e2bde-5e0b-4bfb-a1b5-3bf1c3b3d0e1</sd:UUIDIdentifikator></ns:ObjektType>'
    + '<ns:Registrering><sd:Tidspunkt>2020-01-01T00:00:00.000+01:00</sd:Tidspunkt><sd:Note>a &amp; b</sd:Note></ns:Registrering></ns:FiltreretOejebliksbillede>';
  const xml = `<s:Envelope xmlns:s="${WS.soap}" xmlns:u="${WS.wsu}"><s:Header/><s:Body u:Id="body"><ns:ListOutput xmlns:ns="urn:ns" xmlns:sd="urn:oio:sagdok:3.0.0">${item.repeat(2000)}</ns:ListOutput></s:Body></s:Envelope>`;
  const split = digestBody(xml);
  expect(split.path).toBe('fast');
  expect(split.bodyDigest).toBe(digestBody(xml, { fast: false }).bodyDigest);
});
