import Database from 'better-sqlite3';
import type { Livscyklus, ObjectTypeName, Registrering } from '../../model';
import type { SoegQuery, SyncStore, StoredObjekt, StoredRegistrering } from './types';
import {
  addRows, clamp, DEFAULT_EXCLUDED, livscyklusFilter, normRef, pickDriver, PROBE_CAP, searchParts, searchWhere, toStored, visitIndexRows, type CriterionSql, type Param, type RegRow,
} from './sql';

export { MAX_TIME, MIN_TIME, wildcardToLike } from './sql';

/**
 * SQLite implementation of {@link SyncStore} on better-sqlite3 (synchronous, one connection per process).
 *
 * Schema (PRAGMA user_version = {@link SCHEMA_VERSION}; created when missing, a newer version is refused):
 *
 *   registrering(id INTEGER PRIMARY KEY, type, uuid, reg_fra, reg_til NULL, livscyklus NULL, data)
 *     One row per registration; `data` is the full `Registrering` as JSON text, the source of truth
 *     (everything else is derived from it). reg_fra/reg_til in epoch ms; reg_til NULL = still in force.
 *     registrering_type_uuid (type, uuid, reg_fra, reg_til, livscyklus): get/getMany, the newest-registration
 *       lookup, listUuids, count and criteria-less search run on it, in UUID order, without touching the JSON.
 *     registrering_id_cover (id, type, reg_fra, reg_til, livscyklus, uuid): the "in force at t / livscyklus"
 *       check of search hits found through a search index, without reading the wide rows that carry the JSON.
 *
 *   Search rows, written per registration and rewritten with it. Each table is WITHOUT ROWID and clustered
 *   by PRIMARY KEY (reg_id, seq), so a per-registration check (EXISTS) is one seek over a handful of
 *   adjacent rows; `reg_id REFERENCES registrering(id) ON DELETE CASCADE`, so deleting registrations is one
 *   statement. fra/til are the row's virkning period.
 *   egenskab_idx(reg_id, seq, type, element, value_lower, fra, til): one row per attribute value
 *     (a repeating element gives several rows); value lower-cased with JS toLowerCase.
 *     egenskab_idx_value (type, element, value_lower, fra, til): equality, prefix range and LIKE scans.
 *   tilstand_idx(reg_id, seq, type, value, fra, til): one row per Tilstand.
 *   relation_idx(reg_id, seq, type, name, ref, rolle, rtype, fra, til): one row per relation; ref/rolle/rtype
 *     are the uuid or else the urn of the reference (NULL when absent).
 *     relation_idx_ref (type, name, ref, fra, til): relation-by-target search and findByRelation.
 *
 * Search plan: among the criteria that can seek an index (relation with ref, attribute equality or with a
 * literal prefix) the one matching the fewest index rows (probed, counting at most PROBE_CAP) drives the
 * query; its registrations are then checked for being in force, for livscyklus and, by EXISTS, for the
 * other criteria, and sorted by UUID. Without such a criterion, a leading-wildcard attribute drives by
 * scanning that element's values in the index; otherwise the type's registrations are scanned in UUID order.
 *
 * Time encoding: all times are epoch milliseconds (INTEGER). Registration periods use `reg_til IS NULL`
 * for the registration still in force (as {@link StoredRegistrering} does). Virkning periods of search rows
 * never use NULL: an open end is stored as the sentinel {@link MIN_TIME} (-8.64e15, fra = -infinity) or
 * {@link MAX_TIME} (8.64e15, til = +infinity), the limits of a JS Date, so the overlap test is two plain
 * comparisons that indexes and the planner handle well. Query windows with ±Infinity are clamped to them.
 *
 * Same-millisecond rule: registration periods never collapse. When `appendRegistrering` gets an `at` that is
 * not strictly after the previous registration's reg_fra (two writes in one millisecond, or a clock that
 * went backwards), the new registration starts at previous reg_fra + 1 instead; the previous one's reg_til
 * is always exactly the new one's reg_fra.
 *
 * JSON: a registration is stored as JSON text and parsed lazily on first access of
 * `StoredRegistrering.registrering` (see {@link toStored}), so reading an object's history is cheap.
 *
 * Reference matching: UUID-shaped refs (relation target, rolle, type) are lower-cased in the search rows and
 * in the criteria, so UUIDs match case-insensitively; URNs match exactly. Object UUIDs are stored exactly as
 * the caller gives them (the services canonicalise them).
 */

