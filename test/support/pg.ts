/**
 * PostgreSQL for tests: one server (SF1500_TEST_PG, an admin URL such as
 * postgres://postgres@127.0.0.1:5432/postgres; `.ci/run` starts one), a fresh database per emulator.
 * Under CI a missing server fails loudly; a developer without PostgreSQL gets the PostgreSQL project skipped
 * with a message (jest.config.js).
 */
import { createHash } from 'node:crypto';
import { Client } from 'pg';

const created = new Set<string>();
let counter = 0;

/** The admin URL, or a loud failure (the PostgreSQL variants were asked for without a server). */
export function adminUrl(): string {
  const url = process.env.SF1500_TEST_PG;
  if (!url) throw new Error('SF1500_TEST_PG is not set: the PostgreSQL test variants need a server (.ci/run starts one)');
  return url;
}

/** Whether this test file runs in the PostgreSQL project (the emulator suites against PostgresStore). */
export const onPostgres = (): boolean => process.env.SF1500_TEST_STORE === 'postgres';

function urlFor(db: string): string {
  const u = new URL(adminUrl());
  u.pathname = `/${db}`;
  return u.toString();
}

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: adminUrl() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A new empty database; dropped by {@link dropCreatedDatabases}. */
export async function freshDatabase(): Promise<string> {
  const db = `sf1500_t${process.pid}_${++counter}_${Date.now().toString(36)}`;
  await admin((c) => c.query(`CREATE DATABASE ${db}`));
  created.add(db);
  return urlFor(db);
}

/** The database standing for a SQLite file path (the same path, the same database), created when missing. */
export async function databaseForFile(file: string): Promise<string> {
  const db = `sf1500_f${createHash('sha256').update(file).digest('hex').slice(0, 16)}`;
  await admin(async (c) => {
    const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [db]);
    if (!rowCount) await c.query(`CREATE DATABASE ${db}`);
  });
  created.add(db);
  return urlFor(db);
}

export async function dropCreatedDatabases(): Promise<void> {
  if (created.size === 0) return;
  const dbs = [...created];
  created.clear();
  await admin(async (c) => {
    for (const db of dbs) await c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  });
}
