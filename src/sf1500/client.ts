import { NS } from '../model/namespaces';
import { HIERARCHY_LISTS, objectType } from '../model/objects';
import { ORGANISATION_SYSTEM, READ_OPERATIONS, servicePath, soapAction } from '../model/services';
import type { Objekt, StandardRetur } from '../model/domain';
import type { ObjectTypeName, ObjectTypeSpec } from '../model/types';
import { readStandardRetur, rootNamespaces, writeObjektElement, writeTidspunkt, writeAttributListe, writeRelationListe, writeTilstandListe } from '../wire/codec';
import { WireError } from '../wire/errors';
import { buildEnvelope, parseEnvelope, SoapFaultError, type EnvelopeBody } from '../wire/envelope';
import { mapResponse, ResponseMapper, type MapPlan, type MappedResponse } from './mapping';
import { child, childrenOf, type XmlElement } from '../xml/reader';
import { el, textEl } from '../xml/writer';
import { CircuitBreaker } from './breaker';
import { Sf1500Error } from './errors';
import type { CallRecorder } from './stats';
import type { SoapExchange } from './exchange';
import { Transport, TransportError, type HttpResult, type SinkFor, type TlsOptions } from './transport';
import type { Egenskab, Relation, Tilstand } from '../model/domain';
import type { HierarchyPage, ReadFilters, Sf1500Reader, SoegCriteria } from './reader';

/** The paged hierarchy search, as the model describes OrganisationSystem. */
const FREMSOEG = ORGANISATION_SYSTEM.operations.find((o) => o.op === 'fremsoegobjekthierarki')!;

export type { HierarchyPage, ReadFilters, SoegCriteria, TimeRange } from './reader';

export interface Sf1500ClientOptions {
  /** Base URL of an SF1500 installation: endpoints are `<base>/organisation/<service>/6/`. */
  baseUrl: string;
  /** Per-service endpoint overrides (service name → full URL). */
  endpoints?: Record<string, string>;
  timeoutMs: number;
  /** Timeout of the (slow, large) hierarchy service. */
  hierarchyTimeoutMs: number;
  /** Extra attempts for reads on transient failures (never for writes). */
  retries: number;
  retryBaseMs: number;
  breakerThreshold: number;
  breakerResetMs: number;
  maxSockets: number;
  maxResponseBytes: number;
  tls?: TlsOptions;
  /** Extra HTTP headers (e.g. basic auth for a protected local SF1500). */
  headers?: Record<string, string>;
  /** soapActions by `service.op` from KOMBIT's official WSDLs (see official.ts); default: KOMBIT's pattern. */
  soapActions?: Map<string, string>;
  /** Message-level security (OIO IDWS) and/or traces around every call. */
  exchange?: SoapExchange;
  /** Called after every call (metrics). */
  onCall?: (info: { service: string; operation: string; ms: number; bytes: number; ok: boolean }) => void;
}

export const DEFAULT_CLIENT_OPTIONS: Omit<Sf1500ClientOptions, 'baseUrl'> = {
  timeoutMs: 60_000, hierarchyTimeoutMs: 180_000, retries: 2, retryBaseMs: 100,
  breakerThreshold: 5, breakerResetMs: 10_000, maxSockets: 16, maxResponseBytes: 256 * 1024 * 1024,
};

const READS = READ_OPERATIONS;

function timeFilters(f: ReadFilters | undefined): string {
  if (!f) return '';
  const parts: string[] = [];
  if (f.virkning) parts.push(writeTidspunkt('sd:VirkningFraFilter', f.virkning.fra), writeTidspunkt('sd:VirkningTilFilter', f.virkning.til));
  if (f.registrering) parts.push(writeTidspunkt('sd:RegistreringFraFilter', f.registrering.fra), writeTidspunkt('sd:RegistreringTilFilter', f.registrering.til));
  return parts.join('');
}

function soegTid(f: ReadFilters | undefined): string {
  if (!f) return '';
  return (f.registrering ? el('sd:SoegRegistrering', writeTidspunkt('sd:FraTidspunkt', f.registrering.fra), writeTidspunkt('sd:TilTidspunkt', f.registrering.til)) : '')
    + (f.virkning ? el('sd:SoegVirkning', writeTidspunkt('sd:FraTidspunkt', f.virkning.fra), writeTidspunkt('sd:TilTidspunkt', f.virkning.til)) : '');
}

/**
 * How one attempt reads its answer: the whole text, or (mapped reads) the chunks fed to a
 * ResponseMapper as they arrive, so parsing overlaps the transfer and no page-sized string is built.
 */
