import { atInstant, instantOf, isImmutable, resolveTime, rootTime, rowMatches, TimeArgumentError, timeKey } from '../../src/temporal';
import { rowsAt, type Rows } from '../../src/temporal/rows';
import type { Objekt } from '../../src/model/domain';

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

describe('rowsAt: rows of an object at an instant, reused across the instants of one span', () => {
  // One unit: renamed on 2019-01-01 (virkning), moved on 2023-01-01, and a second registration on 2024-06-01
  // that closes the name at 2025-01-01.
  const v = (fra: string | null, til: string | null) => ({ fra, til });
  const reg1 = {
    tidspunkt: '2018-01-01T00:00:00.000Z',
    egenskaber: [{ virkning: v(null, '2019-01-01T00:00:00.000Z'), values: { EnhedNavn: 'Gammel' } }, { virkning: v('2019-01-01T00:00:00.000Z', null), values: { EnhedNavn: 'Ny' } }],
    tilstande: [],
    relationer: [{ name: 'Overordnet', virkning: v(null, '2023-01-01T00:00:00.000Z'), ref: { uuid: 'a' } }, { name: 'Overordnet', virkning: v('2023-01-01T00:00:00.000Z', null), ref: { uuid: 'b' } }],
  };
  const reg2 = { ...reg1, tidspunkt: '2024-06-01T00:00:00.000Z', egenskaber: [{ virkning: v('2019-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z'), values: { EnhedNavn: 'Ny' } }] };
  const ms = (iso: string): number => Date.parse(iso);
  const at = (virkning: string, registrering: string) => ({ virkningFra: ms(virkning), virkningTil: ms(virkning), registrering: ms(registrering) });
  const names = (r: Rows): unknown[] => r.egenskaber.map((e) => e.values.EnhedNavn);
  const parents = (r: Rows): unknown[] => r.relationer.map((x) => x.ref.uuid);

  it('answers each instant by its own rows, across every virkning boundary and registration time', () => {
    const obj: Objekt = { uuid: 'u', registreringer: [reg1, reg2] };
    // Ask in an order that would expose a span reused too widely (each answer checked against the data).
    const cases: Array<[string, string, unknown[], unknown[]]> = [
      ['2020-06-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z', ['Ny'], ['a']],
      ['2020-07-01T00:00:00.000Z', '2020-02-01T00:00:00.000Z', ['Ny'], ['a']],
      ['2018-12-31T23:59:59.999Z', '2020-02-01T00:00:00.000Z', ['Gammel'], ['a']],
      ['2019-01-01T00:00:00.000Z', '2020-02-01T00:00:00.000Z', ['Ny'], ['a']],
      ['2022-12-31T23:59:59.999Z', '2020-02-01T00:00:00.000Z', ['Ny'], ['a']],
      ['2023-01-01T00:00:00.000Z', '2020-02-01T00:00:00.000Z', ['Ny'], ['b']],
      ['2026-01-01T00:00:00.000Z', '2024-05-31T23:59:59.999Z', ['Ny'], ['b']],
      ['2026-01-01T00:00:00.000Z', '2024-06-01T00:00:00.000Z', [], ['b']],
      ['2024-12-31T00:00:00.000Z', '2026-01-01T00:00:00.000Z', ['Ny'], ['b']],
      ['2025-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', [], ['b']],
    ];
    for (const [virkning, registrering, n, p] of cases) {
      const r = rowsAt(obj, at(virkning, registrering));
      expect([virkning, registrering, names(r), parents(r)]).toEqual([virkning, registrering, n, p]);
    }
  });

  it('reuses one computation for instants inside a span (a new "now" per request), not across one', () => {
    const obj: Objekt = { uuid: 'u', registreringer: [reg1, reg2] };
    const a = rowsAt(obj, at('2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'));
    expect(rowsAt(obj, at('2026-01-01T00:00:01.000Z', '2026-01-01T00:00:01.000Z'))).toBe(a);
    expect(rowsAt(obj, at('2030-01-01T00:00:00.000Z', '2031-01-01T00:00:00.000Z'))).toBe(a);
    expect(rowsAt(obj, at('2024-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'))).not.toBe(a);
    // an interval is never answered from an instant's span
    expect(rowsAt(obj, { virkningFra: ms('2026-01-01T00:00:00.000Z'), virkningTil: ms('2027-01-01T00:00:00.000Z'), registrering: ms('2026-01-01T00:00:00.000Z') })).not.toBe(a);
  });
});
