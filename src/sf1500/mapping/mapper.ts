import { StringDecoder } from 'node:string_decoder';
import { SaxesParser, type SaxesAttributePlain, type SaxesTagPlain } from 'saxes';
import { AKTOER_TYPE_KODER, LIVSCYKLUS } from '../../model/domain';
import type { AktoerTypeKode, Egenskab, LabelRef, Livscyklus, Objekt, Ref, Registrering, Relation, StandardRetur, Tilstand, Virkning } from '../../model/domain';
import { NS } from '../../model/namespaces';
import { HIERARCHY_LISTS, OBJECT_TYPES } from '../../model/objects';
import type { AttributeSpec, ObjectTypeName, ObjectTypeSpec, RelationSpec } from '../../model/types';
import { DEFAULT_LIMITS, XmlParseError, type ParseLimits } from '../../xml/reader';
import { SoapFaultError } from '../../oio/envelope';
import { WireError } from '../../oio/errors';

/**
 * Streaming response mapper: turns a SOAP 1.2 answer of the read operations (LaesOutput, ListOutput,
 * FremsoegObjekthierarkiOutput) straight into domain values on saxes events, without building an
 * element tree. A state machine driven by the object type specs (attributes, state, relations)
 * decides per element what it is; everything it does not know is skipped as a whole subtree.
 *
 * Equivalent to `parseEnvelope` + `readStandardRetur` + `readObjekt` on well-formed answers (same
 * domain shapes, same "first child wins" reading, same lowercase UUIDs), with lighter validation:
 * - namespaces are resolved here from `xmlns`/`xmlns:*` declarations (saxes runs with xmlns:false,
 *   which is several times cheaper); any prefixes and default namespaces the server chooses work;
 *   unbound prefixes are reported for the elements the mapper reads (not inside skipped subtrees);
 * - unknown elements (LokalUdvidelse, extensions, unexpected children) are skipped, not rejected;
 * - xs:dateTime values are checked by pattern only, and FraTidspunkt <= TilTidspunkt is not checked;
 * - UUIDs, enumerations (LivscyklusKode, AktoerTypeKode, state values), lengths and patterns of
 *   attribute values, multiplicities and required elements are checked as the codec does.
 * Errors: XmlParseError (not XML, DTD, wrong envelope, limits), SoapFaultError (a Fault), and a
 * WireError for malformed object content, which is returned in `error` (not thrown) so that the
 * caller can look at StandardRetur first, as the tree path does.
 */

/** What to map: object lists of one type (Laes/List), or the six OrganisationSystem hierarchy lists. */
export type MapPlan = { kind: 'objects'; type: ObjectTypeName } | { kind: 'hierarchy' };

export interface MappedResponse {
  transactionUuid?: string;
  /** Namespace and local name of the body element (e.g. `LaesOutput`). */
  body: { ns: string; name: string };
  /** The body's StandardRetur, or the WireError reading it raised (missing, StatusKode not an integer). */
  standardRetur: StandardRetur | WireError;
  /** Objects per type: for `objects` the plan's type; for `hierarchy` all six types, in wire order. */
  lists: Map<ObjectTypeName, Objekt[]>;
  /** First malformed object content; `lists` are then incomplete. */
  error?: WireError;
}

// ---------- element symbols: (namespace, local name) -> small integer ----------

const SYMBOLS = new Map<string, number>();
const symKey = (ns: string, local: string): string => `${ns}\u0001${local}`; // U+0001 cannot occur in XML 1.0 text
function sym(ns: string, local: string): number {
  const k = symKey(ns, local);
  let y = SYMBOLS.get(k);
  if (y === undefined) {
    y = SYMBOLS.size + 1;
    SYMBOLS.set(k, y);
  }
  return y;
}

const sd = (local: string): number => sym(NS.sd, local);
const Y_ENVELOPE = sym(NS.soap12, 'Envelope');
const Y_HEADER = sym(NS.soap12, 'Header');
const Y_BODY = sym(NS.soap12, 'Body');
const Y_FAULT = sym(NS.soap12, 'Fault');
const Y_CODE = sym(NS.soap12, 'Code');
const Y_VALUE = sym(NS.soap12, 'Value');
const Y_REASON = sym(NS.soap12, 'Reason');
const Y_TEXT = sym(NS.soap12, 'Text');
const Y_REQUESTHEADER = sym(NS.hdr, 'RequestHeader');
const Y_TXUUID = sym(NS.hdr, 'TransactionUUID');
const Y_STANDARDRETUR = sd('StandardRetur');
const Y_STATUSKODE = sd('StatusKode');
const Y_FEJLBESKED = sd('FejlbeskedTekst');
const Y_UUID = sd('UUIDIdentifikator');
const Y_URN = sd('URNIdentifikator');
const Y_LABEL = sd('Label');
const Y_VIRKNING = sd('Virkning');
const Y_FRA = sd('FraTidspunkt');
const Y_TIL = sd('TilTidspunkt');
const Y_TIDSSTEMPEL = sd('TidsstempelDatoTid');
const Y_GRAENSE = sd('GraenseIndikator');
const Y_AKTOERREF = sd('AktoerRef');
const Y_AKTOERTYPE = sd('AktoerTypeKode');
const Y_NOTE = sd('NoteTekst');
const Y_TIDSPUNKT = sd('Tidspunkt');
const Y_LIVSCYKLUS = sd('LivscyklusKode');
const Y_BRUGERREF = sd('BrugerRef');
const Y_REFERENCEID = sd('ReferenceID');
const Y_ROLLE = sd('Rolle');
const Y_TYPE = sd('Type');
const Y_INDEKS = sd('Indeks');
const Y_ORGSYS_FOB = sym(NS.orgsys, 'FiltreretOejebliksbillede');

