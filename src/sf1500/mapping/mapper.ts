import { StringDecoder } from 'node:string_decoder';
import type { Objekt, StandardRetur } from '../../model/domain';
import type { ObjectTypeName } from '../../model/types';
import { DEFAULT_LIMITS, XmlParseError, type ParseLimits } from '../../xml/reader';
import { SoapFaultError } from '../../wire/envelope';
import { WireError } from '../../wire/errors';
import { EnvelopeStates } from './envelope-states';
import { ObjectStates, type MapPlan } from './object-states';
import { acquireParser, releaseParser, type SaxEvents } from './parser-pool';
import type { XmlTokenizer } from '../../xml/tokenizer';
import { declare, documentScope, localOf, resolve, type Scope } from './scope';
import { L_AKTOERTYPE, L_FEJLBESKED, L_GRAENSE, L_REG_LIVSCYKLUS, L_STATE_VALUE, L_STRUCTURED_CHILD, LEAF, S_DOC, S_OUT, S_OUT_DEAD, S_STANDARDRETUR } from './states';
import { Y_STANDARDRETUR } from './symbols';

export type { MapPlan };

/**
 * Streaming response mapper: turns a SOAP 1.2 answer of the read operations (LaesOutput, ListOutput,
 * FremsoegObjekthierarkiOutput) straight into domain values on the events of our XML tokenizer
 * (src/xml/tokenizer.ts: strict, streaming, several times cheaper than saxes), without building an
 * element tree. A state machine driven by the object type specs (attributes, state, relations)
 * decides per element what it is; everything it does not know is skipped as a whole subtree.
 * This file drives the element stack; the envelope's states are in envelope-states.ts, the object
 * content's in object-states.ts.
 *
 * Equivalent to `parseEnvelope` + `readStandardRetur` + `readObjekt` on well-formed answers (same
 * domain shapes, same "first child wins" reading, same lowercase UUIDs), with lighter validation:
 * - namespaces are resolved here from `xmlns`/`xmlns:*` declarations (the tokenizer reports names as
 *   written, like saxes with xmlns:false); any prefixes and default namespaces the server chooses work;
 *   unbound prefixes are reported for the elements the mapper reads (not inside skipped subtrees);
 * - unknown elements (LokalUdvidelse, extensions, unexpected children) are skipped, not rejected;
 * - xs:dateTime values are checked by pattern only, and FraTidspunkt <= TilTidspunkt is not checked;
 * - UUIDs, enumerations (LivscyklusKode, AktoerTypeKode, state values), lengths and patterns of
 *   attribute values, multiplicities and required elements are checked as the codec does.
 * Errors: XmlParseError (not XML, DTD, wrong envelope, limits), SoapFaultError (a Fault), and a
 * WireError for malformed object content, which is returned in `error` (not thrown) so that the
 * caller can look at StandardRetur first, as the tree path does.
 */

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

/**
 * Push interface: `write` chunks (strings, or bytes decoded as UTF-8 across chunk boundaries),
 * then `close` for the result. Single use.
 */
export class ResponseMapper implements SaxEvents {
  /**
   * One mapper kept for the life of the process, never used. V8's optimized code for the mapper (and the
   * tokenizer's, which inlines the mapper's handlers) checks the hidden classes of the mapper's objects
   * (ResponseMapper, EnvelopeStates, ObjectStates, the scratch records). A hidden class lives only while
   * an object has it: once every mapper of the last response has been collected, a major GC throws that
   * code away ("weak objects" deopts) and the next response runs unoptimized until V8 has learnt it
   * again. Measured on the bench's 5.7 MB hierarchy page mapped right after a GC: 64 ms without, 40 ms with.
   */
  static exemplar: ResponseMapper | undefined;
  /** Undefined once closed; a tokenizer that failed is dropped, not pooled again. */
  private pooled: XmlTokenizer | undefined;
  private readonly decoder = new StringDecoder('utf8');
  private readonly maxDepth: number;
  private readonly maxElements: number;
  private readonly envelope = new EnvelopeStates();
  private readonly content: ObjectStates;

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
  /** Depth of the element an error refers to. */
  private at = 0;
  private error: WireError | undefined;