export const SCHEMA_VERSION = 1;
/** SQLite's default bound-parameter limit is 32766 since 3.32, but stay far below the historic 999. */
const MAX_IN_PARAMS = 900;
const STATEMENT_CACHE_SIZE = 256;
/** Index entries counted at most when probing a criterion's selectivity. */

const SCHEMA = `
CREATE TABLE IF NOT EXISTS registrering (
  id INTEGER PRIMARY KEY,
  type TEXT NOT NULL,
  uuid TEXT NOT NULL,
  reg_fra INTEGER NOT NULL,
  reg_til INTEGER,
  livscyklus TEXT,
  data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS registrering_type_uuid ON registrering(type, uuid, reg_fra, reg_til, livscyklus);
CREATE INDEX IF NOT EXISTS registrering_id_cover ON registrering(id, type, reg_fra, reg_til, livscyklus, uuid);

CREATE TABLE IF NOT EXISTS egenskab_idx (
  reg_id INTEGER NOT NULL REFERENCES registrering(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  element TEXT NOT NULL,
  value_lower TEXT NOT NULL,
  fra INTEGER NOT NULL,
  til INTEGER NOT NULL,
  PRIMARY KEY (reg_id, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS egenskab_idx_value ON egenskab_idx(type, element, value_lower, fra, til);

CREATE TABLE IF NOT EXISTS tilstand_idx (
  reg_id INTEGER NOT NULL REFERENCES registrering(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  value TEXT NOT NULL,
  fra INTEGER NOT NULL,
  til INTEGER NOT NULL,
  PRIMARY KEY (reg_id, seq)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS relation_idx (
  reg_id INTEGER NOT NULL REFERENCES registrering(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  name TEXT NOT NULL,
  ref TEXT,
  rolle TEXT,
  rtype TEXT,
  fra INTEGER NOT NULL,
  til INTEGER NOT NULL,
  PRIMARY KEY (reg_id, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS relation_idx_ref ON relation_idx(type, name, ref, fra, til);
`;

export interface SqliteStoreOptions {
  /** Database file; ':memory:' (default) for a private in-memory database. */
  file?: string;
  /** Milliseconds a statement waits for a lock held by another connection (default 5000). */
  busyTimeoutMs?: number;
}

export class SqliteStore implements SyncStore {
  private readonly stmtCache = new Map<string, Database.Statement>();

  private readonly st: {
    latest: Database.Statement<[string, string], { id: number; reg_fra: number }>;
    close: Database.Statement<[number, number]>;
    insert: Database.Statement<[string, string, number, string | null, string]>;
    get: Database.Statement<[string, string], RegRow>;
    rewrite: Database.Statement<[string, string | null, number, string]>;
    delAttr: Database.Statement<[number]>;
    delState: Database.Statement<[number]>;
    delRel: Database.Statement<[number]>;
    physicalDelete: Database.Statement<[string, string]>;
    count: Database.Statement<[string], { n: number }>;
    insAttr: Database.Statement<[number, number, string, string, string, number, number]>;
    insState: Database.Statement<[number, number, string, string, number, number]>;
    insRel: Database.Statement<[number, number, string, string, string | null, string | null, string | null, number, number]>;
  };