/** One object type compiled for the mapper: its element symbols and lookups by symbol. */
interface CompiledSpec {
  spec: ObjectTypeSpec;
  fob: number;
  objektType: number;
  registrering: number;
  attributListe: number;
  tilstandListe: number;
  relationListe: number;
  egenskab: number;
  attrSyms: Map<number, number>;
  /** Structured attributes (Soegeord): child symbols in `a.children` order. */
  attrChildren: Array<number[] | undefined>;
  stateEl: number;
  stateValue: number;
  relSyms: Map<number, number>;
}

const nsOfAttr = (spec: ObjectTypeSpec, ns: AttributeSpec['ns'] | 'fael'): string =>
  ns === 'sd' ? NS.sd : ns === 'sts' ? NS.sts : ns === 'fael' ? NS.fael : spec.namespace;

function compile(spec: ObjectTypeSpec): CompiledSpec {
  const own = (local: string): number => sym(spec.namespace, local);
  const st = spec.state;
  return {
    spec,
    fob: own('FiltreretOejebliksbillede'),
    objektType: own('ObjektType'),
    registrering: own('Registrering'),
    attributListe: own('AttributListe'),
    tilstandListe: own('TilstandListe'),
    relationListe: own('RelationListe'),
    egenskab: own('Egenskab'),
    attrSyms: new Map(spec.attributes.map((a, i) => [sym(nsOfAttr(spec, a.ns), a.element), i])),
    attrChildren: spec.attributes.map((a) => a.children?.map((c) => sd(c))),
    stateEl: st ? sym(nsOfAttr(spec, st.ns), st.element) : -1,
    stateValue: st ? sym(st.valueNs === 'sd' ? NS.sd : NS.fael, st.valueElement) : -1,
    relSyms: new Map(spec.relations.map((r, i) => [sd(r.element), i])),
  };
}

const COMPILED = new Map<ObjectTypeName, CompiledSpec>(OBJECT_TYPES.map((s) => [s.name, compile(s)]));
const HIERARCHY = HIERARCHY_LISTS.map((l) => ({ sym: sym(NS.orgsys, l.element), element: l.element, type: l.type as ObjectTypeName, cs: COMPILED.get(l.type as ObjectTypeName)! }));

// ---------- light value checks ----------

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
/** Same pattern as oio/time.ts (without the Date.parse round: the server is trusted on calendar details). */
const DATETIME = /^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?$/;

/** A UUID in canonical 8-4-4-4-12 form, lowercased; undefined when it is not one. */
function uuidOf(v: string): string | undefined {
  if (v.length !== 36) return undefined;
  let upper = false;
  for (let i = 0; i < 36; i++) {
    const c = v.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return undefined;
    } else if (c >= 48 && c <= 57) continue;
    else if (c >= 97 && c <= 102) continue;
    else if (c >= 65 && c <= 70) upper = true;
    else return undefined;
  }
  return upper ? v.toLowerCase() : v;
}

// ---------- states ----------

// containers
const S_DOC = 1;
const S_ENVELOPE = 2;
const S_HEADER = 3;
const S_REQUESTHEADER = 4;
const S_BODY = 5;
const S_FAULT = 6;
const S_FAULT_CODE = 7;
const S_FAULT_REASON = 8;
const S_OUT = 9;
const S_OUT_DEAD = 10;
const S_STANDARDRETUR = 11;
const S_HLIST = 12;
const S_ITEM = 13;
const S_OBJEKTTYPE = 14;
const S_REG = 15;
const S_AL = 16;
const S_EGENSKAB = 17;
const S_STRUCTURED = 18;
const S_TL = 19;
const S_TILSTAND = 20;
const S_RL = 21;
const S_RELATION = 22;
const S_VIRKNING = 23;
const S_TIDSPUNKT = 24;
const S_UNIKID = 25;
// leaves (text captured): >= LEAF
const LEAF = 100;
const L_TXUUID = 100;
const L_FAULT_CODE_VALUE = 101;
const L_FAULT_VALUE = 102;
const L_FAULT_REASON_TEXT = 103;
const L_FAULT_TEXT = 104;
const L_STATUSKODE = 105;
const L_FEJLBESKED = 106;
const L_OT_UUID = 107;
const L_ITEM_UUID = 108;
const L_REG_NOTE = 109;
const L_REG_TIDSPUNKT = 110;
const L_REG_LIVSCYKLUS = 111;
const L_ATTR = 112;
const L_STRUCTURED_CHILD = 113;
const L_STATE_VALUE = 114;
const L_INDEKS = 115;
const L_AKTOERTYPE = 116;
const L_VIRK_NOTE = 117;
const L_TIDSSTEMPEL = 118;
const L_GRAENSE = 119;
const L_UUID = 120;
const L_URN = 121;
const L_LABEL = 122;

// UnikId targets
const U_BRUGERREF = 1;
const U_AKTOERREF = 2;
const U_REFERENCEID = 3;
const U_ROLLE = 4;
const U_TYPE = 5;

interface Scope {
  prefixes: Map<string, string>;
  /** Default namespace ('' = none). */
  def: string;
  /** Resolved element names: qualified name -> symbol (0 = not an element the mapper knows). */
  cache: Map<string, number>;
}

const localOf = (qname: string): string => qname.slice(qname.indexOf(':') + 1);

/**
 * A saxes parser and its handlers, reused from response to response (saxes resets itself on close).
 * The handlers forward to whichever mapper holds the parser. Why: V8 optimizes saxes' code for the
 * handler functions it sees; with fresh closures per response that code is thrown away again and
 * again ("weak objects" deopts) and, once parseXml had run in the same process, mapping was measured
 * about 3x slower for good. Long-lived handlers keep it fast.
 */
