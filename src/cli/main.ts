#!/usr/bin/env node
import { isUuid } from '../model';
import { CliFailure, int, isoTime, parse, processIo, required, source, str, UsageError, type CliIo, type OptionSpec } from './common';
import { exportCsv, importCsvUrl } from './csv';
import { exportDb, exportUrl } from './export';
import { importDb, importUrl } from './import';
import { DEFAULT_GENERATE, seedDb, type SeedChoice } from './seed';

/**
 * `sf1500`: command line tool for SF1500 (FK Organisation) data: seed a local SF1500 database, export and
 * import a whole municipality as JSON (from/to a database file or a running SF1500 over SOAP), and export
 * or bulk-edit the organisational units as CSV. Exit codes: 0 ok, 1 failure, 2 usage error.
 */

const CLIENT_ENV = `Environment for --url (as for the subgraph): SF1500_CLIENT_BASIC_AUTH (user:password),
SF1500_TLS_PFX + SF1500_TLS_PASSPHRASE or SF1500_TLS_CERT + SF1500_TLS_KEY (client certificate),
SF1500_TLS_CA, SF1500_TIMEOUT_MS.`;

interface Command {
  summary: string;
  usage: string;
  options: OptionSpec;
  run(argv: string[], io: CliIo): Promise<void>;
}

const QUIET = { quiet: { type: 'boolean', short: 'q' } } as const;

