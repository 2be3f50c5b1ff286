import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { StateLog } from '../loaders/persist';
import type { ChangeState } from './types';

/**
 * Where the change log lives. The log commits its whole state (events, cursor, baseline) as one unit,
 * so a crash leaves the previous commit or the new one, never events without their baseline. A shared
 * store (Redis, for replicas) implements the same two calls: `commit` is a compare-and-set on the head,
 * so two replicas that both diffed the same refresh append it once.
 */
export interface ChangeStore {
  /** The last committed state, or undefined when there is none or it cannot be used (logged). */
  load(): Promise<ChangeState | undefined>;
  /** Commits `state` if the stored head is still `expectedHead`; false when another writer got there first. */
  commit(state: ChangeState, expectedHead: number): Promise<boolean>;
}

/** Bump when the stored shape changes: older files are then ignored (and the log starts afresh). */
export const CHANGES_FORMAT = 1;

interface Header {
  format: number;
  endpoint: string;
  tenant: string;
  head: number;
}

export interface FileChangeStoreOptions {
  dir: string;
  /** The SF1500 the data comes from, and whose data it is (as for the snapshots). */
  endpoint: string;
  tenant: string;
  log: StateLog;
}

/**
 * The log in one file under SUBGRAPH_STATE_DIR, keyed by endpoint and tenant: written to a temporary
 * name and renamed (atomic). Layout as the snapshot files: 4-byte header length, JSON header, v8 body.
 * One process writes it; `commit` checks the head against its own last commit.
 */
export class FileChangeStore implements ChangeStore {
  readonly file: string;
  private head?: number;

  constructor(private readonly o: FileChangeStoreOptions) {
    const id = createHash('sha256').update(`${o.endpoint}\n${o.tenant}\n${CHANGES_FORMAT}`).digest('hex').slice(0, 16);
    this.file = join(o.dir, `changes-${id}.log`);
  }

  async load(): Promise<ChangeState | undefined> {
    let buf: Buffer;
    try {
      buf = await readFile(this.file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.o.log('warn', 'change log unreadable, starting a new one', { file: this.file, err: String(e) });
      return undefined;
    }
    try {
      const n = buf.readUInt32BE(0);
      const h = JSON.parse(buf.subarray(4, 4 + n).toString('utf8')) as Header;
      const why = h.format !== CHANGES_FORMAT ? `format ${h.format}` : h.endpoint !== this.o.endpoint ? `endpoint ${h.endpoint}` : h.tenant !== this.o.tenant ? 'another tenant' : undefined;
      if (why) {
        this.o.log('warn', 'change log ignored, starting a new one', { file: this.file, reason: why });
        return undefined;
      }
      const s = deserialize(buf.subarray(4 + n)) as ChangeState;
      if (typeof s.logId !== 'string' || s.head !== h.head || !Array.isArray(s.events)) throw new Error('not a change log');
      this.head = s.head;
      this.o.log('info', 'change log restored from disk', { file: this.file, head: s.head, events: s.events.length, objects: s.baseline?.objects.size ?? 0 });
      return s;
    } catch (e) {
      this.o.log('warn', 'change log unreadable, starting a new one', { file: this.file, err: e instanceof Error ? e.message : String(e) });
      return undefined;
    }
  }

  async commit(state: ChangeState, expectedHead: number): Promise<boolean> {
    if (this.head !== undefined && this.head !== expectedHead) return false;
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await mkdir(this.o.dir, { recursive: true });
      const h = Buffer.from(JSON.stringify({ format: CHANGES_FORMAT, endpoint: this.o.endpoint, tenant: this.o.tenant, head: state.head } satisfies Header), 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32BE(h.length, 0);
      await writeFile(tmp, Buffer.concat([len, h, serialize(state)]));
      await rename(tmp, this.file);
      this.head = state.head;
      return true;
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
  }
}

/** The log in memory only (no SUBGRAPH_STATE_DIR): lost on restart, so cursors of an earlier process are refused. */
export class MemoryChangeStore implements ChangeStore {
  private state?: ChangeState;

  async load(): Promise<ChangeState | undefined> {
    return this.state;
  }

  async commit(state: ChangeState, expectedHead: number): Promise<boolean> {
    if ((this.state?.head ?? expectedHead) !== expectedHead) return false;
    this.state = state;
    return true;
  }
}
