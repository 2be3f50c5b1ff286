import type { Server } from 'node:http';
import { createSf1500Server, listen, type HttpOptions } from './http';
import { DEFAULT_SERVICE_OPTIONS, type ServiceContext, type ServiceOptions } from './services/context';
import { SqliteStore } from './store/sqlite';
import type { Store } from './store/types';
import type { SeedData } from './seed/types';
import { importSeed } from './seed/import';
import { IdwsGuard, type IdwsGuardOptions } from './security/idws';
import { idwsRequestGuard } from './security/guard';

export interface Sf1500Options {
  /** 0 picks a free port. */
  port: number;
  host: string;
  /** SQLite file; ':memory:' for tests. */
  dbFile: string;
  /** Seed data imported when the store holds no Organisation yet. */
  seed?: () => SeedData;
  /** Told how far seeding has come (objects done of total), every few thousand objects. */
  seedProgress?: (done: number, total: number) => void;
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

/** Starts the local SF1500: opens (and seeds) the store, then serves the SOAP endpoints. */
export async function startSf1500(options: Partial<Sf1500Options> = {}): Promise<RunningSf1500> {
  const opts: Sf1500Options = { port: 0, host: '127.0.0.1', dbFile: ':memory:', ...options };
  const store = SqliteStore.open({ file: opts.dbFile });
  let seeded = 0;
  // One transaction: a seed cut short (a crash) leaves nothing behind, so the next start seeds again
  // instead of adding the already imported objects a second time.
  try {
    if (opts.seed && store.count('Organisation') === 0) seeded = store.transaction(() => importSeed(store, opts.seed!(), opts.seedProgress));
  } catch (e) {
    store.close();
    throw e;
  }
  const ctx: ServiceContext = { store, now: opts.now ?? Date.now, options: { ...DEFAULT_SERVICE_OPTIONS, ...opts.service } };
  // The contract is generated from the model once; `?wsdl` and `/contract/xsd/...` serve it.
  const contract = await import('../contract');
  const files = contract.generateContract();
  const wsdl: HttpOptions['wsdl'] = (service, location, contractBase) => contract.wsdlFor(service, location, { xsdBaseUrl: contractBase });
  const contractFile: HttpOptions['contractFile'] = (p) => (p.startsWith('xsd/') ? files.get(p) : undefined);
  const tenants = tenantStores(opts, ctx);
  const guard = opts.idws ? idwsRequestGuard(new IdwsGuard(opts.idws.guard), (cvr) => tenants.get(cvr)) : undefined;
  const server = createSf1500Server(ctx, { wsdl, contractFile, guard, ...opts.http });
  const url = await listen(server, opts.port, opts.host).catch((e: unknown) => {
    for (const t of tenants.values()) if (t.store !== store) t.store.close();
    store.close();
    throw e;
  });
  return {
    url, store, server, seeded,
    close: () => new Promise<void>((resolve) => {
      server.close(() => {
        for (const t of tenants.values()) if (t.store !== store) t.store.close();
        store.close();
        resolve();
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
export { generateMunicipality, kleSeed, korsbaekSeed, SMALL, type SeedData } from './seed';

/** The municipalities by CVR: the main store for `idws.cvr`, an in-memory seeded store for each other. */
function tenantStores(opts: Sf1500Options, main: ServiceContext): Map<string, ServiceContext> {
  const out = new Map<string, ServiceContext>();
  if (!opts.idws) return out;
  out.set(opts.idws.cvr, main);
  for (const o of opts.idws.others ?? []) {
    const store = SqliteStore.open({ file: ':memory:' });
    store.transaction(() => importSeed(store, o.seed()));
    out.set(o.cvr, { ...main, store });
  }
  return out;
}
