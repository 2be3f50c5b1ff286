/** Specification types of the OIO object model: one description drives contract, storage, mapping, GraphQL. */

export type ObjectTypeName =
  | 'Organisation' | 'OrganisationEnhed' | 'OrganisationFunktion' | 'Bruger' | 'Person' | 'Adresse'
  | 'ItSystem' | 'Interessefaellesskab' | 'Virksomhed' | 'Myndighed' | 'Klasse';

/** Where an element lives: the sagdok namespace, the sts namespace, or the object's own namespace. */
export type ElementNs = 'sd' | 'sts' | 'self';

export interface AttributeSpec {
  /** XML local name, e.g. `EnhedNavn`. */
  element: string;
  ns: ElementNs;
  /** GraphQL field name, e.g. `navn`. */
  field: string;
  description: string;
  maxLength?: number;
  pattern?: RegExp;
  /** Element may repeat inside one Egenskab (ItSystem.KonfigurationReference, Klasse.Soegeord). */
  repeats?: boolean;
  /**
   * A structured value (Klasse.Soegeord): its child elements, all in sd, in order. A child without
   * `maxLength` is declared by an sd attribute of the same name elsewhere in the model.
   */
  children?: ReadonlyArray<{ element: string; maxLength?: number }>;
  /** Personal data: exposed only when configuration allows (CPR). */
  sensitive?: boolean;
  /** A person's name: withheld without the name permission when names are gated (NAVN_EXPOSE=false). */
  personName?: boolean;
}

export interface StateSpec {
  /** Tilstand element local name and namespace (`fael:Gyldighed`, `klasse:PubliceretStatus`). */
  element: string;
  ns: 'fael' | 'self';
  valueElement: string;
  valueNs: 'fael' | 'sd';
  values: readonly string[];
  field: string;
  /** The value element may be absent (Klasse.PubliceretStatus); Gyldighed requires its status. */
  valueOptional?: boolean;
}

export interface RelationSpec {
  /** XML local name (always in sd), e.g. `Overordnet`. */
  element: string;
  field: string;
  /** Target object type; null when the target is outside this model (Facet, any Aktoer). */
  target: ObjectTypeName | null;
  /** 0..n (true) or 0..1 (false) per Registrering. */
  multi: boolean;
  /** Dynamic relation with Rolle/Type/Indeks (Adresser, Opgaver). */
  dynamic?: boolean;
  /** The contract's name for a target outside this model (`target: null`): `Aktoer`, `Facet`. */
  externalType?: string;
  /** The contract's type of a dynamic relation; default `<element>FlerRelationType`. */
  dynamicType?: string;
  description: string;
}

export interface ObjectTypeSpec {
  name: ObjectTypeName;
  /** Danish plural, for list queries (`organisationEnheder`). */
  plural: string;
  /** Lower-case service name in paths and soapActions, e.g. `organisationenhed`. */
  service: string;
  /** `organisation` (SF1500) or `klassifikation` (SF1514). */
  system: 'organisation' | 'klassifikation';
  namespace: string;
  /** Conventional prefix for this namespace on the wire. */
  prefix: string;
  /** XSD base type of the object element: AktoerType (fael), PartType (part) or SagDokObjektType (sd). */
  base: 'aktoer' | 'part' | 'sagdok';
  attributes: readonly AttributeSpec[];
  state: StateSpec | null;
  relations: readonly RelationSpec[];
  /** OpretInput lists are optional (Adresse, Virksomhed). */
  opretListsOptional: boolean;
  /** Name of the "navn" attribute used for display and name search. */
  nameAttribute: string;
  description: string;
}
