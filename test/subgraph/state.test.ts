import { mkdtempSync, readdirSync, rmSync, writeFileSync, copyFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { KORSBAEK } from '../../src/emulator/seed/korsbaek';
import { startSubgraph, type Subgraph } from '../../src/server/app';
import { FileSnapshotStore as SnapshotStore, STALE_AFTER_MS, type StateLog } from '../../src/loaders/persist';
import type { Objekt, ObjectTypeName } from '../../src/model';
import { rootTime } from '../../src/temporal';
import { testStack, type GqlResult } from '../support/stack';

/** Persisted hierarchy snapshots (SUBGRAPH_STATE_DIR): a restart starts warm; bad files are ignored with a log line. */

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'sf1500-state-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function collectingLog(): { log: StateLog; lines: Array<{ level: string; msg: string; fields: Record<string, unknown> }> } {
  const lines: Array<{ level: string; msg: string; fields: Record<string, unknown> }> = [];
  return { lines, log: (level, msg, fields) => lines.push({ level, msg, fields }) };
}

const unit = (i: number): Objekt => ({ uuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, registreringer: [] });
const record = (n: number, fetchedAt = Date.now()) => ({ lists: new Map<ObjectTypeName, Objekt[]>([['OrganisationEnhed', Array.from({ length: n }, (_, i) => unit(i))]]), t: rootTime(fetchedAt), fetchedAt });

describe('SnapshotStore', () => {
  it('writes atomically and reads back what it wrote', async () => {
    const dir = tempDir();
    const { log } = collectingLog();
    const store = new SnapshotStore({ dir, endpoint: 'https://a', tenant: '', maxPinnedBytes: 1e9, log });
    await store.write('now', record(3));
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    const back = await store.read('now');
    expect(back!.lists.get('OrganisationEnhed')!.map((o) => o.uuid)).toEqual([unit(0), unit(1), unit(2)].map((o) => o.uuid));
  });

  it.each([
    ['a truncated file', (file: string) => writeFileSync(file, readFileSync(file).subarray(0, 40)), /unreadable/],
    ['garbage', (file: string) => writeFileSync(file, 'not a snapshot at all'), /unreadable/],
    ['an empty file', (file: string) => writeFileSync(file, ''), /unreadable/],
  ])('ignores %s with a log line', async (_name, spoil, message) => {
    const dir = tempDir();
    const { log, lines } = collectingLog();
    const store = new SnapshotStore({ dir, endpoint: 'https://a', tenant: '', maxPinnedBytes: 1e9, log });
    await store.write('now', record(3));
    spoil(store.file('now'));
    expect(await store.read('now')).toBeUndefined();
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', msg: expect.stringMatching(message) })]);
  });

  it('ignores a file of another endpoint or tenant, and a stale "now"', async () => {
    const dir = tempDir();
    const a = new SnapshotStore({ dir, endpoint: 'https://a', tenant: '', maxPinnedBytes: 1e9, log: () => undefined });
    await a.write('now', record(2));
    for (const [endpoint, tenant, reason] of [['https://b', '', /endpoint https:\/\/a/], ['https://a', 'other.p12', /another tenant/]] as const) {
      const { log, lines } = collectingLog();
      const b = new SnapshotStore({ dir, endpoint, tenant, maxPinnedBytes: 1e9, log });
      copyFileSync(a.file('now'), b.file('now')); // a file copied in by hand
      expect(await b.read('now')).toBeUndefined();
      expect(lines[0].fields.reason).toMatch(reason);
    }
    const { log, lines } = collectingLog();
    const later = new SnapshotStore({ dir, endpoint: 'https://a', tenant: '', maxPinnedBytes: 1e9, log, now: () => Date.now() + STALE_AFTER_MS + 1 });
    expect(await later.read('now')).toBeUndefined();
    expect(lines[0].fields.reason).toMatch(/stale/);
  });

  it('keeps pinned snapshots within the size bound, newest first', async () => {
    const dir = tempDir();
    const probe = new SnapshotStore({ dir: tempDir(), endpoint: 'https://a', tenant: '', maxPinnedBytes: 1e9, log: () => undefined });
    await probe.write('p', record(50));
    const size = readFileSync(probe.file('p')).length;
    const store = new SnapshotStore({ dir, endpoint: 'https://a', tenant: '', maxPinnedBytes: size * 2.5, log: () => undefined });
    for (const k of ['k1', 'k2', 'k3', 'k4']) {
      await store.write(k, record(50));
      await new Promise((r) => setTimeout(r, 15)); // distinct modification times
    }
    expect(await store.read('k1')).toBeUndefined();
    expect(await store.read('k2')).toBeUndefined();
    expect(await store.read('k3')).toBeDefined();
    expect(await store.read('k4')).toBeDefined();
  });
});

