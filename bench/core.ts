import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import pino from 'pino';
import { loadConfig, type Config } from '../src/config';
import { startSf1500, type RunningSf1500 } from '../src/emulator';
import { subgraphSchema } from '../src/schema';
import { startSubgraph, type Subgraph } from '../src/server/app';
import { Metrics } from '../src/server/metrics';
import { Sf1500Client } from '../src/sf1500/client';
import { generate, type Fixture, type MunicipalitySize } from './fixture';
import { compareParsers, fetchHierarchyPage, type ParserResult } from './parser';
import { comparePipelining, type PipelineResult } from './pipelining';
import { compareColdPaths, type ColdPathResult } from './coldpaths';
import { analyse, profileOnce, writeProfile, type ProfileSummary } from './profile';
import { operations, type OpId, type Operation } from './queries';
import { callSignature, RecordingClient, type RecordedCall } from './recording-client';
import { machine } from './machine';
import { throughput, type ThroughputResult } from './throughput';
import { fmtMs, gc, MemorySampler, percentile } from './util';

/**
 * The benchmark: a local SF1500 seeded in-process, the subgraph against it twice (batched with
 * caches, and SF1500_BATCHING=false), five operations measured cold and warm, the floor of each
 * (its SOAP calls replayed straight through the client), throughput, memory, a parser comparison
 * and a CPU profile of the worst operation.
 */

export type Mode = 'batched' | 'unbatched';
export const MODES: Mode[] = ['batched', 'unbatched'];

export interface BenchOptions {
  quick: boolean;
  size: MunicipalitySize;
  /** Sequential runs with caches cleared (subgraph restarted) and warm runs, per operation. */
  coldRuns: number;
  warmRuns: number;
  /** Cold runs of operations that load the whole hierarchy (the expensive part of a cold run). */
  hierarchyColdRuns: number;
  /** The unbatched mode: most runs and wall-time budget per operation (at least one run always). */
  unbatched: { coldRuns: number; warmRuns: number; budgetMs: number; throughputBudgetMs: number };
  throughput: { durationS: number; connections: number } | false;
  parser: { runs: number } | false;
  /** Cold hierarchy loads with these pages in flight, with these latencies added to every answer. */
  pipelining: { latencies: number[]; parallel: number[] } | false;
  /** Cold Q1 against Q6 (targeted) and Q1 after a restart from a persisted snapshot, with these latencies added. */
  coldPaths: { latencies: number[] } | false;
  /** false: only the side-by-side sections (parser, pipelining, cold paths), not the operations' runs. */
  operations?: boolean;
  profile: boolean;
  /** Most distinct calls replayed for a floor; beyond it a sample per (method, type) is extrapolated. */
  floorMaxDistinct: number;
  log: (line: string) => void;
}

export interface CallStats { calls: number; ms: number; bytes: number }

export interface RunStats {
  /** Wall time seen by the HTTP caller (ms). */
  ms: number;
  /** The subgraph's own request time (extensions.sf1500.ms). */
  serverMs: number;
  calls: number;
  byOperation: Record<string, CallStats>;
}

export interface OpResult {
  id: OpId;
  title: string;
  mode: Mode;
  answer: string;
  cold: RunStats[];
  warm: RunStats[];
  notes: string[];
  floor?: { ms: number; calls: number; distinct: number; sampled: boolean };
  warmFloor?: { ms: number; calls: number; distinct: number; sampled: boolean };
  peakRss: number;
  peakHeap: number;
  /** SOAP calls that failed during the operation's runs (transient ones are retried by the client). */
  soapErrors: number;
  /** Heap in use after a full GC at the end of the operation's runs (growth = retained caches or a leak). */
  heapAfter: number;
  throughput?: ThroughputResult;
  throughputNote?: string;
}

export interface BenchResult {
  options: Omit<BenchOptions, 'log'>;
  startedAt: string;
  fixture: Omit<Fixture, 'brugere' | 'staff'>;
  search: boolean;
  seed: { generateMs: number; importMs: number; objects: number; rssAfter: number; heapAfter: number };
  results: OpResult[];
  parser?: ParserResult;
  pipelining?: PipelineResult;
  coldPaths?: ColdPathResult;
  profiles: Array<{ label: string; file: string; summary: ProfileSummary }>;
  peakRss: number;
  peakHeap: number;
  maxRss: number;
  totalMs: number;
  failures: string[];
  /** The machine at the end of the run, and the load average when it started (other work on the box skews times). */
  machine?: Record<string, string>;
  loadAtStart?: string;
}

