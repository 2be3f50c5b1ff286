import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { randomUUID } from 'crypto';
import Database from 'better-sqlite3';
import type { Livscyklus, Registrering, Relation } from '../../src/model';
import { SqliteStore } from '../../src/emulator/store/sqlite';
import type { SoegCriterion, SoegQuery } from '../../src/emulator/store/types';

const T0 = Date.parse('2020-01-01T00:00:00Z');
const ORG = '11111111-1111-4111-8111-111111111111';
const ENHED_A = 'aaaaaaaa-0000-4000-8000-000000000001';
const ENHED_B = 'aaaaaaaa-0000-4000-8000-000000000002';
const ROLLE_EMAIL = 'eeeeeeee-0000-4000-8000-000000000001';
const ROLLE_PHONE = 'eeeeeeee-0000-4000-8000-000000000002';

/** Deterministic, sortable test UUIDs. */
const uid = (n: number, prefix = 'b'): string => `${prefix.repeat(8)}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

function reg(opts: {
  navn?: string | Array<{ navn: string; fra: string | null; til: string | null }>;
  gyldighed?: string;
  relationer?: Relation[];
  livscyklus?: Livscyklus;
  extra?: Record<string, string | string[]>;
}): Registrering {
  const navne = typeof opts.navn === 'string' || opts.navn === undefined ? [{ navn: opts.navn ?? 'Enhed', fra: '2010-01-01T00:00:00Z', til: null }] : opts.navn;
  return {
    livscyklus: opts.livscyklus ?? 'Opstaaet',
    tidspunkt: '2020-01-01T00:00:00.000Z',
    egenskaber: navne.map((n) => ({ virkning: { fra: n.fra, til: n.til }, values: { BrugervendtNoegleTekst: 'bvn', EnhedNavn: n.navn, ...(opts.extra ?? {}) } })),
    tilstande: [{ virkning: { fra: '2010-01-01T00:00:00Z', til: null }, value: opts.gyldighed ?? 'Aktiv' }],
    relationer: opts.relationer ?? [{ name: 'Tilhoerer', virkning: { fra: '2010-01-01T00:00:00Z', til: null }, ref: { uuid: ORG } }],
  };
}

const ALWAYS = { fra: -Infinity, til: Infinity };
function q(criteria: SoegCriterion[], more: Partial<SoegQuery> = {}): SoegQuery {
  return { type: 'OrganisationEnhed', criteria, registreringAt: Date.now() + 1e9, virkning: ALWAYS, offset: 0, limit: 1000, ...more };
}
const attr = (value: string, element = 'EnhedNavn'): SoegCriterion => ({ kind: 'attribute', element, value });

describe('SqliteStore', () => {
  let store: SqliteStore;
  beforeEach(() => {
    store = SqliteStore.open({});
  });
  afterEach(() => store.close());

  test('append/get round trip preserves all fields', () => {
    const r: Registrering = {
      tidspunkt: '2020-01-01T10:00:00.123Z',
      livscyklus: 'Importeret',
      brugerRef: 'urn:oio:bruger:x',
      noteTekst: 'Note æøå',
      egenskaber: [{
        virkning: { fra: '2019-01-01T00:00:00Z', til: null, aktoerRef: ORG, aktoerTypeKode: 'Organisation', noteTekst: 'v' },
        values: { BrugervendtNoegleTekst: 'K1', KonfigurationReference: ['a', 'b'], Soegeord: ['{"SoegeordIdentifikator":"x"}'] },
      }],
      tilstande: [{ virkning: { fra: null, til: '2030-01-01T00:00:00Z' }, value: 'Inaktiv' }],
      relationer: [
        { name: 'Tilhoerer', virkning: { fra: null, til: null }, ref: { uuid: ORG } },
        { name: 'Adresser', virkning: { fra: null, til: null }, ref: { urn: 'urn:x' }, rolle: { uuid: ROLLE_EMAIL, label: 'Email' }, type: { urn: 'urn:t' }, indeks: '1' },
      ],
    };
    const u = uid(1);
    const stored = store.appendRegistrering('ItSystem', u, r, T0);
    expect(stored).toEqual({ id: expect.any(Number), registrering: r, regFra: T0, regTil: null });
    const got = store.get('ItSystem', u)!;
    expect(got.type).toBe('ItSystem');
    expect(got.uuid).toBe(u);
    expect(got.registreringer).toHaveLength(1);
    expect(got.registreringer[0]).toEqual({ id: stored.id, registrering: r, regFra: T0, regTil: null });
    // The registration JSON is parsed lazily, but behaves as a plain property.
    const copy = { ...got.registreringer[0] };
    expect(copy.registrering).toEqual(r);
    expect(JSON.parse(JSON.stringify(got.registreringer[0])).registrering).toEqual(r);
    const again = store.get('ItSystem', u)!.registreringer[0];
    again.registrering = { ...r, noteTekst: 'changed' };
    expect(again.registrering.noteTekst).toBe('changed');
    expect(store.get('ItSystem', u)!.registreringer[0].registrering.noteTekst).toBe('Note æøå');
    expect(store.get('ItSystem', uid(2))).toBeUndefined();
    // Types are separate namespaces.
    expect(store.get('Bruger', u)).toBeUndefined();
    expect(store.count('ItSystem')).toBe(1);
    expect(store.count('Bruger')).toBe(0);
    // Open virkning ends (null) are -/+ infinity; URN refs and repeated values are searchable.
    const s = (criteria: SoegCriterion[], iso: string): string[] =>
      store.search(q(criteria, { type: 'ItSystem', virkning: { fra: Date.parse(iso), til: Date.parse(iso) }, excludeLivscyklus: [] })).uuids;
    expect(s([{ kind: 'state', value: 'Inaktiv' }], '1900-01-01T00:00:00Z')).toEqual([u]);
    expect(s([{ kind: 'state', value: 'Inaktiv' }], '2031-01-01T00:00:00Z')).toEqual([]);
    expect(s([{ kind: 'relation', name: 'Adresser', ref: 'urn:x', type: 'urn:t' }], '2031-01-01T00:00:00Z')).toEqual([u]);
    expect(s([attr('K1', 'BrugervendtNoegleTekst')], '2018-12-31T00:00:00Z')).toEqual([]);
    expect(s([attr('k1', 'BrugervendtNoegleTekst')], '2019-01-01T00:00:00Z')).toEqual([u]);
  });

  test('registration periods chain; same-millisecond appends get prev + 1', () => {
    const u = uid(1);
    store.appendRegistrering('OrganisationEnhed', u, reg({ navn: 'A' }), T0);
    store.appendRegistrering('OrganisationEnhed', u, reg({ navn: 'B' }), T0 + 1000);
    const same1 = store.appendRegistrering('OrganisationEnhed', u, reg({ navn: 'C' }), T0 + 1000);
    const same2 = store.appendRegistrering('OrganisationEnhed', u, reg({ navn: 'D' }), T0 + 1000);
    const back = store.appendRegistrering('OrganisationEnhed', u, reg({ navn: 'E' }), T0 - 5000); // clock went back
    expect(same1.regFra).toBe(T0 + 1001);
    expect(same2.regFra).toBe(T0 + 1002);
    expect(back.regFra).toBe(T0 + 1003);
    const regs = store.get('OrganisationEnhed', u)!.registreringer;
    expect(regs.map((r) => r.regFra)).toEqual([T0, T0 + 1000, T0 + 1001, T0 + 1002, T0 + 1003]);
    expect(regs.map((r) => r.regTil)).toEqual([T0 + 1000, T0 + 1001, T0 + 1002, T0 + 1003, null]);
    expect(regs.map((r) => r.registrering.egenskaber[0].values.EnhedNavn)).toEqual(['A', 'B', 'C', 'D', 'E']);
    // Each registration is found only at its own registration time.
    for (const [at, navn] of [[T0, 'A'], [T0 + 999, 'A'], [T0 + 1000, 'B'], [T0 + 1001, 'C'], [T0 + 1003, 'E']] as const) {
      expect(store.search(q([attr(navn)], { registreringAt: at })).uuids).toEqual([u]);
    }
    expect(store.search(q([attr('A')], { registreringAt: T0 - 1 })).uuids).toEqual([]);
    expect(store.count('OrganisationEnhed')).toBe(1);
  });

  describe('search', () => {
    beforeEach(() => {
      const names = ['Borgerservice', 'borgerkontor', 'BORGER', 'Teknik og Miljø', '100% Sport', '100 Sport', 'a_b', 'axb', 'Børn og Unge'];
      names.forEach((n, i) => store.appendRegistrering('OrganisationEnhed', uid(i + 1), reg({ navn: n }), T0));
    });
    const hits = (criteria: SoegCriterion[], more: Partial<SoegQuery> = {}): string[] =>
      store.search(q(criteria, more)).uuids.map((u) => store.get('OrganisationEnhed', u)!.registreringer[0].registrering.egenskaber[0].values.EnhedNavn as string);

    test('attribute equality is case-insensitive', () => {
      expect(hits([attr('borger')])).toEqual(['BORGER']);
      expect(hits([attr('TEKNIK OG MILJØ')])).toEqual(['Teknik og Miljø']);
      expect(hits([attr('BØRN og unge')])).toEqual(['Børn og Unge']);
      expect(hits([attr('Borgers')])).toEqual([]);
    });

    test('wildcards * and ?', () => {
      expect(hits([attr('Borger*')]).sort()).toEqual(['BORGER', 'Borgerservice', 'borgerkontor']);
      expect(hits([attr('*service')])).toEqual(['Borgerservice']);
      expect(hits([attr('*OG*')]).sort()).toEqual(['Børn og Unge', 'Teknik og Miljø']);
      expect(hits([attr('borge?')])).toEqual(['BORGER']);
      expect(hits([attr('b?rn*')])).toEqual(['Børn og Unge']);
      expect(hits([attr('*')])).toHaveLength(9);
      expect(hits([attr('Borger*', 'BrugervendtNoegleTekst')])).toEqual([]);
    });

    test('% and _ are literal, not wildcards', () => {
      expect(hits([attr('100% Sport')])).toEqual(['100% Sport']);
      expect(hits([attr('100%*')])).toEqual(['100% Sport']);
      expect(hits([attr('1%')])).toEqual([]);
      expect(hits([attr('a_b')])).toEqual(['a_b']);
      expect(hits([attr('a_*')])).toEqual(['a_b']);
      expect(hits([attr('a?b')]).sort()).toEqual(['a_b', 'axb']);
    });

    test('repeating attribute values each match', () => {
      store.appendRegistrering('ItSystem', uid(1), reg({ extra: { KonfigurationReference: ['alpha', 'beta'] } }), T0);
      const s = (v: string): string[] => store.search(q([attr(v, 'KonfigurationReference')], { type: 'ItSystem' })).uuids;
      expect(s('alpha')).toEqual([uid(1)]);
      expect(s('BETA')).toEqual([uid(1)]);
      expect(s('gamma')).toEqual([]);
    });
  });

  test('search by state, relation with/without ref, dynamic relation rolle, combined criteria', () => {
    const t = 'OrganisationEnhed';
    const tilhoerer: Relation = { name: 'Tilhoerer', virkning: { fra: null, til: null }, ref: { uuid: ORG } };
    store.appendRegistrering(t, uid(1), reg({ navn: 'Borgerservice', relationer: [tilhoerer, { name: 'Overordnet', virkning: { fra: null, til: null }, ref: { uuid: ENHED_A } }] }), T0);
    store.appendRegistrering(t, uid(2), reg({ navn: 'Borgerkontor', gyldighed: 'Inaktiv', relationer: [tilhoerer, { name: 'Overordnet', virkning: { fra: null, til: null }, ref: { uuid: ENHED_B } }] }), T0);
    store.appendRegistrering(t, uid(3), reg({
      navn: 'Teknik',
      relationer: [tilhoerer,
        { name: 'Adresser', virkning: { fra: null, til: null }, ref: { uuid: uid(100, 'c') }, rolle: { uuid: ROLLE_EMAIL }, type: { urn: 'urn:type:email' }, indeks: '1' }],
    }), T0);
    store.appendRegistrering(t, uid(4), reg({
      navn: 'Miljø',
      relationer: [{ name: 'Adresser', virkning: { fra: null, til: null }, ref: { uuid: uid(101, 'c') }, rolle: { uuid: ROLLE_PHONE } }],
    }), T0);
    const s = (criteria: SoegCriterion[]): string[] => store.search(q(criteria)).uuids;

    expect(s([{ kind: 'state', value: 'Aktiv' }])).toEqual([uid(1), uid(3), uid(4)]);
    expect(s([{ kind: 'state', value: 'Inaktiv' }])).toEqual([uid(2)]);
    expect(s([{ kind: 'relation', name: 'Tilhoerer', ref: ORG }])).toEqual([uid(1), uid(2), uid(3)]);
    expect(s([{ kind: 'relation', name: 'Tilhoerer', ref: ORG.toUpperCase() }])).toEqual([uid(1), uid(2), uid(3)]);
    expect(s([{ kind: 'relation', name: 'Overordnet', ref: ENHED_A }])).toEqual([uid(1)]);
    expect(s([{ kind: 'relation', name: 'Overordnet' }])).toEqual([uid(1), uid(2)]);
    expect(s([{ kind: 'relation', name: 'Adresser' }])).toEqual([uid(3), uid(4)]);
    expect(s([{ kind: 'relation', name: 'Adresser', rolle: ROLLE_EMAIL }])).toEqual([uid(3)]);
    expect(s([{ kind: 'relation', name: 'Adresser', rolle: ROLLE_PHONE }])).toEqual([uid(4)]);
    expect(s([{ kind: 'relation', name: 'Adresser', rolle: ROLLE_EMAIL, type: 'urn:type:email' }])).toEqual([uid(3)]);
    expect(s([{ kind: 'relation', name: 'Adresser', rolle: ROLLE_PHONE, type: 'urn:type:email' }])).toEqual([]);
    expect(s([{ kind: 'relation', name: 'Adresser', ref: uid(100, 'c'), rolle: ROLLE_EMAIL }])).toEqual([uid(3)]);
    // AND of criteria
    expect(s([attr('Borger*'), { kind: 'relation', name: 'Tilhoerer', ref: ORG }])).toEqual([uid(1), uid(2)]);
    expect(s([attr('Borger*'), { kind: 'relation', name: 'Tilhoerer', ref: ORG }, { kind: 'state', value: 'Aktiv' }])).toEqual([uid(1)]);
    expect(s([attr('Borger*'), { kind: 'relation', name: 'Overordnet', ref: ENHED_B }, { kind: 'state', value: 'Aktiv' }])).toEqual([]);
    expect(s([{ kind: 'relation', name: 'Tilhoerer', ref: ORG }, { kind: 'relation', name: 'Adresser' }])).toEqual([uid(3)]);
    // No criteria: everything in force
    expect(s([])).toEqual([uid(1), uid(2), uid(3), uid(4)]);

    expect(store.findByRelation(t, 'Tilhoerer', ORG, T0)).toEqual([uid(1), uid(2), uid(3)]);
    expect(store.findByRelation(t, 'Overordnet', ENHED_B, T0)).toEqual([uid(2)]);
    expect(store.findByRelation(t, 'Overordnet', ENHED_B, T0 - 1)).toEqual([]);
  });

  test('virkning window: overlap vs. non-overlap, instants', () => {
    // Renamed on 2019-03-01: old name until then, new name after.
    const u = uid(1);
    store.appendRegistrering('OrganisationEnhed', u, reg({
      navn: [
        { navn: 'Gammelt navn', fra: '2010-01-01T00:00:00Z', til: '2019-03-01T00:00:00Z' },
        { navn: 'Nyt navn', fra: '2019-03-01T00:00:00Z', til: null },
      ],
    }), T0);
    const year = (y: number) => ({ fra: Date.parse(`${y}-01-01T00:00:00Z`), til: Date.parse(`${y + 1}-01-01T00:00:00Z`) });
    const at = (iso: string) => ({ fra: Date.parse(iso), til: Date.parse(iso) });
    const s = (navn: string, virkning: { fra: number; til: number }): string[] => store.search(q([attr(navn)], { virkning })).uuids;

    expect(s('Gammelt navn', year(2018))).toEqual([u]);
    expect(s('Gammelt navn', year(2020))).toEqual([]);
    expect(s('Nyt navn', year(2018))).toEqual([]);
    expect(s('Nyt navn', year(2020))).toEqual([u]);
    // 2019 overlaps both periods
    expect(s('Gammelt navn', year(2019))).toEqual([u]);
    expect(s('Nyt navn', year(2019))).toEqual([u]);
    // Instants: fra inclusive, til exclusive
    expect(s('Gammelt navn', at('2019-02-28T23:59:59.999Z'))).toEqual([u]);
    expect(s('Gammelt navn', at('2019-03-01T00:00:00Z'))).toEqual([]);
    expect(s('Nyt navn', at('2019-03-01T00:00:00Z'))).toEqual([u]);
    expect(s('Nyt navn', at('9999-12-31T00:00:00Z'))).toEqual([u]);
    expect(s('Gammelt navn', at('2009-12-31T00:00:00Z'))).toEqual([]);
    // Window ending exactly where the new name starts does not overlap it (half-open)
    expect(s('Nyt navn', { fra: Date.parse('2018-01-01T00:00:00Z'), til: Date.parse('2019-03-01T00:00:00Z') })).toEqual([]);
    // Open windows
    expect(s('Gammelt navn', { fra: -Infinity, til: Date.parse('2011-01-01T00:00:00Z') })).toEqual([u]);
    expect(s('Nyt navn', { fra: Date.parse('2030-01-01T00:00:00Z'), til: Infinity })).toEqual([u]);
    // Each criterion needs its own overlapping row: state Inaktiv only from 2025
    store.appendRegistrering('OrganisationEnhed', u, {
      ...reg({ navn: 'Nyt navn' }),
      tilstande: [
        { virkning: { fra: '2010-01-01T00:00:00Z', til: '2025-01-01T00:00:00Z' }, value: 'Aktiv' },
        { virkning: { fra: '2025-01-01T00:00:00Z', til: null }, value: 'Inaktiv' },
      ],
    }, T0 + 1);
    const inaktiv = (virkning: { fra: number; til: number }): string[] =>
      store.search(q([attr('Nyt navn'), { kind: 'state', value: 'Inaktiv' }], { virkning })).uuids;
    expect(inaktiv(year(2020))).toEqual([]);
    expect(inaktiv(year(2026))).toEqual([u]);
  });

  test('registration-time search sees the registration in force then', () => {
    const u = uid(1);
    store.appendRegistrering('OrganisationEnhed', u, reg({ navn: 'Før' }), T0);
    store.appendRegistrering('OrganisationEnhed', u, reg({ navn: 'Efter', relationer: [] }), T0 + 60_000); // a Ret
    const s = (c: SoegCriterion[], at: number): string[] => store.search(q(c, { registreringAt: at })).uuids;
    expect(s([attr('Før')], T0 + 30_000)).toEqual([u]);
    expect(s([attr('Efter')], T0 + 30_000)).toEqual([]);
    expect(s([attr('Før')], T0 + 60_000)).toEqual([]);
    expect(s([attr('Efter')], T0 + 60_000)).toEqual([u]);
    expect(s([{ kind: 'relation', name: 'Tilhoerer', ref: ORG }], T0 + 30_000)).toEqual([u]);
    expect(s([{ kind: 'relation', name: 'Tilhoerer', ref: ORG }], T0 + 90_000)).toEqual([]);
    expect(s([], T0 - 1)).toEqual([]);
    expect(store.listUuids('OrganisationEnhed', T0 - 1, 0, 10)).toEqual([]);
    expect(store.listUuids('OrganisationEnhed', T0, 0, 10)).toEqual([u]);
    expect(store.findByRelation('OrganisationEnhed', 'Tilhoerer', ORG, T0 + 30_000)).toEqual([u]);
    expect(store.findByRelation('OrganisationEnhed', 'Tilhoerer', ORG, T0 + 60_000)).toEqual([]);
  });

  test('Passiveret and Slettet are excluded by default', () => {
    const t = 'OrganisationEnhed';
    store.appendRegistrering(t, uid(1), reg({ navn: 'X' }), T0);
    store.appendRegistrering(t, uid(2), reg({ navn: 'X' }), T0);
    store.appendRegistrering(t, uid(3), reg({ navn: 'X' }), T0);
    store.appendRegistrering(t, uid(2), reg({ navn: 'X', livscyklus: 'Passiveret' }), T0 + 10);
    store.appendRegistrering(t, uid(3), reg({ navn: 'X', livscyklus: 'Slettet' }), T0 + 10);
    const now = T0 + 100;
    expect(store.search(q([attr('X')], { registreringAt: now })).uuids).toEqual([uid(1)]);
    expect(store.search(q([], { registreringAt: now })).uuids).toEqual([uid(1)]);
    expect(store.search(q([attr('X')], { registreringAt: T0 + 5 })).uuids).toEqual([uid(1), uid(2), uid(3)]);
    expect(store.search(q([attr('X')], { registreringAt: now, excludeLivscyklus: [] })).uuids).toEqual([uid(1), uid(2), uid(3)]);
    expect(store.search(q([attr('X')], { registreringAt: now, excludeLivscyklus: ['Slettet'] })).uuids).toEqual([uid(1), uid(2)]);
    expect(store.listUuids(t, now, 0, 10)).toEqual([uid(1), uid(2), uid(3)]);
    expect(store.listUuids(t, now, 0, 10, ['Slettet', 'Passiveret'])).toEqual([uid(1)]);
    expect(store.count(t)).toBe(3);
  });

  test('paging is stable, with total', () => {
    const n = 25;
    const uuids = Array.from({ length: n }, (_, i) => uid(i + 1));
    // Insert in shuffled order: results are ordered by UUID regardless.
    [...uuids].reverse().forEach((u, i) => store.appendRegistrering('OrganisationEnhed', u, reg({ navn: `Enhed ${i}` }), T0));
    store.appendRegistrering('OrganisationEnhed', uid(999), reg({ navn: 'Anden' }), T0);
    const crit = [attr('enhed *')];
    const pages: string[] = [];
    for (let offset = 0; offset < n; offset += 10) {
      const r = store.search(q(crit, { offset, limit: 10 }));
      expect(r.total).toBe(n);
      pages.push(...r.uuids);
    }
    expect(pages).toEqual(uuids);
    expect(store.search(q(crit, { offset: 20, limit: 10 }))).toEqual({ uuids: uuids.slice(20), total: n });
    expect(store.search(q(crit, { offset: 100, limit: 10 }))).toEqual({ uuids: [], total: n });
    expect(store.search(q(crit, { offset: 0, limit: 0 }))).toEqual({ uuids: [], total: n });
    expect(store.search(q([attr('nothing')], { offset: 0, limit: 10 }))).toEqual({ uuids: [], total: 0 });
    // Same for a relation-driven and a scan-driven query
    expect(store.search(q([{ kind: 'relation', name: 'Tilhoerer', ref: ORG }], { offset: 5, limit: 3 }))).toEqual({ uuids: uuids.slice(5, 8), total: n + 1 });
    expect(store.search(q([{ kind: 'state', value: 'Aktiv' }], { offset: 24, limit: 3 }))).toEqual({ uuids: [uuids[24], uid(999)], total: n + 1 });
    expect(store.listUuids('OrganisationEnhed', T0, 10, 5)).toEqual(uuids.slice(10, 15));
  });

  test('getMany with more than 1000 UUIDs', () => {
    const uuids = Array.from({ length: 2100 }, (_, i) => uid(i + 1));
    store.transaction(() => {
      uuids.forEach((u, i) => {
        store.appendRegistrering('Bruger', u, reg({ navn: `B${i}` }), T0);
        if (i % 3 === 0) store.appendRegistrering('Bruger', u, reg({ navn: `B${i}x` }), T0 + 1);
      });
    });
    const wanted = [...uuids.filter((_, i) => i % 2 === 0), uid(99999), uid(99998), uuids[0]]; // unknowns and a duplicate
    const got = store.getMany('Bruger', wanted);
    expect(got.size).toBe(1050);
    expect(got.has(uid(99999))).toBe(false);
    for (let i = 0; i < uuids.length; i += 2) {
      const o = got.get(uuids[i])!;
      expect(o.uuid).toBe(uuids[i]);
      expect(o.registreringer.map((r) => r.registrering.egenskaber[0].values.EnhedNavn)).toEqual(i % 3 === 0 ? [`B${i}`, `B${i}x`] : [`B${i}`]);
    }
    expect(store.getMany('Bruger', []).size).toBe(0);
    expect(store.getMany('OrganisationEnhed', uuids).size).toBe(0);
    // Every chunk size (padding) returns exactly the requested objects.
    for (const size of [1, 2, 3, 7, 511, 512, 513, 899, 900, 901, 1799, 1800, 1801]) {
      const m = store.getMany('Bruger', uuids.slice(0, size));
      expect([...m.keys()].sort()).toEqual(uuids.slice(0, size));
    }
  });

  test('physicalDelete removes the object, its registrations and search rows', () => {
    store.appendRegistrering('OrganisationEnhed', uid(1), reg({ navn: 'Slet mig' }), T0);
    store.appendRegistrering('OrganisationEnhed', uid(1), reg({ navn: 'Slet mig' }), T0 + 1);
    store.appendRegistrering('OrganisationEnhed', uid(2), reg({ navn: 'Bliv' }), T0);
    expect(store.physicalDelete('Bruger', uid(1))).toBe(false);
    expect(store.physicalDelete('OrganisationEnhed', uid(1))).toBe(true);
    expect(store.physicalDelete('OrganisationEnhed', uid(1))).toBe(false);
    expect(store.get('OrganisationEnhed', uid(1))).toBeUndefined();
    expect(store.search(q([attr('Slet mig')], { excludeLivscyklus: [] })).total).toBe(0);
    expect(store.search(q([{ kind: 'relation', name: 'Tilhoerer', ref: ORG }])).uuids).toEqual([uid(2)]);
    expect(store.count('OrganisationEnhed')).toBe(1);
    const db = (store as unknown as { db: Database.Database }).db;
    for (const table of ['egenskab_idx', 'tilstand_idx', 'relation_idx']) {
      const n = (db.prepare(`SELECT COUNT(*) AS n FROM ${table} x JOIN registrering r ON r.id = x.reg_id WHERE r.uuid = ?`).get(uid(1)) as { n: number }).n;
      const orphans = (db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE reg_id NOT IN (SELECT id FROM registrering)`).get() as { n: number }).n;
      expect([table, n, orphans]).toEqual([table, 0, 0]);
    }
    // Re-creating after a physical delete starts a fresh history.
    store.appendRegistrering('OrganisationEnhed', uid(1), reg({ navn: 'Ny' }), T0 + 5);
    expect(store.get('OrganisationEnhed', uid(1))!.registreringer.map((r) => [r.regFra, r.regTil])).toEqual([[T0 + 5, null]]);
  });

  test('rewriteRegistrering replaces content and search rows', () => {
    const a = store.appendRegistrering('Person', uid(1), reg({ navn: 'Hemmelig' }), T0);
    store.appendRegistrering('Person', uid(1), reg({ navn: 'Hemmelig 2' }), T0 + 1);
    store.rewriteRegistrering('Person', a.id, reg({ navn: 'Anonym', relationer: [] }));
    const regs = store.get('Person', uid(1))!.registreringer;
    expect(regs[0]).toMatchObject({ id: a.id, regFra: T0, regTil: T0 + 1 });
    expect(regs[0].registrering.egenskaber[0].values.EnhedNavn).toBe('Anonym');
    expect(regs[1].registrering.egenskaber[0].values.EnhedNavn).toBe('Hemmelig 2');
    const at = T0;
    expect(store.search(q([attr('Hemmelig')], { type: 'Person', registreringAt: at })).uuids).toEqual([]);
    expect(store.search(q([attr('Anonym')], { type: 'Person', registreringAt: at })).uuids).toEqual([uid(1)]);
    expect(store.search(q([{ kind: 'relation', name: 'Tilhoerer' }], { type: 'Person', registreringAt: at })).uuids).toEqual([]);
    expect(() => store.rewriteRegistrering('Bruger', a.id, reg({}))).toThrow();
  });

  test('transaction rolls back on throw (nothing written); nested transactions', () => {
    expect(() => store.transaction(() => {
      store.appendRegistrering('OrganisationEnhed', uid(1), reg({ navn: 'A' }), T0);
      store.appendRegistrering('OrganisationEnhed', uid(1), reg({ navn: 'B' }), T0 + 1);
      throw new Error('boom');
    })).toThrow('boom');
    expect(store.get('OrganisationEnhed', uid(1))).toBeUndefined();
    expect(store.count('OrganisationEnhed')).toBe(0);
    expect(store.search(q([attr('A')], { excludeLivscyklus: [] })).total).toBe(0);

    const result = store.transaction(() => {
      store.appendRegistrering('OrganisationEnhed', uid(1), reg({ navn: 'Ydre' }), T0);
      try {
        store.transaction(() => {
          store.appendRegistrering('OrganisationEnhed', uid(2), reg({ navn: 'Indre' }), T0);
          throw new Error('inner');
        });
      } catch {
        /* the inner part alone is rolled back */
      }
      return store.transaction(() => {
        store.appendRegistrering('OrganisationEnhed', uid(3), reg({ navn: 'Indre 2' }), T0);
        return 42;
      });
    });
    expect(result).toBe(42);
    expect(store.listUuids('OrganisationEnhed', T0, 0, 10)).toEqual([uid(1), uid(3)]);
  });
});

