import { createHash, randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import {
  decodeSnapshot, encodeSnapshot, snapshotPrefix, STALE_AFTER_MS,
  type SharedLoad, type SharedLoads, type SnapshotIdentity, type SnapshotRecord, type SnapshotStore, type StateLog,
} from '../loaders/persist';

/**
 * Snapshots shared by replicas through Redis (SUBGRAPH_REDIS_URL). The value is the file store's
 * serialised form (header + v8 lists) under a key of endpoint, tenant and format; next to it a small key
 * holds its fetch time, so a waiting replica polls a few bytes, not the snapshot. One replica loads a key
 * at a time: it holds a lease (SET NX PX, renewed while it loads, deleted when its snapshot is written);
 * a holder that dies stops renewing and the lease expires, so another takes over. Redis down: each
 * replica loads on its own (logged) and the shared path resumes when the client reconnects.
 */

export interface RedisSettings {
  url: string;
  /** Lease lifetime (ms); renewed every third of it while the holder loads. */
  leaseMs: number;
  /** How long a replica waits for a live holder's snapshot before loading itself. */
  waitMs: number;
}

/** The URL without its password, for log lines. */
function shown(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'redis';
  }
}

/** One Redis connection per subgraph process, shared by the snapshot and change-log stores of every tenant. */
export class RedisConnection {
  readonly client: Redis;
  private down = false;

  constructor(readonly settings: RedisSettings, private readonly log: StateLog) {
    this.client = new Redis(settings.url, {
      // A command fails after one reconnect attempt instead of queueing for good: the caller falls back.
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      // Reconnect for ever, at most once a second: the shared path resumes when Redis is back.
      retryStrategy: (n: number) => Math.min(100 * n, 1000),
    });
    this.client.on('error', (e: Error) => {
      if (this.down) return;
      this.down = true;
      this.log('warn', 'Redis unreachable: each replica loads from SF1500 itself until it is back', { redis: shown(settings.url), err: e.message });
    });
    this.client.on('ready', () => {
      if (!this.down) return;
      this.down = false;
      this.log('info', 'Redis reachable again: replicas share snapshots again', { redis: shown(settings.url) });
    });
    // Lua: lease renewal and release only by the holder's token; a snapshot never replaced by an older one.
    this.client.defineCommand('leaseRenew', { numberOfKeys: 1, lua: "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end" });
    this.client.defineCommand('leaseRelease', { numberOfKeys: 1, lua: "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end" });
    this.client.defineCommand('putSnapshot', {
      numberOfKeys: 2,
      lua: "local f = redis.call('GET', KEYS[2]) if f and tonumber(f) > tonumber(ARGV[2]) then return 0 end "
        + "redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3]) redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3]) return 1",
    });
    // The change log's compare-and-set on its version counter (see redis-changes.ts).
    this.client.defineCommand('changeCommit', {
      numberOfKeys: 2,
      lua: "local v = redis.call('GET', KEYS[1]) or '' if v ~= ARGV[1] then return -1 end "
        + "local n = redis.call('INCR', KEYS[1]) redis.call('SET', KEYS[2], ARGV[2]) return n",
    });
  }

  /** Runs one of the scripts defined above. */
  script(name: 'leaseRenew' | 'leaseRelease' | 'putSnapshot' | 'changeCommit', keys: string[], args: Array<string | Buffer | number>): Promise<number> {
    const fn = (this.client as unknown as Record<string, (...a: unknown[]) => Promise<number>>)[name];
    return fn.call(this.client, ...keys, ...args);
  }

