import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { Objekt } from '../model/domain';
import type { ObjectTypeName } from '../model/types';
import type { TimeContext } from '../temporal';

/**
 * The subgraph's own state on disk (SUBGRAPH_STATE_DIR): hierarchy snapshots as fetched (the lists of
 * objects, rebuilt into an index on reading), so a restarted subgraph answers from disk at once. One file
 * per (endpoint, tenant, format, time key); written to a temporary name and renamed, so a reader sees a
 * whole file or none. Files that cannot be read, belong to another endpoint, tenant or format, or are
 * stale are ignored with a log line; a state problem never stops the subgraph.
 *
 * Layout: 4-byte big-endian header length, the header as JSON, then the lists (v8 serialisation: about
 * twice as fast as JSON both ways, and no string-length limit for a 200 MB municipality).
 */

/** Bump when the stored shape changes: older files are then foreign and ignored. */
export const SNAPSHOT_FORMAT = 1;

/** A "now" snapshot older than this is not restored (a week-old structure is not a warm start). */
export const STALE_AFTER_MS = 24 * 3600_000;

export interface SnapshotRecord {
  lists: Map<ObjectTypeName, Objekt[]>;
  t: TimeContext;
  /** When its data was read from SF1500 (ms). */
  fetchedAt: number;
}

interface Header {
  format: number;
  endpoint: string;
  tenant: string;
  key: string;
  fetchedAt: number;
  t: TimeContext;
  objects: number;
}

export type StateLog = (level: 'info' | 'warn', msg: string, fields: Record<string, unknown>) => void;

/** Where a stored snapshot is read from: this machine's SUBGRAPH_STATE_DIR or the replicas' Redis. */
export type StoreOrigin = 'disk' | 'redis';

/** How a cache asks a shared store for the one load of a key across replicas (see `SharedLoads.once`). */
export interface SharedLoad<T> {
  /** Whether a stored snapshot fetched at this time will do (newer than the one in hand, young enough). */
  usable(fetchedAt: number): boolean;
  /** Loads from SF1500 (run by the one replica holding the lease, or by any when the store is down). */
  load(): Promise<T>;
  /** What is stored of a loaded value, and a value from what another replica stored. */
  record(value: T): SnapshotRecord;
  fromRecord(rec: SnapshotRecord): T;
}

/** A store shared by replicas: one of them loads a key at a time, the others read its result. */
export interface SharedLoads {
  /** The stored snapshot if usable, else the load under a lease (written before it ends), or the holder's result. */
  once<T>(key: string, how: SharedLoad<T>): Promise<T>;
}

/**
 * Where snapshots are kept between loads: files under SUBGRAPH_STATE_DIR, or Redis (SUBGRAPH_REDIS_URL)
 * for replicas. Reading and writing never throw: a state problem is logged and never stops the subgraph.
 */
export interface SnapshotStore {
  readonly origin: StoreOrigin;
  read(key: string): Promise<SnapshotRecord | undefined>;
  /** Logs a snapshot that was read but could not be used. */
  unusable(key: string, e: unknown): void;
  write(key: string, rec: SnapshotRecord): Promise<void>;
  /** Present on a shared store: the "now" refresh goes through it. */
  readonly shared?: SharedLoads;
}

/** The identity stored with a snapshot: a reader refuses one of another endpoint, tenant, format or key. */
export interface SnapshotIdentity {
  endpoint: string;
  tenant: string;
}

