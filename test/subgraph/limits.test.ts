/**
 * The pure parts of the hostile-query defences, each against an independent reference:
 *  - wildcard matching against SQLite's own LIKE (what the local SF1500 runs), on generated names and
 *    patterns with line breaks, `%`, `_` and non-ASCII letters;
 *  - the emulator's overlap check against the pairwise comparison it replaced;
 *  - the cost model: fan-out per list field, field merging as GraphQL executes it, fragment DAGs in
 *    linear work, alternatives on distinct types;
 *  - cursors: only our own encodings decode.
 */
import Database from 'better-sqlite3';
import { parse } from 'graphql';
import { wildcardMatch } from '../../src/wire/wildcard';
import { wildcardToLike } from '../../src/emulator/store/sqlite';
import { checkIntegrity } from '../../src/emulator/bitemporal';
import { objectType } from '../../src/model/objects';
import type { Relation } from '../../src/model/domain';
import { subgraphSchema } from '../../src/schema';
import { MAX_COST_STEPS, queryCost, type FanOut } from '../../src/execution/cost';
import { fanOutFrom, PRIOR_STATS } from '../../src/execution/fanout';
import { decodeCursor, encodeCursor } from '../../src/resolvers/search';
import { Rng } from '../support/fuzz';

describe('wildcard matching', () => {
  const db = new Database(':memory:');
  const like = db.prepare("SELECT ? LIKE ? ESCAPE '\\' AS m");
  // As the local SF1500 stores and searches: both sides lower-cased, then LIKE.
  const sqlite = (pattern: string, text: string): boolean => (like.get(text.toLowerCase(), wildcardToLike(pattern.toLowerCase())) as { m: number }).m === 1;
  afterAll(() => db.close());

  test('agrees with SQLite LIKE on 20,000 generated cases', () => {
    const rng = new Rng(0x1ce);
    const alphabet = 'aAbæÆø\n _%\\';
    let matched = 0;
    for (let i = 0; i < 20_000; i++) {
      const text = rng.text(rng.int(0, 12), alphabet);
      const pattern = Array.from({ length: rng.int(0, 8) }, () => rng.pick(['*', '?', ...alphabet])).join('');
      const expected = sqlite(pattern, text);
      if (expected) matched++;
      if (wildcardMatch(pattern, text) !== expected) throw new Error(`pattern ${JSON.stringify(pattern)} on ${JSON.stringify(text)}: SQLite says ${expected}`);
    }
    expect(matched).toBeGreaterThan(300); // the generator reaches both outcomes
  });

  test('line breaks are ordinary characters; case does not matter', () => {
    expect(wildcardMatch('Linje*to', 'linje et\nlinje TO')).toBe(true);
    expect(wildcardMatch('a?b', 'a\nb')).toBe(true);
    expect(wildcardMatch('ÆBLE', 'æble')).toBe(true);
    expect(wildcardMatch('a', 'ab')).toBe(false);
    expect(wildcardMatch('', '')).toBe(true);
    expect(wildcardMatch('*', '')).toBe(true);
  });

  test('many stars against a long near-miss is a plain loop (it backtracked for seconds as a regex)', () => {
    const text = `${'a'.repeat(5000)}b`;
    expect(wildcardMatch(`${'*a'.repeat(100)}*c`, text)).toBe(false);
    expect(wildcardMatch(`${'*a'.repeat(100)}*b`, text)).toBe(true);
  });
});