interface PooledParser {
  parser: SaxesParser<{ xmlns: false; position: false }>;
  mapper: ResponseMapper | undefined;
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

/**
 * Push interface: `write` chunks (strings, or bytes decoded as UTF-8 across chunk boundaries),
 * then `close` for the result. Single use.
 */
export class ResponseMapper {
  /** Undefined once closed; a parser that failed is dropped, not pooled again. */
  private pooled: PooledParser | undefined;
  private readonly decoder = new StringDecoder('utf8');
  private readonly maxDepth: number;
  private readonly maxElements: number;

  // element stack (indexed by depth; 0 = document)
  private level = 0;
  private count = 0;
  /** Open elements of a skipped subtree (including its root). */
  private skip = 0;
  private readonly states: number[] = [];
  private readonly scopes: Scope[] = [];
  private readonly names: string[] = [];
  /** Pending xmlns declarations of the tag being opened: name, value, name, value, ... */
  private readonly decls: string[] = [];
  // text capture of the current leaf
  private cap = -1;
  private buf = '';
  /** Leaf values already copied out of the response text (UUIDs, timestamps, codes repeat a lot). */
  private readonly owned = new Map<string, string>();
  private readonly virkninger = new Map<string, Virkning>();
  /** Depth of the element an error refers to. */
  private at = 0;

  // envelope
  private sawBody = false;
  private bodyChildren = 0;
  private sawHeader = false;
  private sawRequestHeader = false;
  private txUuid: string | undefined;
  private isFault = false;
  private fHasCode = false;
  private fCodeValue: string | undefined;
  private fValue: string | undefined;
  private fHasReason = false;
  private fReasonText: string | undefined;
  private fText: string | undefined;
  private bodyNs = '';
  private bodyName = '';
  private outLevel = 0;

  // StandardRetur
  private sawRetur = false;
  private srCode: string | undefined;
  private srMsg: string | undefined;
  private retur: StandardRetur | WireError | undefined;

  // lists
  private readonly lists = new Map<ObjectTypeName, Objekt[]>();
  private readonly seenLists = new Set<number>();
  private error: WireError | undefined;
  private cs: CompiledSpec;
  private objs: Objekt[] = [];
  private listPath = '';
  private itemLevel = 0;

  // FiltreretOejebliksbillede
  private itemIndex = 0;
  private itHasOT = false;
  private itOTUuid: string | undefined;
  private itUuid: string | undefined;
  private itRegs: Registrering[] = [];

  // Registrering
  private rNote: string | undefined;
  private rTidspunkt: string | undefined;
  private rLivscyklus: Livscyklus | undefined;
  private rSawBrugerRef = false;
  private rBrugerRef: string | undefined;
  private rEgenskaber: Egenskab[] = [];
  private rTilstande: Tilstand[] = [];
  private rRelationer: Relation[] = [];
  private rHasAL = false;
  private rHasTL = false;
  private rHasRL = false;
  private relSeen: Uint8Array = new Uint8Array(0);

  // Egenskab / Tilstand / Relation (never nested in one another)
  private oSawVirkning = false;
  private oVirkning: Virkning | undefined;
  private eValues: Record<string, string | string[]> = {};
  private attr: AttributeSpec | undefined;
  private attrChildren: number[] | undefined;
  private structured: Array<string | undefined> = [];
  private structuredIndex = 0;
  private tValue: string | undefined;
  private rel: RelationSpec | undefined;
  private relSawRef = false;
  private relRef: Ref | undefined;
  private relSawRolle = false;
  private relRolle: LabelRef | undefined;
  private relSawType = false;
  private relType: LabelRef | undefined;
  private relIndeks: string | undefined;

  // Virkning / Tidspunkt
  private vSawFra = false;
  private vFra: string | null = null;
  private vSawTil = false;
  private vTil: string | null = null;
  private vSawAktoer = false;
  private vAktoer: string | undefined;
  private vType: AktoerTypeKode | undefined;
  private vNote: string | undefined;
  private tpIsFra = false;
  private tpStamp: string | undefined;
  private tpGraense: string | undefined;

  // UnikId / LabelRef
  private uTarget = 0;
  private uUuid: string | undefined;
  private uUrn: string | undefined;
  private uLabel: string | undefined;

  constructor(private readonly plan: MapPlan, limits: ParseLimits = DEFAULT_LIMITS) {
    this.maxDepth = limits.maxDepth;
    this.maxElements = limits.maxElements;
    this.cs = plan.kind === 'objects' ? COMPILED.get(plan.type)! : HIERARCHY[0].cs;
    if (plan.kind === 'objects') this.lists.set(plan.type, []);
    else for (const l of HIERARCHY) this.lists.set(l.type, []);
    this.states[0] = S_DOC;
    this.scopes[0] = { prefixes: new Map([['xml', XML_NS]]), def: '', cache: new Map() };
    this.pooled = POOL.pop() ?? createParser();
    this.pooled.mapper = this;
  }

  write(chunk: string | Uint8Array): this {
    const p = this.pooled;
    if (!p) throw new Error('ResponseMapper is closed');
    const s = typeof chunk === 'string' ? chunk : this.decoder.write(chunk as Buffer);
    try {
      p.parser.write(s);
    } catch (e) {
      this.drop();
      throw wrap(e);
    }
    return this;
  }

  close(): MappedResponse {
    const p = this.pooled;
    if (!p) throw new Error('ResponseMapper is closed');
    const rest = this.decoder.end();
    try {
      if (rest) p.parser.write(rest);
      p.parser.close();
    } catch (e) {
      this.drop();
      throw wrap(e);
    }
    // closing reset the parser: it can serve the next response
    p.mapper = undefined;
    this.pooled = undefined;
    if (POOL.length < POOL_MAX) POOL.push(p);
    if (!this.sawBody) throw new XmlParseError('SOAP Body is missing');
    if (this.isFault) {
      const code = (this.fHasCode ? this.fCodeValue : this.fValue) ?? 'soap:Receiver';
      const reason = (this.fHasReason ? this.fReasonText : this.fText) ?? 'SOAP fault';
      throw new SoapFaultError(code, reason);
    }
    return {
      transactionUuid: this.txUuid,
      body: { ns: this.bodyNs, name: this.bodyName },
      standardRetur: this.retur ?? new WireError(`${this.bodyName}/StandardRetur`, 'required element is missing'),
      lists: this.lists,
      error: this.error,
    };
  }

