import * as path from 'node:path';
import { NS } from '../../model/namespaces';
import { HIERARCHY_LISTS, OBJECT_OPERATIONS, OBJECT_TYPES, objectType, type ObjectOperation } from '../../model/objects';
import type { AttributeSpec, ElementNs, ObjectTypeSpec, RelationSpec, StateSpec } from '../../model/types';
import { renderDocument, text, x, type KidInput, type XNode } from './xmltree';

/**
 * The local SF1500's own WSDL/XSD contract, generated from the object model (src/model).
 *
 * Wire-compatible with KOMBIT's SF1500 v6 (and SF1514 Klasse v6): same target namespaces,
 * element names, element order, occurrences, simple-type facets, SOAP 1.2 document/literal
 * binding, `RequestHeader` header part in both directions and the same soapAction values.
 * Type *names* and file layout are ours; they are not visible on the wire.
 *
 * The sagdok common types are not per object type, so they are written here as a template.
 * Everything per object type (attribute elements, Egenskab, Tilstand, relation elements and
 * lists, operations, WSDL messages and bindings) is produced by iterating over OBJECT_TYPES.
 * Details the model does not carry are kept in the small tables below.
 */

// ------------------------------------------------------------------------------------------
// Tables for details that are not in the model
// ------------------------------------------------------------------------------------------

/** Relation target "type name" for relations whose target is outside the model (target: null). */
const EXTERNAL_RELATION_TARGETS: Readonly<Record<string, string>> = {
  Ansvarlig: 'Aktoer', Ejer: 'Aktoer', Redaktoerer: 'Aktoer', Facet: 'Facet',
};

/** Dynamic relations (Rolle/Type/Indeks) get their own type; default `<element>FlerRelationType`. */
const DYNAMIC_RELATION_TYPES: Readonly<Record<string, string>> = {
  Adresser: 'AdresseFlerRelationType', Opgaver: 'OpgaverFlerRelationType',
};

/** Facets of child elements of structured attributes (Klasse.Soegeord) that are not attributes themselves. */
const CHILD_ELEMENT_FACETS: Readonly<Record<string, Facets>> = {
  SoegeordIdentifikator: { base: 'string', maxLength: 50 },
  SoegeordKategoriTekst: { base: 'string', maxLength: 1024 },
};

/** States whose value element is optional (Klasse.PubliceretStatus); Gyldighed requires its status. */
const OPTIONAL_STATE_VALUES: ReadonlySet<string> = new Set(['PubliceretStatus']);

/** Named simple types of urn:oio:sts:6 that object-namespace attributes with equal facets use (Person.NavnTekst). */
const STS_SIMPLE_TYPES: Readonly<Record<string, Facets>> = {
  ShortNavnTekst: { base: 'string', maxLength: 100 },
};

/** The soapAction path segment differs from the service name for OrganisationSystem ("organisationssystem"). */
const SOAP_ACTION_SEGMENT: Readonly<Record<string, string>> = { organisationsystem: 'organisationssystem' };

/** WSDL targetNamespace per system (the object services share one; SF1514 uses its own). */
const WSDL_NAMESPACE: Readonly<Record<ObjectTypeSpec['system'], string>> = {
  organisation: NS.fael,
  klassifikation: 'http://stoettesystemerne.dk/klassifikation',
};

/** SF1514 services carry a version suffix in their wsdl:service name (`KlasseService_6`). */
const SERVICE_NAME_SUFFIX: Readonly<Record<ObjectTypeSpec['system'], string>> = { organisation: 'Service', klassifikation: 'Service_6' };

/** Body element types of the eight generic operations: `self:` = the object's namespace, `sd:` = common. */
const OPERATION_TYPES: Readonly<Record<ObjectOperation, { input: string; output: string }>> = {
  opret: { input: 'self:OpretInputType', output: 'sd:OpretOutputType' },
  importer: { input: 'self:ImportInputType', output: 'sd:BasicOutputType' },
  passiver: { input: 'sd:UuidNoteInputType', output: 'sd:BasicOutputType' },
  laes: { input: 'sd:LaesInputType', output: 'self:LaesOutputType' },
  ret: { input: 'self:RetInputType', output: 'sd:BasicOutputType' },
  slet: { input: 'sd:UuidNoteInputType', output: 'sd:BasicOutputType' },
  soeg: { input: 'self:SoegInputType', output: 'sd:SoegOutputType' },
  list: { input: 'sd:ListInputType', output: 'self:ListOutputType' },
};

// ------------------------------------------------------------------------------------------
// Layout
// ------------------------------------------------------------------------------------------

const XSD_DIR = 'xsd/6';
const FILES = {
  sagdok: 'xsd/common/SagDokObjekt.xsd',
  header: 'xsd/common/RequestHeader.xsd',
  faelles: `${XSD_DIR}/OrganisationFaelles.xsd`,
  part: `${XSD_DIR}/Part.xsd`,
  sts: `${XSD_DIR}/GenerelleDefinitioner.xsd`,
  orgsys: `${XSD_DIR}/OrganisationSystemOperationer.xsd`,
  orgadm: `${XSD_DIR}/OrganisationAdministrationOperationer.xsd`,
} as const;
const objectFile = (t: ObjectTypeSpec): string => `${XSD_DIR}/${t.name}.xsd`;
const operationerFile = (t: ObjectTypeSpec): string => `${XSD_DIR}/${t.name}Operationer.xsd`;

/** `soap12:address` in the checked-in WSDLs; the server substitutes its own URL (wsdlFor). */
export const ADDRESS_PLACEHOLDER_BASE = 'https://sf1500.invalid/';

const UUID_PATTERN = '[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}';

const GENERATED =
  'Generated by src/emulator/contract/generate.ts from the object model in src/model.\n'
  + 'Do not edit: change the model or the generator and run `npm run contract`.';