  private constructor(private readonly db: Database.Database) {
    this.st = {
      latest: db.prepare('SELECT id, reg_fra FROM registrering WHERE type = ? AND uuid = ? ORDER BY reg_fra DESC LIMIT 1'),
      close: db.prepare('UPDATE registrering SET reg_til = ? WHERE id = ?'),
      insert: db.prepare('INSERT INTO registrering (type, uuid, reg_fra, reg_til, livscyklus, data) VALUES (?, ?, ?, NULL, ?, ?)'),
      get: db.prepare('SELECT id, uuid, reg_fra, reg_til, data FROM registrering WHERE type = ? AND uuid = ? ORDER BY reg_fra'),
      rewrite: db.prepare('UPDATE registrering SET data = ?, livscyklus = ? WHERE id = ? AND type = ?'),
      delAttr: db.prepare('DELETE FROM egenskab_idx WHERE reg_id = ?'),
      delState: db.prepare('DELETE FROM tilstand_idx WHERE reg_id = ?'),
      delRel: db.prepare('DELETE FROM relation_idx WHERE reg_id = ?'),
      physicalDelete: db.prepare('DELETE FROM registrering WHERE type = ? AND uuid = ?'),
      count: db.prepare('SELECT COUNT(DISTINCT uuid) AS n FROM registrering WHERE type = ?'),
      insAttr: db.prepare('INSERT INTO egenskab_idx (reg_id, seq, type, element, value_lower, fra, til) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      insState: db.prepare('INSERT INTO tilstand_idx (reg_id, seq, type, value, fra, til) VALUES (?, ?, ?, ?, ?, ?)'),
      insRel: db.prepare('INSERT INTO relation_idx (reg_id, seq, type, name, ref, rolle, rtype, fra, til) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    };
  }

  static open(opts: SqliteStoreOptions = {}): SqliteStore {
    const file = opts.file ?? ':memory:';
    const db = new Database(file);
    try {
      if (file !== ':memory:' && file !== '') {
        db.pragma('journal_mode = WAL');
        // WAL + synchronous=NORMAL: a committed (acknowledged) transaction survives a crash of this process,
        // since it is in the WAL file in the OS page cache; it may be lost on power loss or an OS crash
        // (the WAL is fsynced only at checkpoints). That is the durability the local SF1500 needs.
        db.pragma('synchronous = NORMAL');
      }
      db.pragma('foreign_keys = ON');
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? 5000))}`);
      db.pragma('cache_size = -65536'); // 64 MiB page cache
      db.pragma('temp_store = MEMORY');
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > SCHEMA_VERSION) {
        throw new Error(`database ${file} has schema version ${version}, newer than supported ${SCHEMA_VERSION}`);
      }
      if (version < SCHEMA_VERSION) {
        db.transaction(() => {
          db.exec(SCHEMA);
          db.pragma(`user_version = ${SCHEMA_VERSION}`);
        })();
      }
      return new SqliteStore(db);
    } catch (e) {
      db.close();
      throw e;
    }
  }

  /**
   * Runs `fn` in one transaction (better-sqlite3 `db.transaction`); nested calls become savepoints, so an
   * inner throw caught by the outer function rolls back only the inner part. `fn` must be synchronous:
   * the transaction commits when it returns, so anything after an `await` would run outside it.
   */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /**
   * An explicit transaction for callers whose work spans promises (the asynchronous face, sqlite-async.ts),
   * which make sure nothing else uses this connection in between. IMMEDIATE: the write lock at once, so two
   * processes on one file wait for each other (busy_timeout) instead of failing at their first write.
   */
  begin(): void {
    this.db.exec('BEGIN IMMEDIATE');
  }

  commit(): void {
    this.db.exec('COMMIT');
  }

  rollback(): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
  }

  get(type: ObjectTypeName, uuid: string): StoredObjekt | undefined {
    const rows = this.st.get.all(type, uuid);
    if (rows.length === 0) return undefined;
    return { type, uuid, registreringer: rows.map(toStored) };
  }

  getMany(type: ObjectTypeName, uuids: readonly string[]): Map<string, StoredObjekt> {
    const out = new Map<string, StoredObjekt>();
    const unique = [...new Set(uuids)];
    for (let i = 0; i < unique.length; i += MAX_IN_PARAMS) {
      const chunk = unique.slice(i, i + MAX_IN_PARAMS);
      // Pad to a few fixed sizes (powers of two up to 512, then 900) with repeats of the last UUID, so a
      // dozen cached statements serve every size; duplicates in an IN list are harmless.
      let size = 1;
      while (size < chunk.length) size *= 2;
      if (size > MAX_IN_PARAMS) size = MAX_IN_PARAMS;
      const params: Param[] = [type, ...chunk];
      while (params.length < size + 1) params.push(chunk[chunk.length - 1]);
      const stmt = this.prepare(
        `SELECT id, uuid, reg_fra, reg_til, data FROM registrering WHERE type = ? AND uuid IN (${new Array(size).fill('?').join(',')}) ORDER BY uuid, reg_fra`,
      );
      addRows(out, type, stmt.all(...params) as RegRow[]);
    }
    return out;
  }

  /**
   * Runs in the caller's transaction when there is one, otherwise in its own. The returned
   * `registrering` is the object passed in (not a copy).
   */
  appendRegistrering(type: ObjectTypeName, uuid: string, registrering: Registrering, at: number): StoredRegistrering {
    if (!Number.isFinite(at)) throw new Error(`invalid registration time ${at}`);
    const run = (): StoredRegistrering => {
      const prev = this.st.latest.get(type, uuid);
      // Same-millisecond rule (see file comment): periods never collapse.
      const regFra = prev && at <= prev.reg_fra ? prev.reg_fra + 1 : Math.trunc(at);
      if (prev) this.st.close.run(regFra, prev.id);
      const id = Number(this.st.insert.run(type, uuid, regFra, registrering.livscyklus ?? null, JSON.stringify(registrering)).lastInsertRowid);
      this.writeIndexRows(id, type, registrering);
      return { id, registrering, regFra, regTil: null };
    };
    return this.db.inTransaction ? run() : this.transaction(run);
  }

  rewriteRegistrering(type: ObjectTypeName, id: number, registrering: Registrering): void {
    const run = (): void => {
      const res = this.st.rewrite.run(JSON.stringify(registrering), registrering.livscyklus ?? null, id, type);
      if (res.changes === 0) throw new Error(`no ${type} registration with id ${id}`);
      this.st.delAttr.run(id);
      this.st.delState.run(id);
      this.st.delRel.run(id);
      this.writeIndexRows(id, type, registrering);
    };
    if (this.db.inTransaction) run();
    else this.transaction(run);
  }

  search(q: SoegQuery): { uuids: string[]; total: number } {
    const { t, crits, limit, offset } = searchParts(q);
    const driver = pickDriver(crits, crits.map((c) => (c.drive === 'probe' ? this.probe(q.type, c) : undefined)));
    const params: Param[] = [];
    let from: string;
    if (driver) {
      // CROSS JOIN fixes the join order: matching index rows first, then their registrations, looked up in
      // the narrow covering index by id rather than in the table rows that carry the JSON.
      from = `(SELECT DISTINCT c.reg_id FROM ${driver.table} c WHERE c.type = ? AND ${driver.where}) d
        CROSS JOIN registrering r INDEXED BY registrering_id_cover ON r.id = d.reg_id`;
      params.push(q.type, ...driver.params);
    } else {
      from = 'registrering r';
    }
    const w = searchWhere(q.type, t, q.excludeLivscyklus ?? DEFAULT_EXCLUDED, crits, driver);
    const where = w.where;
    params.push(...w.params);

    if (driver) {
      // Hits come in reg_id order and must be sorted anyway: one pass, counting with a window function.
      const page = this.prepare(`SELECT r.uuid AS uuid, COUNT(*) OVER () AS total FROM ${from} WHERE ${where} ORDER BY r.uuid LIMIT ? OFFSET ?`)
        .all(...params, limit, offset) as Array<{ uuid: string; total: number }>;
      if (page.length > 0) return { uuids: page.map((p) => p.uuid), total: page[0].total };
      if (offset === 0 && limit > 0) return { uuids: [], total: 0 };
      // An empty page past the end (or limit 0) still needs the total: counted below.
    }
    // Scanning the type in UUID order: count, then a page query that stops after offset + limit hits.
    const { n } = this.prepare(`SELECT COUNT(*) AS n FROM ${from} WHERE ${where}`).get(...params) as { n: number };
    if (driver || n === 0 || limit === 0 || offset >= n) return { uuids: [], total: n };
    const page = this.prepare(`SELECT r.uuid AS uuid FROM ${from} WHERE ${where} ORDER BY r.uuid LIMIT ? OFFSET ?`)
      .all(...params, limit, offset) as Array<{ uuid: string }>;
    return { uuids: page.map((p) => p.uuid), total: n };
  }

  /** Index rows matching `c`, counted up to PROBE_CAP (see pickDriver). */
  private probe(type: ObjectTypeName, c: CriterionSql): number {
    const { n } = this.prepare(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM ${c.table} c WHERE c.type = ? AND ${c.where} LIMIT ${PROBE_CAP})`)
      .get(type, ...c.params) as { n: number };
    return n;
  }