  /** Gives up on an unfinished response (its connection failed): the parser is not reused. */
  abort(): void {
    this.drop();
  }

  /** A parser that threw is left in an unknown state: not reused. */
  private drop(): void {
    if (this.pooled) this.pooled.mapper = undefined;
    this.pooled = undefined;
  }

  // ---------- events (called by the pooled parser's handlers) ----------

  /** @internal */
  attribute(name: string, value: string): void {
    if (name.charCodeAt(0) === 120 && (name === 'xmlns' || name.startsWith('xmlns:'))) this.decls.push(name, value.trim());
  }

  /** @internal */
  text(t: string): void {
    if (this.level === this.cap) this.buf += t;
  }

  /**
   * A leaf value the result may keep. The parser's text is a substring of the whole response, and V8
   * keeps a substring's parent alive: a cached hierarchy snapshot held every page's text (211 MB for
   * the large municipality). Copies are interned per response; long free text is copied, not interned.
   */
  private own(v: string): string {
    if (v.length > 64) return (' ' + v).slice(1);
    let o = this.owned.get(v);
    if (o === undefined) {
      o = (' ' + v).slice(1); // concatenation then slice makes V8 flatten into a fresh string
      this.owned.set(o, o);
    }
    return o;
  }

  /** One object per distinct Virkning in a response: rows written together share theirs (read-only). */
  private shared(v: Virkning): Virkning {
    const key = `${v.fra}|${v.til}|${v.aktoerRef}|${v.aktoerTypeKode}|${v.noteTekst}`;
    const o = this.virkninger.get(key);
    if (o !== undefined) return o;
    this.virkninger.set(key, v);
    return v;
  }

  // ---------- namespaces ----------

  private declare(parent: Scope): Scope {
    const d = this.decls;
    const scope: Scope = { prefixes: new Map(parent.prefixes), def: parent.def, cache: new Map() };
    for (let i = 0; i < d.length; i += 2) {
      const name = d[i];
      const uri = d[i + 1];
      if (name === 'xmlns') {
        if (uri === XML_NS || uri === XMLNS_NS) throw new XmlParseError(`malformed XML: the default namespace may not be ${uri}`);
        scope.def = uri;
        continue;
      }
      const prefix = name.slice(6);
      if (prefix === '' || prefix.includes(':')) throw new XmlParseError(`malformed XML: malformed name: ${name}.`);
      if (uri === '') throw new XmlParseError(`malformed XML: invalid attempt to undefine prefix ${prefix} in XML 1.0`);
      if (prefix === 'xmlns') throw new XmlParseError('malformed XML: the xmlns prefix may not be declared');
      if ((prefix === 'xml') !== (uri === XML_NS) || uri === XMLNS_NS) throw new XmlParseError(`malformed XML: prefix ${prefix} may not be bound to ${uri}`);
      scope.prefixes.set(prefix, uri);
    }
    d.length = 0;
    return scope;
  }

  private nameOf(scope: Scope, qname: string): { ns: string; local: string } {
    const c = qname.indexOf(':');
    if (c < 0) return { ns: scope.def, local: qname };
    const prefix = qname.slice(0, c);
    const local = qname.slice(c + 1);
    if (c === 0 || local === '' || local.includes(':')) throw new XmlParseError(`malformed XML: malformed name: ${qname}.`);
    if (prefix === 'xmlns') throw new XmlParseError('malformed XML: tags may not have "xmlns" as prefix.');
    const ns = scope.prefixes.get(prefix);
    if (ns === undefined) throw new XmlParseError(`malformed XML: unbound namespace prefix: ${JSON.stringify(prefix)}.`);
    return { ns, local };
  }

  private resolve(scope: Scope, qname: string): number {
    const { ns, local } = this.nameOf(scope, qname);
    const y = SYMBOLS.get(symKey(ns, local)) ?? 0;
    scope.cache.set(qname, y);
    return y;
  }

  /** @internal */
  open(qname: string): void {
    const parentLevel = this.level;
    if (parentLevel >= this.maxDepth) throw new XmlParseError(`nesting too deep (limit ${this.maxDepth})`);
    if (++this.count > this.maxElements) throw new XmlParseError(`too many elements (limit ${this.maxElements})`);
    const level = parentLevel + 1;
    this.level = level;
    if (this.skip > 0) {
      this.skip++;
      if (this.decls.length > 0) this.decls.length = 0;
      return;
    }
    let scope = this.scopes[parentLevel];
    if (this.decls.length > 0) scope = this.declare(scope);
    const y = scope.cache.get(qname) ?? this.resolve(scope, qname);
    this.names[level] = qname;
    const parent = this.states[parentLevel];
    let next: number;
    if (parent >= LEAF) next = 0;
    else if (parent <= S_STANDARDRETUR) next = this.openEnvelope(parent, y, scope, qname, level);
    else {
      try {
        next = this.openContent(parent, y);
      } catch (e) {
        this.at = level;
        this.contentError(e);
        return;
      }
    }
    if (next === 0) {
      this.skip = 1;
      return;
    }
    this.states[level] = next;
    this.scopes[level] = scope;
    if (next >= LEAF) {
      this.cap = level;
      this.buf = '';
    }
  }

