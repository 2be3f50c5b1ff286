import { HierarchyCache } from '../src/loaders/hierarchy';
import type { Sf1500Client } from '../src/sf1500/client';
import { rootTime } from '../src/temporal';

/** Unit test at the client seam: how the "now" snapshot is shared and refreshed. */
function fakeClient(): { client: Sf1500Client; calls: () => number; release: () => void } {
  let calls = 0;
  let gate: (() => void) | undefined;
  const client = {
    fremsoeg: async () => {
      calls++;
      if (calls > 1) await new Promise<void>((r) => { gate = r; });
      return { lists: new Map(), bytes: 0 };
    },
  } as unknown as Sf1500Client;
  return { client, calls: () => calls, release: () => gate?.() };
}

it('reuses "now" within the window, then serves the old snapshot while one refresh loads', async () => {
  const f = fakeClient();
  const cache = new HierarchyCache(f.client, { pageSize: 500, cacheWindowMs: 1000, maxPinnedSnapshots: 2 });
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
  const cache = new HierarchyCache(f.client, { pageSize: 500, cacheWindowMs: 0, maxPinnedSnapshots: 2 });
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
