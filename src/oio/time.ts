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
