import { atInstant, instantOf, isImmutable, resolveTime, rootTime, rowMatches, TimeArgumentError, timeKey } from '../src/temporal';

const T0 = Date.parse('2025-01-01T00:00:00Z');
const d = (s: string): Date => new Date(s);

describe('time rules (pure)', () => {
  it('the root is the request start on both axes', () => {
    expect(rootTime(T0)).toEqual({ virkningFra: T0, virkningTil: T0, registrering: T0 });
  });

  it('omitted arguments inherit the parent context', () => {
    const parent = { virkningFra: 1, virkningTil: 5, registrering: 7 };
    expect(resolveTime(parent)).toEqual(parent);
    expect(resolveTime(parent, null, null)).toEqual(parent);
  });

  it('an instant, a period, open ends and a registration time', () => {
    const root = rootTime(T0);
    expect(resolveTime(root, { tidspunkt: d('2020-01-01T00:00:00Z') })).toMatchObject({ virkningFra: Date.parse('2020-01-01T00:00:00Z'), virkningTil: Date.parse('2020-01-01T00:00:00Z'), registrering: T0 });
    expect(resolveTime(root, { fra: d('2020-01-01T00:00:00Z') })).toMatchObject({ virkningTil: Infinity });
    expect(resolveTime(root, { til: d('2020-01-01T00:00:00Z') })).toMatchObject({ virkningFra: -Infinity });
    expect(resolveTime(root, undefined, { tidspunkt: d('2019-01-01T00:00:00Z') }).registrering).toBe(Date.parse('2019-01-01T00:00:00Z'));
  });

  it('rejects contradictory or empty arguments, naming the argument', () => {
    const root = rootTime(T0);
    const bad = (f: () => unknown, msg: RegExp): void => {
      expect(f).toThrow(TimeArgumentError);
      expect(f).toThrow(msg);
    };
    bad(() => resolveTime(root, { tidspunkt: d('2020-01-01'), fra: d('2019-01-01') }), /^virkning: .*not both/);
    bad(() => resolveTime(root, {}), /^virkning: give tidspunkt/);
    bad(() => resolveTime(root, { fra: d('2021-01-01'), til: d('2020-01-01') }), /fra is after til/);
    bad(() => resolveTime(root, { fra: d('2021-01-01'), til: d('2021-01-01') }), /empty/);
    bad(() => resolveTime(root, undefined, { tidspunkt: null }), /^registrering: tidspunkt is required/);
  });

  it('single-valued fields answer an interval at its start', () => {
    expect(instantOf({ virkningFra: 10, virkningTil: 20, registrering: 30 })).toBe(10);
    expect(instantOf({ virkningFra: -Infinity, virkningTil: 20, registrering: 30 })).toBe(19);
    expect(instantOf({ virkningFra: -Infinity, virkningTil: Infinity, registrering: 30 })).toBe(30);
    expect(atInstant({ virkningFra: 10, virkningTil: 20, registrering: 30 })).toEqual({ virkningFra: 10, virkningTil: 10, registrering: 30 });
  });

  it('rows match an instant by containment and a period by overlap (til exclusive)', () => {
    const at = (t: number) => ({ virkningFra: t, virkningTil: t, registrering: 0 });
    expect(rowMatches(10, 20, at(10))).toBe(true);
    expect(rowMatches(10, 20, at(20))).toBe(false);
    expect(rowMatches(10, 20, { virkningFra: 20, virkningTil: 30, registrering: 0 })).toBe(false);
    expect(rowMatches(10, 20, { virkningFra: 19, virkningTil: 30, registrering: 0 })).toBe(true);
    expect(rowMatches(-Infinity, Infinity, at(5))).toBe(true);
  });

  it('keys separate time slices; past registrations are immutable', () => {
    expect(timeKey({ virkningFra: 1, virkningTil: 1, registrering: 2 })).not.toBe(timeKey({ virkningFra: 1, virkningTil: 1, registrering: 3 }));
    expect(isImmutable({ virkningFra: 0, virkningTil: 0, registrering: T0 - 1 }, T0)).toBe(true);
    expect(isImmutable(rootTime(T0), T0)).toBe(false);
  });
});