type Reader<T> = { text: (text: string, bytes: number) => T } | { plan: MapPlan; mapped: (r: MappedResponse, bytes: number) => T };

/** Feeds a SOAP answer (200, or 500 for a Fault) to a mapper chunk by chunk; a parse error waits for finish(). */
class MapperSink {
  private mapper?: ResponseMapper;
  private error?: unknown;

  constructor(private readonly plan: MapPlan) {}

  readonly sinkFor: SinkFor = (status) => (status === 200 || status === 500 ? this.write : undefined);

  private readonly write = (chunk: Buffer): void => {
    if (this.error !== undefined) return;
    try {
      (this.mapper ??= new ResponseMapper(this.plan)).write(chunk);
    } catch (e) {
      this.error = e;
      this.mapper = undefined;
    }
  };

  finish(): MappedResponse {
    if (this.error !== undefined) throw this.error;
    const m = this.mapper ?? new ResponseMapper(this.plan);
    this.mapper = undefined;
    return m.close();
  }

  abort(): void {
    this.mapper?.abort();
    this.mapper = undefined;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const ALWAYS = { fra: null, til: null };

/**
 * SF1500 v6 client: builds the wire messages from the object model, posts them over keep-alive
 * HTTP(S) with a deadline, retries reads with backoff, fails fast through a per-service breaker,
 * and maps FiltreretOejebliksbillede to domain objects. One instance serves the whole process.
 */
export class Sf1500Client implements Sf1500Reader {
  readonly options: Sf1500ClientOptions;
  private readonly transport: Transport;
  private readonly breakers = new Map<string, CircuitBreaker>();

  constructor(options: Partial<Sf1500ClientOptions> & { baseUrl: string }) {
    this.options = { ...DEFAULT_CLIENT_OPTIONS, ...options };
    this.transport = new Transport({ maxSockets: this.options.maxSockets, tls: this.options.tls, maxResponseBytes: this.options.maxResponseBytes });
  }

  endpoint(system: string, service: string): string {
    return this.options.endpoints?.[service] ?? `${this.options.baseUrl.replace(/\/$/, '')}/${servicePath(system, service)}`;
  }

  /** KOMBIT's soapAction pattern (the model's, which the contract and the local SF1500 read too). */
  static soapAction(system: string, service: string, op: string): string {
    return soapAction(system, service, op);
  }

  private breaker(service: string): CircuitBreaker {
    let b = this.breakers.get(service);
    if (!b) {
      b = new CircuitBreaker(this.options.breakerThreshold, this.options.breakerResetMs);
      this.breakers.set(service, b);
    }
    return b;
  }

  /** Sends one message and returns the parsed body element (after StandardRetur checks by the caller). */
  call(system: string, service: string, op: string, body: EnvelopeBody, rec?: CallRecorder): Promise<XmlElement> {
    return this.request(system, service, op, body, rec, { text: (text) => {
      const out = parseEnvelope(text).body;
      if (READS.has(op)) {
        let r: StandardRetur | undefined;
        try {
          r = readStandardRetur(out, out.name);
        } catch (e) {
          if (!(e instanceof WireError)) throw e;
        }
        Sf1500Client.failIfServerError(r, service, op);
      }
      return out;
    } });
  }

  /**
   * A read answered StandardRetur 50 or above (SF1500's own trouble) fails inside the attempt, so the
   * retry loop tries again and the breaker counts it like a transport failure. 40/44/49 answer the
   * request itself and are left to the caller.
   */
  private static failIfServerError(r: StandardRetur | WireError | undefined, service: string, op: string): void {
    if (r && !(r instanceof WireError) && r.statusKode >= 50) {
      throw new Sf1500Error('SF1500_STATUS', `SF1500 ${service}.${op} answered ${r.statusKode}: ${r.fejlbeskedTekst ?? ''}`.trim(), service, op, r.statusKode);
    }
  }

  /**
   * Sends one message (retrying reads on transient failures) and parses the answer with `parse`,
   * which throws XmlParseError for an unreadable answer and SoapFaultError for a Fault.
   */
  private async request<T>(system: string, service: string, op: string, body: EnvelopeBody, rec: CallRecorder | undefined, read: Reader<T>): Promise<T> {
    const attempts = READS.has(op) ? this.options.retries + 1 : 1;
    let last: Sf1500Error | undefined;
    for (let i = 0; i < attempts; i++) {
      if (i > 0) await sleep(this.options.retryBaseMs * 2 ** (i - 1) * (0.5 + Math.random()));
      if (rec?.signal?.aborted) throw new Sf1500Error('SF1500_CANCELLED', `SF1500 ${service}.${op}: the request was cancelled`, service, op);
      try {
        return await this.once(system, service, op, body, rec, read);
      } catch (e) {
        if (!(e instanceof Sf1500Error) || !e.transient) throw e;
        last = e;
      }
    }
    throw last!;
  }

  private async once<T>(system: string, service: string, op: string, body: EnvelopeBody, rec: CallRecorder | undefined, read: Reader<T>): Promise<T> {
    const breaker = this.breaker(service);
    if (!breaker.allow()) throw new Sf1500Error('SF1500_CIRCUIT_OPEN', `SF1500 ${service} is failing; calls are paused for up to ${this.options.breakerResetMs} ms`, service, op);
    const started = performance.now();
    let bytes = 0;
    let ok = false;
    const stream = 'plan' in read ? new MapperSink(read.plan) : undefined;
    try {
      const timeout = op === FREMSOEG.op ? this.options.hierarchyTimeoutMs : this.options.timeoutMs;
      const action = this.options.soapActions?.get(`${service}.${op}`) ?? Sf1500Client.soapAction(system, service, op);
      // Message-level security (OIO IDWS) and traces: the answer is verified whole, so it is not streamed.
      const exchange = this.options.exchange;
      const url = this.endpoint(system, service);
      const send = (xml: string): Promise<HttpResult> => this.transport.post(url, xml, action, timeout, this.options.headers, exchange ? undefined : stream?.sinkFor, rec?.signal);
      const res = exchange ? await exchange.exchange({ service, operation: op, soapAction: action, url, envelope: buildEnvelope(body) }, send) : await send(buildEnvelope(body));
      bytes = res.bytes;
      if (res.status === 401 || res.status === 403) {
        throw new Sf1500Error('SF1500_UNAUTHORIZED', `SF1500 ${service}.${op} refused our credentials (HTTP ${res.status}): check SF1500_CLIENT_BASIC_AUTH and SF1500_TLS_*`, service, op);
      }
      let parsed: T;
      try {
        if ('plan' in read) parsed = read.mapped(res.streamed ? stream!.finish() : mapResponse(res.text, read.plan), res.bytes);
        else parsed = read.text(res.text, res.bytes);
      } catch (e) {
        if (e instanceof Sf1500Error) throw e;
        if (e instanceof SoapFaultError) throw new Sf1500Error('SF1500_FAULT', `SF1500 ${service}.${op} answered a SOAP fault: ${e.message}`, service, op);
        if (res.status >= 500 || res.status === 404) throw new Sf1500Error('SF1500_UNAVAILABLE', `SF1500 ${service}.${op} answered HTTP ${res.status}`, service, op);
        throw new Sf1500Error('SF1500_BAD_RESPONSE', `SF1500 ${service}.${op} sent an unreadable answer: ${(e as Error).message}`, service, op);
      }
      ok = true;
      breaker.success();
      return parsed;
    } catch (e) {
      stream?.abort();
      if (e instanceof TransportError && e.kind === 'aborted') {
        breaker.abandoned();
        throw new Sf1500Error('SF1500_CANCELLED', `SF1500 ${service}.${op}: the request was cancelled`, service, op);
      }
      if (e instanceof TransportError) {
        breaker.failure();
        throw new Sf1500Error(e.kind === 'timeout' ? 'SF1500_TIMEOUT' : 'SF1500_UNAVAILABLE', `SF1500 ${service}.${op}: ${e.message}`, service, op);
      }
      if (e instanceof Sf1500Error && e.transient) breaker.failure();
      else breaker.success(); // the service answered: it is alive
      throw e;
    } finally {
      const ms = performance.now() - started;
      rec?.record(service, op, ms, bytes);
      this.options.onCall?.({ service, operation: op, ms, bytes, ok });
    }
  }

  private static check(out: XmlElement, service: string, op: string, allow44: boolean): StandardRetur {
    let r: StandardRetur | WireError;
    try {
      r = readStandardRetur(out, out.name);
    } catch (e) {
      if (!(e instanceof WireError)) throw e;
      r = e;
    }
    return Sf1500Client.checkRetur(r, service, op, allow44);
  }

  /** StandardRetur 20 (or 44 where allowed), else SF1500_STATUS; an unreadable one is SF1500_BAD_RESPONSE. */
  private static checkRetur(r: StandardRetur | WireError, service: string, op: string, allow44: boolean): StandardRetur {
    if (r instanceof WireError) throw new Sf1500Error('SF1500_BAD_RESPONSE', `SF1500 ${service}.${op}: ${r.message}`, service, op);
    if (r.statusKode === 20 || (allow44 && r.statusKode === 44)) return r;
    throw new Sf1500Error('SF1500_STATUS', `SF1500 ${service}.${op} answered ${r.statusKode}: ${r.fejlbeskedTekst ?? ''}`.trim(), service, op, r.statusKode);
  }

  private objectCall(spec: ObjectTypeSpec, op: string, element: string, content: string, rec?: CallRecorder): Promise<XmlElement> {
    return this.call(spec.system, spec.service, op, { qname: `${spec.prefix}:${element}`, namespaces: rootNamespaces(spec), content }, rec);
  }

  /**
   * Read operations (Laes, List, FremsoegObjekthierarki) map the answer while parsing it
   * (sf1500/mapping/): no element tree, straight to domain objects.
   */
  private objectRead(spec: ObjectTypeSpec, op: string, element: string, content: string, rec?: CallRecorder): Promise<MappedResponse> {
    const plan: MapPlan = { kind: 'objects', type: spec.name };
    return this.request(spec.system, spec.service, op, { qname: `${spec.prefix}:${element}`, namespaces: rootNamespaces(spec), content }, rec, { plan, mapped: (r) => {
      Sf1500Client.failIfServerError(r.standardRetur, spec.service, op);
      return r;
    } });
  }

  /** The mapped objects of `type`; malformed object content is SF1500_BAD_RESPONSE. */
  private static mapped(r: MappedResponse, type: ObjectTypeName, service: string, op: string): Objekt[] {
    if (r.error) throw new Sf1500Error('SF1500_BAD_RESPONSE', `SF1500 ${service}.${op}: ${r.error.message}`, service, op);
    return r.lists.get(type) ?? [];
  }

  /** Laes: one object, or null when SF1500 answers 44. */
  async laes(type: ObjectTypeName, uuid: string, f?: ReadFilters, rec?: CallRecorder): Promise<Objekt | null> {
    const spec = objectType(type);
    const r = await this.objectRead(spec, 'laes', 'LaesInput', textEl('sd:UUIDIdentifikator', uuid) + timeFilters(f), rec);
    if (Sf1500Client.checkRetur(r.standardRetur, spec.service, 'laes', true).statusKode === 44) return null;
    return Sf1500Client.mapped(r, type, spec.service, 'laes')[0] ?? null;
  }

  /** List: the objects found (unknown UUIDs are simply absent). */
  async list(type: ObjectTypeName, uuids: readonly string[], f?: ReadFilters, rec?: CallRecorder): Promise<Objekt[]> {
    if (uuids.length === 0) return [];
    const spec = objectType(type);
    const r = await this.objectRead(spec, 'list', 'ListInput', uuids.map((u) => textEl('sd:UUIDIdentifikator', u)).join('') + timeFilters(f), rec);
    if (Sf1500Client.checkRetur(r.standardRetur, spec.service, 'list', true).statusKode === 44) return [];
    return Sf1500Client.mapped(r, type, spec.service, 'list');
  }

  /** Soeg: one page of UUIDs (empty when SF1500 answers 44). */
  async soeg(type: ObjectTypeName, criteria: SoegCriteria, page: { offset: number; limit: number }, f?: ReadFilters, rec?: CallRecorder): Promise<string[]> {
    const spec = objectType(type);
    const egenskaber: Egenskab[] = criteria.egenskaber && Object.keys(criteria.egenskaber).length > 0 ? [{ virkning: ALWAYS, values: criteria.egenskaber }] : [];
    const tilstande: Tilstand[] = criteria.gyldighed && spec.state ? [{ virkning: ALWAYS, value: criteria.gyldighed }] : [];
    const relationer: Relation[] = (criteria.relationer ?? []).map((r) => {
      const dynamic = spec.relations.find((x) => x.element === r.name)?.dynamic;
      // The XSD requires Rolle, Type and Indeks on dynamic relations even in a search; an empty Indeks matches any.
      if (!dynamic) return { name: r.name, virkning: ALWAYS, ref: { uuid: r.uuid } };
      if (!r.rolle || !r.type) throw new Error(`soeg on ${r.name} needs rolle and type`);
      return { name: r.name, virkning: ALWAYS, ref: { uuid: r.uuid }, rolle: { uuid: r.rolle }, type: { uuid: r.type }, indeks: '' };
    });
    const content = textEl('sd:FoersteResultatReference', page.offset) + textEl('sd:MaksimalAntalKvantitet', page.limit) + soegTid(f)
      + writeAttributListe(spec, egenskaber, { omitVirkning: true }) + writeTilstandListe(spec, tilstande, { omitVirkning: true })
      + writeRelationListe(spec, relationer, { omitVirkning: true });
    const out = await this.objectCall(spec, 'soeg', 'SoegInput', content, rec);
    if (Sf1500Client.check(out, spec.service, 'soeg', true).statusKode === 44) return [];
    return childrenOf(child(out, NS.sd, 'IdListe') ?? out, NS.sd, 'UUIDIdentifikator').map((e) => e.text.trim().toLowerCase());
  }

  /** One page of OrganisationSystem.fremsoegobjekthierarki (service, operation and body element from the model). */
  async fremsoeg(page: { offset: number; limit: number }, f?: ReadFilters, rec?: CallRecorder): Promise<HierarchyPage> {
    const { system, service, namespace, prefix } = ORGANISATION_SYSTEM;
    const { op, input } = FREMSOEG;
    const ns: Record<string, string> = { sd: NS.sd, [prefix]: namespace };
    const content = textEl('sd:FoersteResultatReference', page.offset) + textEl('sd:MaksimalAntalKvantitet', page.limit) + soegTid(f);
    const plan: MapPlan = { kind: 'hierarchy' };
    const { r, bytes } = await this.request(system, service, op, { qname: `${prefix}:${input}`, namespaces: ns, content }, rec,
      { plan, mapped: (r, n) => {
        Sf1500Client.failIfServerError(r.standardRetur, service, op);
        return { r, bytes: n };
      } });
    Sf1500Client.checkRetur(r.standardRetur, service, op, false);
    if (r.error) throw new Sf1500Error('SF1500_BAD_RESPONSE', `SF1500 ${service}.${op}: ${r.error.message}`, service, op);
    // the mapper fills every hierarchy list, in wire order
    const lists = new Map<ObjectTypeName, Objekt[]>();
    for (const l of HIERARCHY_LISTS) lists.set(l.type, r.lists.get(l.type) ?? []);
    return { lists, bytes };
  }

  // ---------- writes (never retried) ----------

  async importer(type: ObjectTypeName, obj: Objekt, rec?: CallRecorder): Promise<StandardRetur> {
    const spec = objectType(type);
    const out = await this.objectCall(spec, 'importer', 'ImportInput', writeObjektElement(spec, obj), rec);
    return readStandardRetur(out, out.name);
  }

  async opret(type: ObjectTypeName, lists: { egenskaber: Egenskab[]; tilstande: Tilstand[]; relationer: Relation[] }, note?: string, rec?: CallRecorder): Promise<string> {
    const spec = objectType(type);
    const content = textEl('sd:NoteTekst', note) + writeAttributListe(spec, lists.egenskaber) + writeTilstandListe(spec, lists.tilstande) + writeRelationListe(spec, lists.relationer);
    const out = await this.objectCall(spec, 'opret', 'OpretInput', content, rec);
    Sf1500Client.check(out, spec.service, 'opret', false);
    return child(out, NS.sd, 'UUIDIdentifikator')!.text.trim();
  }

  async ret(type: ObjectTypeName, uuid: string, lists: { egenskaber?: Egenskab[]; tilstande?: Tilstand[]; relationer?: Relation[] }, note?: string, rec?: CallRecorder): Promise<StandardRetur> {
    const spec = objectType(type);
    const content = textEl('sd:UUIDIdentifikator', uuid) + textEl('sd:NoteTekst', note)
      + (lists.egenskaber ? writeAttributListe(spec, lists.egenskaber) : '')
      + (lists.tilstande ? writeTilstandListe(spec, lists.tilstande) : '')
      + (lists.relationer ? writeRelationListe(spec, lists.relationer) : '');
    const out = await this.objectCall(spec, 'ret', 'RetInput', content, rec);
    return readStandardRetur(out, out.name);
  }

  async passiver(type: ObjectTypeName, uuid: string, note?: string, rec?: CallRecorder): Promise<StandardRetur> {
    const spec = objectType(type);
    const out = await this.objectCall(spec, 'passiver', 'PassiverInput', textEl('sd:UUIDIdentifikator', uuid) + textEl('sd:NoteTekst', note), rec);
    return readStandardRetur(out, out.name);
  }

  async slet(type: ObjectTypeName, uuid: string, note?: string, rec?: CallRecorder): Promise<StandardRetur> {
    const spec = objectType(type);
    const out = await this.objectCall(spec, 'slet', 'SletInput', textEl('sd:UUIDIdentifikator', uuid) + textEl('sd:NoteTekst', note), rec);
    return readStandardRetur(out, out.name);
  }

  close(): void {
    this.transport.close();
  }
}