interface Harness {
  mode: Mode;
  config: Config;
  client: RecordingClient;
  metrics: Metrics;
  subgraph?: Subgraph;
}

const silent = pino({ level: 'silent' });

function envFor(mode: Mode, sfUrl: string): Record<string, string> {
  return {
    PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', SF1500_BASE_URL: sfUrl,
    SF1500_BATCHING: mode === 'batched' ? 'true' : 'false',
    // a cold hierarchy of the large municipality takes longer than the default 30 s window (see BENCHMARKS.md)
    SF1500_HIERARCHY_CACHE_MS: '3600000',
    // cold means cold: no snapshot restored from disk (the restart from disk is measured in coldpaths.ts)
    SUBGRAPH_STATE_DIR: 'none',
    // the change feed's polling would load the hierarchy behind the measured requests (measured in changes.ts)
    SUBGRAPH_CHANGES: 'false',
    SF1500_TIMEOUT_MS: '300000', SF1500_HIERARCHY_TIMEOUT_MS: '600000',
    GRAPHQL_MAX_COST: '100000000', GRAPHQL_MAX_QUERY_BYTES: '10000000', GRAPHQL_SANDBOX: 'false', GRAPHQL_INTROSPECTION: 'false',
  };
}

/** Apollo logs "Enabling inline tracing for this subgraph" on every start (its own console logger). */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const orig = { log: console.log, info: console.info };
  const filter = (f: (...a: unknown[]) => void) => (...a: unknown[]): void => {
    if (typeof a[0] === 'string' && a[0].startsWith('Enabling inline tracing')) return;
    f(...a);
  };
  console.log = filter(orig.log);
  console.info = filter(orig.info);
  try {
    return await fn();
  } finally {
    console.log = orig.log;
    console.info = orig.info;
  }
}

async function restart(h: Harness): Promise<Subgraph> {
  if (h.subgraph) await h.subgraph.close();
  h.subgraph = await quietly(() => startSubgraph(h.config, h.client, silent, h.metrics));
  return h.subgraph;
}

function body(op: Operation): string {
  return JSON.stringify({ query: op.query, variables: op.variables });
}

async function gql(url: string, op: Operation): Promise<{ stats: RunStats; data: Record<string, any> }> {
  const started = performance.now();
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-sf1500-calls': '1' }, body: body(op) });
  const json = (await res.json()) as { data?: Record<string, any>; errors?: Array<{ message: string; path?: unknown[] }>; extensions?: { sf1500?: { calls: number; ms: number; byOperation: Record<string, CallStats> } } };
  const ms = performance.now() - started;
  if (json.errors?.length) throw new Error(`${op.id}: ${json.errors.length} errors, first: ${json.errors[0].message} at ${JSON.stringify(json.errors[0].path)}`);
  if (!json.data) throw new Error(`${op.id}: no data (HTTP ${res.status})`);
  const x = json.extensions?.sf1500;
  return { data: json.data, stats: { ms, serverMs: x?.ms ?? NaN, calls: x?.calls ?? 0, byOperation: x?.byOperation ?? {} } };
}

async function soapErrors(m: Metrics): Promise<number> {
  const v = await m.soapCalls.get();
  return v.values.filter((x) => x.labels.outcome === 'error').reduce((a, x) => a + x.value, 0);
}

/** Sum of the replayed calls' wall time; identical calls (same signature) are timed once. */
class FloorMeter {
  private readonly memo = new Map<string, number>();

  constructor(private readonly client: RecordingClient, private readonly maxDistinct: number) {}

