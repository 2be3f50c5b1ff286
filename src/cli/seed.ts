import { generateMunicipality, importSeed, kleSeed, korsbaekSeed, SMALL, type SeedData } from '../emulator';
import { CliFailure, countAll, formatCount, openStore, Progress, removeDbFile, type CliIo } from './common';

export type SeedChoice =
  | { kind: 'korsbaek' }
  | { kind: 'generate'; seed: number; units: number; users: number; functions?: number; name?: string };

export interface SeedOptions {
  db: string;
  choice: SeedChoice;
  /** Replace a database that already holds objects. */
  force?: boolean;
  quiet?: boolean;
}

export interface SeedResult {
  objects: number;
  /** What was seeded, e.g. "Korsbæk Kommune" or the generated municipality's name. */
  name: string;
}

export const DEFAULT_GENERATE: Extract<SeedChoice, { kind: 'generate' }> = { kind: 'generate', seed: 1, units: SMALL.units, users: SMALL.users, functions: SMALL.functions };

/** Creates (or with `force` replaces) a local SF1500 database holding KLE and the chosen municipality. */
export function seedDb(opts: SeedOptions, io: CliIo): SeedResult {
  let store = openStore(opts.db, true);
  const existing = countAll(store);
  if (existing > 0) {
    store.close();
    if (!opts.force) throw new CliFailure(`database ${opts.db} already holds ${formatCount(existing)} objects; use --force to replace it`);
    removeDbFile(opts.db);
    store = openStore(opts.db, true);
  }
  try {
    const say = (t: string): void => { if (!opts.quiet) io.err(`${t}\n`); };
    let data: SeedData;
    let name: string;
    if (opts.choice.kind === 'korsbaek') {
      data = korsbaekSeed();
      name = 'Korsbæk Kommune';
    } else {
      const c = opts.choice;
      say(`seed: generating ${formatCount(c.units)} units, ${formatCount(c.users)} users${c.functions !== undefined ? `, ${formatCount(c.functions)} functions` : ''} (seed ${c.seed})`);
      let m;
      try {
        m = generateMunicipality({ seed: c.seed, units: c.units, users: c.users, functions: c.functions, name: c.name });
      } catch (e) {
        throw new CliFailure(`cannot generate the municipality: ${(e as Error).message}`);
      }
      data = m;
      name = m.facts.name;
    }
    const all: SeedData = { objects: [...kleSeed().objects, ...data.objects] };
    const progress = new Progress(io, 'seed', { quiet: opts.quiet, total: all.objects.length });
    const objects = importSeed(store, all, (done) => progress.set(done));
    progress.summary(`seeded ${opts.db} with ${name} and KLE: ${formatCount(objects)} objects in ${progress.elapsed()}`);
    return { objects, name };
  } finally {
    store.close();
  }
}