  /** @internal */
  close1(): void {
    const level = this.level;
    this.level = level - 1;
    if (this.skip > 0) {
      this.skip--;
      return;
    }
    const st = this.states[level];
    if (st >= LEAF) {
      const text = this.buf;
      this.cap = -1;
      this.buf = '';
      if (st <= L_FEJLBESKED) this.closeEnvelopeLeaf(st, text);
      else {
        try {
          this.closeLeaf(st, this.own(text.trim()));
        } catch (e) {
          this.at = level;
          this.contentError(e);
        }
      }
      return;
    }
    if (st <= S_STANDARDRETUR) this.closeEnvelope(st);
    else {
      try {
        this.closeContent(st);
      } catch (e) {
        this.at = level;
        this.contentError(e);
      }
    }
  }

  /** Malformed object content: remember the first error, skip the rest of the body element. */
  private contentError(e: unknown): void {
    if (!(e instanceof WireError)) throw e;
    this.error ??= new WireError(this.path(e.path), e.message.slice(e.path.length + 2));
    // everything open below the body element is skipped until it closes
    this.skip = this.level - this.outLevel;
    this.states[this.outLevel] = S_OUT_DEAD;
    this.cap = -1;
    this.buf = '';
  }

  /** Path of the element at depth `this.at` below the current object, with a detail appended. */
  private path(detail: string): string {
    const parts = [this.listPath + `FiltreretOejebliksbillede[${this.itemIndex}]`];
    for (let l = this.itemLevel + 1; l <= this.at && l < this.names.length; l++) parts.push(localOf(this.names[l]));
    if (detail) parts.push(detail);
    return parts.join('/');
  }

  private openEnvelope(parent: number, y: number, scope: Scope, qname: string, level: number): number {
    switch (parent) {
      case S_DOC: {
        if (y === Y_ENVELOPE) return S_ENVELOPE;
        const { ns, local } = this.nameOf(scope, qname);
        if (ns === NS.soap11) throw new XmlParseError('SOAP 1.1 envelopes are not accepted: the service binds SOAP 1.2');
        throw new XmlParseError(`expected a SOAP 1.2 Envelope, got {${ns}}${local}`);
      }
      case S_ENVELOPE:
        if (y === Y_BODY && !this.sawBody) {
          this.sawBody = true;
          return S_BODY;
        }
        if (y === Y_HEADER && !this.sawHeader) {
          this.sawHeader = true;
          return S_HEADER;
        }
        return 0;
      case S_HEADER:
        if (y === Y_REQUESTHEADER && !this.sawRequestHeader) {
          this.sawRequestHeader = true;
          return S_REQUESTHEADER;
        }
        return 0;
      case S_REQUESTHEADER:
        return y === Y_TXUUID && this.txUuid === undefined ? L_TXUUID : 0;
      case S_BODY: {
        if (++this.bodyChildren > 1) throw new XmlParseError(`SOAP Body must hold exactly one element, found ${this.bodyChildren}`);
        if (y === Y_FAULT) {
          this.isFault = true;
          return S_FAULT;
        }
        const { ns, local } = this.nameOf(scope, qname);
        this.bodyNs = ns;
        this.bodyName = local;
        this.outLevel = level;
        return S_OUT;
      }
      case S_FAULT:
        if (y === Y_CODE && !this.fHasCode) {
          this.fHasCode = true;
          return S_FAULT_CODE;
        }
        if (y === Y_REASON && !this.fHasReason) {
          this.fHasReason = true;
          return S_FAULT_REASON;
        }
        if (y === Y_VALUE && this.fValue === undefined) return L_FAULT_VALUE;
        if (y === Y_TEXT && this.fText === undefined) return L_FAULT_TEXT;
        return 0;
      case S_FAULT_CODE:
        return y === Y_VALUE && this.fCodeValue === undefined ? L_FAULT_CODE_VALUE : 0;
      case S_FAULT_REASON:
        return y === Y_TEXT && this.fReasonText === undefined ? L_FAULT_REASON_TEXT : 0;
      case S_OUT:
        if (y === Y_STANDARDRETUR) {
          if (this.sawRetur) return 0;
          this.sawRetur = true;
          return S_STANDARDRETUR;
        }
        if (this.plan.kind === 'objects') {
          if (y !== this.cs.fob) return 0;
          this.objs = this.lists.get(this.cs.spec.name)!;
          return this.startItem(level);
        }
        for (const l of HIERARCHY) {
          if (y !== l.sym) continue;
          if (this.seenLists.has(y)) return 0;
          this.seenLists.add(y);
          this.cs = l.cs;
          this.objs = this.lists.get(l.type)!;
          this.listPath = `${l.element}/`;
          this.itemIndex = 0;
          return S_HLIST;
        }
        return 0;
      case S_OUT_DEAD:
        return 0;
      case S_STANDARDRETUR:
        if (y === Y_STATUSKODE && this.srCode === undefined) return L_STATUSKODE;
        if (y === Y_FEJLBESKED && this.srMsg === undefined) return L_FEJLBESKED;
        return 0;
      default:
        return 0;
    }
  }

  private closeEnvelopeLeaf(st: number, text: string): void {
    const v = text.trim();
    switch (st) {
      case L_TXUUID: this.txUuid = v; break;
      case L_FAULT_CODE_VALUE: this.fCodeValue = v; break;
      case L_FAULT_VALUE: this.fValue = v; break;
      case L_FAULT_REASON_TEXT: this.fReasonText = v; break;
      case L_FAULT_TEXT: this.fText = v; break;
      case L_STATUSKODE: this.srCode = v; break;
      case L_FEJLBESKED: this.srMsg = v; break;
    }
  }