  async measure(calls: RecordedCall[]): Promise<{ ms: number; calls: number; distinct: number; sampled: boolean }> {
    const now = Date.now();
    const sigs = calls.map((c) => callSignature(c, now));
    const distinct = new Map<string, RecordedCall>();
    sigs.forEach((s, i) => { if (!distinct.has(s)) distinct.set(s, calls[i]); });
    let sampled = false;
    let todo = [...distinct].filter(([s]) => !this.memo.has(s));
    const estimate = new Map<string, number>();
    if (todo.length > this.maxDistinct) {
      // sample per (method, type), extrapolate the group mean to the rest
      sampled = true;
      const groups = new Map<string, Array<[string, RecordedCall]>>();
      for (const e of todo) {
        const g = `${e[1].method}:${'type' in e[1] ? e[1].type : ''}`;
        (groups.get(g) ?? groups.set(g, []).get(g)!).push(e);
      }
      const per = Math.max(20, Math.floor(this.maxDistinct / groups.size));
      todo = [];
      for (const [g, l] of groups) {
        const step = Math.max(1, Math.floor(l.length / per));
        const pick = l.filter((_, i) => i % step === 0).slice(0, per);
        todo.push(...pick);
        estimate.set(g, NaN);
      }
    }
    for (const [s, c] of todo) this.memo.set(s, await this.client.replay(c));
    if (sampled) {
      for (const g of estimate.keys()) {
        const ms = todo.filter(([, c]) => `${c.method}:${'type' in c ? c.type : ''}` === g).map(([s]) => this.memo.get(s)!);
        estimate.set(g, ms.reduce((a, b) => a + b, 0) / ms.length);
      }
    }
    let ms = 0;
    sigs.forEach((s, i) => {
      const c = calls[i];
      ms += this.memo.get(s) ?? estimate.get(`${c.method}:${'type' in c ? c.type : ''}`) ?? 0;
    });
    return { ms, calls: calls.length, distinct: distinct.size, sampled };
  }
}

/** What every phase of a run shares: the options, the memory sampler and the failures so far. */
interface Run {
  opts: BenchOptions;
  log: (line: string) => void;
  mem: MemorySampler;
  failures: string[];
}

interface Seeded {
  sf: RunningSf1500;
  fixture: Fixture;
  seed: BenchResult['seed'];
}

/** Phase 1: the local SF1500, seeded in memory from a generated municipality (the raw data freed after the import). */
async function seedSf1500({ opts, log }: Run): Promise<Seeded> {
  log(`generating municipality: ${opts.size.units} units, ${opts.size.users} users, ${opts.size.functions} functions`);
  const gen = generate(opts.size);
  let data: typeof gen.data | undefined = gen.data;
  const fixture = gen.fixture;
  const importStarted = performance.now();
  const sf: RunningSf1500 = await startSf1500({ dbFile: ':memory:', seed: () => data! });
  const importMs = performance.now() - importStarted;
  data = undefined;
  (gen as { data?: unknown }).data = undefined;
  gc();
  const rssAfterSeed = process.memoryUsage().rss;
  const heapAfterSeed = process.memoryUsage().heapUsed;
  log(`seeded ${sf.seeded} objects: generate ${fmtMs(gen.generateMs)}, import ${fmtMs(importMs)}; RSS ${(rssAfterSeed / 1e6).toFixed(0)} MB`);
  return { sf, fixture, seed: { generateMs: gen.generateMs, importMs, objects: sf.seeded, rssAfter: rssAfterSeed, heapAfter: heapAfterSeed } };
}

/** Phase 2: the side-by-side sections (parsers, pipelined pages, cold paths), each when asked for. */
async function sideBySide({ opts, log, failures }: Run, sf: RunningSf1500, fixture: Fixture, ops: Operation[]): Promise<Pick<BenchResult, 'parser' | 'pipelining' | 'coldPaths'>> {
  // ---- node-soap vs our reader on a large hierarchy page ----
  let parser: ParserResult | undefined;
  if (opts.parser) {
    log('parser: node-soap xmlToObject vs saxes reader + codec');
    const xml = await fetchHierarchyPage(sf.url, 500);
    parser = await compareParsers(xml, opts.parser.runs);
    for (const row of parser.rows) log(`  ${row.name}: ${row.mbPerS.toFixed(1)} MB/s (${fmtMs(row.ms)} for ${(parser.bytes / 1e6).toFixed(1)} MB)`);
    if (parser.soapError) log(`  node-soap: ${parser.soapError}`);
  }

  // ---- hierarchy pages one at a time vs pipelined, local and over a slow link ----
  let pipelining: PipelineResult | undefined;
  if (opts.pipelining) {
    log('hierarchy load: pages in flight, local and with latency added');
    pipelining = await comparePipelining(sf.url, { ...opts.pipelining, pageSize: 500 }, log);
  }

  // ---- cold answers side by side: whole hierarchy vs targeted, and a restart from disk ----
  let coldPaths: ColdPathResult | undefined;
  if (opts.coldPaths) {
    log('cold answers: Q1 (whole hierarchy) vs Q6 (targeted), a restart from a persisted snapshot');
    try {
      coldPaths = await compareColdPaths(sf.url, fixture, ops, opts.coldPaths, log);
    } catch (e) {
      failures.push(`cold paths: ${(e as Error).message}`);
    }
  }
  return { parser, pipelining, coldPaths };
}