// ------------------------------------------------------------------------------------------
// XSD building blocks
// ------------------------------------------------------------------------------------------

interface Facets {
  base: 'string' | 'boolean' | 'integer' | 'dateTime';
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  enumeration?: readonly string[];
}

type Occ = '1' | '0..1' | '0..n' | '1..n';
const OCC: Record<Occ, { minOccurs?: number; maxOccurs?: string }> = {
  '1': {},
  '0..1': { minOccurs: 0 },
  '0..n': { minOccurs: 0, maxOccurs: 'unbounded' },
  '1..n': { maxOccurs: 'unbounded' },
};

const xs = (tag: string, attrs: Record<string, string | number | undefined> = {}, ...kids: KidInput[]): XNode =>
  x(`xs:${tag}`, attrs, ...kids);
const doc = (description: string | undefined): KidInput =>
  description ? xs('annotation', {}, xs('documentation', {}, text(description))) : undefined;
const ref = (qname: string, occ: Occ = '1', description?: string): XNode => xs('element', { ref: qname, ...OCC[occ] }, doc(description));
const local = (name: string, type: string, occ: Occ = '1'): XNode => xs('element', { name, type, ...OCC[occ] });
const global = (name: string, type: string, description?: string): XNode => xs('element', { name, type }, doc(description));
const seq = (...kids: KidInput[]): XNode => xs('sequence', {}, ...kids);
const complexType = (name: string, ...kids: KidInput[]): XNode => xs('complexType', { name }, ...kids);
const extension = (base: string, ...kids: KidInput[]): XNode =>
  xs('complexContent', {}, xs('extension', { base }, kids.length > 0 ? seq(...kids) : undefined));
/** `<element name=N type=prefix:NType/>` plus its complexType: the pattern of every structured sagdok element. */
const elementWithType = (name: string, prefix: string, ...typeKids: KidInput[]): XNode[] =>
  [global(name, `${prefix}:${name}Type`), complexType(`${name}Type`, ...typeKids)];

function restriction(f: Facets): XNode {
  return xs('restriction', { base: `xs:${f.base}` },
    f.minLength !== undefined && xs('minLength', { value: f.minLength }),
    f.maxLength !== undefined && xs('maxLength', { value: f.maxLength }),
    f.pattern !== undefined && xs('pattern', { value: f.pattern }),
    (f.enumeration ?? []).map((v) => xs('enumeration', { value: v })));
}
const hasFacets = (f: Facets): boolean =>
  f.maxLength !== undefined || f.minLength !== undefined || f.pattern !== undefined || f.enumeration !== undefined;
/** A simple element: `type="xs:base"` without facets, otherwise an anonymous restriction. */
function simpleElement(name: string, f: Facets): XNode {
  return hasFacets(f) ? xs('element', { name }, xs('simpleType', {}, restriction(f))) : xs('element', { name, type: `xs:${f.base}` });
}
const simpleType = (name: string, f: Facets): XNode => xs('simpleType', { name }, restriction(f));

/** A JS RegExp of the model as an XSD pattern (XSD patterns are implicitly anchored). */
export function xsdPattern(re: RegExp): string {
  if (re.flags.replace('u', '') !== '') throw new Error(`regex flags are not expressible in XSD: ${re}`);
  let s = re.source;
  if (s.startsWith('^')) s = s.slice(1);
  if (s.endsWith('$') && !s.endsWith('\\$')) s = s.slice(0, -1);
  // Drop one group that spans the whole pattern: ^(a|b)$ and a|b mean the same anchored.
  if (s.startsWith('(') && !s.startsWith('(?')) {
    let depth = 0;
    let closesAtEnd = false;
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (c === '\\') { i++; continue; }
      if (c === '(') depth++;
      else if (c === ')' && --depth === 0) { closesAtEnd = i === s.length - 1; break; }
    }
    if (closesAtEnd) s = s.slice(1, -1);
  }
  return s;
}

function attributeFacets(a: AttributeSpec): Facets {
  return { base: 'string', maxLength: a.maxLength, pattern: a.pattern ? xsdPattern(a.pattern) : undefined };
}

const sameFacets = (a: Facets, b: Facets): boolean => JSON.stringify(normalizeFacets(a)) === JSON.stringify(normalizeFacets(b));
const normalizeFacets = (f: Facets): Facets => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as Facets;

/** Simple element declarations shared by several object types (sd, sts): one declaration each, facets must agree. */
class SimpleDeclarations {
  private readonly decls = new Map<string, { facets: Facets; from: string }>();
  add(element: string, facets: Facets, from: string): void {
    const prev = this.decls.get(element);
    if (prev && !sameFacets(prev.facets, facets)) {
      throw new Error(`model conflict: ${element} declared by ${prev.from} as ${JSON.stringify(prev.facets)} and by ${from} as ${JSON.stringify(facets)}`);
    }
    if (!prev) this.decls.set(element, { facets, from });
  }
  nodes(): XNode[] {
    return [...this.decls].map(([name, d]) => simpleElement(name, d.facets));
  }
}

// ------------------------------------------------------------------------------------------
// Schema documents and imports
// ------------------------------------------------------------------------------------------

interface NsInfo {
  ns: string;
  file: string;
}

/** Where each namespace prefix is declared (prefix → namespace, schema file to import). */
function namespaceRegistry(): Map<string, NsInfo> {
  const reg = new Map<string, NsInfo>([
    ['sd', { ns: NS.sd, file: FILES.sagdok }],
    ['hdr', { ns: NS.hdr, file: FILES.header }],
    ['fael', { ns: NS.fael, file: FILES.faelles }],
    ['part', { ns: NS.part, file: FILES.part }],
    ['sts', { ns: NS.sts, file: FILES.sts }],
    ['orgsys', { ns: NS.orgsys, file: FILES.orgsys }],
    ['orgadm', { ns: NS.orgadm, file: FILES.orgadm }],
  ]);
  // Other schemas import an object namespace through its Operationer.xsd, which includes the object schema.
  for (const t of OBJECT_TYPES) reg.set(t.prefix, { ns: t.namespace, file: operationerFile(t) });
  return reg;
}
const REGISTRY = namespaceRegistry();

