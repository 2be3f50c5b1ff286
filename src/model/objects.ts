import { klassifikationNs, organisationNs } from './namespaces';
import type { AttributeSpec, ObjectTypeName, ObjectTypeSpec, RelationSpec, StateSpec } from './types';

/**
 * The ten SF1500 v6 object types and SF1514 Klasse, transcribed from the XSDs (SPEC §6, §7).
 * Element order in every list is the XSD sequence order: the wire depends on it.
 */

const bvn: AttributeSpec = {
  element: 'BrugervendtNoegleTekst', ns: 'sd', field: 'brugervendtNoegle', maxLength: 50,
  description: 'Business key (brugervendt nøgle).',
};
const text = (element: string, field: string, description: string, maxLength = 200, ns: AttributeSpec['ns'] = 'sd'): AttributeSpec =>
  ({ element, ns, field, description, maxLength });

const gyldighed: StateSpec = {
  element: 'Gyldighed', ns: 'fael', valueElement: 'GyldighedStatusKode', valueNs: 'fael',
  values: ['Aktiv', 'Inaktiv'], field: 'gyldighed',
};

/** Relation catalogue: the sd element name decides the target type everywhere (SagDokObjekt.xsd). */
const REL: Record<string, Omit<RelationSpec, 'multi'>> = {
  Adresser: { element: 'Adresser', field: 'adresser', target: 'Adresse', dynamic: true, dynamicType: 'AdresseFlerRelationType', description: 'Addresses, each with rolle, type and indeks.' },
  Ansatte: { element: 'Ansatte', field: 'ansatte', target: 'Person', description: 'Employed persons (not used by KOMBIT guidance).' },
  Branche: { element: 'Branche', field: 'branche', target: 'Klasse', description: 'Industry classification.' },
  Organisationstype: { element: 'Organisationstype', field: 'organisationstype', target: 'Klasse', description: 'Organisation type classification.' },
  Myndighed: { element: 'Myndighed', field: 'myndighed', target: 'Myndighed', description: 'The public authority.' },
  Myndighedstype: { element: 'Myndighedstype', field: 'myndighedstype', target: 'Klasse', description: 'Authority type classification.' },
  Enhedstype: { element: 'Enhedstype', field: 'enhedstype', target: 'Klasse', description: 'Unit type (Afdeling, Team, ...).' },
  Funktionstype: { element: 'Funktionstype', field: 'funktionstype', target: 'Klasse', description: 'Function type (Enhedsrolle, Lederrolle, ...).' },
  Opgaver: { element: 'Opgaver', field: 'opgaver', target: 'Klasse', dynamic: true, dynamicType: 'OpgaverFlerRelationType', description: 'KLE tasks the unit is responsible for.' },
  TilknyttedeOpgaver: { element: 'TilknyttedeOpgaver', field: 'tilknyttedeOpgaver', target: 'Klasse', description: 'Associated KLE tasks.' },
  Overordnet: { element: 'Overordnet', field: 'overordnet', target: 'OrganisationEnhed', description: 'Parent unit (for Organisation: the root unit).' },
  Produktionsenhed: { element: 'Produktionsenhed', field: 'produktionsenhed', target: 'Virksomhed', description: 'Production unit (P-number company).' },
  Skatteenhed: { element: 'Skatteenhed', field: 'skatteenhed', target: 'Virksomhed', description: 'Tax unit (SE-number company).' },
  Tilhoerer: { element: 'Tilhoerer', field: 'tilhoerer', target: 'Organisation', description: 'The organisation it belongs to.' },
  TilknyttedeBrugere: { element: 'TilknyttedeBrugere', field: 'tilknyttedeBrugere', target: 'Bruger', description: 'Associated users.' },
  TilknyttedeEnheder: { element: 'TilknyttedeEnheder', field: 'tilknyttedeEnheder', target: 'OrganisationEnhed', description: 'Associated units.' },
  TilknyttedeFunktioner: { element: 'TilknyttedeFunktioner', field: 'tilknyttedeFunktioner', target: 'OrganisationFunktion', description: 'Associated functions.' },
  TilknyttedeInteressefaellesskaber: { element: 'TilknyttedeInteressefaellesskaber', field: 'tilknyttedeInteressefaellesskaber', target: 'Interessefaellesskab', description: 'Associated communities of interest.' },
  TilknyttedeOrganisationer: { element: 'TilknyttedeOrganisationer', field: 'tilknyttedeOrganisationer', target: 'Organisation', description: 'Associated organisations.' },
  TilknyttedePersoner: { element: 'TilknyttedePersoner', field: 'tilknyttedePersoner', target: 'Person', description: 'Associated persons.' },
  TilknyttedeItSystemer: { element: 'TilknyttedeItSystemer', field: 'tilknyttedeItSystemer', target: 'ItSystem', description: 'Associated IT systems.' },
  Virksomhed: { element: 'Virksomhed', field: 'virksomhed', target: 'Virksomhed', description: 'The company (CVR).' },
  Virksomhedstype: { element: 'Virksomhedstype', field: 'virksomhedstype', target: 'Klasse', description: 'Company type classification.' },
  BrugerTyper: { element: 'BrugerTyper', field: 'brugerTyper', target: 'Klasse', description: 'User type classifications.' },
  SystemTyper: { element: 'SystemTyper', field: 'systemTyper', target: 'Klasse', description: 'System type classifications.' },
  Interessefaellesskabstype: { element: 'Interessefaellesskabstype', field: 'interessefaellesskabstype', target: 'Klasse', description: 'Community type classification.' },
  // SF1514 Klasse relations
  Ansvarlig: { element: 'Ansvarlig', field: 'ansvarlig', target: null, externalType: 'Aktoer', description: 'Responsible actor.' },
  Ejer: { element: 'Ejer', field: 'ejer', target: null, externalType: 'Aktoer', description: 'Owning actor.' },
  Erstatter: { element: 'Erstatter', field: 'erstatter', target: 'Klasse', description: 'Classes this class replaces.' },
  Facet: { element: 'Facet', field: 'facet', target: null, externalType: 'Facet', description: 'The facet the class belongs to.' },
  LovligeKombinationer: { element: 'LovligeKombinationer', field: 'lovligeKombinationer', target: 'Klasse', description: 'Allowed combinations.' },
  Mapninger: { element: 'Mapninger', field: 'mapninger', target: 'Klasse', description: 'Mappings.' },
  OverordnetKlasse: { element: 'OverordnetKlasse', field: 'overordnetKlasse', target: 'Klasse', description: 'Parent class (KLE: the group or main group).' },
  Redaktoerer: { element: 'Redaktoerer', field: 'redaktoerer', target: null, externalType: 'Aktoer', description: 'Editors.' },
  Sideordnede: { element: 'Sideordnede', field: 'sideordnede', target: 'Klasse', description: 'Sibling classes.' },
  Tilfoejelser: { element: 'Tilfoejelser', field: 'tilfoejelser', target: 'Klasse', description: 'Additions.' },
};