/** Throughput of a warm operation at a fixed concurrency; a fixed number of requests, each run to the end. */
async function loadTest({ opts, log, mem }: Run, h: Harness, op: Operation, r: OpResult): Promise<void> {
  if (!opts.throughput || !h.subgraph) return;
  const seq = percentile((r.warm.length ? r.warm : r.cold).map((x) => x.ms), 50);
  const c = opts.throughput.connections;
  // sized to take about `durationS`: with one event loop doing everything, c requests at once take ≈ c × the sequential latency
  const round = seq * c;
  const budget = h.mode === 'unbatched' ? opts.unbatched.throughputBudgetMs : Math.max(opts.throughput.durationS * 1000 * 2, round);
  if (round > budget) {
    r.throughputNote = `not run: one request takes ${fmtMs(seq)} sequentially${op.hierarchy && h.mode === 'unbatched' ? ' and reloads the whole hierarchy (no cache in this mode)' : ''}; ${c} at once would need ≈ ${fmtMs(round)} of one event loop`;
    log(`  ${h.mode} ${op.id} throughput: ${r.throughputNote}`);
    return;
  }
  const amount = c * Math.max(1, Math.min(100, Math.round((opts.throughput.durationS * 1000) / round)));
  gc();
  mem.phase();
  r.throughput = await throughput(h.subgraph.url, body(op), { connections: c, amount, timeoutS: 300 });
  const p = mem.phasePeak();
  r.peakRss = Math.max(r.peakRss, p.rss);
  r.peakHeap = Math.max(r.peakHeap, p.heap);
  const waited = await h.client.idle(500);
  if (waited > 1000) r.notes.push(`throughput: requests still ran ${fmtMs(waited - 500)} after the load test ended`);
  log(`  ${h.mode} ${op.id} throughput c=${c}, ${amount} requests in ${fmtMs(r.throughput.durationS * 1000)}: ${r.throughput.reqPerS.toFixed(2)} req/s, p50 ${fmtMs(r.throughput.p50)}, errors ${r.throughput.errors}, non-2xx ${r.throughput.non2xx}`);
  if (r.throughput.non2xx || r.throughput.errors) r.notes.push(`throughput: ${r.throughput.non2xx} non-2xx, ${r.throughput.errors} errors`);
}

