import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { startSf1500 } from '../src/emulator';
import { LARGE, SMALL } from '../src/emulator/seed';
import { generate } from './fixture';
import { operations } from './queries';
import { percentile } from './util';

/**
 * Two builds of the subgraph side by side in one run: one local SF1500 (this build's, seeded with the
 * bench's municipality), and the subgraph of each checkout (`<dir>/dist/src/main.js`, built beforehand)
 * as its own process against it. Cold: each side's first Q1 (a full hierarchy load), alternating; warm:
 * the five operations alternating A, B, B, A, … so both see the same load on the machine.
 *
 * node dist/bench/ab.js --a <checkout> --b <checkout> [--quick] [--rounds n] [--cold n] [--only Q2,Q4]
 */

const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const quick = args.includes('--quick');
const rounds = Number(arg('--rounds')) || (quick ? 5 : 11);
const coldRuns = Number(arg('--cold')) || (quick ? 1 : 3);
const only = arg('--only')?.split(',');

interface Side {
  name: string;
  dir: string;
  url?: string;
  child?: ChildProcess;
}

async function startSide(side: Side, sfUrl: string): Promise<void> {
  const child = spawn(process.execPath, ['--expose-gc', join(side.dir, 'dist', 'src', 'main.js')], {
    cwd: side.dir,
    env: {
      ...process.env, NODE_ENV: 'development', PORT: '0', LOG_LEVEL: 'info', LOG_FORMAT: 'json', SF1500_BASE_URL: sfUrl,
      SF1500_HIERARCHY_CACHE_MS: '3600000', SF1500_HIERARCHY_REFRESH_MS: '3600000', SUBGRAPH_STATE_DIR: 'none',
      SF1500_TIMEOUT_MS: '300000', SF1500_HIERARCHY_TIMEOUT_MS: '600000', GRAPHQL_MAX_COST: '100000000', GRAPHQL_MAX_QUERY_BYTES: '10000000',
      GRAPHQL_SANDBOX: 'false', GRAPHQL_INTROSPECTION: 'false', GRAPHQL_LANDING: 'off', SUBGRAPH_CHANGES: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  side.child = child;
  side.url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`${side.name} did not start: ${out.slice(-2000)}`)), 120_000);
    const read = (d: Buffer): void => {
      out += d.toString();
      const m = /"url":"(http:\/\/[^"]+\/graphql)"/.exec(out);
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (c) => fail(new Error(`${side.name} exited (${c}): ${out.slice(-2000)}`)));
  });
}

async function stopSide(side: Side): Promise<void> {
  if (!side.child) return;
  const gone = new Promise((r) => side.child!.once('exit', r));
  side.child.kill('SIGTERM');
  await gone;
  side.child = undefined;
}

async function main(): Promise<void> {
  const a: Side = { name: 'A', dir: resolve(arg('--a') ?? '.') };
  const b: Side = { name: 'B', dir: resolve(arg('--b') ?? '.') };
  const size = quick ? SMALL : LARGE;
  const gen = generate(size);
  const sf = await startSf1500({ dbFile: ':memory:', seed: () => gen.data });
  const ops = operations(gen.fixture, { search: true });
  const time = async (side: Side, op: (typeof ops)[number]): Promise<number> => {
    const t = performance.now();
    const res = await fetch(side.url!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: op.query, variables: op.variables }) });
    const json = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
    if (!json.data || json.errors) throw new Error(`${side.name} ${op.id}: ${JSON.stringify(json.errors ?? res.status).slice(0, 300)}`);
    op.check(json.data);
    return performance.now() - t;
  };
  console.log(`A = ${a.dir}\nB = ${b.dir}\n${size.units} units, ${size.users} users, ${size.functions} functions; cold ${coldRuns} per side, warm ${rounds} alternating rounds`);
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, load at start ${loadavg().map((x) => x.toFixed(2)).join(' ')}, Node ${process.version}`);

  const cold: Record<string, number[]> = { A: [], B: [] };
  for (let i = 0; i < coldRuns; i++) {
    for (const side of i % 2 === 0 ? [a, b] : [b, a]) {
      await startSide(side, sf.url);
      cold[side.name].push(await time(side, ops[0]));
      await stopSide(side);
    }
  }
  await startSide(a, sf.url);
  await startSide(b, sf.url);
  console.log('| operation | A p50 (ms) | B p50 (ms) | B / A |');
  console.log('|---|---|---|---|');
  console.log(`| Q1 cold (first answer after start: the whole hierarchy) | ${percentile(cold.A, 50).toFixed(0)} | ${percentile(cold.B, 50).toFixed(0)} | ${(percentile(cold.B, 50) / percentile(cold.A, 50)).toFixed(2)} |`);
  for (const op of ops.filter((o) => !only || only.includes(o.id))) {
    await time(a, op);
    await time(b, op);
    const ta: number[] = [];
    const tb: number[] = [];
    for (let i = 0; i < rounds; i++) {
      for (const side of i % 2 === 0 ? [a, b] : [b, a]) (side === a ? ta : tb).push(await time(side, op));
    }
    const pa = percentile(ta, 50);
    const pb = percentile(tb, 50);
    console.log(`| ${op.id} warm: ${op.title} | ${pa.toFixed(0)} | ${pb.toFixed(0)} | ${(pb / pa).toFixed(2)} |`);
  }
  await stopSide(a);
  await stopSide(b);
  await sf.close();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
