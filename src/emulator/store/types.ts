import type { Livscyklus, Objekt, ObjectTypeName, Registrering } from '../../model';

/**
 * Storage of the local SF1500: {@link Store} is the port the services use (asynchronous, so that a network
 * database can stand behind it: PostgreSQL); {@link SyncStore} is the synchronous SQLite store's own face,
 * which seeding and the CLI use directly (every call runs to completion, no promise per row).
 * The store keeps every registration (transaction time) of every object; it never updates one
 * in place except to close its registration period when a newer one is written.
 * Bitemporal rules (what a Ret merges, what a Laes filter returns) live in the services, not here.
 */

/** A stored registration with its transaction-time period in epoch ms (til null = still in force). */
export interface StoredRegistrering {
  id: number;
  registrering: Registrering;
  regFra: number;
  regTil: number | null;
}

export interface StoredObjekt {
  type: ObjectTypeName;
  uuid: string;
  /** Oldest first. */
  registreringer: StoredRegistrering[];
}

/** Matches rows whose virkning overlaps [fra, til) (ms; ±Infinity for open ends). */
export interface VirkningWindow {
  fra: number;
  til: number;
}

/** One search criterion; all given criteria must hold (AND), each on one row overlapping the window. */
export type SoegCriterion =
  /** Attribute equality; `value` may contain `*` (any run) and `?` (one char) wildcards; case-insensitive. */
  | { kind: 'attribute'; element: string; value: string }
  /** Tilstand value (Gyldighed Aktiv/Inaktiv). */
  | { kind: 'state'; value: string }
  /** Relation by element name; `ref` undefined matches any reference of that relation. */
  | { kind: 'relation'; name: string; ref?: string; rolle?: string; type?: string };

export interface SoegQuery {
  type: ObjectTypeName;
  criteria: SoegCriterion[];
  /** Registration time (ms) whose registrations are searched. */
  registreringAt: number;
  virkning: VirkningWindow;
  /** Livscyklus codes excluded from hits (default Slettet and Passiveret). */
  excludeLivscyklus?: Livscyklus[];
  offset: number;
  limit: number;
}

/** The reads both the store and a transaction offer. */
export interface StoreReads {
  /** All registrations of one object, or undefined when unknown (or physically deleted). */
  get(type: ObjectTypeName, uuid: string): Promise<StoredObjekt | undefined>;
  /** Many objects in one round; unknown UUIDs are absent from the map. */
  getMany(type: ObjectTypeName, uuids: readonly string[]): Promise<Map<string, StoredObjekt>>;
  /** UUIDs matching a search, ordered by UUID (stable paging), with the total hit count. */
  search(q: SoegQuery): Promise<{ uuids: string[]; total: number }>;
  /** UUIDs of all objects of a type that have a registration in force at `registreringAt`, ordered by UUID. */
  listUuids(type: ObjectTypeName, registreringAt: number, offset: number, limit: number, excludeLivscyklus?: Livscyklus[]): Promise<string[]>;
  /** Objects of a type whose registration in force at `at` relates by `relation` to `ref` (any virkning). */
  findByRelation(type: ObjectTypeName, relation: string, ref: string, registreringAt: number): Promise<string[]>;
  /** Number of objects of a type (any livscyklus). */
  count(type: ObjectTypeName): Promise<number>;
}

/** One registration to append (see {@link StoreTx.appendRegistrering}). */
export interface NewRegistrering {
  type: ObjectTypeName;
  uuid: string;
  registrering: Registrering;
  at: number;
}

/** The handle a transaction's function gets: its reads see its own writes; all of it lands or none. */
export interface StoreTx extends StoreReads {
  /**
   * Holds the write lock of one object until the transaction ends, across every process on the same
   * database: a read-merge-write (Ret) after it cannot interleave with another one on that object.
   * Take it before reading what the write is computed from. The UUID is compared case-sensitively.
   */
  lock(type: ObjectTypeName, uuid: string): Promise<void>;
  /** As {@link SyncStore.appendRegistrering}. */
  appendRegistrering(type: ObjectTypeName, uuid: string, registrering: Registrering, at: number): Promise<StoredRegistrering>;
  /** Appends many registrations in order (seeding): as many appendRegistrering calls, in fewer round trips. */
  appendMany(items: readonly NewRegistrering[]): Promise<void>;
  /** Replaces the content of one stored registration in place (used only by anonymiser). */
  rewriteRegistrering(type: ObjectTypeName, id: number, registrering: Registrering): Promise<void>;
  /** Physically removes an object and all its registrations. Returns false when unknown. */
  physicalDelete(type: ObjectTypeName, uuid: string): Promise<boolean>;
}

/**
 * The services' store. Writes happen only inside {@link Store.transaction}; reads outside one never see
 * another transaction's uncommitted writes.
 */
export interface Store extends StoreReads {
  /** Runs `fn` in one transaction: all writes land or none (a throw rolls back and rethrows). */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface SyncStore {
  /** Runs `fn` in one transaction: all writes land or none. */
  transaction<T>(fn: () => T): T;
  /** All registrations of one object, or undefined when unknown (or physically deleted). */
  get(type: ObjectTypeName, uuid: string): StoredObjekt | undefined;
  /** Many objects in one round; unknown UUIDs are absent from the map. */
  getMany(type: ObjectTypeName, uuids: readonly string[]): Map<string, StoredObjekt>;
  /**
   * Appends a registration as the object's newest: closes the previous one's period at `at`
   * and indexes the new one for search. Creates the object when it is new.
   */
  appendRegistrering(type: ObjectTypeName, uuid: string, registrering: Registrering, at: number): StoredRegistrering;
  /** Replaces the content of one stored registration in place (used only by anonymiser). */
  rewriteRegistrering(type: ObjectTypeName, id: number, registrering: Registrering): void;
  /** UUIDs matching a search, ordered by UUID (stable paging), with the total hit count. */
  search(q: SoegQuery): { uuids: string[]; total: number };
  /** UUIDs of all objects of a type that have a registration in force at `registreringAt`, ordered by UUID. */
  listUuids(type: ObjectTypeName, registreringAt: number, offset: number, limit: number, excludeLivscyklus?: Livscyklus[]): string[];
  /** Objects of a type whose registration in force at `at` relates by `relation` to `ref` (any virkning). */
  findByRelation(type: ObjectTypeName, relation: string, ref: string, registreringAt: number): string[];
  /** Physically removes an object and all its registrations. Returns false when unknown. */
  physicalDelete(type: ObjectTypeName, uuid: string): boolean;
  count(type: ObjectTypeName): number;
  close(): void;
}

export type { Objekt };
