import { closeSync, existsSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { OBJECT_TYPES, type ObjectTypeName } from '../model';
import { isPostgresUrl, SqliteStore } from '../emulator';
import { Sf1500Client } from '../sf1500/client';

/** Where the CLI writes and what it reads from its surroundings; tests pass their own. */
export interface CliIo {
  /** Standard output (results meant for the user or a pipe). */
  out(text: string): void;
  /** Standard error (progress, summaries, errors). */
  err(text: string): void;
  env: Record<string, string | undefined>;
}

export const processIo = (): CliIo => ({
  out: (t) => { process.stdout.write(t); },
  err: (t) => { process.stderr.write(t); },
  env: process.env,
});

/** Bad command line: exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The command ran and failed (exit code 1); the message is the whole story. */
export class CliFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliFailure';
  }
}

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;
export type ParsedValues = Record<string, string | boolean | string[] | undefined>;

/** node:util parseArgs in strict mode, with its errors turned into one-line usage errors. */
export function parse(argv: string[], options: OptionSpec): ParsedValues {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: true });
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    return values as ParsedValues;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    // parseArgs messages look like "Unknown option '--x'. To specify a positional argument starting with a '-' ..."
    const msg = (e as Error).message.split('. ')[0].replace(/\.$/, '');
    throw new UsageError(msg.charAt(0).toLowerCase() + msg.slice(1));
  }
}

export function str(v: ParsedValues, name: string): string | undefined {
  const x = v[name];
  if (x === undefined) return undefined;
  if (typeof x !== 'string') throw new UsageError(`--${name} needs a value`);
  if (x === '') throw new UsageError(`--${name} must not be empty`);
  return x;
}

