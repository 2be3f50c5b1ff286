import pino from 'pino';
import { Redis } from 'ioredis';
import { KORSBAEK } from '../../src/emulator/seed/korsbaek';
import { startSubgraph, type Subgraph } from '../../src/server/app';
import { testStack, type GqlResult } from '../support/stack';
import { startFaultProxy } from '../support/proxy';
import { describeWithRedis, startRedis, type RedisServer } from '../support/redis';

/**
 * Replicas sharing one Redis (SUBGRAPH_REDIS_URL), on the real stack and a real redis-server: one loads
 * the hierarchy, the others read its snapshot; a dead lease holder is taken over; Redis down means each
 * loads on its own (logged) until it is back.
 */

jest.setTimeout(60_000);

const CHART = `{ organisation(uuid: "${KORSBAEK.organisation}") { rodEnhed { efterkommere { uuid navn leder { uuid } antalMedarbejdere } } } }`;
const FREMSOEG = 'organisationsystem.fremsoegobjekthierarki';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function gql(g: Subgraph, query: string): Promise<GqlResult> {
  const res = await fetch(g.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-sf1500-calls': '1' }, body: JSON.stringify({ query }) });
  return (await res.json()) as GqlResult;
}
const pages = (r: GqlResult): number => r.extensions?.sf1500?.byOperation[FREMSOEG]?.calls ?? 0;

/** A pino logger whose lines are kept (the log lines are part of the behaviour). */
function keptLogger(): { logger: pino.Logger; msgs: () => string[] } {
  const lines: string[] = [];
  return { logger: pino({ level: 'info' }, { write: (l: string) => lines.push(l) }), msgs: () => lines.map((l) => (JSON.parse(l) as { msg: string }).msg) };
}

describeWithRedis()('replicas sharing snapshots through Redis', () => {
  let redis: RedisServer;
  let raw: Redis;
  beforeAll(async () => {
    redis = await startRedis();
    raw = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    raw?.disconnect();
    await redis?.stop();
  });
  beforeEach(async () => {
    await raw.flushall();
  });

  const env = (): Record<string, string> => ({ SUBGRAPH_REDIS_URL: redis.url, SF1500_HIERARCHY_REFRESH_MS: '600000', SF1500_PLANNER: 'snapshot', SUBGRAPH_REDIS_LEASE_MS: '1500' });

  it('a second replica answers from the first one\'s snapshot without loading a hierarchy page; both answer the same', async () => {
    const s = await testStack(env());
    const replicas: Subgraph[] = [];
    try {
      const first = await s.gql(CHART);
      expect(first.errors).toBeUndefined();
      expect(pages(first)).toBe(1);
      const keys = await raw.keys('sf1500-subgraph:hierarchy-*');
      expect(keys.sort()).toEqual([expect.stringMatching(/:now$/), expect.stringMatching(/:now:at$/)]);

      const { logger, msgs } = keptLogger();
      const g = await startSubgraph({ ...s.config, port: 0 }, s.client, logger);
      replicas.push(g);
      const second = await gql(g, CHART);
      expect(second.errors).toBeUndefined();
      expect(second.data).toEqual(first.data);
      expect(pages(second)).toBe(0);
      expect(second.extensions!.sf1500!.hierarchy).toMatchObject({ path: 'snapshot', snapshot: 'redis' });
      expect(msgs()).toContain('hierarchy snapshot read from Redis');
      expect(g.hierarchy.misses).toBe(0);
    } finally {
      for (const g of replicas) await g.close();
      await s.close();
    }
  });

  it('two cold replicas asked at once load the hierarchy once between them', async () => {
    const s = await testStack(env());
    const g = await startSubgraph({ ...s.config, port: 0 }, s.client, pino({ level: 'silent' }));
    try {
      const [a, b] = await Promise.all([s.gql(CHART), gql(g, CHART)]);
      expect(a.errors).toBeUndefined();
      expect(b.data).toEqual(a.data);
      expect(pages(a) + pages(b)).toBe(1);
      expect(s.subgraph.hierarchy.misses + g.hierarchy.misses).toBe(1);
    } finally {
      await g.close();
      await s.close();
    }
  });

  it('a lease holder that died (never renews, never releases) is taken over when its lease expires; nothing hangs', async () => {
    const s = await testStack(env());
    try {
      // Learn the key names from one load, then empty Redis and plant a lease no live replica holds.
      await s.gql(CHART);
      const now = (await raw.keys('sf1500-subgraph:hierarchy-*:now'))[0];
      await raw.flushall();
      const planted = Date.now();
      expect(await raw.set(`${now}:lease`, 'a-replica-that-died', 'PX', 1500, 'NX')).toBe('OK');

      const { logger, msgs } = keptLogger();
      const g = await startSubgraph({ ...s.config, port: 0 }, s.client, logger);
      try {
        const r = await gql(g, CHART);
        const ms = Date.now() - planted; // from the lease's start: the subgraph's own start-up counts for nothing
        expect(r.errors).toBeUndefined();
        expect(pages(r)).toBe(1);
        expect(ms).toBeGreaterThanOrEqual(1400); // it waited for the holder's lease to expire…
        expect(ms).toBeLessThan(15_000); // …and took over once the lease expired
        expect(msgs()).toEqual(expect.arrayContaining(['another replica is loading the hierarchy: waiting for its snapshot', 'this replica holds the hierarchy lease: loading from SF1500']));
        expect(await raw.exists(now)).toBe(1);
        expect(await raw.exists(`${now}:lease`)).toBe(0); // released once written
      } finally {
        await g.close();
      }
    } finally {
      await s.close();
    }
  });

  it('a lease holder whose load is stopped mid-way lets another replica take over', async () => {
    // Both replicas read SF1500 through a proxy that holds the holder's second page: its load is mid-way.
    const s0 = await testStack(env());
    const proxy = await startFaultProxy(s0.sf1500!.url);
    const t = await testStack({ ...env(), SF1500_BASE_URL: proxy.url, SF1500_HIERARCHY_PAGE_SIZE: '5', SF1500_HIERARCHY_PARALLEL: '1' });
    const a = await startSubgraph({ ...t.config, port: 0 }, t.client, pino({ level: 'silent' }));
    const { logger, msgs } = keptLogger();
    const b = await startSubgraph({ ...t.config, port: 0 }, t.client, logger);
    try {
      proxy.holdAfter(1, (x) => x.op.toLowerCase().includes('fremsoeg'));
      const fromA = gql(a, CHART).catch(() => undefined);
      await proxy.waitHeld(1);
      expect(await raw.keys('sf1500-subgraph:hierarchy-*:lease')).toHaveLength(1);
      const fromB = gql(b, CHART);
      for (let i = 0; i < 100 && !msgs().includes('another replica is loading the hierarchy: waiting for its snapshot'); i++) await sleep(20);
      expect(msgs()).toContain('another replica is loading the hierarchy: waiting for its snapshot');
      await a.hierarchy.close(); // the holder's load stops; its lease is let go
      proxy.release();
      const rb = await fromB;
      expect(rb.errors).toBeUndefined();
      expect(rb.data!.organisation.rodEnhed.efterkommere.length).toBeGreaterThan(5);
      expect(pages(rb)).toBeGreaterThan(1); // b loaded it itself
      expect(msgs()).toContain('this replica holds the hierarchy lease: loading from SF1500');
      const ra = await fromA;
      expect(ra?.errors?.length).toBeGreaterThan(0); // a's answer failed with its load
      expect(ra?.data?.organisation?.rodEnhed ?? null).toBeNull();
    } finally {
      proxy.release();
      await a.close();
      await b.close();
      await t.close();
      await proxy.close();
      await s0.close();
    }
  });

  it('Redis down: a replica loads from SF1500 itself with a log line, and shares again when Redis is back', async () => {
    const s = await testStack(env());
    const replicas: Subgraph[] = [];
    try {
      await redis.stop();
      const { logger, msgs } = keptLogger();
      // A short refresh interval, so the replica's next refresh runs after Redis is back.
      const g = await startSubgraph({ ...s.config, port: 0, hierarchyCacheMs: 300 }, s.client, logger);
      replicas.push(g);
      const alone = await gql(g, CHART);
      expect(alone.errors).toBeUndefined();
      expect(pages(alone)).toBe(1);
      expect(msgs()).toContain('Redis unavailable: loading the hierarchy from SF1500 ourselves');
      expect(msgs()).toContain('Redis unreachable: each replica loads from SF1500 itself until it is back');

      await redis.start();
      for (let i = 0; i < 200 && !msgs().includes('Redis reachable again: replicas share snapshots again'); i++) await sleep(50);
      expect(msgs()).toContain('Redis reachable again: replicas share snapshots again');
      // Its next refresh takes the lease and stores the snapshot; a replica started then loads nothing.
      for (let i = 0; i < 200 && (await raw.keys('sf1500-subgraph:hierarchy-*:now')).length === 0; i++) {
        await sleep(50);
        await gql(g, CHART);
      }
      expect(await raw.keys('sf1500-subgraph:hierarchy-*:now')).toHaveLength(1);
      const h = await startSubgraph({ ...s.config, port: 0 }, s.client, pino({ level: 'silent' }));
      replicas.push(h);
      const shared = await gql(h, CHART);
      expect(pages(shared)).toBe(0);
      expect(shared.data).toEqual(alone.data);
    } finally {
      for (const g of replicas) await g.close();
      await s.close();
    }
  });
});
