import { NS } from '../model/namespaces';
import { UUID_PATTERN } from '../model/domain';
import { HIERARCHY_LISTS, OBJECT_OPERATIONS, OBJECT_TYPES, objectType, type ObjectOperation } from '../model/objects';
import type { AttributeSpec, ElementNs, ObjectTypeSpec, RelationSpec, StateSpec } from '../model/types';
import { FILES, operationerFile, objectFile } from './layout';
import {
  attributeFacets, complexType, doc, type Occ, elementWithType, extension, global, local, ref, sameFacets, schemaDocument, seq, SimpleDeclarations,
  simpleElement, simpleType, STS_SIMPLE_TYPES, xs, xsdPattern, type Facets,
} from './xsd-kit';
import { text, type XNode } from './xmltree';

/** The schema documents: the sagdok common types, each object type's schemas, and the two system services'. */

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
      return { element: rel.element, type: rel.dynamicType ?? `${rel.element}FlerRelationType`, base: 'DynamicFlerRelationType' };
    }
    const target = rel.target ?? rel.externalType;
    if (!target) throw new Error(`relation ${rel.element} has no target; give it an externalType in the model`);
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
  return elementWithType(s.element, p, seq(ref('sd:Virkning', '0..1'), ref(`${s.valueNs}:${s.valueElement}`, s.valueOptional ? '0..1' : '1')));
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

export function sagDokObjektXsd(): string {
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
      for (const { element: c, maxLength } of a.children ?? []) {
        if (maxLength !== undefined) attrs.add(c, { base: 'string', maxLength }, `${t.name}.${a.element}/${c}`);
        else if (!OBJECT_TYPES.some((o) => o.attributes.some((oa) => oa.ns === 'sd' && oa.element === c))) {
          throw new Error(`${t.name}.${a.element}/${c}: facets unknown; give the child a maxLength in the model`);
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
    simpleElement('UUIDIdentifikator', { base: 'string', pattern: xsdPattern(UUID_PATTERN) }),
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

export function requestHeaderXsd(): string {
  const body = [
    global('RequestHeader', 'hdr:RequestHeaderType', 'SOAP header of every request and response.'),
    complexType('RequestHeaderType', xs('all', {}, ref('hdr:TransactionUUID'))),
    global('TransactionUUID', 'hdr:TransactionUUIDType', 'Correlates request and response; any non-empty string (clients send a UUID).'),
    simpleType('TransactionUUIDType', { base: 'string', minLength: 1 }),
  ];
  return schemaDocument(FILES.header, 'hdr', 'KOMBIT RequestHeader.', body);
}

export function partXsd(): string {
  return schemaDocument(FILES.part, 'part', 'Part: base of Person, Virksomhed, Myndighed and of Aktoer.',
    elementWithType('Part', 'part', extension('sd:SagDokObjektType')));
}

export function faellesXsd(): string {
  const states = uniqueStates(statesIn('fael'));
  const values = uniqueStates(OBJECT_TYPES.flatMap((t) => (t.state && t.state.valueNs === 'fael' ? [{ t, s: t.state }] : [])));
  const body = [
    ...elementWithType('Aktoer', 'fael', extension('part:PartType')),
    ...states.flatMap(({ t, s }) => stateDeclarations(t, s)),
    ...values.flatMap(({ s }) => stateValueDeclarations(s)),
  ];
  return schemaDocument(FILES.faelles, 'fael', 'Shared SF1500 organisation types: Aktoer and the Gyldighed state.', body);
}

export function generelleDefinitionerXsd(): string {
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
    return elementWithType(a.element, t.prefix, seq(a.children.map((c) => ref(`sd:${c.element}`, '0..1'))));
  }
  const f = attributeFacets(a);
  const named = Object.entries(STS_SIMPLE_TYPES).find(([, nf]) => sameFacets(nf, f));
  return [named ? global(a.element, `sts:${named[0]}`) : simpleElement(a.element, f)];
}

export function objectXsd(t: ObjectTypeSpec): string {
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

export function operationerXsd(t: ObjectTypeSpec): string {
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

export function organisationSystemXsd(): string {
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
    simpleType('UUIDType', { base: 'string', pattern: xsdPattern(UUID_PATTERN) }),
    simpleType('CPRType', { base: 'string', pattern: xsdPattern(cpr.pattern) }),
  ];
  return schemaDocument(FILES.orgsys, 'orgsys', 'OrganisationSystem: hierarchy search, bulk import, anonymisation.', body);
}

export function organisationAdministrationXsd(): string {
  const body: XNode[] = [
    global('FysiskSletInput', 'orgadm:FysiskSletInputType'),
    global('FysiskSletOutput', 'sd:BasicOutputType'),
    complexType('FysiskSletInputType', seq(local('OrganisationUUID', 'orgadm:UUIDType'), local('OrganisationEnhedUUID', 'orgadm:UUIDType'))),
    simpleType('UUIDType', { base: 'string', pattern: xsdPattern(UUID_PATTERN) }),
  ];
  return schemaDocument(FILES.orgadm, 'orgadm', 'OrganisationAdministration: physical deletion.', body);
}
