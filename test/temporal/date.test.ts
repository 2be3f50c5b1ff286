import { copenhagenOffsetMs, dateToMillis, historyTime, rootTime } from '../../src/temporal';

describe('date-only input: midnight Copenhagen time', () => {
  it('is 23:00 UTC the day before in winter and 22:00 UTC in summer', () => {
    expect(new Date(dateToMillis('2019-03-01')).toISOString()).toBe('2019-02-28T23:00:00.000Z');
    expect(new Date(dateToMillis('2018-06-01')).toISOString()).toBe('2018-05-31T22:00:00.000Z');
    expect(copenhagenOffsetMs(Date.parse('2018-06-01T12:00:00Z'))).toBe(2 * 3_600_000);
  });

  it('takes the offset in force at midnight on the days the clocks change and the days after', () => {
    // Summer time starts 2024-03-31 at 02:00 and ends 2024-10-27 at 03:00: midnight is on the old offset.
    expect(new Date(dateToMillis('2024-03-31')).toISOString()).toBe('2024-03-30T23:00:00.000Z');
    expect(new Date(dateToMillis('2024-04-01')).toISOString()).toBe('2024-03-31T22:00:00.000Z');
    expect(new Date(dateToMillis('2024-10-27')).toISOString()).toBe('2024-10-26T22:00:00.000Z');
    expect(new Date(dateToMillis('2024-10-28')).toISOString()).toBe('2024-10-27T23:00:00.000Z');
  });

  it('refuses what is no date', () => {
    for (const s of ['2021-02-30', '2021-13-01', '20210101', '2021-1-1', '2021-01-01T00:00:00Z', '']) expect(dateToMillis(s)).toBeNaN();
    expect(dateToMillis('2024-02-29')).not.toBeNaN();
  });
});

describe('historyTime', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('widens an inherited instant to the whole history, keeping registrering', () => {
    expect(historyTime(rootTime(now), false)).toEqual({ virkningFra: -Infinity, virkningTil: Infinity, registrering: now });
  });
  it('keeps its own virkning and an inherited period', () => {
    expect(historyTime(rootTime(now), true)).toEqual(rootTime(now));
    const period = { virkningFra: 0, virkningTil: now, registrering: now };
    expect(historyTime(period, false)).toEqual(period);
  });
});