  async close(): Promise<void> {
    // quit waits for the replies in flight; a Redis that is down would make it wait for nothing.
    if (this.client.status === 'ready') await this.client.quit().catch(() => undefined);
    this.client.disconnect();
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Pinned snapshots (immutable) are kept this long in Redis; "now" as long as it can be restored. */
export const PINNED_TTL_MS = 24 * 3600_000;

type Decision<T> = { kind: 'value'; value: T } | { kind: 'lead'; token: string } | { kind: 'alone' };

export class RedisSnapshotStore implements SnapshotStore, SharedLoads {
  readonly origin = 'redis';
  readonly shared: SharedLoads = this;
  private readonly prefix: string;

  constructor(private readonly redis: RedisConnection, private readonly id: SnapshotIdentity, private readonly log: StateLog, private readonly now: () => number = Date.now) {
    this.prefix = `sf1500-subgraph:${snapshotPrefix(id)}`;
  }

  /** The Redis key of a time key: "now" or a hash of the pinned key (as the file names). */
  key(key: string): string {
    return key === 'now' ? `${this.prefix}:now` : `${this.prefix}:p-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
  }

  async read(key: string): Promise<SnapshotRecord | undefined> {
    const k = this.key(key);
    try {
      const started = performance.now();
      const buf = await this.redis.client.getBuffer(k);
      if (!buf) return undefined;
      const fetchedMs = performance.now() - started;
      const d = decodeSnapshot(buf, this.id, key, this.now());
      if ('ignored' in d) {
        this.log('warn', 'hierarchy snapshot in Redis ignored', { key: k, reason: d.ignored });
        return undefined;
      }
      this.log('info', 'hierarchy snapshot read from Redis', {
        key: k, objects: d.objects, bytes: buf.length, fetchMs: Math.round(fetchedMs), ms: Math.round(performance.now() - started), fetchedAt: new Date(d.rec.fetchedAt).toISOString(),
      });
      return d.rec;
    } catch (e) {
      this.log('warn', 'hierarchy snapshot not read from Redis', { key: k, err: message(e) });
      return undefined;
    }
  }

  unusable(key: string, e: unknown): void {
    this.log('warn', 'hierarchy snapshot in Redis unusable, ignored', { key: this.key(key), err: message(e) });
  }

  async write(key: string, rec: SnapshotRecord): Promise<void> {
    const k = this.key(key);
    try {
      const started = performance.now();
      const buf = encodeSnapshot(this.id, key, rec);
      const ttl = key === 'now' ? STALE_AFTER_MS : PINNED_TTL_MS;
      const put = await this.redis.script('putSnapshot', [k, `${k}:at`], [buf, rec.fetchedAt, ttl]);
      this.log('info', put ? 'hierarchy snapshot written to Redis' : 'hierarchy snapshot not written to Redis: a newer one is there', { key: k, bytes: buf.length, ms: Math.round(performance.now() - started) });
    } catch (e) {
      this.log('warn', 'hierarchy snapshot not written to Redis', { key: k, err: message(e) });
    }
  }

  /** When the stored snapshot of `key` was fetched (a few bytes), if there is one. */
  private async storedAt(key: string): Promise<number | undefined> {
    const v = await this.redis.client.get(`${this.key(key)}:at`);
    return v === null ? undefined : Number(v);
  }

  /** The stored snapshot when usable, else undefined (Redis errors propagate to the caller's fallback). */
  private async usable<T>(key: string, how: SharedLoad<T>): Promise<T | undefined> {
    const at = await this.storedAt(key);
    if (at === undefined || !how.usable(at)) return undefined;
    const rec = await this.read(key);
    return rec && how.usable(rec.fetchedAt) ? how.fromRecord(rec) : undefined;
  }

  async once<T>(key: string, how: SharedLoad<T>): Promise<T> {
    const d = await this.decide(key, how);
    if (d.kind === 'value') return d.value;
    if (d.kind === 'lead') return this.lead(key, d.token, how);
    const v = await how.load();
    await this.write(key, how.record(v));
    return v;
  }

  /** Read what is there, take the lease, or wait for its holder; only Redis is asked here. */
  private async decide<T>(key: string, how: SharedLoad<T>): Promise<Decision<T>> {
    const lease = `${this.key(key)}:lease`;
    const { leaseMs, waitMs } = this.redis.settings;
    const started = Date.now();
    let waiting = false;
    try {
      for (;;) {
        const there = await this.usable(key, how);
        if (there !== undefined) return { kind: 'value', value: there };
        const token = randomBytes(9).toString('base64');
        if ((await this.redis.client.set(lease, token, 'PX', leaseMs, 'NX')) === 'OK') {
          // The previous holder may have written and released between our look and our lease.
          const written = await this.usable(key, how);
          if (written === undefined) return { kind: 'lead', token };
          await this.redis.script('leaseRelease', [lease], [token]);
          return { kind: 'value', value: written };
        }
        if (!waiting) {
          waiting = true;
          this.log('info', 'another replica is loading the hierarchy: waiting for its snapshot', { key: lease });
        }
        if (Date.now() - started >= waitMs) {
          this.log('warn', `no snapshot from the lease holder within ${waitMs} ms: loading the hierarchy from SF1500 ourselves`, { key: lease });
          return { kind: 'alone' };
        }
        await sleep(Math.max(20, Math.min(250, leaseMs / 10)));
      }
    } catch (e) {
      this.log('warn', 'Redis unavailable: loading the hierarchy from SF1500 ourselves', { key: lease, err: message(e) });
      return { kind: 'alone' };
    }
  }

  /** Loads under the lease, renewed while loading; written before the lease is let go, so waiters find it. */
  private async lead<T>(key: string, token: string, how: SharedLoad<T>): Promise<T> {
    const lease = `${this.key(key)}:lease`;
    const { leaseMs } = this.redis.settings;
    this.log('info', 'this replica holds the hierarchy lease: loading from SF1500', { key: lease });
    const timer = setInterval(() => {
      this.redis.script('leaseRenew', [lease], [token, leaseMs]).then((ok) => {
        if (!ok) this.log('warn', 'hierarchy lease lost while loading (expired): another replica may load too', { key: lease });
      }, () => undefined);
    }, Math.max(10, Math.floor(leaseMs / 3)));
    timer.unref();
    try {
      const v = await how.load();
      await this.write(key, how.record(v));
      return v;
    } finally {
      clearInterval(timer);
      await this.redis.script('leaseRelease', [lease], [token]).catch(() => undefined);
    }
  }
}