/** Phase 3, per operation and mode: cold runs, warm runs, the warm floor, throughput, then the cold floor. */
async function measureOperation(run: Run, h: Harness, op: Operation, meter: FloorMeter): Promise<OpResult> {
  const { opts, log, mem, failures } = run;
  const { mode, client } = h;
  const r: OpResult = { id: op.id, title: op.title, mode, answer: '', cold: [], warm: [], notes: [], peakRss: 0, peakHeap: 0, heapAfter: 0, soapErrors: 0 };
  gc();
  mem.phase();
  const started = performance.now();
  const budget = mode === 'unbatched' ? opts.unbatched.budgetMs : Infinity;
  const coldN = mode === 'unbatched' ? opts.unbatched.coldRuns : op.hierarchy ? opts.hierarchyColdRuns : opts.coldRuns;
  const warmN = mode === 'unbatched' ? opts.unbatched.warmRuns : opts.warmRuns;
  const elapsed = (): number => performance.now() - started;
  const last = (): number => r.cold.concat(r.warm).at(-1)?.ms ?? 0;
  let coldRecorded: RecordedCall[] | undefined;
  let warmRecorded: RecordedCall[] | undefined;
  const errorsBefore = await soapErrors(h.metrics);
  try {
    // 1. cold: a fresh subgraph before each run
    for (let i = 0; i < coldN; i++) {
      if (i > 0 && elapsed() + last() > budget) { r.notes.push(`cold: ${i} of ${coldN} runs (budget ${fmtMs(budget)})`); break; }
      const sub = await restart(h);
      client.startRecording();
      const { stats, data: d } = await gql(sub.url, op);
      const calls = client.stopRecording();
      if (i === 0) {
        coldRecorded = calls;
        r.answer = op.check(d);
      }
      r.cold.push(stats);
      log(`  ${mode} ${op.id} cold #${i + 1}: ${fmtMs(stats.ms)}, ${stats.calls} SOAP calls`);
    }
    // 2. warm: the same instance again
    for (let i = 0; i < warmN; i++) {
      if (elapsed() + last() > budget) { r.notes.push(`warm: ${i} of ${warmN} runs (budget ${fmtMs(budget)})`); break; }
      if (i === 0) client.startRecording();
      const { stats, data: d } = await gql(h.subgraph!.url, op);
      if (i === 0) {
        warmRecorded = client.stopRecording();
        op.check(d);
      }
      r.warm.push(stats);
    }
    if (r.warm.length) log(`  ${mode} ${op.id} warm ×${r.warm.length}: p50 ${fmtMs(percentile(r.warm.map((x) => x.ms), 50))}, ${r.warm[0].calls} SOAP calls`);
    // 3. the warm floor while the warm state is still held (same heap), 4. throughput (warm)
    if (warmRecorded) r.warmFloor = await meter.measure(warmRecorded);
    if (op.id === 'Q2' || op.id === 'Q3') await loadTest(run, h, op, r);
  } catch (e) {
    client.stopRecording();
    failures.push(`${mode} ${op.id}: ${(e as Error).message}`);
    r.notes.push(`failed: ${(e as Error).message}`);
    log(`  ${mode} ${op.id} FAILED: ${(e as Error).message}`);
  }
  const p = mem.phasePeak();
  r.peakRss = Math.max(r.peakRss, p.rss);
  r.peakHeap = Math.max(r.peakHeap, p.heap);
  r.soapErrors = (await soapErrors(h.metrics)) - errorsBefore;
  if (r.soapErrors > 0) r.notes.push(`${r.soapErrors} SOAP call(s) failed (transient failures are retried: the call counts include the retries)`);
  gc();
  r.heapAfter = process.memoryUsage().heapUsed;
  // 5. the cold floor in the state a cold run starts from: no subgraph caches held
  await h.subgraph?.close();
  h.subgraph = undefined;
  gc();
  try {
    if (coldRecorded) r.floor = await meter.measure(coldRecorded);
  } catch (e) {
    failures.push(`${mode} ${op.id} floor: ${(e as Error).message}`);
  }
  if (r.floor) log(`  ${mode} ${op.id} floor: ${fmtMs(r.floor.ms)} for ${r.floor.calls} calls${r.warmFloor ? `; warm ${fmtMs(r.warmFloor.ms)} for ${r.warmFloor.calls}` : ''}`);
  return r;
}

/** Phase 4 (batched mode): CPU profiles of a cold Q1 and of the warm operation with the largest overhead over its floor. */
async function profileWorst({ log }: Run, h: Harness, results: OpResult[], ops: Operation[]): Promise<BenchResult['profiles']> {
  const profiles: BenchResult['profiles'] = [];
  const batched = results.filter((r) => r.mode === 'batched' && r.cold.length > 0);
  const ratio = (r: OpResult): number => (r.warmFloor && r.warmFloor.ms > 0 && r.warm.length ? percentile(r.warm.map((x) => x.ms), 50) / r.warmFloor.ms : 0);
  const worstWarm = [...batched].filter((r) => r.warm.length > 0).sort((a, b) => ratio(b) - ratio(a))[0];
  const targets: Array<{ label: string; op: Operation; cold: boolean; repeat: number }> = [];
  // cold: Q1 is the whole hierarchy load plus the largest answer (every cold org-chart query pays the load)
  if (batched.some((r) => r.id === 'Q1')) targets.push({ label: 'Q1 batched, cold (the full hierarchy load + the whole chart)', op: ops.find((o) => o.id === 'Q1')!, cold: true, repeat: 1 });
  if (worstWarm) {
    const p50 = percentile(worstWarm.warm.map((x) => x.ms), 50);
    targets.push({ label: `${worstWarm.id} batched, warm (largest overhead over its floor)`, op: ops.find((o) => o.id === worstWarm.id)!, cold: false, repeat: Math.max(1, Math.min(20, Math.round(3000 / Math.max(p50, 1)))) });
  }
  for (const t of targets) {
    const sub = t.cold || !h.subgraph ? await restart(h) : h.subgraph;
    if (!t.cold) await gql(sub.url, t.op); // warm it up
    gc();
    const { profile } = await profileOnce(async () => {
      for (let i = 0; i < t.repeat; i++) await gql(sub.url, t.op);
    });
    const file = join(tmpdir(), `sf1500-bench-${t.op.id}-${t.cold ? 'cold' : 'warm'}.cpuprofile`);
    writeProfile(file, profile);
    const summary = analyse(profile);
    profiles.push({ label: `${t.label}${t.repeat > 1 ? `, ${t.repeat} runs` : ''}`, file, summary });
    log(`  profile ${t.label}: ${file} (busy ${fmtMs(summary.totalMs)})`);
  }
  return profiles;
}

