import { Pool, types as pgTypes, type PoolClient, type QueryResultRow } from 'pg';
import type { Livscyklus, ObjectTypeName, Registrering } from '../../model';
import { addRows, clamp, DEFAULT_EXCLUDED, livscyklusFilter, normRef, pickDriver, PROBE_CAP, searchParts, searchWhere, toStored, visitIndexRows, type CriterionSql, type Param, type RegRow } from './sql';
import type { NewRegistrering, SoegQuery, Store, StoredObjekt, StoredRegistrering, StoreReads, StoreTx } from './types';

/**
 * PostgreSQL implementation of {@link Store} (`SF1500_DB=postgres://…`), so several local SF1500 processes
 * can serve one shared test environment. Same tables, columns, time encoding, search plan and semantics as
 * the SQLite store (see sqlite.ts); text columns use the "C" collation so that UUID order and prefix ranges
 * are byte order, as in SQLite.
 *
 * Writes: every write is a transaction that first takes `pg_advisory_xact_lock` on its object
 * ({@link StoreTx.lock}), then reads what it merges and appends. Two processes writing one object are thus
 * serialised by the database, and under READ COMMITTED the second one's read sees the first one's commit:
 * no update is lost. One appended registration is one round trip (the PL/pgSQL function `sf1500_append`
 * closes the previous registration, inserts the new one and its search rows); seeding sends 500 at a time.
 *
 * Times are BIGINT epoch ms, read back as JS numbers (the sentinels ±8.64e15 are below 2^53).
 */