function usedPrefixes(nodes: readonly XNode[], acc = new Set<string>()): Set<string> {
  for (const n of nodes) {
    for (const key of ['ref', 'type', 'base'] as const) {
      const v = n.attrs[key];
      if (typeof v === 'string' && v.includes(':')) acc.add(v.slice(0, v.indexOf(':')));
    }
    usedPrefixes(n.kids.filter((k): k is XNode => 'tag' in k), acc);
  }
  return acc;
}

const relativeTo = (fromFile: string, toFile: string): string => path.posix.relative(path.posix.dirname(fromFile), toFile);

/**
 * One XSD document. Imports and namespace declarations are derived from the QNames the body
 * uses, so a schema never imports what it does not reference (and never misses an import).
 */
function schemaDocument(file: string, tnsPrefix: string, summary: string, body: readonly XNode[], includes: readonly string[] = []): string {
  const tns = REGISTRY.get(tnsPrefix);
  if (!tns) throw new Error(`unknown prefix ${tnsPrefix}`);
  const prefixes = [...usedPrefixes(body)].filter((p) => p !== 'xs' && p !== tnsPrefix).sort();
  const xmlns: Record<string, string> = { 'xmlns:xs': NS.xsd, [`xmlns:${tnsPrefix}`]: tns.ns };
  for (const p of prefixes) {
    const info = REGISTRY.get(p);
    if (!info) throw new Error(`${file}: no namespace registered for prefix ${p}`);
    xmlns[`xmlns:${p}`] = info.ns;
  }
  const root = xs('schema', { ...xmlns, targetNamespace: tns.ns, elementFormDefault: 'qualified', attributeFormDefault: 'unqualified' },
    doc(summary),
    prefixes.map((p) => xs('import', { namespace: REGISTRY.get(p)!.ns, schemaLocation: relativeTo(file, REGISTRY.get(p)!.file) })),
    includes.map((inc) => xs('include', { schemaLocation: relativeTo(file, inc) })),
    body);
  return renderDocument(root, GENERATED);
}

// ------------------------------------------------------------------------------------------
// Model-derived facts
// ------------------------------------------------------------------------------------------

const prefixFor = (t: ObjectTypeSpec, ns: ElementNs): string => (ns === 'self' ? t.prefix : ns);
const statePrefix = (t: ObjectTypeSpec, s: StateSpec): string => (s.ns === 'self' ? t.prefix : 'fael');
const baseTypeOf: Record<ObjectTypeSpec['base'], string> = { aktoer: 'fael:AktoerType', part: 'part:PartType', sagdok: 'sd:SagDokObjektType' };
/** AktoerType objects carry `sd:LokalUdvidelse` at the end of their three lists; the others do not. */
const hasLokalUdvidelse = (t: ObjectTypeSpec): boolean => t.base === 'aktoer';

interface RelationDecl {
  element: string;
  type: string;
  /** Base of the relation type: RelationType (0..1 everywhere), FlerRelationType, DynamicFlerRelationType. */
  base: 'RelationType' | 'FlerRelationType' | 'DynamicFlerRelationType';
}

/**
 * Every relation element of the model, with its global type. The element is declared once in sd,
 * so it is a FlerRelation when *any* object type allows several (Tilhoerer: 0..n on ItSystem).
 */
function relationDeclarations(): RelationDecl[] {
  const byElement = new Map<string, { rel: RelationSpec; multi: boolean }>();
  for (const t of OBJECT_TYPES) {
    for (const r of t.relations) {
      const prev = byElement.get(r.element);
      if (prev && (prev.rel.target !== r.target || Boolean(prev.rel.dynamic) !== Boolean(r.dynamic))) {
        throw new Error(`model conflict: relation ${r.element} has different targets or dynamics across object types`);
      }
      byElement.set(r.element, { rel: prev?.rel ?? r, multi: (prev?.multi ?? false) || r.multi });
    }
  }
  return [...byElement.values()].map(({ rel, multi }) => {
    if (rel.dynamic) {
      if (!multi) throw new Error(`dynamic relation ${rel.element} must be 0..n`);
      return { element: rel.element, type: DYNAMIC_RELATION_TYPES[rel.element] ?? `${rel.element}FlerRelationType`, base: 'DynamicFlerRelationType' };
    }
    const target = rel.target ?? EXTERNAL_RELATION_TARGETS[rel.element];
    if (!target) throw new Error(`relation ${rel.element} has no target; add it to EXTERNAL_RELATION_TARGETS`);
    return multi
      ? { element: rel.element, type: `${target}FlerRelationType`, base: 'FlerRelationType' }
      : { element: rel.element, type: `${target}RelationType`, base: 'RelationType' };
  });
}

function stateValueFacets(s: StateSpec): Facets {
  const v = [...s.values].sort();
  return v.length === 2 && v[0] === 'false' && v[1] === 'true' ? { base: 'boolean' } : { base: 'string', enumeration: s.values };
}

/** The state element and its type (Gyldighed, PubliceretStatus), declared in the state's namespace. */
function stateDeclarations(t: ObjectTypeSpec, s: StateSpec): XNode[] {
  const p = statePrefix(t, s);
  return elementWithType(s.element, p, seq(ref('sd:Virkning', '0..1'), ref(`${s.valueNs}:${s.valueElement}`, OPTIONAL_STATE_VALUES.has(s.element) ? '0..1' : '1')));
}

/** The state's value element (GyldighedStatusKode with its code list, ErPubliceretIndikator as boolean). */
function stateValueDeclarations(s: StateSpec): XNode[] {
  const f = stateValueFacets(s);
  if (f.enumeration) return [global(s.valueElement, `${s.valueNs}:${s.valueElement}Type`), simpleType(`${s.valueElement}Type`, f)];
  return [simpleElement(s.valueElement, f)];
}

