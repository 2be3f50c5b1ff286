import 'reflect-metadata';
import { cpus, loadavg } from 'node:os';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { startSf1500 } from '../src/emulator';
import { LARGE, SMALL } from '../src/emulator/seed';
import { subgraphSchema } from '../src/schema';
import { startSubgraph, type Subgraph } from '../src/server/app';
import { Sf1500Client } from '../src/sf1500/client';
import { generate } from './fixture';
import { operations } from './queries';
import { percentile } from './util';

/**
 * What the execution budget costs, side by side in one run: one local SF1500 (the large municipality),
 * two subgraphs on it, one with the budget (GRAPHQL_BUDGET on, the default) and one without; the warm
 * operations alternate between them, so both see the same machine load.
 *
 * npm run bench:budget [-- --quick] [-- --rounds <n>] [-- --only Q1,Q3]
 */

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const rounds = Number(args[args.indexOf('--rounds') + 1]) || (quick ? 5 : 15);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : undefined;

async function main(): Promise<void> {
  const size = quick ? SMALL : LARGE;
  const gen = generate(size);
  const sf = await startSf1500({ dbFile: ':memory:', seed: () => gen.data });
  const { schema } = await subgraphSchema();
  const ops = operations(gen.fixture, { search: !!schema.getQueryType()?.getFields().soegBrugere });
  const start = async (budget: boolean): Promise<Subgraph> => startSubgraph(loadConfig({
    PORT: '0', LOG_LEVEL: 'silent', SF1500_BASE_URL: sf.url, SF1500_HIERARCHY_CACHE_MS: '3600000',
    SF1500_TIMEOUT_MS: '300000', SF1500_HIERARCHY_TIMEOUT_MS: '600000', GRAPHQL_MAX_COST: '100000000',
    GRAPHQL_MAX_QUERY_BYTES: '10000000', GRAPHQL_BUDGET: budget ? 'true' : 'false', SUBGRAPH_CHANGES: 'false', SUBGRAPH_STATE_DIR: 'none',
  }), new Sf1500Client({ baseUrl: sf.url, timeoutMs: 300_000, hierarchyTimeoutMs: 600_000 }), pino({ level: 'silent' }));
  const sides = { on: await start(true), off: await start(false) };
  const time = async (g: Subgraph, op: (typeof ops)[number]): Promise<number> => {
    const t = performance.now();
    const res = await fetch(g.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: op.query, variables: op.variables }) });
    const json = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
    if (!json.data || json.errors) throw new Error(`${op.id}: ${JSON.stringify(json.errors ?? res.status).slice(0, 300)}`);
    op.check(json.data);
    return performance.now() - t;
  };
  console.log(`budget side by side: ${size.units} units, ${size.users} users; ${rounds} alternating warm rounds per operation`);
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, load ${loadavg().map((x) => x.toFixed(2)).join(' ')}, Node ${process.version}`);
  console.log('| operation | budget on p50 (ms) | budget off p50 (ms) | on / off |');
  console.log('|---|---|---|---|');
  for (const op of ops.filter((o) => !only || only.includes(o.id))) {
    // Warm both (the first run of a hierarchy operation loads the snapshot).
    await time(sides.on, op);
    await time(sides.off, op);
    const on: number[] = [];
    const off: number[] = [];
    for (let i = 0; i < rounds; i++) {
      if (i % 2 === 0) {
        on.push(await time(sides.on, op));
        off.push(await time(sides.off, op));
      } else {
        off.push(await time(sides.off, op));
        on.push(await time(sides.on, op));
      }
    }
    const a = percentile(on, 50);
    const b = percentile(off, 50);
    console.log(`| ${op.id} ${op.title} | ${a.toFixed(0)} | ${b.toFixed(0)} | ${(a / b).toFixed(2)} |`);
  }
  await sides.on.close();
  await sides.off.close();
  await sf.close();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