  constructor(plan: MapPlan, limits: ParseLimits = DEFAULT_LIMITS) {
    this.maxDepth = limits.maxDepth;
    this.maxElements = limits.maxElements;
    this.content = new ObjectStates(plan);
    this.states[0] = S_DOC;
    this.scopes[0] = documentScope();
    this.pooled = acquireParser(this);
  }

  write(chunk: string | Uint8Array): this {
    const p = this.pooled;
    if (!p) throw new Error('ResponseMapper is closed');
    const s = typeof chunk === 'string' ? chunk : this.decoder.write(chunk as Buffer);
    try {
      p.write(s);
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
      if (rest) p.write(rest);
      p.close();
    } catch (e) {
      this.drop();
      throw wrap(e);
    }
    // closing reset the tokenizer: it can serve the next response
    this.pooled = undefined;
    releaseParser(p);
    const env = this.envelope;
    env.finish();
    return {
      transactionUuid: env.txUuid,
      body: { ns: env.bodyNs, name: env.bodyName },
      standardRetur: env.retur ?? new WireError(`${env.bodyName}/StandardRetur`, 'required element is missing'),
      lists: this.content.lists,
      error: this.error,
    };
  }

  /** Gives up on an unfinished response (its connection failed): the parser is not reused. */
  abort(): void {
    this.drop();
  }

  /** A tokenizer that threw is left mid-document: not reused. */
  private drop(): void {
    this.pooled = undefined;
  }

  // ---------- events (called by the tokenizer) ----------

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
    if (this.decls.length > 0) scope = declare(scope, this.decls);
    const y = scope.cache.get(qname) ?? resolve(scope, qname);
    this.names[level] = qname;
    const parent = this.states[parentLevel];
    let next: number;
    if (parent >= LEAF) next = 0;
    else if (parent === S_OUT && y !== Y_STANDARDRETUR) next = this.content.openList(y, level);
    else if (parent <= S_STANDARDRETUR) next = this.envelope.open(parent, y, scope, qname, level);
    else {
      try {
        next = this.content.open(parent, y, level);
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
      if (st <= L_FEJLBESKED) this.envelope.closeLeaf(st, text);
      else {
        try {
          const v = text.trim();
          this.content.closeLeaf(st, keepsText(st) ? this.own(v) : v);
        } catch (e) {
          this.at = level;
          this.contentError(e);
        }
      }
      return;
    }
    if (st <= S_STANDARDRETUR) this.envelope.close(st);
    else {
      try {
        this.content.close(st);
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
    const outLevel = this.envelope.outLevel;
    this.skip = this.level - outLevel;
    this.states[outLevel] = S_OUT_DEAD;
    this.cap = -1;
    this.buf = '';
  }

  /** Path of the element at depth `this.at` below the current object, with a detail appended. */
  private path(detail: string): string {
    const c = this.content;
    const parts = [c.listPath + `FiltreretOejebliksbillede[${c.itemIndex}]`];
    for (let l = c.itemLevel + 1; l <= this.at && l < this.names.length; l++) parts.push(localOf(this.names[l]));
    if (detail) parts.push(detail);
    return parts.join('/');
  }
}

// Held by the class (a module-level const that no function refers to is not kept alive).
ResponseMapper.exemplar = new ResponseMapper({ kind: 'hierarchy' });
ResponseMapper.exemplar.abort();

/**
 * Whether the content leaf `st` keeps its text in the result (then it is copied out of the response,
 * see `own`); codes read into a constant of the model (and GraenseIndikator, structured children
 * joined into JSON) are only compared.
 */
function keepsText(st: number): boolean {
  return st !== L_GRAENSE && st !== L_AKTOERTYPE && st !== L_STATE_VALUE && st !== L_REG_LIVSCYKLUS && st !== L_STRUCTURED_CHILD;
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