function statesIn(ns: StateSpec['ns']): Array<{ t: ObjectTypeSpec; s: StateSpec }> {
  return OBJECT_TYPES.flatMap((t) => (t.state && t.state.ns === ns ? [{ t, s: t.state }] : []));
}

/** One declaration per distinct state element; all object types using it must agree. */
function uniqueStates(list: Array<{ t: ObjectTypeSpec; s: StateSpec }>): Array<{ t: ObjectTypeSpec; s: StateSpec }> {
  const seen = new Map<string, StateSpec>();
  const out: Array<{ t: ObjectTypeSpec; s: StateSpec }> = [];
  for (const e of list) {
    const prev = seen.get(e.s.element);
    if (prev) {
      if (JSON.stringify(prev) !== JSON.stringify(e.s)) throw new Error(`model conflict: state ${e.s.element} differs between object types`);
      continue;
    }
    seen.set(e.s.element, e.s);
    out.push(e);
  }
  return out;
}

// ------------------------------------------------------------------------------------------
// Common schemas
// ------------------------------------------------------------------------------------------

function sagDokObjektXsd(): string {
  const attrs = new SimpleDeclarations();
  for (const t of OBJECT_TYPES) {
    for (const a of t.attributes) {
      if (a.ns === 'sd') {
        if (a.children) throw new Error(`${t.name}.${a.element}: structured attributes must live in the object namespace`);
        attrs.add(a.element, attributeFacets(a), `${t.name}.${a.element}`);
      }
    }
  }
  for (const t of OBJECT_TYPES) {
    for (const a of t.attributes) {
      for (const c of a.children ?? []) {
        const f = CHILD_ELEMENT_FACETS[c];
        if (f) attrs.add(c, f, `${t.name}.${a.element}/${c}`);
        else if (!OBJECT_TYPES.some((o) => o.attributes.some((oa) => oa.ns === 'sd' && oa.element === c))) {
          throw new Error(`${t.name}.${a.element}/${c}: facets unknown; add them to CHILD_ELEMENT_FACETS`);
        }
      }
    }
  }
  const sdStateValues = uniqueStates(OBJECT_TYPES.flatMap((t) => (t.state && t.state.valueNs === 'sd' ? [{ t, s: t.state }] : [])))
    .flatMap(({ s }) => stateValueDeclarations(s));
  const relations = relationDeclarations();
  const relationTypes = [...new Map(relations.map((r) => [r.type, r])).values()].sort((a, b) => a.type.localeCompare(b.type));
  const aktoerTypes = OBJECT_TYPES.filter((t) => t.base === 'aktoer').map((t) => t.name);
  const tidspunkt = (name: string): XNode => global(name, 'sd:TidspunktType');
  const filters = [ref('sd:VirkningFraFilter', '0..1'), ref('sd:VirkningTilFilter', '0..1'), ref('sd:RegistreringFraFilter', '0..1'), ref('sd:RegistreringTilFilter', '0..1')];
  const virkningContent = seq(ref('sd:FraTidspunkt', '0..1'), ref('sd:TilTidspunkt', '0..1'), ref('sd:AktoerRef', '0..1'), ref('sd:AktoerTypeKode', '0..1'), ref('sd:NoteTekst', '0..1'));

  const body: XNode[] = [
    // identity and time
    simpleElement('UUIDIdentifikator', { base: 'string', pattern: UUID_PATTERN }),
    simpleElement('URNIdentifikator', { base: 'string', maxLength: 255 }),
    complexType('UnikIdType', xs('choice', {}, ref('sd:UUIDIdentifikator'), ref('sd:URNIdentifikator'))),
    global('AktoerRef', 'sd:UnikIdType'),
    global('BrugerRef', 'sd:UnikIdType'),
    global('ReferenceID', 'sd:UnikIdType'),
    ...elementWithType('SagDokObjekt', 'sd', seq(ref('sd:UUIDIdentifikator'))),
    simpleElement('NoteTekst', { base: 'string', maxLength: 1024 }),
    simpleElement('TidsstempelDatoTid', { base: 'dateTime' }),
    xs('element', { name: 'GraenseIndikator', type: 'xs:boolean', fixed: 'true' }, doc('true = unbounded (infinity).')),
    complexType('TidspunktType', xs('choice', {}, ref('sd:TidsstempelDatoTid'), ref('sd:GraenseIndikator'))),
    tidspunkt('FraTidspunkt'), tidspunkt('TilTidspunkt'),
    tidspunkt('VirkningFraFilter'), tidspunkt('VirkningTilFilter'), tidspunkt('RegistreringFraFilter'), tidspunkt('RegistreringTilFilter'),
    global('AktoerTypeKode', 'sd:AktoerTypeKodeType'),
    simpleType('AktoerTypeKodeType', { base: 'string', enumeration: aktoerTypes }),
    ...elementWithType('Virkning', 'sd', virkningContent),
    ...elementWithType('SoegVirkning', 'sd', virkningContent),
    // registration
    global('LivscyklusKode', 'sd:LivscyklusKodeType'),
    simpleType('LivscyklusKodeType', { base: 'string', enumeration: ['Opstaaet', 'Importeret', 'Passiveret', 'Slettet'] }),
    ...elementWithType('Registrering', 'sd',
      seq(ref('sd:NoteTekst', '0..1'), local('Tidspunkt', 'xs:dateTime', '0..1'), ref('sd:LivscyklusKode', '0..1'), ref('sd:BrugerRef', '0..1'))),
    ...elementWithType('SoegRegistrering', 'sd',
      seq(ref('sd:FraTidspunkt', '0..1'), ref('sd:TilTidspunkt', '0..1'), ref('sd:LivscyklusKode', '0..1'), ref('sd:BrugerRef', '0..1'))),
    ...elementWithType('LokalUdvidelse', 'sd',
      seq(xs('any', { namespace: '##other', processContents: 'strict', minOccurs: 0, maxOccurs: 'unbounded' }))),
    // relations
    complexType('RelationType', seq(ref('sd:Virkning', '0..1'), ref('sd:ReferenceID', '0..1'))),
    complexType('FlerRelationType', seq(ref('sd:Virkning', '0..1'), ref('sd:ReferenceID', '0..1'))),
    complexType('UuidLabelInputType', extension('sd:UnikIdType', local('Label', 'xs:string', '0..1'))),
    complexType('DynamicFlerRelationType', doc('A relation with a role, a type and an index unique within the object (Adresser, Opgaver).'),
      extension('sd:FlerRelationType', local('Rolle', 'sd:UuidLabelInputType'), local('Type', 'sd:UuidLabelInputType'), local('Indeks', 'xs:string'))),
    ...relationTypes.map((r) => complexType(r.type, extension(`sd:${r.base}`))),
    ...relations.map((r) => global(r.element, `sd:${r.type}`)),
    // attribute values of the object types
    ...attrs.nodes(),
    ...sdStateValues,
    // operation inputs
    ...elementWithType('UuidNoteInput', 'sd', seq(ref('sd:UUIDIdentifikator'), ref('sd:NoteTekst', '0..1'))),
    complexType('OpretInputType', seq(ref('sd:NoteTekst', '0..1'))),
    complexType('RetInputType', seq(ref('sd:UUIDIdentifikator'), ref('sd:NoteTekst', '0..1'))),
    complexType('LaesInputType', seq(ref('sd:UUIDIdentifikator'), ...filters)),
    complexType('ListInputType', seq(ref('sd:UUIDIdentifikator', '1..n'), ...filters)),
    simpleElement('FoersteResultatReference', { base: 'integer' }),
    simpleElement('MaksimalAntalKvantitet', { base: 'integer' }),
    complexType('SoegInputType', seq(ref('sd:FoersteResultatReference', '0..1'), ref('sd:MaksimalAntalKvantitet', '0..1'),
      ref('sd:SoegRegistrering', '0..1'), ref('sd:SoegVirkning', '0..1'))),
    // operation outputs
    simpleElement('StatusKode', { base: 'integer' }),
    simpleElement('FejlbeskedTekst', { base: 'string' }),
    ...elementWithType('StandardRetur', 'sd', seq(ref('sd:StatusKode'), ref('sd:FejlbeskedTekst', '0..1'))),
    complexType('BasicOutputType', seq(ref('sd:StandardRetur'))),
    complexType('OpretOutputType', extension('sd:BasicOutputType', ref('sd:UUIDIdentifikator', '0..1'))),
    complexType('ListOutputType', seq(ref('sd:StandardRetur'))),
    ...elementWithType('IdListe', 'sd', seq(ref('sd:UUIDIdentifikator', '0..n'))),
    complexType('SoegOutputType', seq(ref('sd:StandardRetur'), ref('sd:IdListe', '0..1'))),
    complexType('UnikReturType', extension('sd:StandardReturType', local('Type', 'xs:string'), ref('sd:UUIDIdentifikator'))),
    complexType('MultipleOutputType', seq(xs('choice', {}, local('UnikRetur', 'sd:UnikReturType', '0..n'), local('StandardRetur', 'sd:StandardReturType', '0..n')))),
  ];
  return schemaDocument(FILES.sagdok, 'sd', 'Common sagdok 3.0.0 types used by the SF1500 v6 object services.', body);
}