/** `rels('Adresser*', 'Branche', ...)`: a trailing `*` marks 0..n, otherwise 0..1. */
function rels(...names: string[]): RelationSpec[] {
  return names.map((n) => {
    const multi = n.endsWith('*');
    const base = REL[multi ? n.slice(0, -1) : n];
    if (!base) throw new Error(`unknown relation ${n}`);
    return { ...base, multi };
  });
}

const tilknyttede = [
  'TilknyttedeBrugere*', 'TilknyttedeEnheder*', 'TilknyttedeFunktioner*', 'TilknyttedeInteressefaellesskaber*',
  'TilknyttedeOrganisationer*', 'TilknyttedePersoner*', 'TilknyttedeItSystemer*',
];

function org(name: ObjectTypeName, plural: string, service: string, prefix: string, rest: Omit<ObjectTypeSpec, 'name' | 'plural' | 'service' | 'system' | 'namespace' | 'prefix'>): ObjectTypeSpec {
  return { name, plural, service, system: 'organisation', namespace: organisationNs(service), prefix, ...rest };
}

export const OBJECT_TYPES: readonly ObjectTypeSpec[] = [
  org('Organisation', 'Organisationer', 'organisation', 'org', {
    base: 'aktoer', state: gyldighed, opretListsOptional: false, nameAttribute: 'OrganisationNavn',
    description: 'A municipality or other organisation.',
    attributes: [bvn, text('OrganisationNavn', 'navn', 'Name of the organisation.')],
    relations: rels('Adresser*', 'Ansatte*', 'Branche', 'Organisationstype', 'Myndighed', 'Myndighedstype', 'TilknyttedeOpgaver*',
      'Overordnet', 'Produktionsenhed', 'Skatteenhed', 'Tilhoerer', 'TilknyttedeBrugere*', 'TilknyttedeEnheder*', 'TilknyttedeFunktioner*',
      'TilknyttedeInteressefaellesskaber*', 'TilknyttedeOrganisationer*', 'TilknyttedePersoner*', 'TilknyttedeItSystemer*', 'Virksomhed', 'Virksomhedstype'),
  }),
  org('OrganisationEnhed', 'OrganisationEnheder', 'organisationenhed', 'orgenhed', {
    base: 'aktoer', state: gyldighed, opretListsOptional: false, nameAttribute: 'EnhedNavn',
    description: 'An organisational unit (department, team, ...).',
    attributes: [bvn, text('EnhedNavn', 'navn', 'Name of the unit.')],
    relations: rels('Adresser*', 'Ansatte*', 'Branche', 'Enhedstype', 'Opgaver*', 'Overordnet', 'Produktionsenhed', 'Skatteenhed', 'Tilhoerer', ...tilknyttede),
  }),
  org('OrganisationFunktion', 'OrganisationFunktioner', 'organisationfunktion', 'orgfunk', {
    base: 'aktoer', state: gyldighed, opretListsOptional: false, nameAttribute: 'FunktionNavn',
    description: 'A function: a position (Enhedsrolle), a leader role (Lederrolle), a contact place, ...',
    attributes: [bvn, text('FunktionNavn', 'navn', 'Name of the function, e.g. a job title.')],
    relations: rels('Adresser*', 'Funktionstype', 'TilknyttedeOpgaver*', 'TilknyttedeBrugere*', 'TilknyttedeEnheder*', 'TilknyttedeInteressefaellesskaber*',
      'TilknyttedeOrganisationer*', 'TilknyttedePersoner*', 'TilknyttedeItSystemer*'),
  }),
  org('Bruger', 'Brugere', 'bruger', 'bruger', {
    base: 'aktoer', state: gyldighed, opretListsOptional: false, nameAttribute: 'BrugerNavn',
    description: 'A user account of a person in the organisation.',
    attributes: [bvn, text('BrugerNavn', 'navn', 'User name.'), text('BrugerTypeTekst', 'brugerType', 'User type text.', 50)],
    relations: rels('Adresser*', 'BrugerTyper*', 'TilknyttedeOpgaver*', 'Tilhoerer', 'TilknyttedeEnheder*', 'TilknyttedeFunktioner*',
      'TilknyttedeInteressefaellesskaber*', 'TilknyttedeOrganisationer*', 'TilknyttedePersoner*', 'TilknyttedeItSystemer*'),
  }),
  org('Person', 'Personer', 'person', 'person', {
    base: 'part', state: null, opretListsOptional: false, nameAttribute: 'NavnTekst',
    description: 'A natural person.',
    attributes: [bvn,
      { element: 'CPR-NummerTekst', ns: 'sts', field: 'cprNummer', pattern: /^[0-9]{10}$/, sensitive: true, description: 'CPR number (only with the CPR permission).' },
      { ...text('NavnTekst', 'navn', 'Name of the person.', 100, 'self'), personName: true }],
    relations: [],
  }),
  org('Adresse', 'Adresser', 'adresse', 'adresse', {
    base: 'sagdok', state: null, opretListsOptional: true, nameAttribute: 'AdresseTekst',
    description: 'One address value: e-mail, phone, postal address, URL, EAN, opening hours, ...',
    attributes: [bvn, text('AdresseTekst', 'adresseTekst', 'The address value.', 200, 'sts')],
    relations: [],
  }),
  org('ItSystem', 'ItSystemer', 'itsystem', 'itsystem', {
    base: 'aktoer', state: gyldighed, opretListsOptional: false, nameAttribute: 'ItSystemNavn',
    description: 'An IT system.',
    attributes: [bvn, text('ItSystemNavn', 'navn', 'Name of the IT system.'), text('ItSystemTypeTekst', 'itSystemType', 'System type text.', 50),
      { element: 'KonfigurationReference', ns: 'sd', field: 'konfigurationReferencer', maxLength: 1024, repeats: true, description: 'Configuration references.' }],
    relations: rels('Adresser*', 'TilknyttedeOpgaver*', 'SystemTyper*', 'Tilhoerer*', 'TilknyttedeBrugere*', 'TilknyttedeEnheder*', 'TilknyttedeFunktioner*',
      'TilknyttedeInteressefaellesskaber*', 'TilknyttedeOrganisationer*', 'TilknyttedePersoner*', 'TilknyttedeItSystemer*'),
  }),
  org('Interessefaellesskab', 'Interessefaellesskaber', 'interessefaellesskab', 'intfs', {
    base: 'aktoer', state: gyldighed, opretListsOptional: false, nameAttribute: 'InteressefaellesskabNavn',
    description: 'A community of interest.',
    attributes: [bvn, text('InteressefaellesskabNavn', 'navn', 'Name.'), text('InteressefaellesskabTypeTekst', 'interessefaellesskabType', 'Type text.', 50)],
    relations: rels('Adresser*', 'Branche', 'Interessefaellesskabstype', 'TilknyttedeOpgaver*', 'Overordnet', 'Tilhoerer', ...tilknyttede),
  }),
  org('Virksomhed', 'Virksomheder', 'virksomhed', 'virksomhed', {
    base: 'part', state: null, opretListsOptional: true, nameAttribute: 'NavnTekst',
    description: 'A company (CVR register).',
    attributes: [bvn,
      { element: 'CVR-NummerTekst', ns: 'sts', field: 'cvrNummer', pattern: /^[0-9]{8}$/, description: 'CVR number.' },
      { element: 'SE-NummerTekst', ns: 'sts', field: 'seNummer', pattern: /^[0-9]{8}$/, description: 'SE number.' },
      { element: 'P-NummerTekst', ns: 'sts', field: 'pNummer', pattern: /^[0-9]{10}$/, description: 'P number.' },
      text('NavnTekst', 'navn', 'Name of the company.', 200, 'sts')],
    relations: [],
  }),
  org('Myndighed', 'Myndigheder', 'myndighed', 'myndighed', {
    base: 'part', state: null, opretListsOptional: false, nameAttribute: 'NavnTekst',
    description: 'A public authority.',
    attributes: [bvn,
      { element: 'CVR-NummerTekst', ns: 'sts', field: 'cvrNummer', pattern: /^[0-9]{8}$/, description: 'CVR number.' },
      text('NavnTekst', 'navn', 'Name of the authority.', 200, 'sts'),
      { element: 'MyndighedsKode', ns: 'sts', field: 'myndighedsKode', pattern: /^([0-9]{3}|[0-9]{4})$/, description: 'Authority code (CPR authority code).' }],
    relations: [],
  }),
  {
    name: 'Klasse', plural: 'Klasser', service: 'klasse', system: 'klassifikation', namespace: klassifikationNs('klasse'), prefix: 'klasse',
    base: 'sagdok', opretListsOptional: false, nameAttribute: 'TitelTekst',
    description: 'A classification class (SF1514), e.g. a KLE number.',
    state: { element: 'PubliceretStatus', ns: 'self', valueElement: 'ErPubliceretIndikator', valueNs: 'sd', values: ['true', 'false'], field: 'publiceret', valueOptional: true },
    attributes: [bvn,
      text('BeskrivelseTekst', 'beskrivelse', 'Description.', 10000), text('EksempelTekst', 'eksempel', 'Example.', 4096),
      text('OmfangTekst', 'omfang', 'Scope.', 1024), text('TitelTekst', 'titel', 'Title.', 300),
      text('RetskildeTekst', 'retskilde', 'Legal source.', 4096), text('AendringsnotatTekst', 'aendringsnotat', 'Change note.', 1024),
      { element: 'Soegeord', ns: 'self', field: 'soegeord', repeats: true, children: [{ element: 'SoegeordIdentifikator', maxLength: 50 }, { element: 'BeskrivelseTekst' }, { element: 'SoegeordKategoriTekst', maxLength: 1024 }], description: 'Search words.' }],
    relations: rels('Ansvarlig', 'Ejer', 'Erstatter*', 'Facet', 'LovligeKombinationer*', 'Mapninger*', 'OverordnetKlasse', 'Redaktoerer*', 'Sideordnede*', 'Tilfoejelser*'),
  },
];

