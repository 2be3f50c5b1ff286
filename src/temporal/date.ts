import { isDateTime } from './period';

/**
 * Date-only time input: `YYYY-MM-DD` means midnight at the start of that day in Danish time
 * (Europe/Copenhagen, CET/CEST), the municipality's day, wherever the server runs. Used by the
 * GraphQL DateTime inputs and the CLI alike.
 */

export const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
export const TIME_ZONE = 'Europe/Copenhagen';

const offsetFormat = new Intl.DateTimeFormat('en-US', { timeZone: TIME_ZONE, timeZoneName: 'longOffset' });

/** Copenhagen's offset from UTC at an instant, in ms (+1 h in winter, +2 h in summer). */
export function copenhagenOffsetMs(ms: number): number {
  const name = offsetFormat.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /^GMT([+-])(\d\d):(\d\d)$/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3_600_000 + Number(m[3]) * 60_000) : 0;
}

/** Epoch ms of midnight Copenhagen time at the start of `date` (YYYY-MM-DD), or NaN if it is no date. */
export function dateToMillis(date: string): number {
  if (!DATE_ONLY.test(date) || !isDateTime(`${date}T00:00:00Z`)) return NaN;
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  // Midnight is never inside a DST change (Denmark switches at 02:00/03:00): the offset a few hours
  // before UTC midnight is the offset in force at local midnight.
  return utcMidnight - copenhagenOffsetMs(utcMidnight - 3 * 3_600_000);
}
