import type { Objekt, ObjectTypeName } from '../../model';

/** One object to import into the local SF1500; its registrations are oldest first. */
export interface SeedObject {
  type: ObjectTypeName;
  objekt: Objekt;
}

/**
 * Data the emulator imports in the given order (referenced objects first where there is no cycle).
 * Treat it as immutable: builders may share Virkning objects between rows.
 */
export interface SeedData {
  objects: SeedObject[];
}
