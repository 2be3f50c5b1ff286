/** xs:dateTime as the contract uses it; timezone optional, fractions optional. The client's streaming mapper checks by this pattern only. */
export const DATETIME = /^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?$/;

export function isDateTime(s: string): boolean {
  if (!DATETIME.test(s) || Number.isNaN(Date.parse(s))) return false;
  // Date.parse rolls a day the month lacks (2021-02-30) over into the next month; xs:dateTime rejects it.
  const [y, m, d] = /^(-?\d+)-(\d\d)-(\d\d)/.exec(s)!.slice(1).map(Number);
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Epoch milliseconds of a wire time; null ends map to -/+ infinity. */
export function toMillis(t: string | null, end: 'fra' | 'til'): number {
  if (t === null) return end === 'fra' ? -Infinity : Infinity;
  return Date.parse(t);
}

/** Canonical wire form of an instant (UTC, milliseconds). */
export function fromMillis(ms: number): string | null {
  if (!Number.isFinite(ms)) return null;
  return new Date(ms).toISOString();
}

/** A half-open period [fra, til) in epoch ms; an instant is fra === til. Open ends are -/+ Infinity. */
export interface Period {
  fra: number;
  til: number;
}

export const ALWAYS: Period = { fra: -Infinity, til: Infinity };

/** The epoch-ms period of a wire virkning (null ends are open). */
export function periodOf(v: { fra: string | null; til: string | null }): Period {
  return { fra: toMillis(v.fra, 'fra'), til: toMillis(v.til, 'til') };
}

/**
 * Does a row's period overlap the window? Both are half-open; an instant window t matches the rows
 * with fra <= t < til. The one overlap rule of emulator, subgraph and CLI.
 */
export function overlaps(row: Period, w: Period): boolean {
  return overlapsMs(row.fra, row.til, w.fra, w.til);
}

/** `overlaps` on bare numbers, for hot paths (no period objects per row). */
export function overlapsMs(rowFra: number, rowTil: number, wFra: number, wTil: number): boolean {
  if (wFra === wTil) return rowFra <= wFra && wFra < rowTil;
  return rowFra < wTil && rowTil > wFra;
}

/** Rows of several lists in one, duplicates (by content) dropped: virkning slices repeat the rows they share. */
export function distinctRows<T>(lists: T[][], keep: (row: T) => boolean = () => true): T[] {
  const seen = new Set<string>();
  return lists.flat().filter((r) => {
    if (!keep(r)) return false;
    const k = JSON.stringify(r);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
