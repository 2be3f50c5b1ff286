import type { Server } from 'node:http';
import { createSf1500Server, listen, type HttpOptions } from './http';
import { DEFAULT_SERVICE_OPTIONS, type ServiceContext, type ServiceOptions } from './services/context';
import { SqliteStore } from './store/sqlite';
import { SqliteAsyncStore } from './store/sqlite-async';
import { PostgresStore } from './store/postgres';
import type { Store } from './store/types';
import type { SeedData } from './seed/types';
import { importSeed, seedRegistrations } from './seed/import';
import { IdwsGuard, type IdwsGuardOptions } from './security/idws';
import { idwsRequestGuard } from './security/guard';

export interface Sf1500Options {
  /** 0 picks a free port. */
  port: number;
  host: string;
  /** SQLite file (':memory:' for tests), or a PostgreSQL URL `postgres://…` (see {@link isPostgresUrl}). */
  dbFile: string;
  /** Seed data imported when the store holds no Organisation yet. */
  seed?: () => SeedData;
  /** Clock in epoch ms (registration times); injectable for tests. */
  now?: () => number;
  http?: Partial<HttpOptions>;
  service?: Partial<ServiceOptions>;
  /** OIO IDWS mode (security/idws.ts): off when absent. */
  idws?: IdwsMode;
}

export interface IdwsMode {
  guard: IdwsGuardOptions;
  /** CVR of the municipality in `dbFile` (Korsbæk: 11111111). */
  cvr: string;
  /** Further municipalities, each in its own in-memory store: no request sees another's data. */
  others?: Array<{ cvr: string; seed: () => SeedData }>;
}

export interface RunningSf1500 {
  /** Base URL; services live at `<url>/organisation/<objekt>/6/`. */
  url: string;
  store: Store;
  server: Server;
  seeded: number;
  close(): Promise<void>;
}

/** Whether SF1500_DB names a PostgreSQL database rather than a SQLite file. */
export const isPostgresUrl = (db: string): boolean => /^postgres(ql)?:\/\//i.test(db);

export /** The database for logs: a PostgreSQL URL without its password. */
function redactDb(db: string): string {
  if (!isPostgresUrl(db)) return db;
  try {
    const u = new URL(db);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

/** The store, seeded when it holds no Organisation yet. */
async function openStore(db: string, seed: (() => SeedData) | undefined): Promise<{ store: Store; seeded: number }> {
  if (isPostgresUrl(db)) {
    const pg = await PostgresStore.open({ url: db });
    try {
      return { store: pg, seeded: seed ? await pg.seedOnce(() => seedRegistrations(seed())) : 0 };
    } catch (e) {
      await pg.close();
      throw e;
    }
  }
  const sqlite = SqliteStore.open({ file: db });
  let seeded = 0;
  // One transaction: a seed cut short (a crash) leaves nothing behind, so the next start seeds again
  // instead of adding the already imported objects a second time.
  try {
    if (seed && sqlite.count('Organisation') === 0) seeded = sqlite.transaction(() => importSeed(sqlite, seed()));
  } catch (e) {
    sqlite.close();
    throw e;
  }
  return { store: new SqliteAsyncStore(sqlite), seeded };
}

/** Starts the local SF1500: opens (and seeds) the store, then serves the SOAP endpoints. */
export async function startSf1500(options: Partial<Sf1500Options> = {}): Promise<RunningSf1500> {
  const opts: Sf1500Options = { port: 0, host: '127.0.0.1', dbFile: ':memory:', ...options };
  const { store, seeded } = await openStore(opts.dbFile, opts.seed);
  const ctx: ServiceContext = { store, now: opts.now ?? Date.now, options: { ...DEFAULT_SERVICE_OPTIONS, ...opts.service } };
  // The contract is generated from the model once; `?wsdl` and `/contract/xsd/...` serve it.
  const contract = await import('../contract');
  const files = contract.generateContract();
  const wsdl: HttpOptions['wsdl'] = (service, location, contractBase) => contract.wsdlFor(service, location, { xsdBaseUrl: contractBase });
  const contractFile: HttpOptions['contractFile'] = (p) => (p.startsWith('xsd/') ? files.get(p) : undefined);
  const tenants = tenantStores(opts, ctx);
  const guard = opts.idws ? idwsRequestGuard(new IdwsGuard(opts.idws.guard), (cvr) => tenants.get(cvr)) : undefined;
  const server = createSf1500Server(ctx, { wsdl, contractFile, guard, ...opts.http });
  const closeAll = async (): Promise<void> => {
    for (const t of tenants.values()) if (t.store !== store) await t.store.close();
    await store.close();
  };
  const url = await listen(server, opts.port, opts.host).catch(async (e: unknown) => {
    await closeAll();
    throw e;
  });
  return {
    url, store, server, seeded,
    close: () => new Promise<void>((resolve) => {
      server.close(() => {
        closeAll().then(resolve, resolve);
      });
      server.closeAllConnections();
    }),
  };
}

// The emulator's public face for the CLI, the second place (beside src/stack.ts) that knows both sides:
// the store, the integrity check and wire slicing of registrations, the seeds. Nothing else of the
// emulator's internals is imported from outside it.
export { MAX_TIME, SqliteStore } from './store/sqlite';
export { checkIntegrity, sliceForWire, unionRegistreringer } from './bitemporal';
export { importSeed } from './seed/import';
export { generateMunicipality, kleSeed, KORSBAEK, korsbaekSeed, SMALL, type SeedData } from './seed';

/** The municipalities by CVR: the main store for `idws.cvr`, an in-memory seeded store for each other. */
function tenantStores(opts: Sf1500Options, main: ServiceContext): Map<string, ServiceContext> {
  const out = new Map<string, ServiceContext>();
  if (!opts.idws) return out;
  out.set(opts.idws.cvr, main);
  for (const o of opts.idws.others ?? []) {
    const sqlite = SqliteStore.open({ file: ':memory:' });
    sqlite.transaction(() => importSeed(sqlite, o.seed()));
    out.set(o.cvr, { ...main, store: new SqliteAsyncStore(sqlite) });
  }
  return out;
}