const BY_NAME = new Map<string, ObjectTypeSpec>(OBJECT_TYPES.map((t) => [t.name, t]));
const BY_SERVICE = new Map<string, ObjectTypeSpec>(OBJECT_TYPES.map((t) => [t.service, t]));
const BY_NAMESPACE = new Map<string, ObjectTypeSpec>(OBJECT_TYPES.map((t) => [t.namespace, t]));

export function objectType(name: ObjectTypeName): ObjectTypeSpec {
  const spec = BY_NAME.get(name);
  if (!spec) throw new Error(`unknown object type ${name}`);
  return spec;
}
export const objectTypeByService = (service: string): ObjectTypeSpec | undefined => BY_SERVICE.get(service);
export const objectTypeByNamespace = (ns: string): ObjectTypeSpec | undefined => BY_NAMESPACE.get(ns);
export const relationSpec = (t: ObjectTypeSpec, element: string): RelationSpec | undefined => t.relations.find((r) => r.element === element);

/** The OrganisationSystem hierarchy lists, in wire order, with the object type of each. */
export const HIERARCHY_LISTS: ReadonlyArray<{ element: string; type: ObjectTypeName }> = [
  { element: 'Organisationer', type: 'Organisation' },
  { element: 'OrganisationEnheder', type: 'OrganisationEnhed' },
  { element: 'OrganisationFunktioner', type: 'OrganisationFunktion' },
  { element: 'Brugere', type: 'Bruger' },
  { element: 'Interessefaellesskaber', type: 'Interessefaellesskab' },
  { element: 'ItSystemer', type: 'ItSystem' },
];