test('a file database keeps its data when reopened', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf1500-store-'));
  const file = path.join(dir, 'store.db');
  try {
    let s = SqliteStore.open({ file });
    const r = reg({ navn: 'Varig' });
    s.appendRegistrering('OrganisationEnhed', uid(1), r, T0);
    s.appendRegistrering('OrganisationEnhed', uid(1), r, T0 + 1);
    s.close();
    s = SqliteStore.open({ file });
    const got = s.get('OrganisationEnhed', uid(1))!;
    expect(got.registreringer.map((x) => [x.regFra, x.regTil])).toEqual([[T0, T0 + 1], [T0 + 1, null]]);
    expect(got.registreringer[1].registrering).toEqual(r);
    expect(s.search(q([attr('varig')])).uuids).toEqual([uid(1)]);
    s.appendRegistrering('OrganisationEnhed', uid(2), r, T0 + 2);
    s.close();
    s = SqliteStore.open({ file });
    expect(s.count('OrganisationEnhed')).toBe(2);
    s.close();
    // A database written by a newer schema version is refused rather than misread.
    const raw = new Database(file);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => SqliteStore.open({ file })).toThrow(/schema version 99/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('scale check: 20,000 objects in one transaction (timings printed, not asserted)', () => {
  const store = SqliteStore.open({});
  try {
    const N = 20_000;
    const units = Array.from({ length: 200 }, (_, i) => uid(i + 1, 'a'));
    const uuids = Array.from({ length: N }, () => randomUUID());
    const t0 = performance.now();
    store.transaction(() => {
      uuids.forEach((u, i) => {
        store.appendRegistrering('OrganisationFunktion', u, {
          livscyklus: 'Importeret',
          egenskaber: [{ virkning: { fra: '2015-01-01T00:00:00Z', til: null }, values: { BrugervendtNoegleTekst: `F${i}`, FunktionNavn: i % 10 === 0 ? `Borgerrådgiver ${i}` : `Sagsbehandler ${i}` } }],
          tilstande: [{ virkning: { fra: '2015-01-01T00:00:00Z', til: null }, value: i % 7 === 0 ? 'Inaktiv' : 'Aktiv' }],
          relationer: [
            { name: 'Funktionstype', virkning: { fra: '2015-01-01T00:00:00Z', til: null }, ref: { uuid: ROLLE_EMAIL } },
            { name: 'TilknyttedeEnheder', virkning: { fra: '2015-01-01T00:00:00Z', til: null }, ref: { uuid: units[i % units.length] } },
            { name: 'TilknyttedeOrganisationer', virkning: { fra: '2015-01-01T00:00:00Z', til: null }, ref: { uuid: ORG } },
          ],
        }, T0);
      });
    });
    const tInsert = performance.now() - t0;

    const t1 = performance.now();
    const sample = uuids.slice(1000, 1500);
    const many = store.getMany('OrganisationFunktion', sample);
    const tGetMany = performance.now() - t1;
    expect(many.size).toBe(500);
    expect(many.get(sample[0])!.registreringer[0].registrering.egenskaber[0].values.BrugervendtNoegleTekst).toBe('F1000');

    const base = { type: 'OrganisationFunktion' as const, registreringAt: T0 + 1, virkning: { fra: Date.now(), til: Date.now() }, offset: 0, limit: 1000 };
    const t2 = performance.now();
    const byUnit = store.search({ ...base, criteria: [{ kind: 'relation', name: 'TilknyttedeEnheder', ref: units[7] }, { kind: 'state', value: 'Aktiv' }] });
    const tRel = performance.now() - t2;
    const expected = uuids.filter((_, i) => i % units.length === 7 && i % 7 !== 0).sort();
    expect(byUnit.total).toBe(expected.length);
    expect(byUnit.uuids).toEqual(expected);

    const t3 = performance.now();
    const byName = store.search({ ...base, criteria: [{ kind: 'attribute', element: 'FunktionNavn', value: 'borgerrådgiver 1*' }, { kind: 'relation', name: 'TilknyttedeOrganisationer', ref: ORG }] });
    const tAttr = performance.now() - t3;
    const expectedNames = uuids.filter((_, i) => i % 10 === 0 && String(i).startsWith('1')).sort();
    expect(byName.total).toBe(expectedNames.length);
    expect(byName.uuids).toEqual(expectedNames.slice(0, 1000));

    console.log(
      `SqliteStore scale check (${N} objects, in-memory): insert ${tInsert.toFixed(0)} ms, getMany(500) ${tGetMany.toFixed(1)} ms, ` +
      `relation+state search ${tRel.toFixed(1)} ms (${byUnit.total} hits), attribute-wildcard+relation search ${tAttr.toFixed(1)} ms (${byName.total} hits)`,
    );
  } finally {
    store.close();
  }
});
