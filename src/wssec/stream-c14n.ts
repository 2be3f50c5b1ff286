import { createHash } from 'node:crypto';
import { SaxesParser, type SaxesAttributeNS, type SaxesTagNS } from 'saxes';
import { XmlSecurityError } from './dom';
import { canonicalElement, escAttr, escText, HashSink } from './fast-c14n';
import { isIdName, WS } from './ns';

/**
 * The SOAP Body's exclusive canonical form (W3C exc-c14n 1.0, without comments), digested, and the
 * envelope without the Body's content for the DOM checks. Two paths: the fast one reads the headers
 * with saxes and the Body off the text (fast-c14n.ts); whatever that leaves alone goes through saxes
 * token by token (below), which is authoritative.
 *
 * Why by hand: xmldom builds a full DOM of the answer at ~10 KB/ms before xml-crypto can
 * canonicalise it, which made a 500-object List answer (1.8 MB) cost ~200 ms to verify. saxes
 * (already the client's parser) streams the same bytes about five times faster. The output is held
 * to xml-crypto's ExclusiveCanonicalization by differential tests (test/idws/stream-c14n.test.ts) on
 * KOMBIT's captures, every local SF1500 answer shape and hostile namespace/escaping cases.
 */

export interface SplitEnvelope {
  /** The envelope up to the end of its Header, then the Body start tag as an empty element: for the DOM checks. */
  headerXml: string;
  /** The Body's Id (wsu:Id), if any, and the SHA-256 (base64) of the Body's exclusive canonical form. */
  bodyId?: string;
  bodyDigest: string;
  /** Every Id/ID/id value inside the Body (the Body's own excluded): a duplicate elsewhere is wrapping. */
  bodyIds: string[];
  /** The Body holds a soap:Fault (answers callers read whole). */
  fault: boolean;
  /** Which reader digested the Body: fast-c14n.ts, or saxes for what that leaves to it. */
  path: 'fast' | 'sax';
}

const XMLNS = 'http://www.w3.org/2000/xmlns/';

/** Rendered namespace context of the output ancestors: prefix ('' = default) → URI. */
type Rendered = Map<string, string>;

function startTag(tag: SaxesTagNS, rendered: Rendered): { text: string; rendered: Rendered } {
  const attrs = Object.values(tag.attributes as Record<string, SaxesAttributeNS>).filter((a) => a.uri !== XMLNS && a.name !== 'xmlns');
  const used = new Map<string, string>();
  used.set(tag.prefix, tag.uri);
  for (const a of attrs) if (a.prefix && a.prefix !== 'xml') used.set(a.prefix, a.uri);
  let next = rendered;
  const decls: Array<[string, string]> = [];
  for (const [prefix, uri] of used) {
    const current = rendered.get(prefix) ?? '';
    if (current === uri) continue;
    if (prefix !== '' && uri === '') continue;
    decls.push([prefix, uri]);
    if (next === rendered) next = new Map(rendered);
    next.set(prefix, uri);
  }
  decls.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  attrs.sort((a, b) => (a.uri === b.uri ? (a.local < b.local ? -1 : a.local > b.local ? 1 : 0) : a.uri < b.uri ? -1 : 1));
  let text = `<${tag.name}`;
  for (const [prefix, uri] of decls) text += prefix ? ` xmlns:${prefix}="${escAttr(uri)}"` : ` xmlns="${escAttr(uri)}"`;
  for (const a of attrs) text += ` ${a.name}="${escAttr(a.value)}"`;
  return { text: `${text}>`, rendered: next };
}

const idOf = (tag: SaxesTagNS): string | undefined => {
  for (const a of Object.values(tag.attributes as Record<string, SaxesAttributeNS>)) if (isIdName(a.local)) return a.value;
  return undefined;
};

/** Splits a SOAP 1.2 envelope and digests its Body; malformed or unexpected structure is refused. */
export function digestBody(raw: string, opts: { fast?: boolean } = {}): SplitEnvelope {
  return (opts.fast !== false ? fastDigestBody(raw) : undefined) ?? saxDigestBody(raw);
}

/** Thrown from a saxes handler to stop at the Body's start tag (the parser is then dropped). */
const AT_BODY = Symbol('at body');

/**
 * The fast path: saxes reads the envelope up to the Body's start tag (the headers, a few KB, get its
 * full checks), and fast-c14n.ts digests the Body from the text. Undefined when the Body or what
 * follows it uses anything the fast reader leaves to the SAX path.
 */
/** saxes as both paths use it: namespaces, positions, no DOCTYPE. */
function envelopeParser(): SaxesParser<{ xmlns: true; position: true }> {
  const parser = new SaxesParser({ xmlns: true, position: true });
  parser.on('doctype', () => {
    throw new XmlSecurityError('DOCTYPE is not allowed');
  });
  return parser;
}

const checkEnvelope = (tag: SaxesTagNS): void => {
  if (tag.uri !== WS.soap || tag.local !== 'Envelope') throw new XmlSecurityError('not a SOAP 1.2 envelope');
};