const COMMANDS: Record<string, Command> = {
  seed: {
    summary: 'create and seed a local SF1500 database file',
    usage: `Usage: sf1500 seed --db <file> [--korsbaek | --units N --users N [--functions N] [--seed S] [--name NAME]] [--force] [--quiet]

Creates a local SF1500 database (SQLite) holding the KLE and classification classes and one municipality:
  --korsbaek        Korsbæk Kommune, the small hand-made sample (20 units)
  --units N         a generated municipality with N units (default ${DEFAULT_GENERATE.units})
  --users N         ... and N users (default ${DEFAULT_GENERATE.users})
  --functions N     ... and N functions (default: about 1.2 per user)
  --seed S          generator seed (default 1; same seed and sizes give the same municipality)
  --name NAME       municipality name (default: drawn from the seed)
  --force           replace a database that already holds objects (it is deleted first)
  --quiet, -q       no progress lines (the summary line stays)

Example: sf1500 seed --db data/large.db --units 2000 --users 25000 --functions 30000`,
    options: {
      db: { type: 'string' }, korsbaek: { type: 'boolean' }, units: { type: 'string' }, users: { type: 'string' },
      functions: { type: 'string' }, seed: { type: 'string' }, name: { type: 'string' }, force: { type: 'boolean' }, ...QUIET,
    },
    async run(argv, io) {
      const v = parse(argv, this.options);
      const db = required(v, 'db', 'file');
      const units = int(v, 'units', 1, 1_000_000);
      const users = int(v, 'users', 0, 10_000_000);
      const functions = int(v, 'functions', 0, 10_000_000);
      const seed = int(v, 'seed', 0, 2 ** 31 - 1);
      const name = str(v, 'name');
      let choice: SeedChoice;
      if (v.korsbaek) {
        const clash = (['units', 'users', 'functions', 'seed', 'name'] as const).find((k) => v[k] !== undefined);
        if (clash) throw new UsageError(`--korsbaek cannot be combined with --${clash}`);
        choice = { kind: 'korsbaek' };
      } else {
        const d = DEFAULT_GENERATE;
        choice = {
          kind: 'generate', seed: seed ?? d.seed, units: units ?? d.units, users: users ?? d.users,
          // The default function count belongs to the default sizes; with other sizes the generator decides.
          functions: functions ?? (units === undefined && users === undefined ? d.functions : undefined), name,
        };
      }
      seedDb({ db, choice, force: !!v.force, quiet: !!v.quiet }, io);
    },
  },

  export: {
    summary: 'export a whole municipality (every object, full history) as JSON',
    usage: `Usage: sf1500 export (--db <file> | --url <SF1500 base URL>) --out <file.json> [--page-size N] [--quiet]

Writes every object of every type with all its registrations (full history, oldest first):
  { "format": "sf1500-export", "version": 1, "exportedAt": ..., "source": ..., "objects": [ { "type", "uuid", "registreringer" }, ... ] }
one object per line, streamed (memory stays flat for large municipalities).
  --db <file>       from a local SF1500 database file (a consistent snapshot, also while a local SF1500 runs on it)
  --url <url>       from a running SF1500 over SOAP, e.g. http://localhost:4010: the hierarchy types through
                    FremsoegObjekthierarki, Person/Adresse/Virksomhed/Myndighed/Klasse through Soeg, then List with
                    open virkning and registration filters. Passivated and deleted objects are not found over SOAP.
  --out <file>      the JSON file to write (written as <file>.partial and renamed when complete)
  --page-size N     Fremsoeg/Soeg page size over SOAP (default 500)
  --quiet, -q       no progress lines (the summary line stays)

${CLIENT_ENV}`,
    options: { db: { type: 'string' }, url: { type: 'string' }, out: { type: 'string' }, 'page-size': { type: 'string' }, ...QUIET },
    async run(argv, io) {
      const v = parse(argv, this.options);
      const src = source(v);
      const out = required(v, 'out', 'file.json');
      const pageSize = int(v, 'page-size', 1, 1000);
      if ('db' in src) {
        if (pageSize !== undefined) throw new UsageError('--page-size applies to --url only');
        await exportDb(src.db, { out, quiet: !!v.quiet }, io);
      } else await exportUrl(src.url, { out, quiet: !!v.quiet, pageSize }, io);
    },
  },

  import: {
    summary: 'import a JSON export into a database file or a running SF1500',
    usage: `Usage: sf1500 import (--db <file> | --url <SF1500 base URL>) --in <file.json> [--concurrency N] [--quiet]

Reads an export (streamed) and imports every object:
  --db <file>       into a local SF1500 database (created when missing), keeping every registration with its
                    registration time; objects already in the database are skipped and counted
  --url <url>       into a running SF1500 with Importer, one call per object (the newest registration with all
                    its virkning rows; SF1500 keeps no registration history on import); "exists" (49) is skipped
                    and counted; passivated objects are imported and passivated; deleted ones are skipped
  --in <file>       the export file
  --concurrency N   Importer calls in flight at once over SOAP (default 8)
  --quiet, -q       no progress lines (the summary line stays)
Failures are listed with type, UUID and message; the exit code is then 1.

${CLIENT_ENV}`,
    options: { db: { type: 'string' }, url: { type: 'string' }, in: { type: 'string' }, concurrency: { type: 'string' }, ...QUIET },
    async run(argv, io) {
      const v = parse(argv, this.options);
      const src = source(v);
      const input = required(v, 'in', 'file.json');
      const concurrency = int(v, 'concurrency', 1, 64);
      if ('db' in src) {
        if (concurrency !== undefined) throw new UsageError('--concurrency applies to --url only');
        await importDb(src.db, { in: input, quiet: !!v.quiet }, io);
      } else await importUrl(src.url, { in: input, quiet: !!v.quiet, concurrency }, io);
    },
  },

  'export-csv': {
    summary: 'export the organisational units as CSV (as the KOMBIT administration GUI does)',
    usage: `Usage: sf1500 export-csv (--db <file> | --url <SF1500 base URL>) --out <units.csv> [--virkning <ISO date>] [--separator ';']

Writes the organisational units in effect at --virkning (default now), in tree order, with the columns
  uuid,navn,brugervendtNoegle,overordnet_uuid,overordnet_navn,enhedstype,gyldighed
as RFC 4180 CSV (quoted where needed, CRLF line ends), UTF-8 with a BOM so that Excel reads æ, ø and å.
  --virkning <t>    a date (2024-01-01: midnight Copenhagen time) or an ISO 8601 date-time with offset
  --separator ';'   use ';' instead of ',' (Excel with Danish regional settings opens it in columns)

${CLIENT_ENV}`,
    options: { db: { type: 'string' }, url: { type: 'string' }, out: { type: 'string' }, virkning: { type: 'string' }, separator: { type: 'string' }, ...QUIET },
    async run(argv, io) {
      const v = parse(argv, this.options);
      const src = source(v);
      const out = required(v, 'out', 'units.csv');
      const virkning = isoTime(v, 'virkning');
      const separator = str(v, 'separator');
      if (separator !== undefined && separator !== ',' && separator !== ';') throw new UsageError(`--separator must be ',' or ';', got '${separator}'`);
      await exportCsv(src, { out, virkning, separator, quiet: !!v.quiet }, io);
    },
  },

  'import-csv': {
    summary: 'create or update units from a CSV in the export-csv layout (bulk edits)',
    usage: `Usage: sf1500 import-csv --url <SF1500 base URL> --in <units.csv> --organisation <uuid> [--virkning <ISO date>] [--dry-run]

Reads a CSV with the export-csv columns (uuid, navn and overordnet_uuid required; ',' or ';' separated):
  - a unit unknown to SF1500, or with an empty uuid, is created with Importer (Tilhoerer the organisation;
    enhedstype a class title such as Afdeling or a class UUID; gyldighed Aktiv unless given)
  - an existing unit gets a Ret when navn, brugervendtNoegle or overordnet_uuid differ, in effect from
    --virkning (default now): SF1500 keeps the old values as history. Other columns are not changed.
The whole file is checked first (UUIDs, parents, cycles, organisation): with any problem nothing is changed.
  --organisation <uuid>  the organisation the units belong to
  --virkning <t>         when the changes take effect: a date (2024-01-01: midnight Copenhagen time) or an ISO 8601 date-time
  --dry-run              print the planned changes on stdout and change nothing

${CLIENT_ENV}`,
    options: { url: { type: 'string' }, db: { type: 'string' }, in: { type: 'string' }, organisation: { type: 'string' }, virkning: { type: 'string' }, 'dry-run': { type: 'boolean' }, ...QUIET },
    async run(argv, io) {
      const v = parse(argv, this.options);
      if (v.db !== undefined) throw new UsageError('import-csv works over SOAP only: give --url');
      const src = source(v);
      if (!('url' in src)) throw new UsageError('import-csv works over SOAP only: give --url');
      const input = required(v, 'in', 'units.csv');
      const organisation = required(v, 'organisation', 'uuid');
      if (!isUuid(organisation)) throw new UsageError(`--organisation must be a UUID, got '${organisation}'`);
      const virkning = isoTime(v, 'virkning');
      await importCsvUrl(src.url, { in: input, organisation, virkning, dryRun: !!v['dry-run'], quiet: !!v.quiet }, io);
    },
  },
};