  private closeEnvelope(st: number): void {
    if (st === S_BODY) {
      if (this.bodyChildren === 0) throw new XmlParseError('SOAP Body must hold exactly one element, found 0');
    } else if (st === S_STANDARDRETUR) {
      const code = Number(this.srCode);
      if (!Number.isInteger(code)) this.retur = new WireError(`${this.bodyName}/StandardRetur/StatusKode`, 'not an integer');
      else {
        const r: StandardRetur = { statusKode: code };
        if (this.srMsg !== undefined) r.fejlbeskedTekst = this.srMsg;
        this.retur = r;
      }
    }
  }

  private startItem(level: number): number {
    this.itemIndex++;
    this.itemLevel = level;
    this.itHasOT = false;
    this.itOTUuid = undefined;
    this.itUuid = undefined;
    this.itRegs = [];
    return S_ITEM;
  }

  private startOwner(): void {
    this.oSawVirkning = false;
    this.oVirkning = undefined;
  }

  private startUnikId(target: number): number {
    this.uTarget = target;
    this.uUuid = undefined;
    this.uUrn = undefined;
    this.uLabel = undefined;
    return S_UNIKID;
  }

  private openContent(parent: number, y: number): number {
    const cs = this.cs;
    switch (parent) {
      case S_HLIST:
        return y === Y_ORGSYS_FOB ? this.startItem(this.level) : 0;
      case S_ITEM:
        if (y === cs.registrering) {
          this.rNote = undefined;
          this.rTidspunkt = undefined;
          this.rLivscyklus = undefined;
          this.rSawBrugerRef = false;
          this.rBrugerRef = undefined;
          this.rEgenskaber = [];
          this.rTilstande = [];
          this.rRelationer = [];
          this.rHasAL = this.rHasTL = this.rHasRL = false;
          return S_REG;
        }
        if (y === cs.objektType && !this.itHasOT) {
          this.itHasOT = true;
          return S_OBJEKTTYPE;
        }
        if (y === Y_UUID && this.itUuid === undefined) return L_ITEM_UUID;
        return 0;
      case S_OBJEKTTYPE:
        return y === Y_UUID && this.itOTUuid === undefined ? L_OT_UUID : 0;
      case S_REG:
        if (y === cs.attributListe) {
          if (this.rHasAL) return 0;
          this.rHasAL = true;
          return S_AL;
        }
        if (y === cs.relationListe) {
          if (this.rHasRL) return 0;
          this.rHasRL = true;
          if (this.relSeen.length < cs.spec.relations.length) this.relSeen = new Uint8Array(cs.spec.relations.length);
          else this.relSeen.fill(0);
          return S_RL;
        }
        if (y === cs.tilstandListe) {
          if (this.rHasTL) return 0;
          this.rHasTL = true;
          return S_TL;
        }
        if (y === Y_TIDSPUNKT) return this.rTidspunkt === undefined ? L_REG_TIDSPUNKT : 0;
        if (y === Y_LIVSCYKLUS) return this.rLivscyklus === undefined ? L_REG_LIVSCYKLUS : 0;
        if (y === Y_BRUGERREF) {
          if (this.rSawBrugerRef) return 0;
          this.rSawBrugerRef = true;
          return this.startUnikId(U_BRUGERREF);
        }
        if (y === Y_NOTE) return this.rNote === undefined ? L_REG_NOTE : 0;
        return 0;
      case S_AL:
        if (y !== cs.egenskab) return 0;
        this.startOwner();
        this.eValues = {};
        return S_EGENSKAB;
      case S_EGENSKAB: {
        if (y === Y_VIRKNING) return this.startVirkning();
        const i = cs.attrSyms.get(y);
        if (i === undefined) return 0;
        this.attr = cs.spec.attributes[i];
        this.attrChildren = cs.attrChildren[i];
        if (this.attrChildren) {
          this.structured = new Array<string | undefined>(this.attrChildren.length);
          return S_STRUCTURED;
        }
        return L_ATTR;
      }
      case S_STRUCTURED: {
        const i = this.attrChildren!.indexOf(y);
        if (i < 0 || this.structured[i] !== undefined) return 0;
        this.structuredIndex = i;
        return L_STRUCTURED_CHILD;
      }
      case S_TL:
        if (y !== cs.stateEl) return 0;
        this.startOwner();
        this.tValue = undefined;
        return S_TILSTAND;
      case S_TILSTAND:
        if (y === Y_VIRKNING) return this.startVirkning();
        return y === cs.stateValue && this.tValue === undefined ? L_STATE_VALUE : 0;
      case S_RL: {
        const i = cs.relSyms.get(y);
        if (i === undefined) return 0;
        const rs = cs.spec.relations[i];
        if (!rs.multi && this.relSeen[i]++ > 0) throw new WireError('', 'is a 0..1 relation and may occur at most once');
        this.rel = rs;
        this.startOwner();
        this.relSawRef = this.relSawRolle = this.relSawType = false;
        this.relRef = this.relRolle = this.relType = this.relIndeks = undefined;
        return S_RELATION;
      }
      case S_RELATION:
        if (y === Y_VIRKNING) return this.startVirkning();
        if (y === Y_REFERENCEID) {
          if (this.relSawRef) return 0;
          this.relSawRef = true;
          return this.startUnikId(U_REFERENCEID);
        }
        if (!this.rel!.dynamic) return 0;
        if (y === Y_ROLLE) {
          if (this.relSawRolle) return 0;
          this.relSawRolle = true;
          return this.startUnikId(U_ROLLE);
        }
        if (y === Y_TYPE) {
          if (this.relSawType) return 0;
          this.relSawType = true;
          return this.startUnikId(U_TYPE);
        }
        return y === Y_INDEKS && this.relIndeks === undefined ? L_INDEKS : 0;
      case S_VIRKNING:
        if (y === Y_FRA) {
          if (this.vSawFra) return 0;
          this.vSawFra = true;
          return this.startTidspunkt(true);
        }
        if (y === Y_TIL) {
          if (this.vSawTil) return 0;
          this.vSawTil = true;
          return this.startTidspunkt(false);
        }
        if (y === Y_AKTOERREF) {
          if (this.vSawAktoer) return 0;
          this.vSawAktoer = true;
          return this.startUnikId(U_AKTOERREF);
        }
        if (y === Y_AKTOERTYPE) return this.vType === undefined ? L_AKTOERTYPE : 0;
        if (y === Y_NOTE) return this.vNote === undefined ? L_VIRK_NOTE : 0;
        return 0;
      case S_TIDSPUNKT:
        if (y === Y_TIDSSTEMPEL) return this.tpStamp === undefined ? L_TIDSSTEMPEL : 0;
        if (y === Y_GRAENSE) return this.tpGraense === undefined ? L_GRAENSE : 0;
        return 0;
      case S_UNIKID:
        if (y === Y_UUID) return this.uUuid === undefined ? L_UUID : 0;
        if (y === Y_URN) return this.uUrn === undefined ? L_URN : 0;
        if (y === Y_LABEL && (this.uTarget === U_ROLLE || this.uTarget === U_TYPE)) return this.uLabel === undefined ? L_LABEL : 0;
        return 0;
      default:
        return 0;
    }
  }

