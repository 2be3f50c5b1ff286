import { HierarchyCache } from '../../src/loaders/hierarchy';
import type { Objekt, ObjectTypeName } from '../../src/model';
import type { Sf1500Reader } from '../../src/sf1500/reader';
import { rootTime } from '../../src/temporal';

/** The reads the hierarchy cache never makes. */
const notUsed = (): never => {
  throw new Error('not used by the hierarchy cache');
};
const ONLY_FREMSOEG = { list: notUsed, laes: notUsed, soeg: notUsed };

/** Unit test at the reader port: how the "now" snapshot is shared and refreshed. */
function fakeClient(): { client: Sf1500Reader; calls: () => number; release: () => void } {
  let calls = 0;
  let gate: (() => void) | undefined;
  const client: Sf1500Reader = {
    ...ONLY_FREMSOEG,
    fremsoeg: async () => {
      calls++;
      if (calls > 1) await new Promise<void>((r) => { gate = r; });
      return { lists: new Map(), bytes: 0 };
    },
  };
  return { client, calls: () => calls, release: () => gate?.() };
}

it('reuses "now" within the window, then serves the old snapshot while one refresh loads', async () => {
  const f = fakeClient();
  const cache = new HierarchyCache(f.client, { pageSize: 500, cacheWindowMs: 1000, maxPinnedSnapshots: 2, parallel: 1 });
  const s1 = await cache.get(rootTime(10_000), 10_000);
  expect(await cache.get(rootTime(10_500), 10_500)).toBe(s1);
  expect(f.calls()).toBe(1);
  // Expired: answered at once from the old snapshot; one refresh starts, however many ask.
  expect(await cache.get(rootTime(11_500), 11_500)).toBe(s1);
  expect(await cache.get(rootTime(11_600), 11_600)).toBe(s1);
  expect(f.calls()).toBe(2);
  f.release();
  await new Promise((r) => setImmediate(r));
  const s2 = await cache.get(rootTime(11_700), 11_700);
  expect(s2).not.toBe(s1);
  expect(f.calls()).toBe(2);
});

it('never shares snapshots when the window is 0, and pins past registration times', async () => {
  const f = fakeClient();
  const cache = new HierarchyCache(f.client, { pageSize: 500, cacheWindowMs: 0, maxPinnedSnapshots: 2, parallel: 1 });
  await cache.get(rootTime(10_000), 10_000);
  const p = cache.get(rootTime(10_001), 10_001);
  f.release();
  await p;
  expect(f.calls()).toBe(2);
  const past = { virkningFra: 5_000, virkningTil: 5_000, registrering: 5_000 };
  const a = cache.get(past, 20_000);
  f.release();
  await a;
  expect(cache.get(past, 30_000)).toBe(a);
});

/** A paged fake: `total` units in pages of `size`, each answer late by a tick; tracks requests in flight. */
function pagedClient(total: number, failAt?: number) {
  const asked: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const unit = (i: number) => ({ uuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, registreringer: [] });
  const client: Sf1500Reader = {
    ...ONLY_FREMSOEG,
    fremsoeg: async (page: { offset: number; limit: number }) => {
      asked.push(page.offset);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      if (page.offset === failAt) throw new Error(`page at ${page.offset} failed`);
      const n = Math.max(0, Math.min(page.limit, total - page.offset));
      return { lists: new Map<ObjectTypeName, Objekt[]>([['OrganisationEnhed', Array.from({ length: n }, (_, i) => unit(page.offset + i))]]), bytes: 0 };
    },
  };
  return { client, asked, maxInFlight: () => maxInFlight };
}

describe('pages in flight (SF1500_HIERARCHY_PARALLEL)', () => {
  it.each([1, 2, 4])('with %i: every unit once and in page order; one-page organisations cost one call', async (parallel) => {
    for (const total of [3, 10, 23, 30]) {
      const f = pagedClient(total);
      const cache = new HierarchyCache(f.client, { pageSize: 10, cacheWindowMs: 0, maxPinnedSnapshots: 0, parallel });
      const s = await cache.get(rootTime(1_000), 1_000);
      expect([...s.units.keys()]).toEqual(Array.from({ length: total }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`));
      const needed = Math.floor(total / 10) + 1; // the first page that is not full ends it
      expect(f.asked.length).toBeGreaterThanOrEqual(needed);
      expect(f.asked.length).toBeLessThanOrEqual(total < 10 ? 1 : needed + parallel - 1);
      expect(new Set(f.asked).size).toBe(f.asked.length); // no page twice
      expect(f.maxInFlight()).toBeLessThanOrEqual(parallel);
      if (total >= 3 * 10 && parallel > 1) expect(f.maxInFlight()).toBe(parallel);
    }
  });

  it('a failing page fails the load (and the next load asks again)', async () => {
    const f = pagedClient(45, 20);
    const cache = new HierarchyCache(f.client, { pageSize: 10, cacheWindowMs: 0, maxPinnedSnapshots: 0, parallel: 3 });
    await expect(cache.get(rootTime(1_000), 1_000)).rejects.toThrow('page at 20 failed');
    const before = f.asked.length;
    await expect(cache.get(rootTime(1_001), 1_001)).rejects.toThrow('page at 20 failed');
    expect(f.asked.length).toBeGreaterThan(before);
  });
});
