import { fromMillis, overlapsMs } from './period';

/**
 * Time rules of the subgraph (pure functions). A field's time is a TimeContext:
 * a virkning period (an instant when fra === til) and a registrering instant.
 */

export interface VirkningInputValue {
  tidspunkt?: Date | null;
  fra?: Date | null;
  til?: Date | null;
}

export interface RegistreringInputValue {
  tidspunkt?: Date | null;
}

export interface TimeContext {
  /** Epoch ms; fra === til is an instant; til may be +Infinity, fra may be -Infinity. */
  virkningFra: number;
  virkningTil: number;
  registrering: number;
}

export class TimeArgumentError extends Error {
  constructor(public readonly argument: string, message: string) {
    super(`${argument}: ${message}`);
    this.name = 'TimeArgumentError';
  }
}

/** The root context: both axes at the request's start (read once per request). */
export function rootTime(requestStart: number): TimeContext {
  return { virkningFra: requestStart, virkningTil: requestStart, registrering: requestStart };
}

/**
 * A field's time: its own arguments where given, otherwise its parent's (inheritance).
 * `virkning` is `{ tidspunkt }` or `{ fra, til }` (fra inclusive, til exclusive, either open).
 */
export function resolveTime(parent: TimeContext, virkning?: VirkningInputValue | null, registrering?: RegistreringInputValue | null): TimeContext {
  let { virkningFra, virkningTil } = parent;
  let reg = parent.registrering;
  if (virkning) {
    const hasInstant = virkning.tidspunkt != null;
    const hasPeriod = virkning.fra != null || virkning.til != null;
    if (hasInstant && hasPeriod) throw new TimeArgumentError('virkning', 'give either tidspunkt or fra/til, not both');
    if (!hasInstant && !hasPeriod) throw new TimeArgumentError('virkning', 'give tidspunkt, or fra and/or til');
    if (hasInstant) {
      virkningFra = virkningTil = virkning.tidspunkt!.getTime();
    } else {
      virkningFra = virkning.fra != null ? virkning.fra.getTime() : -Infinity;
      virkningTil = virkning.til != null ? virkning.til.getTime() : Infinity;
      if (virkningFra > virkningTil) throw new TimeArgumentError('virkning', 'fra is after til');
      if (virkningFra === virkningTil) throw new TimeArgumentError('virkning', 'fra equals til: the period is empty (til is exclusive); use tidspunkt for an instant');
    }
  }
  if (registrering) {
    if (registrering.tidspunkt == null) throw new TimeArgumentError('registrering', 'tidspunkt is required');
    reg = registrering.tidspunkt.getTime();
  }
  return { virkningFra, virkningTil, registrering: reg };
}

export const isInstant = (t: TimeContext): boolean => t.virkningFra === t.virkningTil;

/** Single-valued fields answer at an instant: the interval's start (or now-ish for an open start). */
export function instantOf(t: TimeContext): number {
  return Number.isFinite(t.virkningFra) ? t.virkningFra : Number.isFinite(t.virkningTil) ? t.virkningTil - 1 : t.registrering;
}

/** The same context narrowed to its instant (for single-valued convenience fields). */
export function atInstant(t: TimeContext): TimeContext {
  const i = instantOf(t);
  return { virkningFra: i, virkningTil: i, registrering: t.registrering };
}

/** A stable key for loaders and caches: one DataLoader per (type, time slice). */
export function timeKey(t: TimeContext): string {
  return `${t.virkningFra}|${t.virkningTil}|${t.registrering}`;
}

/** Reads pinned to a registration time before the request started are immutable. */
export function isImmutable(t: TimeContext, requestStart: number): boolean {
  return t.registrering < requestStart;
}

/** Row virkning (ms) overlaps the context's virkning (instant: fra <= t < til). */
export function rowMatches(rowFra: number, rowTil: number, t: TimeContext): boolean {
  return overlapsMs(rowFra, rowTil, t.virkningFra, t.virkningTil);
}

/** Wire form of an epoch-ms time; open (infinite) ends are null. */
export const toIso = fromMillis;

/**
 * `historik` over an instant would list only the rows in force then: without its own `virkning` it
 * answers over the whole time axis instead (an inherited period is kept). Registrering is unchanged.
 */
export function historyTime(t: TimeContext, ownVirkning: boolean): TimeContext {
  return !ownVirkning && isInstant(t) ? { virkningFra: -Infinity, virkningTil: Infinity, registrering: t.registrering } : t;
}