  private startVirkning(): number {
    if (this.oSawVirkning) return 0;
    this.oSawVirkning = true;
    this.vSawFra = this.vSawTil = this.vSawAktoer = false;
    this.vFra = this.vTil = null;
    this.vAktoer = undefined;
    this.vType = undefined;
    this.vNote = undefined;
    return S_VIRKNING;
  }

  private startTidspunkt(fra: boolean): number {
    this.tpIsFra = fra;
    this.tpStamp = undefined;
    this.tpGraense = undefined;
    return S_TIDSPUNKT;
  }

  /** An attribute value of the current Egenskab: a list where the attribute repeats, else at most one. */
  private addValue(a: { element: string; repeats?: boolean }, v: string): void {
    const vals = this.eValues;
    const prev = vals[a.element];
    if (a.repeats) {
      if (prev === undefined) vals[a.element] = [v];
      else (prev as string[]).push(v);
    } else {
      if (prev !== undefined) throw new WireError('', 'may occur at most once');
      vals[a.element] = v;
    }
  }

  private closeLeaf(st: number, v: string): void {
    switch (st) {
      case L_UUID: this.uUuid = v; return;
      case L_TIDSSTEMPEL: this.tpStamp = v; return;
      case L_GRAENSE: this.tpGraense = v; return;
      case L_ATTR: {
        const a = this.attr!;
        if (a.maxLength !== undefined && v.length > a.maxLength) throw new WireError('', `longer than ${a.maxLength} characters`);
        if (a.pattern && !a.pattern.test(v)) throw new WireError('', `does not match ${a.pattern.source}`);
        this.addValue(a, v);
        return;
      }
      case L_AKTOERTYPE: {
        // the list's own string: the value read from the message can then be collected at once
        const k = AKTOER_TYPE_KODER.indexOf(v as AktoerTypeKode);
        if (k < 0) throw new WireError('', `unknown value '${v.slice(0, 40)}'`);
        this.vType = AKTOER_TYPE_KODER[k];
        return;
      }
      case L_VIRK_NOTE: this.vNote = v; return;
      case L_STATE_VALUE: {
        const st2 = this.cs.spec.state!;
        const k = st2.values.indexOf(v);
        if (k < 0) throw new WireError('', `must be one of ${st2.values.join(', ')}`);
        this.tValue = st2.values[k];
        return;
      }
      case L_URN: this.uUrn = v; return;
      case L_LABEL: this.uLabel = v; return;
      case L_INDEKS: this.relIndeks = v; return;
      case L_STRUCTURED_CHILD: this.structured[this.structuredIndex] = v; return;
      case L_OT_UUID: this.itOTUuid = v; return;
      case L_ITEM_UUID: this.itUuid = v; return;
      case L_REG_NOTE: this.rNote = v; return;
      case L_REG_TIDSPUNKT:
        if (!DATETIME.test(v)) throw new WireError('', `not an xs:dateTime: '${v.slice(0, 60)}'`);
        this.rTidspunkt = v;
        return;
      case L_REG_LIVSCYKLUS: {
        const k = LIVSCYKLUS.indexOf(v as Livscyklus);
        if (k < 0) throw new WireError('', `unknown value '${v.slice(0, 40)}'`);
        this.rLivscyklus = LIVSCYKLUS[k];
        return;
      }
    }
  }

