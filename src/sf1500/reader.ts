import type { Objekt } from '../model/domain';
import type { ObjectTypeName } from '../model/types';
import type { CallRecorder } from './stats';

/**
 * The reader port: the four read operations the subgraph's loaders need from SF1500. The client
 * implements it; loaders, the benchmark's recorder and seam tests depend on this, not on the class.
 */

/** A Fra/Til pair of wire times; null = open end (GraenseIndikator). Equal values ask for an instant. */
export interface TimeRange {
  fra: string | null;
  til: string | null;
}

export interface ReadFilters {
  virkning?: TimeRange;
  registrering?: TimeRange;
}

export interface SoegCriteria {
  /** Attribute values by XML element name (`EnhedNavn`, ...), `*`/`?` wildcards allowed. */
  egenskaber?: Record<string, string>;
  gyldighed?: 'Aktiv' | 'Inaktiv';
  /** Relation criteria; dynamic relations (Opgaver, Adresser) also carry rolle/type (the wire requires them). */
  relationer?: Array<{ name: string; uuid: string; rolle?: string; type?: string }>;
}

export interface HierarchyPage {
  /** Objects per type, in wire order (Organisationer, OrganisationEnheder, ...). */
  lists: Map<ObjectTypeName, Objekt[]>;
  bytes: number;
}

/** The read side of SF1500 as the loaders use it. */
export interface Sf1500Reader {
  /** List: the objects found (unknown UUIDs are simply absent). */
  list(type: ObjectTypeName, uuids: readonly string[], f?: ReadFilters, rec?: CallRecorder): Promise<Objekt[]>;
  /** Laes: one object, or null when SF1500 answers 44. */
  laes(type: ObjectTypeName, uuid: string, f?: ReadFilters, rec?: CallRecorder): Promise<Objekt | null>;
  /** Soeg: one page of UUIDs. */
  soeg(type: ObjectTypeName, criteria: SoegCriteria, page: { offset: number; limit: number }, f?: ReadFilters, rec?: CallRecorder): Promise<string[]>;
  /** One page of OrganisationSystem.fremsoegobjekthierarki. */
  fremsoeg(page: { offset: number; limit: number }, f?: ReadFilters, rec?: CallRecorder): Promise<HierarchyPage>;
}