const SCHEMA_VERSION = 1;
/** Registrations per round trip when seeding. */
const APPEND_CHUNK = 500;
/** Lock key of schema creation and seeding (advisory locks of objects hash "type:uuid"). */
const SETUP_LOCK = 'sf1500:setup';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sf1500_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS registrering (
  id BIGSERIAL PRIMARY KEY,
  type TEXT COLLATE "C" NOT NULL,
  uuid TEXT COLLATE "C" NOT NULL,
  reg_fra BIGINT NOT NULL,
  reg_til BIGINT,
  livscyklus TEXT COLLATE "C",
  data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS registrering_type_uuid ON registrering(type, uuid, reg_fra, reg_til, livscyklus);
CREATE TABLE IF NOT EXISTS egenskab_idx (
  reg_id BIGINT NOT NULL REFERENCES registrering(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  type TEXT COLLATE "C" NOT NULL,
  element TEXT COLLATE "C" NOT NULL,
  value_lower TEXT COLLATE "C" NOT NULL,
  fra BIGINT NOT NULL,
  til BIGINT NOT NULL,
  PRIMARY KEY (reg_id, seq)
);
CREATE INDEX IF NOT EXISTS egenskab_idx_value ON egenskab_idx(type, element, value_lower, fra, til);
CREATE TABLE IF NOT EXISTS tilstand_idx (
  reg_id BIGINT NOT NULL REFERENCES registrering(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  type TEXT COLLATE "C" NOT NULL,
  value TEXT COLLATE "C" NOT NULL,
  fra BIGINT NOT NULL,
  til BIGINT NOT NULL,
  PRIMARY KEY (reg_id, seq)
);
CREATE TABLE IF NOT EXISTS relation_idx (
  reg_id BIGINT NOT NULL REFERENCES registrering(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  type TEXT COLLATE "C" NOT NULL,
  name TEXT COLLATE "C" NOT NULL,
  ref TEXT COLLATE "C",
  rolle TEXT COLLATE "C",
  rtype TEXT COLLATE "C",
  fra BIGINT NOT NULL,
  til BIGINT NOT NULL,
  PRIMARY KEY (reg_id, seq)
);
CREATE INDEX IF NOT EXISTS relation_idx_ref ON relation_idx(type, name, ref, fra, til);

-- Appends one registration (the same-millisecond rule of sqlite.ts included); rows are JSON arrays of
-- [element, value_lower, fra, til], [value, fra, til] and [name, ref, rolle, rtype, fra, til].
CREATE OR REPLACE FUNCTION sf1500_append(p_type TEXT, p_uuid TEXT, p_at BIGINT, p_livscyklus TEXT, p_data TEXT,
    p_attrs JSONB, p_states JSONB, p_rels JSONB, OUT o_id BIGINT, OUT o_reg_fra BIGINT) AS $$
DECLARE
  prev_id BIGINT;
  prev_fra BIGINT;
BEGIN
  SELECT r.id, r.reg_fra INTO prev_id, prev_fra FROM registrering r
    WHERE r.type = p_type AND r.uuid = p_uuid ORDER BY r.reg_fra DESC LIMIT 1;
  o_reg_fra := CASE WHEN prev_id IS NOT NULL AND p_at <= prev_fra THEN prev_fra + 1 ELSE p_at END;
  IF prev_id IS NOT NULL THEN
    UPDATE registrering SET reg_til = o_reg_fra WHERE id = prev_id;
  END IF;
  INSERT INTO registrering (type, uuid, reg_fra, reg_til, livscyklus, data)
    VALUES (p_type, p_uuid, o_reg_fra, NULL, p_livscyklus, p_data) RETURNING id INTO o_id;
  INSERT INTO egenskab_idx (reg_id, seq, type, element, value_lower, fra, til)
    SELECT o_id, (n - 1)::int, p_type, a->>0, a->>1, (a->>2)::bigint, (a->>3)::bigint FROM jsonb_array_elements(p_attrs) WITH ORDINALITY AS t(a, n);
  INSERT INTO tilstand_idx (reg_id, seq, type, value, fra, til)
    SELECT o_id, (n - 1)::int, p_type, a->>0, (a->>1)::bigint, (a->>2)::bigint FROM jsonb_array_elements(p_states) WITH ORDINALITY AS t(a, n);
  INSERT INTO relation_idx (reg_id, seq, type, name, ref, rolle, rtype, fra, til)
    SELECT o_id, (n - 1)::int, p_type, a->>0, a->>1, a->>2, a->>3, (a->>4)::bigint, (a->>5)::bigint FROM jsonb_array_elements(p_rels) WITH ORDINALITY AS t(a, n);
END $$ LANGUAGE plpgsql;

-- Many registrations in array order: [[type, uuid, at, livscyklus, data, attrs, states, rels], ...].
CREATE OR REPLACE FUNCTION sf1500_append_many(p_items JSONB) RETURNS INTEGER AS $$
DECLARE
  it JSONB;
  n INTEGER := 0;
BEGIN
  FOR it IN SELECT value FROM jsonb_array_elements(p_items) LOOP
    PERFORM sf1500_append(it->>0, it->>1, (it->>2)::bigint, it->>3, it->>4, it->5, it->6, it->7);
    n := n + 1;
  END LOOP;
  RETURN n;
END $$ LANGUAGE plpgsql;
`;

/** PostgreSQL numbers placeholders ($1, $2, …); the shared SQL fragments use `?`. */
const numbered = (sql: string): string => {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
};

type Value = Param | readonly string[];
type Query = <R extends QueryResultRow>(sql: string, params: readonly Value[]) => Promise<R[]>;

/** BIGINT (int8) as a JS number instead of a string: ids and epoch ms all fit in 2^53. */
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pgTypes.builtins.INT8 ? (v: string) => Number(v) : pgTypes.getTypeParser(oid, format ?? 'text')) as typeof pgTypes.getTypeParser,
};

type IndexRows = [attrs: unknown[][], states: unknown[][], rels: unknown[][]];

/** The append function's arguments for one registration (the search rows as arrays, for JSON). */
function appendArgs(type: string, uuid: string, reg: Registrering, at: number): [string, string, number, string | null, string, ...IndexRows] {
  const attrs: Array<[string, string, number, number]> = [];
  const states: Array<[string, number, number]> = [];
  const rels: Array<[string, string | null, string | null, string | null, number, number]> = [];
  visitIndexRows(reg, {
    attribute: (element, value, fra, til) => attrs.push([element, value, fra, til]),
    state: (value, fra, til) => states.push([value, fra, til]),
    relation: (name, ref, rolle, rtype, fra, til) => rels.push([name, ref, rolle, rtype, fra, til]),
  });
  return [type, uuid, Math.trunc(at), reg.livscyklus ?? null, JSON.stringify(reg), attrs, states, rels];
}

/** The search rows as JSON text parameters. */
const jsonArgs = (a: ReturnType<typeof appendArgs>): Param[] => [a[0], a[1], a[2], a[3], a[4], JSON.stringify(a[5]), JSON.stringify(a[6]), JSON.stringify(a[7])];

/** Reads (and, inside a transaction, writes) over one query function: the pool's or a transaction's client. */
class PgOps implements StoreReads {
  constructor(protected readonly q: Query) {}

  async get(type: ObjectTypeName, uuid: string): Promise<StoredObjekt | undefined> {
    const rows = await this.q<RegRow>('SELECT id, uuid, reg_fra, reg_til, data FROM registrering WHERE type = $1 AND uuid = $2 ORDER BY reg_fra', [type, uuid]);
    return rows.length === 0 ? undefined : { type, uuid, registreringer: rows.map(toStored) };
  }

  async getMany(type: ObjectTypeName, uuids: readonly string[]): Promise<Map<string, StoredObjekt>> {
    const out = new Map<string, StoredObjekt>();
    if (uuids.length === 0) return out;
    // One array parameter instead of an IN list: one statement text for every size.
    const rows = await this.q<RegRow>(
      'SELECT id, uuid, reg_fra, reg_til, data FROM registrering WHERE type = $1 AND uuid = ANY($2::text[]) ORDER BY uuid, reg_fra',
      [type, [...new Set(uuids)]],
    );
    addRows(out, type, rows);
    return out;
  }

  async search(q: SoegQuery): Promise<{ uuids: string[]; total: number }> {
    const { t, crits, limit, offset } = searchParts(q);
    const counts: Array<number | undefined> = [];
    for (const c of crits) counts.push(c.drive === 'probe' ? await this.probe(q.type, c) : undefined);
    const driver = pickDriver(crits, counts);
    const params: Param[] = [];
    let from = 'registrering r';
    if (driver) {
      from = `(SELECT DISTINCT c.reg_id FROM ${driver.table} c WHERE c.type = ? AND ${driver.where}) d JOIN registrering r ON r.id = d.reg_id`;
      params.push(q.type, ...driver.params);
    }
    const w = searchWhere(q.type, t, q.excludeLivscyklus ?? DEFAULT_EXCLUDED, crits, driver);
    const where = w.where;
    params.push(...w.params);
    const page = await this.q<{ uuid: string; total: number }>(
      numbered(`SELECT r.uuid AS uuid, COUNT(*) OVER () AS total FROM ${from} WHERE ${where} ORDER BY r.uuid LIMIT ? OFFSET ?`),
      [...params, limit, offset],
    );
    if (page.length > 0) return { uuids: page.map((p) => p.uuid), total: page[0].total };
    if (offset === 0 && limit > 0) return { uuids: [], total: 0 };
    // An empty page past the end (or limit 0) still needs the total.
    const [{ n }] = await this.q<{ n: number }>(numbered(`SELECT COUNT(*) AS n FROM ${from} WHERE ${where}`), params);
    return { uuids: [], total: n };
  }

  /** Index rows matching `c`, counted up to PROBE_CAP (see pickDriver). */
  private async probe(type: ObjectTypeName, c: CriterionSql): Promise<number> {
    const [{ n }] = await this.q<{ n: number }>(
      numbered(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM ${c.table} c WHERE c.type = ? AND ${c.where} LIMIT ${PROBE_CAP}) p`),
      [type, ...c.params],
    );
    return n;
  }

  async listUuids(type: ObjectTypeName, registreringAt: number, offset: number, limit: number, excludeLivscyklus: Livscyklus[] = []): Promise<string[]> {
    const t = Math.trunc(clamp(registreringAt));
    const lc = livscyklusFilter(excludeLivscyklus);
    const rows = await this.q<{ uuid: string }>(
      numbered(`SELECT r.uuid AS uuid FROM registrering r WHERE r.type = ? AND r.reg_fra <= ? AND (r.reg_til IS NULL OR r.reg_til > ?)${lc.sql} ORDER BY r.uuid LIMIT ? OFFSET ?`),
      [type, t, t, ...lc.params, Math.max(0, Math.floor(limit)), Math.max(0, Math.floor(offset))],
    );
    return rows.map((r) => r.uuid);
  }

  async findByRelation(type: ObjectTypeName, relation: string, ref: string, registreringAt: number): Promise<string[]> {
    const t = Math.trunc(clamp(registreringAt));
    const rows = await this.q<{ uuid: string }>(
      `SELECT r.uuid AS uuid FROM (SELECT DISTINCT c.reg_id FROM relation_idx c WHERE c.type = $1 AND c.name = $2 AND c.ref = $3) d
       JOIN registrering r ON r.id = d.reg_id WHERE r.type = $1 AND r.reg_fra <= $4 AND (r.reg_til IS NULL OR r.reg_til > $4) ORDER BY r.uuid`,
      [type, relation, normRef(ref), t],
    );
    return rows.map((r) => r.uuid);
  }

  async count(type: ObjectTypeName): Promise<number> {
    const [{ n }] = await this.q<{ n: number }>('SELECT COUNT(DISTINCT uuid) AS n FROM registrering WHERE type = $1', [type]);
    return n;
  }
}