describe('overlap check of relation rows', () => {
  const enhed = objectType('OrganisationEnhed');
  const V = (fra: number | null, til: number | null) => ({ fra: fra === null ? null : new Date(Date.UTC(2000, 0, 1 + fra)).toISOString(), til: til === null ? null : new Date(Date.UTC(2000, 0, 1 + til)).toISOString() });
  const rel = (name: string, fra: number | null, til: number | null, indeks?: string): Relation => ({ name, virkning: V(fra, til), ref: { uuid: '11111111-1111-4111-8111-111111111111' }, ...(indeks ? { indeks } : {}) } as Relation);
  const reg = (relationer: Relation[]) => ({ tidspunkt: '2020-01-01T00:00:00.000Z', livscyklus: 'Opstaaet', egenskaber: [], tilstande: [], relationer } as never);
  const pairwise = (rows: Relation[]): boolean => {
    const p = rows.map((r) => ({ fra: r.virkning.fra === null ? -Infinity : Date.parse(r.virkning.fra), til: r.virkning.til === null ? Infinity : Date.parse(r.virkning.til) }));
    for (let i = 0; i < p.length; i++) for (let j = i + 1; j < p.length; j++) if (p[i].fra < p[j].til && p[j].fra < p[i].til) return true;
    return false;
  };
  const refuses = (rows: Relation[]): boolean => {
    try {
      checkIntegrity(enhed, reg(rows));
      return false;
    } catch {
      return true;
    }
  };

  test('a 0..1 relation: the same verdict as every pair compared, on 5,000 generated row sets', () => {
    const rng = new Rng(0x0e);
    let overlapping = 0;
    for (let i = 0; i < 5000; i++) {
      const rows = Array.from({ length: rng.int(1, 6) }, () => {
        const fra = rng.chance(0.1) ? null : rng.int(0, 20);
        const til = rng.chance(0.1) ? null : (fra ?? 0) + rng.int(0, 6);
        return rel('Overordnet', fra, til);
      });
      const expected = pairwise(rows);
      if (expected) overlapping++;
      expect(refuses(rows)).toBe(expected);
    }
    expect(overlapping).toBeGreaterThan(500);
  });

  test('a dynamic relation: Indeks may repeat only in periods that do not overlap', () => {
    expect(refuses([rel('Adresser', 0, 5, '1'), rel('Adresser', 3, 8, '2')])).toBe(false);
    expect(refuses([rel('Adresser', 0, 5, '1'), rel('Adresser', 5, 8, '1')])).toBe(false);
    expect(refuses([rel('Adresser', 0, 5, '1'), rel('Adresser', 4, 8, '1')])).toBe(true);
  });

  test('10,000 rows of one relation check in one pass', () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => rel('Adresser', i, i + 1, String(i % 7)));
    expect(refuses(rows)).toBe(false);
    expect(refuses([...rows, rel('Adresser', 500, 502, '3')])).toBe(true);
  });
});

