import 'reflect-metadata';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSf1500 } from '../src/emulator';
import { LARGE } from '../src/emulator/seed';
import { generate } from './fixture';
import { compareParsers, fetchHierarchyPage } from './parser';

/**
 * The parser comparison alone (bench/parser.ts), to iterate on the readers:
 *   npm run build --silent && node --expose-gc dist/bench/parser-only.js [--runs N] [--rounds N] [--page FILE]
 * The page is the first FremsoegObjekthierarkiOutput page (500 per list) of the large municipality, as in
 * `npm run bench`; it is fetched from a local SF1500 once and kept in the temp directory (or --page FILE).
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string, d: string): string => (args.includes(name) ? args[args.indexOf(name) + 1] : d);
  const file = opt('--page', join(tmpdir(), 'sf1500-bench-hierarchy-page-large.xml'));
  if (!existsSync(file)) {
    console.log('generating the large municipality and fetching the first hierarchy page (once)');
    const gen = generate({ ...LARGE });
    const sf = await startSf1500({ dbFile: ':memory:', seed: () => gen.data });
    try {
      writeFileSync(file, await fetchHierarchyPage(sf.url, 500));
    } finally {
      await sf.close();
    }
  }
  const xml = readFileSync(file, 'utf8');
  const before = loadavg();
  const r = await compareParsers(xml, Number(opt('--runs', '5')), Number(opt('--rounds', '3')));
  const after = loadavg();
  console.log(`${(r.bytes / 1e6).toFixed(2)} MB, ${r.objects} objects, ${r.runs} runs per parser; load average ${before.map((l) => l.toFixed(2)).join(' ')} → ${after.map((l) => l.toFixed(2)).join(' ')}`);
  for (const row of r.rows) console.log(`  ${row.mbPerS.toFixed(1).padStart(6)} MB/s  ${row.ms.toFixed(1).padStart(7)} ms  ${row.name}`);
  if (r.soapError) console.log(`  node-soap: ${r.soapError}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