class PgTx extends PgOps implements StoreTx {
  async lock(type: ObjectTypeName, uuid: string): Promise<void> {
    await this.q('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`${type}:${uuid}`]);
  }

  async appendRegistrering(type: ObjectTypeName, uuid: string, registrering: Registrering, at: number): Promise<StoredRegistrering> {
    if (!Number.isFinite(at)) throw new Error(`invalid registration time ${at}`);
    const [row] = await this.q<{ o_id: number; o_reg_fra: number }>('SELECT * FROM sf1500_append($1, $2, $3, $4, $5, $6, $7, $8)', jsonArgs(appendArgs(type, uuid, registrering, at)));
    return { id: row.o_id, registrering, regFra: row.o_reg_fra, regTil: null };
  }

  async appendMany(items: readonly NewRegistrering[]): Promise<void> {
    for (let i = 0; i < items.length; i += APPEND_CHUNK) {
      const chunk = items.slice(i, i + APPEND_CHUNK).map((it) => {
        if (!Number.isFinite(it.at)) throw new Error(`invalid registration time ${it.at}`);
        return appendArgs(it.type, it.uuid, it.registrering, it.at);
      });
      await this.q('SELECT sf1500_append_many($1::jsonb)', [JSON.stringify(chunk)]);
    }
  }

  async rewriteRegistrering(type: ObjectTypeName, id: number, registrering: Registrering): Promise<void> {
    const a = jsonArgs(appendArgs(type, '', registrering, 0));
    const res = await this.q<{ id: number }>('UPDATE registrering SET data = $1, livscyklus = $2 WHERE id = $3 AND type = $4 RETURNING id', [a[4], a[3], id, type]);
    if (res.length === 0) throw new Error(`no ${type} registration with id ${id}`);
    for (const table of ['egenskab_idx', 'tilstand_idx', 'relation_idx']) await this.q(`DELETE FROM ${table} WHERE reg_id = $1`, [id]);
    await this.q(
      `INSERT INTO egenskab_idx (reg_id, seq, type, element, value_lower, fra, til)
         SELECT $1, (n - 1)::int, $2, a->>0, a->>1, (a->>2)::bigint, (a->>3)::bigint FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS t(a, n)`,
      [id, type, a[5]],
    );
    await this.q(
      `INSERT INTO tilstand_idx (reg_id, seq, type, value, fra, til)
         SELECT $1, (n - 1)::int, $2, a->>0, (a->>1)::bigint, (a->>2)::bigint FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS t(a, n)`,
      [id, type, a[6]],
    );
    await this.q(
      `INSERT INTO relation_idx (reg_id, seq, type, name, ref, rolle, rtype, fra, til)
         SELECT $1, (n - 1)::int, $2, a->>0, a->>1, a->>2, a->>3, (a->>4)::bigint, (a->>5)::bigint FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS t(a, n)`,
      [id, type, a[7]],
    );
  }

  async physicalDelete(type: ObjectTypeName, uuid: string): Promise<boolean> {
    const rows = await this.q<{ id: number }>('DELETE FROM registrering WHERE type = $1 AND uuid = $2 RETURNING id', [type, uuid]);
    return rows.length > 0;
  }
}

const queryOf = (c: Pool | PoolClient): Query => async <R extends QueryResultRow>(sql: string, params: readonly Value[]) => (await c.query<R>(sql, params as Value[])).rows;

export interface PostgresStoreOptions {
  /** postgres://user:password@host:port/database (any libpq-style connection string node-postgres reads). */
  url: string;
  /** Connections in the pool (default 8). */
  poolSize?: number;
}

export class PostgresStore extends PgOps implements Store {
  private constructor(private readonly pool: Pool) {
    super(queryOf(pool));
  }