function requestHeaderXsd(): string {
  const body = [
    global('RequestHeader', 'hdr:RequestHeaderType', 'SOAP header of every request and response.'),
    complexType('RequestHeaderType', xs('all', {}, ref('hdr:TransactionUUID'))),
    global('TransactionUUID', 'hdr:TransactionUUIDType', 'Correlates request and response; any non-empty string (clients send a UUID).'),
    simpleType('TransactionUUIDType', { base: 'string', minLength: 1 }),
  ];
  return schemaDocument(FILES.header, 'hdr', 'KOMBIT RequestHeader.', body);
}

function partXsd(): string {
  return schemaDocument(FILES.part, 'part', 'Part: base of Person, Virksomhed, Myndighed and of Aktoer.',
    elementWithType('Part', 'part', extension('sd:SagDokObjektType')));
}

function faellesXsd(): string {
  const states = uniqueStates(statesIn('fael'));
  const values = uniqueStates(OBJECT_TYPES.flatMap((t) => (t.state && t.state.valueNs === 'fael' ? [{ t, s: t.state }] : [])));
  const body = [
    ...elementWithType('Aktoer', 'fael', extension('part:PartType')),
    ...states.flatMap(({ t, s }) => stateDeclarations(t, s)),
    ...values.flatMap(({ s }) => stateValueDeclarations(s)),
  ];
  return schemaDocument(FILES.faelles, 'fael', 'Shared SF1500 organisation types: Aktoer and the Gyldighed state.', body);
}

function generelleDefinitionerXsd(): string {
  const decls = new SimpleDeclarations();
  for (const t of OBJECT_TYPES) for (const a of t.attributes) if (a.ns === 'sts') decls.add(a.element, attributeFacets(a), `${t.name}.${a.element}`);
  const body = [...decls.nodes(), ...Object.entries(STS_SIMPLE_TYPES).map(([name, f]) => simpleType(name, f))];
  return schemaDocument(FILES.sts, 'sts', 'STS value elements (CVR/SE/P/CPR numbers, names, address text, authority code).', body);
}

// ------------------------------------------------------------------------------------------
// Per object type
// ------------------------------------------------------------------------------------------