describe('cost model', () => {
  const cost = async (q: string, fan: FanOut = fanOutFrom(() => undefined), variables?: Record<string, unknown>): Promise<number> => queryCost((await subgraphSchema()).schema, parse(q), variables, undefined, fan);
  const R = '"b9e45b18-b6ba-4434-bce4-844214aaaae8"';

  test('a list field costs by its expected fan-out; nested lists multiply', async () => {
    const units = PRIOR_STATS.units;
    expect(await cost(`{ organisationEnhed(uuid: ${R}) { navn } }`)).toBe(2);
    expect(await cost(`{ organisationEnhed(uuid: ${R}) { efterkommere { navn } } }`)).toBe(2 + units);
    expect(await cost(`{ organisationEnhed(uuid: ${R}) { efterkommere { rod { efterkommere { navn } } } } }`)).toBe(2 + units * (2 + units));
    // The snapshot's real sizes replace the priors.
    const korsbaek = fanOutFrom(() => ({ ...PRIOR_STATS, units: 20 }));
    expect(await cost(`{ organisationEnhed(uuid: ${R}) { efterkommere { navn } } }`, korsbaek)).toBe(22);
  });

  test('explicit sizes: first, uuids, representations', async () => {
    expect(await cost('{ soegOrganisationEnheder(first: 100) { nodes { navn } } }')).toBe(1 + 100 * 2);
    expect(await cost('query($u: [UUID!]!) { organisationEnheder(uuids: $u) { navn } }', undefined, { u: Array(300).fill('x') })).toBe(1 + 300);
    expect(await cost('query($r: [_Any!]!) { _entities(representations: $r) { ... on Bruger { navn } } }', undefined, { r: Array(50).fill({}) })).toBe(1 + 50);
  });

  test('fields merge as GraphQL executes them: a repeated field or fragment counts once', async () => {
    const once = await cost(`{ organisationEnhed(uuid: ${R}) { navn } }`);
    expect(await cost(`{ organisationEnhed(uuid: ${R}) { navn navn navn ...F ...F } } fragment F on OrganisationEnhed { navn }`)).toBe(once);
    // Aliases are separate fields.
    expect(await cost(`{ organisationEnhed(uuid: ${R}) { a: navn b: navn } }`)).toBe(once + 1);
  });

  test('fragment DAGs cost in linear work', async () => {
    let frags = '';
    for (let i = 0; i < 60; i++) frags += `fragment F${i} on OrganisationEnhed { navn ...F${i + 1} ...F${i + 2} ...F${i + 1} }\n`;
    frags += 'fragment F60 on OrganisationEnhed { uuid } fragment F61 on OrganisationEnhed { uuid }';
    // 2^60 paths if walked per spread: that would hit MAX_COST_STEPS and cost Infinity.
    expect(await cost(`{ organisationEnhed(uuid: ${R}) { ...F0 } } ${frags}`)).toBe(3);
    // Aliases that really multiply the answer are counted.
    let levels = '';
    for (let i = 0; i < 6; i++) levels += `fragment L${i} on OrganisationEnhed { ${[0, 1, 2, 3, 4].map((a) => `a${a}: overordnet { ...L${i + 1} }`).join(' ')} }\n`;
    levels += 'fragment L6 on OrganisationEnhed { navn }';
    const c = await cost(`{ organisationEnhed(uuid: ${R}) { ...L0 } } ${levels}`);
    expect(c).toBeGreaterThan(5 ** 6);
  });

  test('a document beyond the step bound costs Infinity (a QUERY_LIMIT), not a hang', async () => {
    const fields = Array.from({ length: MAX_COST_STEPS + 10 }, (_, i) => `a${i}: navn`).join(' ');
    expect(await cost(`{ organisationEnhed(uuid: ${R}) { ${fields} } }`)).toBe(Infinity);
  });

  test('fragments on distinct types are alternatives: the dearest counts', async () => {
    const q = (sel: string): string => `query($r: [_Any!]!) { _entities(representations: $r) { ${sel} } }`;
    const v = { r: [{}] };
    const bruger = await cost(q('... on Bruger { navn brugervendtNoegle }'), undefined, v);
    const enhed = await cost(q('... on OrganisationEnhed { navn }'), undefined, v);
    expect(await cost(q('... on Bruger { navn brugervendtNoegle } ... on OrganisationEnhed { navn }'), undefined, v)).toBe(Math.max(bruger, enhed));
  });

  test('@skip and @include are honoured', async () => {
    const base = await cost(`{ organisationEnhed(uuid: ${R}) { navn } }`);
    expect(await cost(`query($s: Boolean!) { organisationEnhed(uuid: ${R}) { navn efterkommere @skip(if: $s) { navn } } }`, undefined, { s: true })).toBe(base);
    expect(await cost(`query($s: Boolean!) { organisationEnhed(uuid: ${R}) { navn efterkommere @include(if: $s) { navn } } }`, undefined, { s: false })).toBe(base);
  });
});

describe('cursors', () => {
  test('our cursors round-trip; nothing else decodes', () => {
    for (const n of [0, 1, 49, 12345, 99_999_999]) expect(decodeCursor(encodeCursor(n))).toBe(n);
    const b64 = (t: string): string => Buffer.from(t).toString('base64url');
    for (const bad of [b64('sf1500:100000000'), b64('sf1500:01'), b64('sf1500: 1'), b64('sf1500:1 '), b64('sf1500:'), b64('sf1500:0x10'), `${encodeCursor(1)}A`, '', '====']) {
      expect(() => decodeCursor(bad)).toThrow('after: not a cursor returned by this API');
    }
  });
});
