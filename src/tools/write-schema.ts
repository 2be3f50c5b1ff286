import 'reflect-metadata';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { subgraphSchema } from '../schema';

/**
 * Writes the subgraph SDL (federation @link + type-graphql's printed schema) to
 * schema/subgraph.graphql, the file Apollo's editor tooling, schema checks and the composition
 * test read. `--check` writes nothing and exits 1 when the file is missing or stale.
 *
 *   npm run schema                     write schema/subgraph.graphql
 *   npm run schema -- --check          fail when it differs from the code
 *   npm run schema -- --out other.graphql
 */

export const SCHEMA_FILE = 'schema/subgraph.graphql';

/** The file's content: the SDL with exactly one trailing newline. */
export async function schemaFileContent(): Promise<string> {
  return `${(await subgraphSchema()).sdl.trimEnd()}\n`;
}

function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

async function main(argv: string[]): Promise<number> {
  const check = argv.includes('--check');
  const outAt = argv.indexOf('--out');
  const unknown = argv.filter((a, i) => a !== '--check' && a !== '--out' && !(outAt >= 0 && i === outAt + 1));
  if (unknown.length > 0 || (outAt >= 0 && !argv[outAt + 1])) {
    process.stderr.write('usage: write-schema [--check] [--out <file>]\n');
    return 2;
  }
  // Relative to the project root (where npm runs scripts), not to dist/.
  const file = resolve(process.cwd(), outAt >= 0 ? argv[outAt + 1] : SCHEMA_FILE);
  const sdl = await schemaFileContent();
  const current = readOrUndefined(file);
  if (check) {
    if (current === sdl) {
      process.stdout.write(`${file} is up to date\n`);
      return 0;
    }
    process.stderr.write(`${file} is ${current === undefined ? 'missing' : 'stale'}: run \`npm run schema\`\n`);
    return 1;
  }
  if (current === sdl) {
    process.stdout.write(`${file} unchanged\n`);
    return 0;
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, sdl);
  process.stdout.write(`wrote ${file} (${sdl.length} bytes)\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