  /** No livscyklus is excluded unless `excludeLivscyklus` says so. */
  listUuids(type: ObjectTypeName, registreringAt: number, offset: number, limit: number, excludeLivscyklus: Livscyklus[] = []): string[] {
    const t = clamp(registreringAt);
    const lc = livscyklusFilter(excludeLivscyklus);
    const rows = this.prepare(
      `SELECT r.uuid AS uuid FROM registrering r WHERE r.type = ? AND r.reg_fra <= ? AND (r.reg_til IS NULL OR r.reg_til > ?)${lc.sql} ORDER BY r.uuid LIMIT ? OFFSET ?`,
    ).all(type, t, t, ...lc.params, Math.max(0, Math.floor(limit)), Math.max(0, Math.floor(offset))) as Array<{ uuid: string }>;
    return rows.map((r) => r.uuid);
  }

  /** Any livscyklus, any virkning; ordered by UUID. */
  findByRelation(type: ObjectTypeName, relation: string, ref: string, registreringAt: number): string[] {
    const t = clamp(registreringAt);
    const rows = this.prepare(
      `SELECT r.uuid AS uuid FROM (SELECT DISTINCT c.reg_id FROM relation_idx c WHERE c.type = ? AND c.name = ? AND c.ref = ?) d
       CROSS JOIN registrering r INDEXED BY registrering_id_cover ON r.id = d.reg_id
       WHERE r.type = ? AND r.reg_fra <= ? AND (r.reg_til IS NULL OR r.reg_til > ?) ORDER BY r.uuid`,
    ).all(type, relation, normRef(ref), type, t, t) as Array<{ uuid: string }>;
    return rows.map((r) => r.uuid);
  }

