import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import { CHANGES_FORMAT, type ChangeStore } from '../changes/store';
import type { ChangeState } from '../changes/types';
import type { SnapshotIdentity, StateLog } from '../loaders/persist';
import type { RedisConnection } from './redis';

/**
 * The change log in Redis, shared by replicas: one value (the whole state, as the file store writes it)
 * and a version counter beside it. `commit` is a compare-and-set in a Lua script: it writes only if the
 * version is still the one this replica last loaded or committed, so of two replicas that diffed the same
 * refresh one commits and the other takes its state (one sequence of cursors). The version, not the
 * head, is compared: two new logs both have head 0 but different log ids.
 */
export class RedisChangeStore implements ChangeStore {
  readonly key: string;
  /** The version seen last ('' = none stored). */
  private version = '';

  constructor(private readonly redis: RedisConnection, private readonly id: SnapshotIdentity, private readonly log: StateLog) {
    const h = createHash('sha256').update(`${id.endpoint}\n${id.tenant}\n${CHANGES_FORMAT}`).digest('hex').slice(0, 16);
    this.key = `sf1500-subgraph:changes-${h}`;
  }

  async load(): Promise<ChangeState | undefined> {
    try {
      const res = await this.redis.client.multi().get(`${this.key}:version`).getBuffer(`${this.key}:state`).exec();
      const version = res?.[0]?.[1];
      const body = res?.[1]?.[1];
      this.version = typeof version === 'string' ? version : '';
      if (!Buffer.isBuffer(body)) return undefined;
      const stored = deserialize(body) as { format: number; endpoint: string; tenant: string; state: ChangeState };
      const why = stored.format !== CHANGES_FORMAT ? `format ${stored.format}` : stored.endpoint !== this.id.endpoint ? `endpoint ${stored.endpoint}` : stored.tenant !== this.id.tenant ? 'another tenant' : undefined;
      if (why) {
        this.log('warn', 'change log in Redis ignored, starting a new one', { key: this.key, reason: why });
        return undefined;
      }
      const s = stored.state;
      if (typeof s?.logId !== 'string' || !Array.isArray(s.events)) throw new Error('not a change log');
      this.log('info', 'change log read from Redis', { key: this.key, version: this.version, head: s.head, events: s.events.length });
      return s;
    } catch (e) {
      // Redis down at start: a new log in memory; its first commit fails against the stored one, which then wins.
      this.log('warn', 'change log not read from Redis', { key: this.key, err: e instanceof Error ? e.message : String(e) });
      return undefined;
    }
  }

  async commit(state: ChangeState, _expectedHead: number): Promise<boolean> {
    const body = serialize({ format: CHANGES_FORMAT, endpoint: this.id.endpoint, tenant: this.id.tenant, state });
    const n = await this.redis.script('changeCommit', [`${this.key}:version`, `${this.key}:state`], [this.version, body]);
    if (n < 0) return false;
    this.version = String(n);
    return true;
  }
}