function selfAttributeDeclarations(t: ObjectTypeSpec, a: AttributeSpec): XNode[] {
  if (a.children) {
    return elementWithType(a.element, t.prefix, seq(a.children.map((c) => ref(`sd:${c}`, '0..1'))));
  }
  const f = attributeFacets(a);
  const named = Object.entries(STS_SIMPLE_TYPES).find(([, nf]) => sameFacets(nf, f));
  return [named ? global(a.element, `sts:${named[0]}`) : simpleElement(a.element, f)];
}

function objectXsd(t: ObjectTypeSpec): string {
  const p = t.prefix;
  const lu = hasLokalUdvidelse(t) ? ref('sd:LokalUdvidelse', '0..1') : undefined;
  const body: XNode[] = [
    global(t.name, `${p}:${t.name}Type`, t.description),
    complexType(`${t.name}Type`, extension(baseTypeOf[t.base], ref(`${p}:Registrering`, '1..n'))),
    ...elementWithType('Registrering', p,
      extension('sd:RegistreringType', ref(`${p}:AttributListe`), ref(`${p}:TilstandListe`), ref(`${p}:RelationListe`))),
    ...elementWithType('AttributListe', p, seq(ref(`${p}:Egenskab`, '0..n'), lu)),
    ...elementWithType('TilstandListe', p, seq(t.state && ref(`${statePrefix(t, t.state)}:${t.state.element}`, '0..n'), lu)),
    ...elementWithType('RelationListe', p,
      seq(t.relations.map((r) => ref(`sd:${r.element}`, r.multi ? '0..n' : '0..1', r.description)), lu)),
    ...elementWithType('Egenskab', p,
      seq(ref('sd:Virkning', '0..1'), t.attributes.map((a) => ref(`${prefixFor(t, a.ns)}:${a.element}`, a.repeats ? '0..n' : '0..1', a.description)))),
    ...t.attributes.filter((a) => a.ns === 'self').flatMap((a) => selfAttributeDeclarations(t, a)),
    ...(t.state && t.state.ns === 'self' ? stateDeclarations(t, t.state) : []),
  ];
  return schemaDocument(objectFile(t), p, `${t.name}: ${t.description}`, body);
}

function operationerXsd(t: ObjectTypeSpec): string {
  const p = t.prefix;
  const q = (typeRef: string): string => typeRef.replace(/^self:/, `${p}:`);
  const lists = (occ: Occ): XNode[] => [ref(`${p}:AttributListe`, occ), ref(`${p}:TilstandListe`, occ), ref(`${p}:RelationListe`, occ)];
  const body: XNode[] = [
    ...OBJECT_OPERATIONS.flatMap((o) => [global(o.input, q(OPERATION_TYPES[o.op].input)), global(o.output, q(OPERATION_TYPES[o.op].output))]),
    complexType('ImportInputType', seq(ref(`${p}:${t.name}`))),
    complexType('OpretInputType', extension('sd:OpretInputType', lists(t.opretListsOptional ? '0..1' : '1'))),
    complexType('RetInputType', extension('sd:RetInputType', lists('0..1'))),
    complexType('LaesOutputType', extension('sd:BasicOutputType', local('FiltreretOejebliksbillede', `${p}:FiltreretOejebliksbilledeType`, '0..1'))),
    complexType('ListOutputType', extension('sd:ListOutputType', local('FiltreretOejebliksbillede', `${p}:FiltreretOejebliksbilledeType`, '0..n'))),
    complexType('FiltreretOejebliksbilledeType',
      seq(local('ObjektType', 'sd:SagDokObjektType'), local('Registrering', `${p}:RegistreringType`, '0..n'))),
    complexType('SoegInputType', extension('sd:SoegInputType', lists('1'))),
  ];
  return schemaDocument(operationerFile(t), p, `Operations of the ${t.name} service.`, body, [objectFile(t)]);
}

// ------------------------------------------------------------------------------------------
// OrganisationSystem and OrganisationAdministration
// ------------------------------------------------------------------------------------------

function organisationSystemXsd(): string {
  const hier = HIERARCHY_LISTS.map((h) => ({ ...h, spec: objectType(h.type) }));
  const org = objectType('Organisation');
  const enhed = objectType('OrganisationEnhed');
  const cpr = objectType('Person').attributes.find((a) => a.element === 'CPR-NummerTekst');
  if (!cpr?.pattern) throw new Error('Person.CPR-NummerTekst needs a pattern');
  const body: XNode[] = [
    global('FremsoegObjekthierarkiInput', 'orgsys:FremsoegObjekthierarkiInputType'),
    global('FremsoegObjekthierarkiOutput', 'orgsys:FremsoegObjekthierarkiOutputType'),
    global('ImporterOrganisationSystemInput', 'orgsys:ImporterOrganisationSystemInputType'),
    global('ImporterOrganisationSystemOutput', 'sd:MultipleOutputType'),
    global('AnonymiserInput', 'orgsys:AnonymiserInputType'),
    global('AnonymiserOutput', 'sd:BasicOutputType'),
    complexType('FremsoegObjekthierarkiInputType',
      extension('sd:SoegInputType', hier.map((h) => ref(`orgsys:${h.spec.name}SoegEgenskab`, '0..1')))),
    complexType('FremsoegObjekthierarkiOutputType', extension('sd:BasicOutputType', hier.map((h) => ref(`orgsys:${h.element}`)))),
    ...hier.map((h) => global(`${h.spec.name}SoegEgenskab`, `${h.spec.prefix}:EgenskabType`, `Filter on ${h.spec.name} attributes.`)),
    ...hier.flatMap((h) => [
      global(h.element, `orgsys:${h.element}OutputType`),
      complexType(`${h.element}OutputType`, seq(local('FiltreretOejebliksbillede', `${h.spec.prefix}:FiltreretOejebliksbilledeType`, '0..n'))),
    ]),
    complexType('ImporterOrganisationSystemInputType', seq(ref(`${org.prefix}:${org.name}`), ref('orgsys:OrganisationEnhederInput'))),
    ...elementWithType('OrganisationEnhederInput', 'orgsys', seq(ref(`${enhed.prefix}:${enhed.name}`, '0..n'))),
    complexType('AnonymiserInputType', xs('choice', {}, local('PersonUUID', 'orgsys:UUIDType'), local('PersonCPR', 'orgsys:CPRType'))),
    simpleType('UUIDType', { base: 'string', pattern: UUID_PATTERN }),
    simpleType('CPRType', { base: 'string', pattern: xsdPattern(cpr.pattern) }),
  ];
  return schemaDocument(FILES.orgsys, 'orgsys', 'OrganisationSystem: hierarchy search, bulk import, anonymisation.', body);
}