  private closeContent(st: number): void {
    switch (st) {
      case S_UNIKID: {
        let r: LabelRef;
        if (this.uUuid !== undefined) {
          const u = uuidOf(this.uUuid);
          if (u === undefined) throw new WireError('UUIDIdentifikator', `not a UUID: '${this.uUuid.slice(0, 60)}'`);
          r = { uuid: u };
        } else if (this.uUrn !== undefined) {
          if (this.uUrn.length === 0 || this.uUrn.length > 255) throw new WireError('URNIdentifikator', 'must be 1-255 characters');
          r = { urn: this.uUrn };
        } else throw new WireError('', 'needs UUIDIdentifikator or URNIdentifikator');
        switch (this.uTarget) {
          case U_REFERENCEID: this.relRef = r; break;
          case U_AKTOERREF: this.vAktoer = r.uuid ?? r.urn; break;
          case U_BRUGERREF: this.rBrugerRef = r.uuid ?? r.urn; break;
          case U_ROLLE:
            if (this.uLabel !== undefined) r.label = this.uLabel;
            this.relRolle = r;
            break;
          case U_TYPE:
            if (this.uLabel !== undefined) r.label = this.uLabel;
            this.relType = r;
            break;
        }
        return;
      }
      case S_TIDSPUNKT: {
        let t: string | null;
        if (this.tpStamp !== undefined) {
          if (!DATETIME.test(this.tpStamp)) throw new WireError('TidsstempelDatoTid', `not an xs:dateTime: '${this.tpStamp.slice(0, 60)}'`);
          t = this.tpStamp;
        } else if (this.tpGraense !== undefined) {
          if (this.tpGraense !== 'true' && this.tpGraense !== '1') throw new WireError('GraenseIndikator', 'must be true');
          t = null;
        } else throw new WireError('', 'needs TidsstempelDatoTid or GraenseIndikator');
        if (this.tpIsFra) this.vFra = t;
        else this.vTil = t;
        return;
      }
      case S_VIRKNING: {
        // Object literals of the final shape (one allocation, in-object properties) for the usual
        // cases; absent parts stay absent keys, as the codec builds them.
        const { vFra: fra, vTil: til, vAktoer: aktoerRef, vType: aktoerTypeKode, vNote: noteTekst } = this;
        let v: Virkning;
        if (noteTekst === undefined) {
          if (aktoerRef !== undefined && aktoerTypeKode !== undefined) v = { fra, til, aktoerRef, aktoerTypeKode };
          else {
            v = { fra, til };
            if (aktoerRef !== undefined) v.aktoerRef = aktoerRef;
            if (aktoerTypeKode !== undefined) v.aktoerTypeKode = aktoerTypeKode;
          }
        } else if (aktoerRef !== undefined && aktoerTypeKode !== undefined) v = { fra, til, aktoerRef, aktoerTypeKode, noteTekst };
        else {
          v = { fra, til };
          if (aktoerRef !== undefined) v.aktoerRef = aktoerRef;
          if (aktoerTypeKode !== undefined) v.aktoerTypeKode = aktoerTypeKode;
          v.noteTekst = noteTekst;
        }
        this.oVirkning = this.shared(v);
        return;
      }
      case S_RELATION: {
        const rs = this.rel!;
        if (!this.relRef) throw new WireError('ReferenceID', 'required element is missing');
        const virkning = this.oVirkning ?? { fra: null, til: null };
        if (rs.dynamic) {
          if (!this.relRolle) throw new WireError('Rolle', 'required element is missing');
          if (!this.relType) throw new WireError('Type', 'required element is missing');
          if (this.relIndeks === undefined) throw new WireError('Indeks', 'required element is missing');
          this.rRelationer.push({ name: rs.element, virkning, ref: this.relRef, rolle: this.relRolle, type: this.relType, indeks: this.relIndeks });
        } else this.rRelationer.push({ name: rs.element, virkning, ref: this.relRef });
        return;
      }
      case S_EGENSKAB:
        this.rEgenskaber.push({ virkning: this.oVirkning ?? { fra: null, til: null }, values: this.eValues });
        return;
      case S_STRUCTURED: {
        const a = this.attr!;
        const o: Record<string, string> = {};
        a.children!.forEach((c, i) => {
          const t = this.structured[i];
          if (t !== undefined) o[c] = t;
        });
        this.addValue(a, JSON.stringify(o));
        return;
      }
      case S_TILSTAND: {
        const st2 = this.cs.spec.state!;
        if (this.tValue === undefined) throw new WireError(st2.valueElement, 'required element is missing');
        this.rTilstande.push({ virkning: this.oVirkning ?? { fra: null, til: null }, value: this.tValue });
        return;
      }
      case S_REG: {
        if (!this.rHasAL) throw new WireError('AttributListe', 'required element is missing');
        if (!this.rHasTL) throw new WireError('TilstandListe', 'required element is missing');
        if (!this.rHasRL) throw new WireError('RelationListe', 'required element is missing');
        const { rEgenskaber: egenskaber, rTilstande: tilstande, rRelationer: relationer, rNote: noteTekst, rTidspunkt: tidspunkt, rLivscyklus: livscyklus, rBrugerRef: brugerRef } = this;
        let reg: Registrering;
        if (noteTekst === undefined && tidspunkt !== undefined && livscyklus !== undefined && brugerRef !== undefined) {
          reg = { egenskaber, tilstande, relationer, tidspunkt, livscyklus, brugerRef };
        } else {
          reg = { egenskaber, tilstande, relationer };
          if (noteTekst !== undefined) reg.noteTekst = noteTekst;
          if (tidspunkt !== undefined) reg.tidspunkt = tidspunkt;
          if (livscyklus !== undefined) reg.livscyklus = livscyklus;
          if (brugerRef !== undefined) reg.brugerRef = brugerRef;
        }
        this.itRegs.push(reg);
        return;
      }
      case S_ITEM: {
        const raw = this.itHasOT ? this.itOTUuid : this.itUuid;
        const where = this.itHasOT ? 'ObjektType/UUIDIdentifikator' : 'UUIDIdentifikator';
        if (raw === undefined) throw new WireError(where, 'required element is missing');
        const uuid = uuidOf(raw);
        if (uuid === undefined) throw new WireError(where, `not a UUID: '${raw.slice(0, 60)}'`);
        this.objs.push({ uuid, registreringer: this.itRegs });
        return;
      }
    }
  }
}

function wrap(e: unknown): Error {
  if (e instanceof XmlParseError || e instanceof SoapFaultError) return e;
  return new XmlParseError(`malformed XML: ${(e as Error).message}`);
}

/** Maps a whole answer (a string, or chunks in order). */
export function mapResponse(input: string | Iterable<string | Uint8Array>, plan: MapPlan, limits?: ParseLimits): MappedResponse {
  const m = new ResponseMapper(plan, limits);
  if (typeof input === 'string') m.write(input);
  else for (const c of input) m.write(c);
  return m.close();
}

