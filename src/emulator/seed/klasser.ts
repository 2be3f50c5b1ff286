import { KLASSER } from '../../model';
import { nameUuid } from './uuid';

/**
 * Classification classes that SF1500 relations point to (Funktionstype, Enhedstype, address
 * Rolle/Type, Opgaver Rolle/Type). UUIDs as published in KOMBIT's "Anvisninger til anvendelse af
 * STS-Organisation" (via OS2sync's UUIDConstants / OrganisationEnhedStubHelper); the keys follow
 * the Korsbæk sample dataset. The titles and facet grouping are ours.
 */
export const KLASSIFIKATION = {
  ADDR_TYPE_ORGUNIT: '9b33c0a0-a566-4ec0-8200-325cb1e5bb9a',
  ADDR_TYPE_USER: '71a08d28-3af7-4bb4-9964-bc2b76b93d64',
  ROLE_OU_EMAIL: '2b670843-ce42-411a-8fb5-311dfdd5caf0',
  ROLE_OU_PHONE: '8dcfa714-5ed3-4000-b551-2ba520e7d8ad',
  ROLE_OU_POST: '80b610c6-314b-485a-a014-a9a1d7070bc4',
  ROLE_OU_CONTACT_ADDRESS: '639a3ed9-86b0-4968-825b-434666cf6220',
  ROLE_OU_URL: 'a99c073d-482e-47d3-9275-13c79f453c3a',
  ROLE_OU_EAN: '9ccaafe4-c4b2-4d25-942a-2ec5730d4ed8',
  ROLE_OU_LOSSHORTNAME: '47a33082-4687-4a68-b82f-5bf6f9d8ee13',
  ROLE_OU_PHONE_OPEN_HOURS: 'f6fd6117-c718-4254-a6f5-92538ad5a2f4',
  ROLE_USER_EMAIL: '5d13e891-162a-456b-abf2-fd9b864df96d',
  ROLE_USER_PHONE: '5ef6be2d-59f4-4652-a680-585929924ba9',
  FUNK_ENHEDSROLLE: KLASSER.FUNKTIONSTYPE_ENHEDSROLLE,
  FUNK_LEDERROLLE: KLASSER.FUNKTIONSTYPE_LEDERROLLE,
  FUNK_UDBETALENDE_ENHED: KLASSER.FUNKTIONSTYPE_UDBETALENDE_ENHED,
  FUNK_HENVENDELSESSTED: KLASSER.FUNKTIONSTYPE_HENVENDELSESSTED,
  ENHEDSTYPE_AFDELING: KLASSER.ENHEDSTYPE_AFDELING,
  ENHEDSTYPE_TEAM: KLASSER.ENHEDSTYPE_TEAM,
  OPGAVE_ROLLE_ANSVARLIG: KLASSER.OPGAVE_ROLLE_ANSVARLIG,
  OPGAVE_TYPE_KLASSE: KLASSER.OPGAVE_TYPE_KLASSE,
} as const;
export type KlassifikationKey = keyof typeof KLASSIFIKATION;

/** Facets (SF1514) of the seeded classes. Facets are outside this model: only their UUIDs appear. */
export const FACETTER = {
  Adressetype: nameUuid('facet:Adressetype'),
  Adresserolle: nameUuid('facet:Adresserolle'),
  Funktionstype: nameUuid('facet:Funktionstype'),
  Enhedstype: nameUuid('facet:Enhedstype'),
  Opgaverolle: nameUuid('facet:Opgaverolle'),
  Opgavetype: nameUuid('facet:Opgavetype'),
  KLE: nameUuid('facet:KLE'),
} as const;
export type FacetName = keyof typeof FACETTER;

/** Title (TitelTekst), business key (BrugervendtNoegleTekst) and facet of every classification class. */
export const KLASSIFIKATION_TITLER: Record<KlassifikationKey, { titel: string; bvn: string; facet: FacetName }> = {
  ADDR_TYPE_ORGUNIT: { titel: 'Enhedsadresse', bvn: 'Adressetype-Enhed', facet: 'Adressetype' },
  ADDR_TYPE_USER: { titel: 'Brugeradresse', bvn: 'Adressetype-Bruger', facet: 'Adressetype' },
  ROLE_OU_EMAIL: { titel: 'Email', bvn: 'Enhed-Email', facet: 'Adresserolle' },
  ROLE_OU_PHONE: { titel: 'Telefon', bvn: 'Enhed-Telefon', facet: 'Adresserolle' },
  ROLE_OU_POST: { titel: 'Postadresse', bvn: 'Enhed-Postadresse', facet: 'Adresserolle' },
  ROLE_OU_CONTACT_ADDRESS: { titel: 'Henvendelsesadresse', bvn: 'Enhed-Henvendelsesadresse', facet: 'Adresserolle' },
  ROLE_OU_URL: { titel: 'Hjemmeside', bvn: 'Enhed-URL', facet: 'Adresserolle' },
  ROLE_OU_EAN: { titel: 'EAN-nummer', bvn: 'Enhed-EAN', facet: 'Adresserolle' },
  ROLE_OU_LOSSHORTNAME: { titel: 'LOS kortnavn', bvn: 'Enhed-LOS-kortnavn', facet: 'Adresserolle' },
  ROLE_OU_PHONE_OPEN_HOURS: { titel: 'Telefontider', bvn: 'Enhed-Telefontider', facet: 'Adresserolle' },
  ROLE_USER_EMAIL: { titel: 'Email', bvn: 'Bruger-Email', facet: 'Adresserolle' },
  ROLE_USER_PHONE: { titel: 'Telefon', bvn: 'Bruger-Telefon', facet: 'Adresserolle' },
  FUNK_ENHEDSROLLE: { titel: 'Enhedsrolle', bvn: 'Enhedsrolle', facet: 'Funktionstype' },
  FUNK_LEDERROLLE: { titel: 'Lederrolle', bvn: 'Lederrolle', facet: 'Funktionstype' },
  FUNK_UDBETALENDE_ENHED: { titel: 'Udbetalende enhed', bvn: 'Udbetalende enhed', facet: 'Funktionstype' },
  FUNK_HENVENDELSESSTED: { titel: 'Henvendelsessted', bvn: 'Henvendelsessted', facet: 'Funktionstype' },
  ENHEDSTYPE_AFDELING: { titel: 'Afdeling', bvn: 'Afdeling', facet: 'Enhedstype' },
  ENHEDSTYPE_TEAM: { titel: 'Team', bvn: 'Team', facet: 'Enhedstype' },
  OPGAVE_ROLLE_ANSVARLIG: { titel: 'Ansvarlig', bvn: 'Opgaverolle-Ansvarlig', facet: 'Opgaverolle' },
  OPGAVE_TYPE_KLASSE: { titel: 'Klasse', bvn: 'Opgavetype-Klasse', facet: 'Opgavetype' },
};