function fastDigestBody(raw: string): SplitEnvelope | undefined {
  const parser = envelopeParser();
  let depth = 0;
  let topChildren = 0;
  let headerEnd = -1;
  let envelope: SaxesTagNS | undefined;
  let body: SaxesTagNS | undefined;
  let bodyTagEnd = -1;
  parser.on('opentag', (tag) => {
    depth++;
    if (depth === 1) {
      checkEnvelope(tag);
      envelope = tag;
      headerEnd = parser.position;
    } else if (depth === 2) {
      topChildren++;
      if (tag.uri === WS.soap && tag.local === 'Body') {
        body = tag;
        bodyTagEnd = parser.position;
        throw AT_BODY;
      }
      if (!(tag.uri === WS.soap && tag.local === 'Header' && topChildren === 1)) throw new XmlSecurityError('SOAP Envelope must hold exactly a Header and a Body');
    }
  });
  parser.on('processinginstruction', () => undefined);
  parser.on('closetag', () => {
    if (depth === 2) headerEnd = parser.position;
    depth--;
  });
  try {
    parser.write(raw).close();
  } catch (e) {
    if (e !== AT_BODY) return undefined; // the SAX path explains it
  }
  if (!envelope || !body) return undefined;
  // '<' cannot occur inside a start tag, so the last one before its end is where it begins
  const bodyStart = raw.lastIndexOf('<', bodyTagEnd - 1);
  const scope = new Map(Object.entries(envelope.ns));
  const hash = createHash('sha256');
  const sink = new HashSink(hash);
  const r = canonicalElement(raw, bodyStart, scope, sink);
  if (!r) return undefined;
  // only whitespace and the Envelope's end tag may follow
  if (!new RegExp(`^\\s*</${envelope.name.replace(/[.]/g, '\\.')}\\s*>\\s*$`).test(raw.slice(r.end))) return undefined;
  sink.flush();
  const bodyTag = `<${body.name}${Object.values(body.attributes as Record<string, SaxesAttributeNS>).map((a) => ` ${a.name}="${escAttr(a.value)}"`).join('')}/>`;
  return {
    headerXml: `${raw.slice(0, headerEnd)}${bodyTag}</${envelope.name}>`,
    bodyId: idOf(body),
    bodyDigest: hash.digest('base64'),
    bodyIds: r.ids,
    fault: r.children.some((c) => c.uri === WS.soap && c.local === 'Fault'),
    path: 'fast',
  };
}

/** The authoritative path: every token of the envelope through saxes, the Body re-emitted canonically. */
function saxDigestBody(raw: string): SplitEnvelope {
  const parser = envelopeParser();
  const hash = createHash('sha256');
  let out: string[] = [];
  let outLength = 0;
  const emit = (s: string): void => {
    out.push(s);
    outLength += s.length;
    if (outLength > 65_536) {
      hash.update(out.join(''), 'utf8');
      out = [];
      outLength = 0;
    }
  };
  let depth = 0;
  let headerEnd = -1;
  let envelopeName = '';
  let bodyTag = '';
  let bodyId: string | undefined;
  const bodyIds: string[] = [];
  let inBody = false;
  let bodyDone = false;
  let fault = false;
  let topChildren = 0;
  const stack: Rendered[] = [];
  parser.on('opentag', (tag) => {
    depth++;
    if (depth === 1) {
      checkEnvelope(tag);
      envelopeName = tag.name;
      headerEnd = parser.position;
      return;
    }
    if (depth === 2) {
      topChildren++;
      const isHeader = tag.uri === WS.soap && tag.local === 'Header' && topChildren === 1;
      const isBody = tag.uri === WS.soap && tag.local === 'Body' && !bodyDone && !inBody;
      if (!isHeader && !isBody) throw new XmlSecurityError('SOAP Envelope must hold exactly a Header and a Body');
      if (isBody) {
        inBody = true;
        bodyId = idOf(tag);
        bodyTag = `<${tag.name}${Object.values(tag.attributes as Record<string, SaxesAttributeNS>).map((a) => ` ${a.name}="${escAttr(a.value)}"`).join('')}/>`;
        const s = startTag(tag, new Map());
        stack.push(s.rendered);
        emit(s.text);
      }
      return;
    }
    if (!inBody) return;
    if (depth === 3 && tag.uri === WS.soap && tag.local === 'Fault') fault = true;
    // every Id-like attribute, as dom.ts idIndex and fast-c14n.ts count them
    for (const a of Object.values(tag.attributes as Record<string, SaxesAttributeNS>)) if (isIdName(a.local)) bodyIds.push(a.value);
    const s = startTag(tag, stack[stack.length - 1]);
    stack.push(s.rendered);
    emit(s.text);
  });
  parser.on('text', (t) => {
    if (inBody && depth >= 2) emit(escText(t));
  });
  parser.on('cdata', (t) => {
    if (inBody) emit(escText(t));
  });
  parser.on('processinginstruction', () => {
    // xml-crypto cannot canonicalise processing instructions either: refused in both verifiers.
    if (inBody) throw new XmlSecurityError('processing instructions in the Body are not supported');
  });
  parser.on('closetag', (tag) => {
    if (inBody) {
      stack.pop();
      emit(`</${tag.name}>`);
      if (depth === 2) {
        inBody = false;
        bodyDone = true;
      }
    } else if (depth === 2 && !bodyDone) {
      headerEnd = parser.position;
    }
    depth--;
  });
  try {
    parser.write(raw).close();
  } catch (e) {
    if (e instanceof XmlSecurityError) throw e;
    throw new XmlSecurityError(`unreadable XML: ${(e as Error).message}`);
  }
  if (!bodyDone) throw new XmlSecurityError('SOAP Body is missing');
  if (out.length) hash.update(out.join(''), 'utf8');
  return { headerXml: `${raw.slice(0, headerEnd)}${bodyTag}</${envelopeName}>`, bodyId, bodyDigest: hash.digest('base64'), bodyIds, fault, path: 'sax' };
}
