import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import pino from 'pino';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/config';
import { startSf1500 } from '../src/emulator';
import { LARGE, SMALL } from '../src/emulator/seed';
import { HierarchySnapshot } from '../src/loaders/snapshot';
import { startSubgraph } from '../src/server/app';
import { Sf1500Client } from '../src/sf1500/client';
import { RedisConnection, RedisSnapshotStore } from '../src/state/redis';
import { generate } from './fixture';
import { fmtBytes, fmtMs, median } from './util';

/**
 * npm run bench:redis [-- --quick]: a second replica with and without a shared Redis, on the large
 * municipality. Starts its own redis-server (Debian's, no persistence) and local SF1500. Measures the
 * snapshot's size in Redis (STRLEN, MEMORY USAGE), the time to read it (GET, decode, index), and the
 * SOAP calls and time to the first org-chart answer of a replica starting next to a warm one.
 */

const quick = process.argv.includes('--quick');
const size = quick ? { ...SMALL } : { ...LARGE };
const log = (s: string): void => void process.stderr.write(`${s}\n`);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

async function main(): Promise<void> {
  const port = await freePort();
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  let data: ReturnType<typeof generate>['data'] | undefined = generate(size).data;
  const sf = await startSf1500({ dbFile: ':memory:', seed: () => data! });
  data = undefined;
  const calls = { n: 0, hierarchy: 0 };
  const reader = new Sf1500Client({ baseUrl: sf.url, timeoutMs: 300_000, hierarchyTimeoutMs: 600_000, onCall: (i) => {
    calls.n++;
    if (i.operation === 'fremsoegobjekthierarki') calls.hierarchy++;
  } });
  const env = { PORT: '0', LOG_LEVEL: 'silent', SF1500_BASE_URL: sf.url, SUBGRAPH_STATE_DIR: 'none', SUBGRAPH_CHANGES: 'off', SF1500_PLANNER: 'snapshot', SF1500_TIMEOUT_MS: '300000', SF1500_HIERARCHY_TIMEOUT_MS: '600000' };
  const chart = `{ organisation(uuid: "${(await reader.soeg('Organisation', {}, { offset: 0, limit: 1 }))[0]}") { rodEnhed { efterkommere { uuid navn } } } }`;
  const firstAnswer = async (extra: Record<string, string>): Promise<{ ms: number; calls: number; hierarchy: number }> => {
    calls.n = calls.hierarchy = 0;
    const t0 = performance.now();
    const g = await startSubgraph(loadConfig({ ...env, ...extra }), reader, pino({ level: 'silent' }));
    const res = await fetch(g.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: chart }) });
    const body = (await res.json()) as { errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    const r = { ms: performance.now() - t0, calls: calls.n, hierarchy: calls.hierarchy };
    await g.close();
    return r;
  };
  try {
    log(`${size.units} units: a replica without Redis (loads itself)`);
    const alone = await firstAnswer({});
    log(`first replica on Redis (loads, writes)`);
    const leader = await firstAnswer({ SUBGRAPH_REDIS_URL: url });
    log(`second replica on Redis (reads)`);
    const follower = await firstAnswer({ SUBGRAPH_REDIS_URL: url });
    const raw = new Redis(url);
    const key = (await raw.keys('sf1500-subgraph:hierarchy-*:now'))[0];
    const bytes = await raw.strlen(key);
    const memory = Number(await raw.call('MEMORY', 'USAGE', key));
    raw.disconnect();
    const endpoint = sf.url.replace(/\/$/, '');
    const conn = new RedisConnection({ url, leaseMs: 30_000, waitMs: 300_000 }, () => undefined);
    const id = { endpoint: loadConfig(env).sf1500Endpoints?.organisationsystem ?? endpoint, tenant: '' };
    const store = new RedisSnapshotStore(conn, id, () => undefined);
    const get: number[] = [];
    const read: number[] = [];
    const index: number[] = [];
    for (let i = 0; i < 5; i++) {
      let t = performance.now();
      await conn.client.getBuffer(key);
      get.push(performance.now() - t);
      t = performance.now();
      const rec = await store.read('now');
      read.push(performance.now() - t);
      if (!rec) throw new Error(`no snapshot under ${key} for ${id.endpoint}`);
      t = performance.now();
      new HierarchySnapshot(rec.lists, rec.t, rec.fetchedAt, 'redis');
      index.push(performance.now() - t);
    }
    await conn.close();
    const machine = `${cpus().length} × ${cpus()[0]?.model ?? '?'}, load ${loadavg().map((x) => x.toFixed(1)).join(' ')} at the end (shared box)`;
    process.stdout.write([
      `### Replicas sharing a snapshot through Redis (\`npm run bench:redis\`)`, '',
      `${size.units} units, ${size.users} users, ${size.functions} functions; redis-server ${'on loopback'}, no persistence. Machine: ${machine}.`, '',
      '| | value |', '|---|---|',
      `| snapshot in Redis (STRLEN) | ${fmtBytes(bytes)} |`,
      `| Redis memory for the key (MEMORY USAGE) | ${fmtBytes(memory)} |`,
      `| GET of the snapshot (median of 5) | ${fmtMs(median(get))} |`,
      `| read: GET + decode (median of 5) | ${fmtMs(median(read))} |`,
      `| index the lists into a snapshot (median of 5) | ${fmtMs(median(index))} |`,
      `| replica without Redis: first answer | ${fmtMs(alone.ms)}, ${alone.calls} SOAP calls (${alone.hierarchy} hierarchy pages) |`,
      `| first replica on Redis (loads, writes): first answer | ${fmtMs(leader.ms)}, ${leader.calls} SOAP calls (${leader.hierarchy} hierarchy pages) |`,
      `| second replica on Redis: first answer | ${fmtMs(follower.ms)}, ${follower.calls} SOAP calls (${follower.hierarchy} hierarchy pages) |`,
      '',
    ].join('\n'));
  } finally {
    await sf.close();
    redis.kill('SIGKILL');
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