  /** Connects, and creates the schema when it is missing (a newer schema version is refused). */
  static async open(opts: PostgresStoreOptions): Promise<PostgresStore> {
    const pool = new Pool({ connectionString: opts.url, max: opts.poolSize ?? 8, types: TYPES });
    // An idle connection that fails (the server restarted) must not crash the process; the next query reconnects.
    pool.on('error', () => undefined);
    const client = await pool.connect().catch(async (e: unknown) => {
      await pool.end();
      throw e;
    });
    try {
      await client.query('BEGIN');
      // Several processes may start at once on an empty database: one creates the schema, the others wait.
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`Organisation:${SETUP_LOCK}`]);
      const meta = await client.query<{ exists: boolean }>("SELECT to_regclass('sf1500_meta') IS NOT NULL AS exists");
      const version = meta.rows[0].exists
        ? Number((await client.query<{ value: string }>("SELECT value FROM sf1500_meta WHERE key = 'schema_version'")).rows[0]?.value ?? 0)
        : 0;
      if (version > SCHEMA_VERSION) throw new Error(`database has schema version ${version}, newer than supported ${SCHEMA_VERSION}`);
      if (version < SCHEMA_VERSION) {
        await client.query(SCHEMA);
        await client.query("INSERT INTO sf1500_meta (key, value) VALUES ('schema_version', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", [String(SCHEMA_VERSION)]);
      }
      await client.query('COMMIT');
      client.release();
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
      await pool.end();
      throw e;
    }
    const store = new PostgresStore(pool);
    return store;
  }

  /**
   * READ COMMITTED on one pooled connection; writers serialise per object through {@link StoreTx.lock}.
   * A throw rolls back and rethrows.
   */
  async transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const out = await fn(new PgTx(queryOf(client)));
      await client.query('COMMIT');
      return out;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  /**
   * Seeds the store in one transaction unless it holds an Organisation: processes starting together on one
   * empty database seed it once. Returns the number of objects imported (0 when it was seeded already).
   */
  async seedOnce(items: () => { objects: number; registrations: NewRegistrering[] }): Promise<number> {
    return this.transaction(async (tx) => {
      await tx.lock('Organisation', SETUP_LOCK);
      if ((await tx.count('Organisation')) > 0) return 0;
      const { objects, registrations } = items();
      await tx.appendMany(registrations);
      return objects;
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