/**
 * The hierarchy lists a snapshot holds completely: an object of these types absent from the snapshot of
 * a time was not live then. A reference to one of the other types may point past the snapshot, and is
 * answered as it is.
 */
export const HIERARCHY_COMPLETE: ReadonlySet<ObjectTypeName> = new Set<ObjectTypeName>(['Bruger', 'OrganisationFunktion', 'OrganisationEnhed']);

/** Operations of each object service, with their body element names (note ImportInput for `importer`). */
export const OBJECT_OPERATIONS = [
  { op: 'opret', input: 'OpretInput', output: 'OpretOutput' },
  { op: 'importer', input: 'ImportInput', output: 'ImportOutput' },
  { op: 'passiver', input: 'PassiverInput', output: 'PassiverOutput' },
  { op: 'laes', input: 'LaesInput', output: 'LaesOutput' },
  { op: 'ret', input: 'RetInput', output: 'RetOutput' },
  { op: 'slet', input: 'SletInput', output: 'SletOutput' },
  { op: 'soeg', input: 'SoegInput', output: 'SoegOutput' },
  { op: 'list', input: 'ListInput', output: 'ListOutput' },
] as const;
export type ObjectOperation = (typeof OBJECT_OPERATIONS)[number]['op'];

/** Well-known classification UUIDs (SPEC §9). */
export const KLASSER = {
  FUNKTIONSTYPE_ENHEDSROLLE: '02e61900-33e0-407f-a2a7-22f70221f003',
  FUNKTIONSTYPE_LEDERROLLE: '46c73630-f7ad-4000-9624-c06131cde671',
  FUNKTIONSTYPE_UDBETALENDE_ENHED: 'faf29ba2-da6d-49c4-8a2f-0739172f4227',
  FUNKTIONSTYPE_HENVENDELSESSTED: '7368482a-177e-4e04-8574-f558e6f1ef45',
  ENHEDSTYPE_AFDELING: '16bf18c3-ed6f-44b0-b7a1-35f94984e519',
  ENHEDSTYPE_TEAM: '2d9710bf-e9cc-465f-8ec7-46d5f2a64412',
  OPGAVE_ROLLE_ANSVARLIG: '2a5f38d8-7092-4b3f-85cc-7e272c3c4bb0',
  OPGAVE_TYPE_KLASSE: '9870b51e-3bc0-4f98-8827-eba991dd89a9',
} as const;
