/** xs:dateTime as the contract uses it; timezone optional, fractions optional. */
const DATETIME = /^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?$/;

export function isDateTime(s: string): boolean {
  return DATETIME.test(s) && !Number.isNaN(Date.parse(s));
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
