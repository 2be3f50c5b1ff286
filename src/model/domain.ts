/**
 * Domain values of the OIO bitemporal model, shared by the local SF1500 and the client.
 * Times are ISO 8601 strings as they travel on the wire; `null` marks an open end
 * (`GraenseIndikator` true: -infinity for fra, +infinity for til).
 */

export type Livscyklus = 'Opstaaet' | 'Importeret' | 'Passiveret' | 'Slettet';
export const LIVSCYKLUS: readonly Livscyklus[] = ['Opstaaet', 'Importeret', 'Passiveret', 'Slettet'];

export type AktoerTypeKode =
  | 'Organisation' | 'OrganisationEnhed' | 'OrganisationFunktion' | 'Bruger' | 'ItSystem' | 'Interessefaellesskab';
export const AKTOER_TYPE_KODER: readonly AktoerTypeKode[] = [
  'Organisation', 'OrganisationEnhed', 'OrganisationFunktion', 'Bruger', 'ItSystem', 'Interessefaellesskab',
];

export interface Virkning {
  fra: string | null;
  til: string | null;
  aktoerRef?: string;
  aktoerTypeKode?: AktoerTypeKode;
  noteTekst?: string;
}

/** A reference is a UUID or a URN (sd:UnikIdType). */
export interface Ref {
  uuid?: string;
  urn?: string;
}

export interface LabelRef extends Ref {
  label?: string;
}

/** One Egenskab row: attribute values keyed by the XML element's local name. */
export interface Egenskab {
  virkning: Virkning;
  values: Record<string, string | string[]>;
}

/** One Tilstand row (Gyldighed: Aktiv/Inaktiv; Klasse PubliceretStatus: 'true'/'false'). */
export interface Tilstand {
  virkning: Virkning;
  value: string;
}

/** One relation row; `rolle`, `type`, `indeks` only on dynamic relations (Adresser, Opgaver). */
export interface Relation {
  name: string;
  virkning: Virkning;
  ref: Ref;
  rolle?: LabelRef;
  type?: LabelRef;
  indeks?: string;
}

export interface Registrering {
  tidspunkt?: string;
  livscyklus?: Livscyklus;
  brugerRef?: string;
  noteTekst?: string;
  egenskaber: Egenskab[];
  tilstande: Tilstand[];
  relationer: Relation[];
}

/** A FiltreretOejebliksbillede / imported object: identity plus registrations. */
export interface Objekt {
  uuid: string;
  registreringer: Registrering[];
}

/** sd:StandardRetur. */
export interface StandardRetur {
  statusKode: number;
  fejlbeskedTekst?: string;
}

export const UUID_PATTERN = /^[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}$/;
export const isUuid = (s: string): boolean => UUID_PATTERN.test(s);