  physicalDelete(type: ObjectTypeName, uuid: string): boolean {
    // Search rows go with their registrations (ON DELETE CASCADE).
    return this.st.physicalDelete.run(type, uuid).changes > 0;
  }

  /** Number of objects of a type (any livscyklus). */
  count(type: ObjectTypeName): number {
    return this.st.count.get(type)!.n;
  }

  close(): void {
    if (!this.db.open) return;
    try {
      this.db.pragma('optimize');
    } finally {
      this.stmtCache.clear();
      this.db.close();
    }
  }

  /**
   * Writes the search rows of one registration, one prepared INSERT per row (measured faster than
   * multi-row VALUES statements, which SQLite runs as a co-routine).
   */
  private writeIndexRows(id: number, type: string, reg: Registrering): void {
    let a = 0;
    let t = 0;
    let r = 0;
    visitIndexRows(reg, {
      attribute: (element, valueLower, fra, til) => this.st.insAttr.run(id, a++, type, element, valueLower, fra, til),
      state: (value, fra, til) => this.st.insState.run(id, t++, type, value, fra, til),
      relation: (name, ref, rolle, rtype, fra, til) => this.st.insRel.run(id, r++, type, name, ref, rolle, rtype, fra, til),
    });
  }

  /** Cached prepared statement for dynamic SQL (bounded; oldest evicted first). */
  private prepare(sql: string): Database.Statement {
    let s = this.stmtCache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      if (this.stmtCache.size >= STATEMENT_CACHE_SIZE) this.stmtCache.delete(this.stmtCache.keys().next().value!);
      this.stmtCache.set(sql, s);
    }
    return s;
  }
}