describe('a restarted subgraph', () => {
  const CHART = `{ organisation(uuid: "${KORSBAEK.organisation}") { rodEnhed { efterkommere { uuid navn leder { uuid } antalMedarbejdere } } } }`;

  async function gql(g: Subgraph, query: string): Promise<GqlResult> {
    const res = await fetch(g.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-sf1500-calls': '1' }, body: JSON.stringify({ query }) });
    return (await res.json()) as GqlResult;
  }

  it('answers the org chart from disk at once, and refreshes behind it when the snapshot is old', async () => {
    const dir = tempDir();
    const env = { SUBGRAPH_STATE_DIR: dir, SF1500_HIERARCHY_REFRESH_MS: '600000', SF1500_PLANNER: 'snapshot' };
    const s = await testStack(env);
    const restarted: Subgraph[] = [];
    try {
      const first = await s.gql(CHART);
      expect(first.errors).toBeUndefined();
      expect(first.extensions!.sf1500!.byOperation['organisationsystem.fremsoegobjekthierarki'].calls).toBe(1);
      await s.subgraph.hierarchy.flush();
      expect(readdirSync(dir).filter((n) => n.endsWith('-now.snap'))).toHaveLength(1);

      // A second subgraph process on the same SF1500 (same endpoint and tenant): warm from its first request.
      const g = await startSubgraph({ ...s.config, port: 0 }, s.client, pino({ level: 'silent' }));
      restarted.push(g);
      const warm = await gql(g, CHART);
      expect(warm.errors).toBeUndefined();
      expect(warm.data).toEqual(first.data);
      expect(warm.extensions!.sf1500!.hierarchy).toMatchObject({ path: 'snapshot', snapshot: 'disk' });
      expect(warm.extensions!.sf1500!.byOperation['organisationsystem.fremsoegobjekthierarki']).toBeUndefined();

      // With a short refresh interval the disk snapshot still answers first, and one refresh replaces it.
      const lines: string[] = [];
      const g2 = await startSubgraph({ ...s.config, port: 0, hierarchyCacheMs: 1 }, s.client, pino({ level: 'info' }, { write: (l: string) => lines.push(l) }));
      restarted.push(g2);
      await new Promise((r) => setTimeout(r, 5));
      const fromDisk = await gql(g2, CHART);
      expect(fromDisk.extensions!.sf1500!.hierarchy).toMatchObject({ path: 'snapshot', snapshot: 'disk' });
      expect(lines.some((l) => l.includes('hierarchy snapshot restored from disk'))).toBe(true);
      let fresh: GqlResult = fromDisk;
      for (let i = 0; i < 100 && fresh.extensions!.sf1500!.hierarchy!.snapshot !== 'sf1500'; i++) {
        await new Promise((r) => setTimeout(r, 20));
        fresh = await gql(g2, CHART);
      }
      expect(fresh.extensions!.sf1500!.hierarchy!.snapshot).toBe('sf1500');
      expect(fresh.data).toEqual(first.data);
    } finally {
      for (const g of restarted) await g.close();
      await s.close();
    }
  });

  it('starts (and answers) with a corrupt state file, saying so in the log', async () => {
    const dir = tempDir();
    const env = { SUBGRAPH_STATE_DIR: dir, SF1500_HIERARCHY_REFRESH_MS: '600000', SF1500_PLANNER: 'snapshot' };
    const s = await testStack(env);
    try {
      await s.gql(CHART);
      await s.subgraph.hierarchy.flush();
      const file = readdirSync(dir).find((n) => n.endsWith('-now.snap'))!;
      writeFileSync(join(dir, file), Buffer.from([0, 0, 0, 9, 1, 2, 3]));
      const lines: string[] = [];
      const g = await startSubgraph({ ...s.config, port: 0 }, s.client, pino({ level: 'info' }, { write: (l: string) => lines.push(l) }));
      try {
        const r = await gql(g, CHART);
        expect(r.errors).toBeUndefined();
        expect(r.extensions!.sf1500!.hierarchy).toMatchObject({ path: 'snapshot', snapshot: 'sf1500' });
        expect(lines.some((l) => l.includes('hierarchy state file unreadable, ignored'))).toBe(true);
      } finally {
        await g.close();
      }
    } finally {
      await s.close();
    }
  });
});