/** Runs the benchmark in phases: seed, side-by-side sections, every operation in both modes (with profiles), report data. */
export async function runBench(opts: BenchOptions): Promise<BenchResult> {
  const t0 = performance.now();
  const loadAtStart = loadavg().map((x) => x.toFixed(2)).join(' ');
  const log = opts.log;
  const run: Run = { opts, log, mem: new MemorySampler(), failures: [] };
  run.mem.start();

  const { sf, fixture, seed } = await seedSf1500(run);
  const { schema } = await subgraphSchema();
  const search = !!schema.getQueryType()?.getFields().soegBrugere;
  const ops = operations(fixture, { search });
  log(`department ${fixture.department.uuid}: ${fixture.department.levels.join('+')} units, ${fixture.department.positions} positions; Q5 ${search ? 'is a soegBrugere page' : 'uses brugere(uuids) (no search)'}`);

  const { parser, pipelining, coldPaths } = await sideBySide(run, sf, fixture, ops);

  const results: OpResult[] = [];
  const harness = new Map<Mode, Harness>();
  const profiles: BenchResult['profiles'] = [];
  // floors: the recorded SOAP calls replayed one after another through a client of their own,
  // right after the operation's runs (same process state: heap size matters for GC)
  const floorClient = new RecordingClient(new Sf1500Client({ baseUrl: sf.url, timeoutMs: 300_000, hierarchyTimeoutMs: 600_000 }));
  const meter = new FloorMeter(floorClient, opts.floorMaxDistinct);

  for (const mode of opts.operations === false ? [] : MODES) {
    const metrics = new Metrics();
    // as startStack wires it: every call (retries included) reaches the metrics
    const client = new RecordingClient(new Sf1500Client({ baseUrl: sf.url, timeoutMs: 300_000, hierarchyTimeoutMs: 600_000, onCall: (info) => metrics.soap(info) }));
    const h: Harness = { mode, config: loadConfig(envFor(mode, sf.url)), client, metrics };
    harness.set(mode, h);
    for (const op of ops) results.push(await measureOperation(run, h, op, meter));
    if (opts.profile && mode === 'batched') profiles.push(...(await profileWorst(run, h, results, ops)));
    // release this mode's caches (hierarchy snapshots, object LRU) before the next mode
    await h.subgraph?.close();
    h.subgraph = undefined;
    gc();
  }
  floorClient.close();

  for (const h of harness.values()) {
    await h.subgraph?.close();
    h.client.close();
  }
  await sf.close();
  run.mem.stop();
  return {
    options: { ...opts, log: undefined } as unknown as Omit<BenchOptions, 'log'>,
    startedAt: new Date(Date.now() - (performance.now() - t0)).toISOString(),
    fixture: { size: fixture.size, facts: fixture.facts, department: fixture.department, past: fixture.past, objects: fixture.objects },
    search,
    seed,
    results, parser, pipelining, coldPaths, profiles,
    peakRss: run.mem.peakRss, peakHeap: run.mem.peakHeap, maxRss: MemorySampler.maxRss(),
    totalMs: performance.now() - t0,
    failures: run.failures,
    machine: machine(),
    loadAtStart,
  };
}