function organisationAdministrationXsd(): string {
  const body: XNode[] = [
    global('FysiskSletInput', 'orgadm:FysiskSletInputType'),
    global('FysiskSletOutput', 'sd:BasicOutputType'),
    complexType('FysiskSletInputType', seq(local('OrganisationUUID', 'orgadm:UUIDType'), local('OrganisationEnhedUUID', 'orgadm:UUIDType'))),
    simpleType('UUIDType', { base: 'string', pattern: UUID_PATTERN }),
  ];
  return schemaDocument(FILES.orgadm, 'orgadm', 'OrganisationAdministration: physical deletion.', body);
}

// ------------------------------------------------------------------------------------------
// Services and WSDL
// ------------------------------------------------------------------------------------------

export interface ContractOperation {
  /** WSDL operation name, e.g. `laes`, `fremsoegobjekthierarki`. */
  name: string;
  /** Body element local names (in the service's body namespace). */
  input: string;
  output: string;
  soapAction: string;
}

export interface ContractService {
  /** WSDL file, binding and port name, e.g. `OrganisationEnhed`. */
  name: string;
  /** Lower-case key as in URLs, e.g. `organisationenhed`. */
  key: string;
  /** Endpoint path as at KOMBIT, e.g. `organisation/organisationenhed/6/`. */
  path: string;
  serviceName: string;
  wsdlNamespace: string;
  /** Namespace of the body elements. */
  namespace: string;
  prefix: string;
  /** Relative path of the schema that declares the body elements. */
  schema: string;
  operations: readonly ContractOperation[];
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function buildServices(): ContractService[] {
  const objectServices = OBJECT_TYPES.map((t): ContractService => ({
    name: t.name,
    key: t.service,
    path: `${t.system}/${t.service}/6/`,
    serviceName: `${t.name}${SERVICE_NAME_SUFFIX[t.system]}`,
    wsdlNamespace: WSDL_NAMESPACE[t.system],
    namespace: t.namespace,
    prefix: t.prefix,
    schema: operationerFile(t),
    operations: OBJECT_OPERATIONS.map((o) => ({
      name: o.op, input: o.input, output: o.output,
      soapAction: `http://kombit.dk/sts/${t.system}/${SOAP_ACTION_SEGMENT[t.service] ?? t.service}/${o.op}`,
    })),
  }));
  const system = (name: string, key: string, namespace: string, prefix: string, schema: string, ops: Array<[string, string, string]>): ContractService => ({
    name, key, path: `organisation/${key}/6/`, serviceName: `${name}Service`, wsdlNamespace: NS.fael, namespace, prefix, schema,
    operations: ops.map(([op, input, output]) => ({ name: op, input, output, soapAction: `http://kombit.dk/sts/organisation/${SOAP_ACTION_SEGMENT[key] ?? key}/${op}` })),
  });
  return [
    ...objectServices,
    system('OrganisationSystem', 'organisationsystem', NS.orgsys, 'orgsys', FILES.orgsys, [
      ['fremsoegobjekthierarki', 'FremsoegObjekthierarkiInput', 'FremsoegObjekthierarkiOutput'],
      ['import', 'ImporterOrganisationSystemInput', 'ImporterOrganisationSystemOutput'],
      ['anonymiser', 'AnonymiserInput', 'AnonymiserOutput'],
    ]),
    system('OrganisationAdministration', 'organisationadministration', NS.orgadm, 'orgadm', FILES.orgadm, [
      ['fysiskslet', 'FysiskSletInput', 'FysiskSletOutput'],
    ]),
  ];
}

/** Every service of the local SF1500 with its operations, body elements and soapActions. */
export const CONTRACT_SERVICES: readonly ContractService[] = buildServices();

export function contractService(service: string): ContractService | undefined {
  const k = service.toLowerCase();
  return CONTRACT_SERVICES.find((s) => s.key === k || s.name.toLowerCase() === k);
}

/** The schema (relative path in the contract) that declares the body elements of a namespace. */
export function operationerSchemaFor(namespace: string): string | undefined {
  return CONTRACT_SERVICES.find((s) => s.namespace === namespace)?.schema;
}

export interface WsdlOptions {
  /**
   * Absolute base URL under which the contract's `xsd/` folder is served (e.g. `http://host:port/contract/`).
   * Default: the relative `../xsd/...` locations of the checked-in files.
   */
  xsdBaseUrl?: string;
}

const wsdl = (tag: string, attrs: Record<string, string | undefined> = {}, ...kids: KidInput[]): XNode => x(`wsdl:${tag}`, attrs, ...kids);
const soap12 = (tag: string, attrs: Record<string, string | undefined> = {}, ...kids: KidInput[]): XNode => x(`soap12:${tag}`, attrs, ...kids);

const SECURITY_NOTE =
  'Security: KOMBIT binds these services with WS-Policy OIOIDWS (SAML 2.0 holder-of-key token from\n'
  + 'the STS, signed WS-Addressing headers, Basic256Sha256). The local SF1500 does not implement\n'
  + 'OIOIDWS, so this contract has no policy; run it on a trusted network only.';

function renderWsdl(s: ContractService, location: string, options: WsdlOptions = {}): string {
  const wsdlFile = `wsdl/${s.name}.wsdl`;
  const schemaLocation = (file: string): string =>
    options.xsdBaseUrl ? new URL(file, options.xsdBaseUrl.endsWith('/') ? options.xsdBaseUrl : `${options.xsdBaseUrl}/`).href : relativeTo(wsdlFile, file);
  const msg = (o: ContractOperation, dir: 'Request' | 'Response'): string => `${s.name}${cap(o.name)}${dir}Message`;
  const body = (o: ContractOperation, dir: 'Request' | 'Response'): string => `${s.prefix}:${dir === 'Request' ? o.input : o.output}`;
  const root = wsdl('definitions', {
    name: s.serviceName, targetNamespace: s.wsdlNamespace,
    'xmlns:wsdl': NS.wsdl, 'xmlns:soap12': NS.soap12wsdl, 'xmlns:xs': NS.xsd, 'xmlns:tns': s.wsdlNamespace,
    'xmlns:hdr': NS.hdr, [`xmlns:${s.prefix}`]: s.namespace,
  },
  wsdl('documentation', {}, text(`${s.name} service of the local SF1500 (SOAP 1.2, document/literal). soapActions: ${s.operations[0].soapAction.replace(/[^/]+$/, '<operation>')}.`)),
  { comment: SECURITY_NOTE },
  wsdl('types', {}, x('xs:schema', {},
    x('xs:import', { namespace: s.namespace, schemaLocation: schemaLocation(s.schema) }),
    x('xs:import', { namespace: NS.hdr, schemaLocation: schemaLocation(FILES.header) }))),
  s.operations.flatMap((o) => (['Request', 'Response'] as const).map((dir) => wsdl('message', { name: msg(o, dir) },
    wsdl('part', { name: 'header', element: 'hdr:RequestHeader' }),
    wsdl('part', { name: dir === 'Request' ? 'request' : 'response', element: body(o, dir) })))),
  wsdl('portType', { name: `${s.name}PortType` }, s.operations.map((o) => wsdl('operation', { name: o.name },
    wsdl('input', { message: `tns:${msg(o, 'Request')}` }),
    wsdl('output', { message: `tns:${msg(o, 'Response')}` })))),
  wsdl('binding', { name: s.name, type: `tns:${s.name}PortType` },
    soap12('binding', { style: 'document', transport: 'http://schemas.xmlsoap.org/soap/http' }),
    s.operations.map((o) => wsdl('operation', { name: o.name },
      soap12('operation', { soapAction: o.soapAction, soapActionRequired: 'false' }),
      (['Request', 'Response'] as const).map((dir) => wsdl(dir === 'Request' ? 'input' : 'output', {},
        soap12('header', { message: `tns:${msg(o, dir)}`, part: 'header', use: 'literal' }),
        soap12('body', { parts: dir === 'Request' ? 'request' : 'response', use: 'literal' })))))),
  wsdl('service', { name: s.serviceName },
    wsdl('port', { name: s.name, binding: `tns:${s.name}` }, soap12('address', { location }))));
  return renderDocument(root, GENERATED);
}

/** Placeholder endpoint of a service in the checked-in WSDL. */
export const placeholderLocation = (s: ContractService): string => `${ADDRESS_PLACEHOLDER_BASE}${s.path}`;

/** The WSDL of a service (key `organisationenhed` or name `OrganisationEnhed`) with its real endpoint URL. */
export function wsdlFor(service: string, location: string, options?: WsdlOptions): string {
  const s = contractService(service);
  if (!s) throw new Error(`unknown SF1500 service ${service}`);
  return renderWsdl(s, location, options);
}

// ------------------------------------------------------------------------------------------
// The whole contract
// ------------------------------------------------------------------------------------------

function readme(files: readonly string[]): string {
  return [
    '# Local SF1500 contract (generated)',
    '',
    'WSDL/XSD of the local SF1500 (FK Organisation v6 services and SF1514 Klasse), generated from the',
    'object model in `src/model` by `src/emulator/contract/generate.ts`. Do not edit these files:',
    'change the model or the generator and run `npm run contract`. A test fails when they are stale.',
    '',
    'The contract is wire-compatible with KOMBIT\'s SF1500 v6: same namespaces, element names and',
    'order, occurrences and facets, SOAP 1.2 document/literal with the `RequestHeader` header part in',
    'every message, and the same soapActions. Type names and the file layout are our own. Where the',
    'model disagrees with KOMBIT, the test lists it (KNOWN_MODEL_DEVIATIONS in test/contract.test.ts). The',
    '`soap12:address` locations are placeholders (`' + ADDRESS_PLACEHOLDER_BASE + '...`); the server',
    'substitutes its own URL when it serves `?wsdl`. WS-Policy (OIOIDWS) is not part of this contract.',
    '',
    'Files:',
    '',
    ...files.map((f) => `* \`${f}\``),
    '',
  ].join('\n');
}

/** Every contract file, keyed by its path relative to the contract root (`contract/`). */
export function generateContract(): Map<string, string> {
  const files = new Map<string, string>();
  files.set(FILES.sagdok, sagDokObjektXsd());
  files.set(FILES.header, requestHeaderXsd());
  files.set(FILES.part, partXsd());
  files.set(FILES.faelles, faellesXsd());
  files.set(FILES.sts, generelleDefinitionerXsd());
  for (const t of OBJECT_TYPES) {
    files.set(objectFile(t), objectXsd(t));
    files.set(operationerFile(t), operationerXsd(t));
  }
  files.set(FILES.orgsys, organisationSystemXsd());
  files.set(FILES.orgadm, organisationAdministrationXsd());
  for (const s of CONTRACT_SERVICES) files.set(`wsdl/${s.name}.wsdl`, renderWsdl(s, placeholderLocation(s)));
  files.set('README.md', readme([...files.keys()]));
  return files;
}
