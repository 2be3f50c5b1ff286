import { accessSync, constants, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { isIP, createServer } from 'node:net';
import { createPublicKey } from 'node:crypto';
import { createSecureContext } from 'node:tls';

/**
 * Checks that run before anything starts (no database opened, no port bound, nothing seeded), so a
 * bad setting costs a second and one line naming the variable and what to do, not a stack trace
 * after the local SF1500 has started. The same module turns the errors of a failed start into one line.
 */

/** A start-up problem the user can fix; the message is the whole story (one line). Exit code 2. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

type Env = Record<string, string | undefined>;

const firstLine = (e: unknown): string => String((e as Error)?.message ?? e).split('\n')[0].replace(/\.$/, '');

/** `VAR=path` is a readable file; else a problem line saying what to do. */
function readable(variable: string, path: string, what: string, dir = false): string | undefined {
  let st;
  try {
    st = statSync(path);
  } catch {
    return `${variable}=${path}: no such ${dir ? 'directory' : 'file'}; set it to ${what}, or unset it`;
  }
  if (dir ? !st.isDirectory() : !st.isFile()) return `${variable}=${path}: not a ${dir ? 'directory' : 'file'}; set it to ${what}`;
  try {
    accessSync(path, constants.R_OK);
  } catch {
    return `${variable}=${path}: not readable by this user; fix its permissions or set ${variable} to a readable copy`;
  }
  return undefined;
}

/**
 * The files and the host named by the environment: present, readable and of the right kind (a PKCS#12
 * that opens with its passphrase, PEM certificates and keys that parse, a JWKS with keys). One line each.
 */
export function settingProblems(env: Env): string[] {
  const v = (k: string): string | undefined => (env[k] === undefined || env[k] === '' ? undefined : env[k]);
  const problems: string[] = [];
  const check = (variable: string, what: string, content?: (path: string) => string | undefined, dir = false): void => {
    const path = v(variable);
    if (path === undefined) return;
    const p = readable(variable, path, what, dir);
    if (p) return void problems.push(p);
    const c = content?.(path);
    if (c) problems.push(`${variable}=${path}: ${c}`);
  };
  const tryTls = (opts: Parameters<typeof createSecureContext>[0], fix: string): string | undefined => {
    try {
      createSecureContext(opts);
      return undefined;
    } catch (e) {
      return `${firstLine(e)}; ${fix}`;
    }
  };

  check('SF1500_TLS_PFX', 'a PKCS#12 (.p12/.pfx) client certificate', (p) =>
    tryTls({ pfx: readFileSync(p), passphrase: v('SF1500_TLS_PASSPHRASE') }, 'check SF1500_TLS_PASSPHRASE and that the file is PKCS#12'));
  const beforePair = problems.length;
  check('SF1500_TLS_CERT', 'a PEM client certificate', (p) => tryTls({ cert: readFileSync(p) }, 'it must be a PEM certificate'));
  check('SF1500_TLS_KEY', 'the PEM private key of SF1500_TLS_CERT', (p) =>
    tryTls({ key: readFileSync(p), passphrase: v('SF1500_TLS_PASSPHRASE') }, 'it must be a PEM private key (with SF1500_TLS_PASSPHRASE if encrypted)'));
  if (v('SF1500_TLS_CERT') && v('SF1500_TLS_KEY') && problems.length === beforePair) {
    const c = tryTls({ cert: readFileSync(v('SF1500_TLS_CERT')!), key: readFileSync(v('SF1500_TLS_KEY')!), passphrase: v('SF1500_TLS_PASSPHRASE') }, 'SF1500_TLS_KEY must be the key of SF1500_TLS_CERT');
    if (c) problems.push(`SF1500_TLS_CERT and SF1500_TLS_KEY: ${c}`);
  }
  if (!!v('SF1500_TLS_CERT') !== !!v('SF1500_TLS_KEY')) problems.push('SF1500_TLS_CERT and SF1500_TLS_KEY: set both (certificate and its key), or neither');
  check('SF1500_TLS_CA', 'a PEM CA bundle', (p) => tryTls({ ca: readFileSync(p) }, 'it must hold PEM certificates'));
  check('AUTH_JWT_PUBLIC_KEY_FILE', 'a PEM public key (-----BEGIN PUBLIC KEY-----)', (p) => {
    try {
      createPublicKey(readFileSync(p, 'utf8'));
      return undefined;
    } catch (e) {
      return `not a PEM public key (${firstLine(e)}); give the issuer's SPKI public key`;
    }
  });
  check('AUTH_JWKS_FILE', 'a JWKS file ({ "keys": [...] })', (p) => {
    let jwks: unknown;
    try {
      jwks = JSON.parse(readFileSync(p, 'utf8'));
    } catch {
      return 'not JSON; give a JWKS file ({ "keys": [...] })';
    }
    const keys = (jwks as { keys?: unknown })?.keys;
    if (!Array.isArray(keys) || keys.length === 0) return 'no "keys" array with at least one key; give a JWKS file ({ "keys": [...] })';
    return undefined;
  });
  check('SF1500_OFFICIAL_CONTRACT', "the directory of KOMBIT's v6 WSDL/XSD files", undefined, true);
  for (const variable of ['HOST', 'SF1500_HOST']) {
    const host = v(variable);
    if (host !== undefined && isIP(host) === 0 && !/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(host)) {
      problems.push(`${variable}=${host}: not an IP address or host name; use 127.0.0.1 (this machine only), 0.0.0.0 (all interfaces) or an address of this machine`);
    }
  }
  return problems;
}

/** What binds a port, for the message when it cannot. */
export interface PortUse {
  variable: string;
  host: string;
  port: number;
  /** Who else is likely to hold it, and the way out: `another ... may be running; ...`. */
  hint: string;
}

export const SUBGRAPH_PORT_HINT = 'another instance of the subgraph (npm start) may be running; stop it or set PORT to a free port';
export const SF1500_PORT_HINT = 'another npm start or npm run sf1500 may be running; stop it, set SF1500_PORT to a free port, or use the running one with SF1500_BASE_URL=http://127.0.0.1:<its port>';

/** One line for a failed listen (in use, not permitted, no such address), naming the variable. */
export function listenProblem(e: NodeJS.ErrnoException, use: PortUse): string {
  const hostVar = use.variable === 'PORT' ? 'HOST' : use.variable === 'SF1500_PORT' ? 'SF1500_HOST' : 'its host';
  const where = `${use.host}:${use.port}`;
  if (e.code === 'EADDRINUSE') return `${use.variable}=${use.port}: ${where} is already in use; ${use.hint}`;
  if (e.code === 'EACCES') return `${use.variable}=${use.port}: not permitted to listen on ${where} (ports below 1024 need privileges); use a port from 1024 up`;
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return `${hostVar}=${use.host}: no such host; use 127.0.0.1, 0.0.0.0 or an address of this machine`;
  if (e.code === 'EADDRNOTAVAIL') return `${hostVar}=${use.host}: not an address of this machine; use 127.0.0.1, 0.0.0.0 or one of its addresses`;
  return `${use.variable}=${use.port}: cannot listen on ${where} (${e.code ?? firstLine(e)})`;
}

/**
 * Binds and releases each port, so that a port in use is reported before the database is opened and
 * seeded. (A port taken in between is still reported by the real listen, through `listenProblem`.)
 */
export async function checkPorts(uses: PortUse[]): Promise<void> {
  const problems: string[] = [];
  for (const use of uses) {
    if (use.port === 0) continue;
    await new Promise<void>((resolve) => {
      const s = createServer();
      s.once('error', (e: NodeJS.ErrnoException) => {
        problems.push(listenProblem(e, use));
        resolve();
      });
      s.listen(use.port, use.host, () => s.close(() => resolve()));
    });
  }
  if (problems.length > 0) throw new StartupError(problems.join('\n'));
}

/** A failed listen carries its port: turn it into a StartupError naming the variable, or undefined. */
export function asListenError(e: unknown, uses: PortUse[]): StartupError | undefined {
  const err = e as NodeJS.ErrnoException & { port?: number; syscall?: string };
  if (err?.syscall !== 'listen' && err?.syscall !== 'getaddrinfo') return undefined;
  const use = uses.find((u) => u.port === err.port) ?? (err.syscall === 'getaddrinfo' ? uses.find((u) => u.host === (err as { hostname?: string }).hostname) : undefined);
  return use ? new StartupError(listenProblem(err, use)) : undefined;
}

/** Creates the directory of the local SF1500's database file (SF1500_DB). */
export function makeDbDirectory(dbFile: string): void {
  if (dbFile === ':memory:' || /^postgres(ql)?:\/\//i.test(dbFile)) return; // a PostgreSQL URL has no directory
  try {
    mkdirSync(dirname(dbFile), { recursive: true });
  } catch (e) {
    throw new StartupError(`SF1500_DB=${dbFile}: cannot create its directory (${(e as NodeJS.ErrnoException).code}); set SF1500_DB to a writable path`);
  }
}

/** A failed start of the local SF1500: a listen error passes (it names its port), anything else is about SF1500_DB. */
export function dbStartupError(e: unknown, dbFile: string): unknown {
  if ((e as { syscall?: string })?.syscall === 'listen') return e;
  return new StartupError(`SF1500_DB=${dbFile}: cannot open or seed it (${firstLine(e)}); remove the file to start afresh, or set SF1500_DB to another path`);
}

/** Seeding takes seconds for a large municipality: a line when it starts, and its progress every 2 s. */
export function seedLogging(logger: Logger, dbFile: string): { announce(description: string): void; progress(done: number, total: number): void } {
  let last = Date.now();
  return {
    announce(description) {
      last = Date.now();
      logger.info({ db: dbFile }, `seeding the local SF1500 with ${description} (first start with this database only)`);
    },
    progress(done, total) {
      if (Date.now() - last < 2000 || done >= total) return;
      last = Date.now();
      logger.info({ done, total }, 'seeding the local SF1500');
    },
  };
}

/**
 * Writes a failed start as one line per problem on stderr and exits: 2 for a problem of the settings
 * (StartupError, and anything `known` recognises), 1 otherwise. The stack only with LOG_LEVEL=debug or trace.
 */
export function exitOnStartupFailure(program: string, e: unknown, env: Env = process.env): never {
  if (e instanceof StartupError) {
    for (const line of e.message.split('\n')) process.stderr.write(`${program}: ${line}\n`);
    process.exit(2);
  }
  const debug = /^(debug|trace)$/.test(env.LOG_LEVEL ?? '');
  process.stderr.write(`${program}: failed to start: ${firstLine(e)}${debug ? '' : ' (LOG_LEVEL=debug shows the stack)'}\n`);
  if (debug) process.stderr.write(`${(e as Error)?.stack ?? e}\n`);
  process.exit(1);
}