export function int(v: ParsedValues, name: string, min: number, max: number): number | undefined {
  const s = str(v, name);
  if (s === undefined) return undefined;
  if (!/^\d+$/.test(s) || Number(s) < min || Number(s) > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got '${s}'`);
  return Number(s);
}

/** `--virkning`: an ISO 8601 date-time, or a date (local midnight). Returns an ISO string. */
export function isoTime(v: ParsedValues, name: string): string | undefined {
  const s = str(v, name);
  if (s === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(s) ? new Date(`${s}T00:00:00`).getTime()
    : /^\d{4}-\d{2}-\d{2}T/.test(s) ? Date.parse(s) : NaN;
  if (Number.isNaN(ms)) throw new UsageError(`--${name} must be an ISO 8601 date or date-time (e.g. 2024-01-01 or 2024-01-01T12:00:00+01:00), got '${s}'`);
  return new Date(ms).toISOString();
}

/** Exactly one of --db and --url. */
export function source(v: ParsedValues): { db: string } | { url: string } {
  const db = str(v, 'db');
  const url = str(v, 'url');
  if (db !== undefined && url !== undefined) throw new UsageError('give either --db or --url, not both');
  if (db !== undefined) return { db };
  if (url !== undefined) {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new UsageError(`--url must be an http(s) URL, got '${url}'`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError(`--url must be an http(s) URL, got '${url}'`);
    return { url };
  }
  throw new UsageError('missing --db <file> or --url <SF1500 base URL>');
}

export function required(v: ParsedValues, name: string, what: string): string {
  const s = str(v, name);
  if (s === undefined) throw new UsageError(`missing --${name} <${what}>`);
  return s;
}

/**
 * Object types in export and import order: classes and parties first, then the organisation and the
 * objects that refer to it (referenced objects before the objects referring to them, where there is no cycle).
 */
export const TYPE_ORDER: readonly ObjectTypeName[] = [
  'Klasse', 'Virksomhed', 'Myndighed', 'Adresse', 'Person', 'Organisation', 'OrganisationEnhed',
  'ItSystem', 'Interessefaellesskab', 'Bruger', 'OrganisationFunktion',
];
if (TYPE_ORDER.length !== OBJECT_TYPES.length) throw new Error('TYPE_ORDER must list every object type');

// ---------- database files ----------

/**
 * Checks that `file` is absent (when `mayCreate`) or an SQLite database of the local SF1500 (or an empty
 * one), so that the CLI never adds its tables to someone else's database or reads a random file.
 */
export function checkDbFile(file: string, mayCreate: boolean): void {
  if (file === ':memory:') throw new UsageError('--db must be a file (:memory: would be lost when the command ends)');
  if (!existsSync(file)) {
    if (!mayCreate) throw new CliFailure(`database ${file} does not exist`);
    return;
  }
  if (!statSync(file).isFile()) throw new CliFailure(`${file} is not a file`);
  if (statSync(file).size === 0) return;
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
    if (tables.length > 0 && !tables.some((t) => t.name === 'registrering')) throw new CliFailure(`${file} is an SQLite database, but not one of the local SF1500`);
  } catch (e) {
    if (e instanceof CliFailure) throw e;
    throw new CliFailure(`${file} is not a local SF1500 database: ${(e as Error).message}`);
  } finally {
    db?.close();
  }
}

export function openStore(file: string, mayCreate: boolean): SqliteStore {
  if (isPostgresUrl(file)) throw new CliFailure('the CLI works on SQLite files; for a PostgreSQL database use a running local SF1500 (--url)');
  checkDbFile(file, mayCreate);
  if (mayCreate) mkdirSync(dirname(file), { recursive: true });
  try {
    return SqliteStore.open({ file });
  } catch (e) {
    throw new CliFailure(`cannot open database ${file}: ${(e as Error).message}`);
  }
}

/** Objects of every type in the store (any livscyklus). */
export function countAll(store: SqliteStore): number {
  return TYPE_ORDER.reduce((n, t) => n + store.count(t), 0);
}

/** Removes a database file and its WAL companions. */
export function removeDbFile(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) unlinkSync(f);
}

// ---------- SOAP client ----------

/**
 * An SF1500 client for `url`, with the subgraph's client environment: SF1500_CLIENT_BASIC_AUTH (user:password),
 * SF1500_TLS_PFX / SF1500_TLS_PASSPHRASE or SF1500_TLS_CERT / SF1500_TLS_KEY, SF1500_TLS_CA, SF1500_TIMEOUT_MS.
 */
export function clientFor(url: string, env: Record<string, string | undefined>): Sf1500Client {
  const e = (k: string): string | undefined => (env[k] === undefined || env[k] === '' ? undefined : env[k]);
  const basic = e('SF1500_CLIENT_BASIC_AUTH');
  const timeout = e('SF1500_TIMEOUT_MS');
  if (timeout !== undefined && !/^\d+$/.test(timeout)) throw new UsageError(`SF1500_TIMEOUT_MS=${timeout}: must be an integer`);
  return new Sf1500Client({
    baseUrl: url,
    headers: basic ? { authorization: `Basic ${Buffer.from(basic).toString('base64')}` } : undefined,
    tls: { pfxFile: e('SF1500_TLS_PFX'), passphrase: e('SF1500_TLS_PASSPHRASE'), certFile: e('SF1500_TLS_CERT'), keyFile: e('SF1500_TLS_KEY'), caFile: e('SF1500_TLS_CA') },
    ...(timeout !== undefined ? { timeoutMs: Number(timeout), hierarchyTimeoutMs: Math.max(Number(timeout), 180_000) } : {}),
  });
}

// ---------- progress ----------

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

export function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/**
 * Progress lines on stderr: one every `every` objects (default 5,000), with the rate and, when the total
 * (or a fraction, e.g. of bytes read) is known, the percentage done. Silent when quiet.
 */
export class Progress {
  readonly started = performance.now();
  private done = 0;
  private nextAt: number;

  constructor(
    private readonly io: CliIo,
    private readonly label: string,
    private readonly opts: { quiet?: boolean; every?: number; total?: number; fraction?: () => number } = {},
  ) {
    this.nextAt = opts.every ?? 5000;
  }

  get count(): number {
    return this.done;
  }

  /** Adds `n` objects done. */
  add(n = 1): void {
    this.set(this.done + n);
  }

  /** Sets the number of objects done. */
  set(done: number): void {
    this.done = done;
    const every = this.opts.every ?? 5000;
    if (done < this.nextAt) return;
    while (this.nextAt <= done) this.nextAt += every;
    this.line();
  }

  private line(): void {
    if (this.opts.quiet) return;
    const ms = performance.now() - this.started;
    const rate = ms > 0 ? (this.done * 1000) / ms : 0;
    let pct = '';
    if (this.opts.total) pct = ` of ${fmt(this.opts.total)} (${((100 * this.done) / this.opts.total).toFixed(1)}%)`;
    else if (this.opts.fraction) pct = ` (${(100 * Math.min(1, this.opts.fraction())).toFixed(1)}%)`;
    this.io.err(`${this.label}: ${fmt(this.done)} objects${pct}, ${fmt(rate)} objects/s, ${seconds(ms)}\n`);
  }

  elapsed(): string {
    return seconds(performance.now() - this.started);
  }

  /** A summary line (suppressed when quiet). */
  summary(text: string): void {
    if (!this.opts.quiet) this.io.err(`${text}\n`);
  }
}

export { fmt as formatCount };

// ---------- output files ----------

/**
 * Buffered synchronous writer to `<file>.partial`, renamed to `file` on commit and removed on abort, so
 * that a failed export never leaves a half-written file under the real name. Text goes out in chunks of
 * about 1 MB: memory stays flat however large the output is.
 */
export class OutputFile {
  private readonly tmp: string;
  private fd: number;
  private parts: string[] = [];
  private size = 0;
  bytes = 0;

  constructor(private readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.tmp = `${file}.partial`;
    try {
      this.fd = openSync(this.tmp, 'w');
    } catch (e) {
      throw new CliFailure(`cannot write ${file}: ${(e as Error).message}`);
    }
  }

  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    const buf = Buffer.from(this.parts.join(''), 'utf8');
    this.parts = [];
    this.size = 0;
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off);
    this.bytes += buf.length;
  }

  commit(): void {
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
    renameSync(this.tmp, this.file);
  }

  abort(): void {
    if (this.fd >= 0) {
      try { closeSync(this.fd); } catch { /* already closed */ }
      this.fd = -1;
    }
    try { unlinkSync(this.tmp); } catch { /* gone */ }
  }
}