/** The serialised form (file body and Redis value): header length, JSON header, v8 lists. */
export function encodeSnapshot(id: SnapshotIdentity, key: string, rec: SnapshotRecord): Buffer {
  let objects = 0;
  for (const l of rec.lists.values()) objects += l.length;
  const header: Header = { format: SNAPSHOT_FORMAT, endpoint: id.endpoint, tenant: id.tenant, key, fetchedAt: rec.fetchedAt, t: rec.t, objects };
  const h = Buffer.from(JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(h.length, 0);
  return Buffer.concat([len, h, serialize([...rec.lists])]);
}

/** Decodes `encodeSnapshot`'s form: the record, or why it is not one to use (throws on a malformed body). */
export function decodeSnapshot(buf: Buffer, id: SnapshotIdentity, key: string, now: number): { rec: SnapshotRecord; objects: number } | { ignored: string } {
  const n = buf.readUInt32BE(0);
  const h = JSON.parse(buf.subarray(4, 4 + n).toString('utf8')) as Header;
  const why = h.format !== SNAPSHOT_FORMAT ? `format ${h.format}, expected ${SNAPSHOT_FORMAT}`
    : h.endpoint !== id.endpoint ? `endpoint ${h.endpoint}`
      : h.tenant !== id.tenant ? 'another tenant'
        : h.key !== key ? `key ${h.key}`
          : key === 'now' && now - h.fetchedAt > STALE_AFTER_MS ? `stale: fetched ${new Date(h.fetchedAt).toISOString()}` : undefined;
  if (why) return { ignored: why };
  const lists = deserialize(buf.subarray(4 + n)) as unknown;
  if (!Array.isArray(lists) || lists.some((l) => !Array.isArray(l) || typeof l[0] !== 'string' || !Array.isArray(l[1]))) throw new Error('not a list of object lists');
  return { rec: { lists: new Map(lists as Array<[ObjectTypeName, Objekt[]]>), t: h.t, fetchedAt: h.fetchedAt }, objects: h.objects };
}

/** The key prefix of one endpoint, tenant and format (file names, Redis keys). */
export function snapshotPrefix(id: SnapshotIdentity): string {
  return `hierarchy-${createHash('sha256').update(`${id.endpoint}\n${id.tenant}\n${SNAPSHOT_FORMAT}`).digest('hex').slice(0, 16)}`;
}

export interface SnapshotStoreOptions {
  dir: string;
  /** The SF1500 the data came from (its OrganisationSystem endpoint). */
  endpoint: string;
  /** Whose data it is: today the client certificate identity (one municipality per certificate). */
  tenant: string;
  /** Bytes kept on disk for snapshots pinned to a past registrering (oldest dropped first). */
  maxPinnedBytes: number;
  log: StateLog;
  /** The clock (tests). */
  now?: () => number;
}

/** Snapshots as files under SUBGRAPH_STATE_DIR (one process; no coordination with others). */
export class FileSnapshotStore implements SnapshotStore {
  readonly origin = 'disk';
  private readonly prefix: string;

  constructor(private readonly o: SnapshotStoreOptions) {
    this.prefix = snapshotPrefix(o);
  }

  /** "now" or a pinned time key; file names stay short and safe whatever the key holds. */
  file(key: string): string {
    const name = key === 'now' ? 'now' : `p-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
    return join(this.o.dir, `${this.prefix}-${name}.snap`);
  }

  async read(key: string): Promise<SnapshotRecord | undefined> {
    const file = this.file(key);
    let buf: Buffer;
    try {
      buf = await readFile(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.o.log('warn', 'hierarchy state file unreadable, ignored', { file, err: String(e) });
      return undefined;
    }
    try {
      const d = decodeSnapshot(buf, this.o, key, (this.o.now ?? Date.now)());
      if ('ignored' in d) {
        this.o.log('warn', 'hierarchy state file ignored', { file, reason: d.ignored });
        return undefined;
      }
      this.o.log('info', 'hierarchy snapshot restored from disk', { file, objects: d.objects, fetchedAt: new Date(d.rec.fetchedAt).toISOString() });
      return d.rec;
    } catch (e) {
      this.o.log('warn', 'hierarchy state file unreadable, ignored', { file, err: e instanceof Error ? e.message : String(e) });
      return undefined;
    }
  }

  /** Logs a file that was read but could not be used. */
  unusable(key: string, e: unknown): void {
    this.o.log('warn', 'hierarchy state file unreadable, ignored', { file: this.file(key), err: e instanceof Error ? e.message : String(e) });
  }

  /** Writes atomically (temporary file, then rename); never throws (a failed write is logged). */
  async write(key: string, rec: SnapshotRecord): Promise<void> {
    const file = this.file(key);
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await mkdir(this.o.dir, { recursive: true });
      await writeFile(tmp, encodeSnapshot(this.o, key, rec));
      await rename(tmp, file);
      if (key !== 'now') await this.trimPinned();
    } catch (e) {
      this.o.log('warn', 'hierarchy state not written', { file, err: e instanceof Error ? e.message : String(e) });
      await unlink(tmp).catch(() => undefined);
    }
  }

  /** Drops the oldest pinned files of this endpoint and tenant beyond the size bound. */
  private async trimPinned(): Promise<void> {
    const names = (await readdir(this.o.dir)).filter((n) => n.startsWith(`${this.prefix}-p-`) && n.endsWith('.snap'));
    const files = await Promise.all(names.map(async (n) => ({ path: join(this.o.dir, n), st: await stat(join(this.o.dir, n)) })));
    files.sort((a, b) => b.st.mtimeMs - a.st.mtimeMs);
    let total = 0;
    for (const f of files) {
      total += f.st.size;
      if (total > this.o.maxPinnedBytes) await unlink(f.path).catch(() => undefined);
    }
  }
}
