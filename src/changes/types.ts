import type { ObjectTypeName } from '../model/types';

/**
 * The change log's values (plain data: they are persisted as they are, and a shared store keeps the
 * same shape). Times are epoch ms; the GraphQL layer turns them into DateTimes.
 */

export type AendringsArt = 'OPRETTET' | 'AENDRET' | 'FJERNET' | 'TRAEDER_I_KRAFT' | 'OPHOERER';

/** One event of the log. */
export interface ChangeEvent {
  /** Position in the log: 1, 2, 3, … without holes (the cursor). */
  seq: number;
  type: ObjectTypeName;
  uuid: string;
  art: AendringsArt;
  /** The registration behind the event (null when the object is gone and its last one is unknown). */
  registreringTidspunkt: number | null;
  /** For TRAEDER_I_KRAFT / OPHOERER: the virkning boundary that passed. */
  virkningFra: number | null;
  /** What changed (attribute, state and relation names as on the wire); null for OPRETTET / FJERNET. */
  felter: string[] | null;
  /** When the subgraph saw it. */
  observedAt: number;
}

/** What the log remembers of one object to compare the next look with (the baseline). */
export interface ObjectSummary {
  /** Tidspunkt of the registration in force (ms), null if it had none. */
  reg: number | null;
  /** One short hash per field (rows with their virkning), by wire name. */
  fields: Record<string, string>;
  /** Gyldighed at `asOf` is Aktiv (or the type has no state). */
  active: boolean;
  /** The nearest virkning boundary after `asOf` that this object's rows show, or null. */
  next: number | null;
  /** The instant (virkning and registrering) this summary describes. */
  asOf: number;
}

/** `Type/uuid`: one key per object in the baseline. */
export type ObjectKey = string;
export const keyOf = (type: ObjectTypeName, uuid: string): ObjectKey => `${type}/${uuid.toLowerCase()}`;
export function splitKey(k: ObjectKey): { type: ObjectTypeName; uuid: string } {
  const i = k.indexOf('/');
  return { type: k.slice(0, i) as ObjectTypeName, uuid: k.slice(i + 1) };
}

/** Everything the log keeps: written as one unit, so events and baseline never disagree after a crash. */
export interface ChangeState {
  /** Identifies this log: a cursor of another log (a wiped state dir, another municipality) is refused. */
  logId: string;
  /** The last seq given out (0 = none yet). */
  head: number;
  /** Retained events, oldest first; seqs head - events.length + 1 … head. */
  events: ChangeEvent[];
  /** The objects as last seen; undefined until the first snapshot was taken in. */
  baseline?: { at: number; objects: Map<ObjectKey, ObjectSummary> };
}