const GENERAL = `Usage: sf1500 <command> [options]
(in this project: npx sf1500 <command> ..., or npm run cli -- <command> ...)

Commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(12)}${c.summary}`).join('\n')}

Run 'sf1500 <command> --help' for a command's options.
Exit codes: 0 done, 1 failed, 2 bad command line.`;

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit code; never exits the process.
 * Output goes through `io` (the process's streams by default).
 */
export async function runCli(argv: string[], ioOverrides: Partial<CliIo> = {}): Promise<number> {
  const io: CliIo = { ...processIo(), ...ioOverrides };
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(`${GENERAL}\n`);
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    if (topic !== undefined && !COMMANDS[topic]) {
      io.err(`sf1500: unknown command '${topic}' (see sf1500 --help)\n`);
      return 2;
    }
    io.out(`${topic ? COMMANDS[topic].usage : GENERAL}\n`);
    return 0;
  }
  if (name === '--version') {
    io.out('sf1500 0.1.0\n');
    return 0;
  }
  const cmd = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!cmd) {
    io.err(`sf1500: unknown command '${name}' (see sf1500 --help)\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`${cmd.usage}\n`);
    return 0;
  }
  try {
    await cmd.run(rest, io);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`sf1500 ${name}: ${e.message} (see sf1500 ${name} --help)\n`);
      return 2;
    }
    const msg = e instanceof CliFailure ? e.message : (e as Error)?.message ?? String(e);
    io.err(`sf1500 ${name}: ${msg}\n`);
    return 1;
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (e: unknown) => {
      process.stderr.write(`sf1500: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
