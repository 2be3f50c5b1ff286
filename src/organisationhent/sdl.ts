/**
 * KOMBIT's OrganisationHent schema (major version 1), written by us from its published description:
 * the same types, fields, arguments, inputs, enums and scalars with the same names and nullability
 * (test/organisationhent checks it against KOMBIT's file). Beyond KOMBIT, every query takes optional
 * `virkning` and `registrering`; omitted, the answer is KOMBIT's: the current state.
 */
/** The fields of the Medlemskab interface, repeated (as GraphQL requires) by both its types. */
const MEDLEMSKAB_FIELDS = `
  "UUID of the underlying OrganisationFunktion."
  uuid: UUID!
  medlemskabRolleTitel: String
  brugervendtNoegle: String
  funktionsTypeUuid: UUID
  funktionsTypeTitel: String
  start: DateTime
  slut: DateTime
`;

export const ORGANISATIONHENT_SDL = /* GraphQL */ `
"KLE number: \\"xx\\", \\"xx.xx\\" or \\"xx.xx.xx\\"; in filters a right-padded \`*\` wildcard is allowed."
scalar KLE
"CPR number: 10 digits."
scalar CPR
"CVR number: 8 digits."
scalar CVR
"UUID (RFC 4122)."
scalar UUID
"Date and time, ISO 8601."
scalar DateTime
"Opaque paging cursor."
scalar Cursor

"Data limitation of the service agreement: SENAVN (SeNavn) or SECPR (SeCPR-nummer)."
directive @PersonDataConstraint(constraint: PersonDataConstraintType!) on FIELD_DEFINITION

enum PersonDataConstraintType {
  SENAVN
  SECPR
}

enum TilstandStatus {
  AKTIV
  INAKTIV
}

"Beyond KOMBIT: valid time, an instant \`{ tidspunkt }\` or a period \`{ fra, til }\` (answered at fra). Omitted: now."
input VirkningInput {
  tidspunkt: DateTime
  fra: DateTime
  til: DateTime
}

"Beyond KOMBIT: transaction time, the data as recorded at \`tidspunkt\`. Omitted: now."
input RegistreringInput {
  tidspunkt: DateTime!
}

type OrganisationEnhedConnection {
  edges: [OrganisaionEnhedEdge]
  pageInfo: PageInfo!
}

type OrganisaionEnhedEdge {
  cursor: Cursor
  node: OrganisationEnhed!
}

type BrugerConnection {
  edges: [BrugerEdge]
  pageInfo: PageInfo!
}

type BrugerEdge {
  cursor: Cursor
  node: Bruger!
}

type PageInfo {
  startCursor: Cursor
  endCursor: Cursor
  hasNextPage: Boolean!
  hasPreviousPage: Boolean!
}

"A public authority (Myndighed) of an Organisation."
type Myndighed {
  uuid: UUID!
  "Authority code, 3 or 4 digits."
  myndighedskode: String!
}

"The company (Virksomhed) of an Organisation: its CVR number."
type Virksomhed {
  uuid: UUID!
  cvrNummerTekst: CVR!
}

"A legal entity, typically a municipality."
type Organisation {
  uuid: UUID!
  organisationsnavn: String!
  brugervendtNoegle: String!
  myndighed: Myndighed
  virksomhed: Virksomhed!
  "The root unit."
  organisationEnhed: OrganisationEnhed!
}

"An organisation unit."
type OrganisationEnhed {
  uuid: UUID!
  enhedsnavn: String!
  brugervendtNoegle: String
  "Active child units."
  underliggendeEnheder: [OrganisationEnhed!]!
  overordnetEnhed: OrganisationEnhed
  tilstand: Tilstand!
  tilhoerer: Organisation!
  adresser(rolle: [UUID!]): [Adresse!]!
  opgaver: [Opgave!]!
  itSystemer: [ItSystem!]!
  "Active memberships, optionally of some Funktionstyper."
  medlemskaber(rolle: [UUID!]): [OrganisationEnhedMedlemskab!]!
  henvendelsessteder: [Henvendelsessted!]!
}

type Henvendelsessted {
  "UUID of the underlying OrganisationFunktion."
  uuid: UUID!
  navn: String!
  henvendelsesOrganisationEnhed: OrganisationEnhed!
  opgave: Opgave
}

type Bruger {
  uuid: UUID!
  brugernavn: String!
  brugervendtNoegle: String
  "The BrugerTyper classification."
  brugerTypeUuid: UUID
  "Its title from Klassifikation."
  brugerTypeTitel: String
  tilstand: Tilstand!
  person: Person
  adresser(rolle: [UUID!]): [Adresse!]!
  "Active memberships only."
  harMedlemskab(rolle: [UUID!]): [BrugerMedlemskab!]!
}

type Person {
  uuid: UUID!
  navn: String @PersonDataConstraint(constraint: SENAVN)
  brugervendtNoegle: String
  cpr: CPR @PersonDataConstraint(constraint: SECPR)
}

type Adresse {
  uuid: UUID!
  adresseTekst: String!
  brugervendtNoegle: String
  "The Rolle's title from Klassifikation; null (with a WARNING) when it cannot be read."
  adresseRolleTitel: String
  klassifikation: KlassifikationRelation!
}

type Opgave {
  "UUID of the KLE Klasse."
  uuid: UUID!
  kleEmneNummer: KLE
  kleEmneTitel: String
  "The Rolle's title (Ansvarlig, ...); not filled in for Henvendelsessteder."
  opgaveRolleTitel: String
  klassifikation: KlassifikationRelation
}

type ItSystem {
  uuid: UUID!
  itSystemNavn: String
}

"A state in effect over [fraTidspunkt, tilTidspunkt[."
type Tilstand {
  status: TilstandStatus!
  fraTidspunkt: DateTime
  tilTidspunkt: DateTime
}

"Type, Rolle and Indeks of a dynamic relation."
type KlassifikationRelation {
  type: UUID!
  rolle: UUID!
  indeks: String!
}

"Bruger in OrganisationEnhed through an OrganisationFunktion; start is the latest VirkningFra of its Gyldighed, TilknyttedeBrugere and TilknyttedeEnheder, slut the earliest VirkningTil."
interface Medlemskab {
${MEDLEMSKAB_FIELDS}}

type BrugerMedlemskab implements Medlemskab {
${MEDLEMSKAB_FIELDS}  medlemAf: OrganisationEnhed
}

type OrganisationEnhedMedlemskab implements Medlemskab {
${MEDLEMSKAB_FIELDS}  bruger: Bruger
}

"KLE filter; without rolle no unit is left out for its role."
input KleFilter {
  rolle: UUID
  kleNummer: [KLE!]!
}

input AdresseRolleFilter {
  rolle: UUID!
  tekst: String!
}

input PersonFilter {
  navn: String
  cpr: CPR
}

input BrugerFilter {
  brugernavn: String
  adresseRolleFilter: AdresseRolleFilter
  brugerTypeUuid: UUID
  personFilter: PersonFilter
}

type Query {
  organisation(cvr: CVR!, virkning: VirkningInput, registrering: RegistreringInput): Organisation
  "Units of the organisation; the root unit, when in the result, comes first."
  organisationEnhedListe(cvr: CVR!, status: TilstandStatus!, opgaver: KleFilter, itSystemer: [UUID!], first: Int, last: Int, after: Cursor, before: Cursor, virkning: VirkningInput, registrering: RegistreringInput): OrganisationEnhedConnection
  organisationEnhed(uuid: [UUID!]!, virkning: VirkningInput, registrering: RegistreringInput): [OrganisationEnhed]
  bruger(uuid: [UUID!]!, virkning: VirkningInput, registrering: RegistreringInput): [Bruger]
  brugerListe(cvr: CVR!, status: TilstandStatus!, brugerFilter: BrugerFilter, first: Int, last: Int, after: Cursor, before: Cursor, virkning: VirkningInput, registrering: RegistreringInput): BrugerConnection
}
`;
