import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { startSubgraph, type Subgraph } from '../src/server/app';
import { Sf1500Client } from '../src/sf1500/client';
import { startFaultProxy, type FaultProxy } from '../test/support/proxy';
import type { CallStats } from './core';
import type { Fixture } from './fixture';
import { unitWithParent, type Operation } from './queries';
import { callsText } from './report';
import { fmtBytes, fmtMs, fmtRatio, gc, MemorySampler, sleep, table } from './util';

/**
 * Cold answers side by side in one run, on the same data: the full chart (Q1, which needs the whole
 * hierarchy) against the first screen (Q6, which the planner answers with targeted Soeg + List), each on
 * a freshly started subgraph, straight to the local SF1500 and behind a proxy adding latency to every
 * answer; Q6 forced through the snapshot for comparison; Q1 on a subgraph restarted with a persisted
 * snapshot; one unit with its parent's uuid.
 */

export interface ColdRow {
  latencyMs: number;
  label: string;
  ms: number;
  calls: number;
  bytes: number;
  path?: string;
  byOperation: Record<string, CallStats>;
}

export interface ColdPathResult {
  rows: ColdRow[];
  /** Q1 on a subgraph started with the snapshot the previous one wrote (SUBGRAPH_STATE_DIR), and the starts. */
  restart?: ColdRow & { startMs: number; coldStartMs: number; snapshotHeap: number };
  /** Heap over the process without a subgraph while a refresh loads next to the old snapshot, and after. */
  overlap?: { peakHeap: number; afterHeap: number; base?: number };
}

interface Answer {
  data?: Record<string, unknown>;
  errors?: Array<{ message: string }>;
  extensions?: { sf1500?: { calls: number; byOperation: Record<string, CallStats>; hierarchy?: { path: string } } };
}

const silent = pino({ level: 'silent' });

async function once(url: string, query: string, variables: Record<string, unknown>): Promise<{ ms: number; a: Answer }> {
  const started = performance.now();
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-sf1500-calls': '1' }, body: JSON.stringify({ query, variables }) });
  const a = (await res.json()) as Answer;
  const ms = performance.now() - started;
  if (a.errors?.length) throw new Error(`${a.errors.length} errors, first: ${a.errors[0].message}`);
  return { ms, a };
}

function row(latencyMs: number, label: string, r: { ms: number; a: Answer }): ColdRow {
  const x = r.a.extensions?.sf1500;
  const byOperation = x?.byOperation ?? {};
  return { latencyMs, label, ms: r.ms, calls: x?.calls ?? 0, bytes: Object.values(byOperation).reduce((s, v) => s + v.bytes, 0), path: x?.hierarchy?.path, byOperation };
}

export async function compareColdPaths(sfUrl: string, f: Fixture, ops: Operation[], opts: { latencies: number[] }, log: (s: string) => void): Promise<ColdPathResult> {
  const q1 = ops.find((o) => o.id === 'Q1')!;
  const q6 = ops.find((o) => o.id === 'Q6')!;
  const unit = unitWithParent(f);
  const rows: ColdRow[] = [];
  let restart: ColdPathResult['restart'];
  let overlap: ColdPathResult['overlap'];
  const env = (url: string, extra: Record<string, string> = {}): Record<string, string> => ({
    PORT: '0', LOG_LEVEL: 'silent', SF1500_BASE_URL: url, SF1500_HIERARCHY_REFRESH_MS: '3600000', SUBGRAPH_STATE_DIR: 'none', SUBGRAPH_CHANGES: 'false',
    SF1500_TIMEOUT_MS: '300000', SF1500_HIERARCHY_TIMEOUT_MS: '600000', GRAPHQL_MAX_COST: '100000000', GRAPHQL_SANDBOX: 'false', ...extra,
  });
  for (const latencyMs of opts.latencies) {
    let proxy: FaultProxy | undefined;
    if (latencyMs > 0) {
      proxy = await startFaultProxy(sfUrl);
      proxy.mode = { delayMs: latencyMs };
    }
    const url = proxy?.url ?? sfUrl;
    const client = new Sf1500Client({ baseUrl: url, timeoutMs: 300_000, hierarchyTimeoutMs: 600_000 });
    const cold = async (label: string, op: { query: string; variables: Record<string, unknown> }, extra?: Record<string, string>): Promise<void> => {
      const g = await startSubgraph(loadConfig(env(url, extra)), client, silent);
      try {
        const r = row(latencyMs, label, await once(g.url, op.query, op.variables));
        rows.push(r);
        log(`  +${latencyMs} ms: ${label}: ${fmtMs(r.ms)}, ${r.calls} SOAP calls${r.path ? `, ${r.path}` : ''}`);
      } finally {
        await g.close();
      }
    };
    try {
      await cold('Q1 cold', q1);
      await cold('Q6 cold', q6);
      await cold('Q6 cold, SF1500_PLANNER=snapshot', q6, { SF1500_PLANNER: 'snapshot' });
      await cold('one unit: navn, overordnet { uuid }', unit);
      if (latencyMs === 0) {
        // Restart: the first subgraph loads and writes the snapshot; the second starts from the file.
        const dir = mkdtempSync(join(tmpdir(), 'sf1500-bench-state-'));
        try {
          const withState = env(url, { SUBGRAPH_STATE_DIR: dir });
          let g: Subgraph = await startSubgraph(loadConfig(withState), client, silent);
          await once(g.url, q1.query, q1.variables);
          await g.close(); // waits for the state write
          const coldStart = performance.now();
          await (await startSubgraph(loadConfig(env(url)), client, silent)).close();
          const coldStartMs = performance.now() - coldStart;
          gc();
          const heapBefore = process.memoryUsage().heapUsed;
          const started = performance.now();
          g = await startSubgraph(loadConfig(withState), client, silent);
          const startMs = performance.now() - started;
          gc();
          const snapshotHeap = process.memoryUsage().heapUsed - heapBefore;
          try {
            const r = { ...row(latencyMs, 'Q1 after a restart (persisted snapshot)', await once(g.url, q1.query, q1.variables)), startMs, coldStartMs, snapshotHeap };
            restart = r;
            log(`  +${latencyMs} ms: ${r.label}: ${fmtMs(r.ms)}, ${r.calls} SOAP calls; start ${fmtMs(startMs)} (without state ${fmtMs(coldStartMs)}); snapshot heap ${fmtBytes(snapshotHeap)}`);
          } finally {
            await g.close();
          }
          // A refresh overlapping the old snapshot: restored from disk, then reloaded behind the answers at once.
          // Absolute heap figures: a closed subgraph's snapshot may still be collected later, so a base taken
          // now is not a clean "without a subgraph" (heapBefore above is the cleaner one).
          await sleep(500);
          gc();
          const base = Math.min(heapBefore, process.memoryUsage().heapUsed);
          const mem = new MemorySampler();
          mem.start(10);
          mem.phase();
          g = await startSubgraph(loadConfig({ ...withState, SF1500_HIERARCHY_REFRESH_MS: '1' }), client, silent);
          try {
            for (let i = 0; i < 3000; i++) {
              const a = (await once(g.url, q6.query, q6.variables)).a;
              if (i > 0 && (a.extensions?.sf1500?.hierarchy as { snapshot?: string } | undefined)?.snapshot === 'sf1500') break;
              await sleep(100);
            }
            const peak = mem.phasePeak().heap - base;
            gc();
            overlap = { peakHeap: peak, afterHeap: process.memoryUsage().heapUsed - base, base };
            log(`  refresh overlapping the old snapshot: heap without a subgraph ${fmtBytes(base)}, peak +${fmtBytes(peak)} (sampled heapUsed, garbage included), after GC with the new snapshot +${fmtBytes(overlap.afterHeap)}`);
          } finally {
            mem.stop();
            await g.close();
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
    } finally {
      client.close();
      await proxy?.close();
    }
  }
  return { rows, restart, overlap };
}

/** Refresh intervals compared for the SOAP bytes of a busy "now" (a full load per interval). */
const REFRESH_BEFORE_MS = 30_000;
const REFRESH_AFTER_MS = 600_000;

/** The side-by-side tables of this run (console and BENCHMARKS.md). */
export function coldPathTables(c: ColdPathResult): string {
  const out: string[] = [];
  const find = (latency: number, label: string): ColdRow | undefined => c.rows.find((r) => r.latencyMs === latency && r.label === label);
  const latencies = [...new Set(c.rows.map((r) => r.latencyMs))];
  out.push('Cold answers side by side (each on a freshly started subgraph, same data, same run; SF1500_PLANNER=auto unless named)');
  out.push(table(['latency added', 'query', 'cold', 'SOAP calls', 'XML', 'path', 'Q1 cold / this'], c.rows.concat(c.restart ? [c.restart] : []).map((r) => {
    const q1 = find(r.latencyMs, 'Q1 cold');
    return [r.latencyMs ? `${r.latencyMs} ms` : 'none (direct)', r.label, fmtMs(r.ms), `${r.calls}: ${callsText(r.byOperation)}`, fmtBytes(r.bytes), r.path ?? '–', r === q1 ? '' : fmtRatio(q1 ? q1.ms / r.ms : undefined)];
  })));
  if (c.restart) {
    const q1 = find(0, 'Q1 cold');
    out.push(`Restart with a persisted snapshot: startSubgraph took ${fmtMs(c.restart.startMs)} (reading the snapshot before listening; ${fmtMs(c.restart.coldStartMs)} without state), then Q1 ${fmtMs(c.restart.ms)}: start + Q1 ${fmtMs(c.restart.startMs + c.restart.ms)} against ${fmtMs(q1 ? q1.ms + c.restart.coldStartMs : undefined)} cold (${fmtRatio(q1 ? (q1.ms + c.restart.coldStartMs) / (c.restart.startMs + c.restart.ms) : undefined)}).`);
  }
  if (c.restart) out.push(`Heap of one "now" snapshot (the restarted subgraph after GC, over the process without it): ${fmtBytes(c.restart.snapshotHeap)}.`);
  if (c.overlap) out.push(`A refresh overlapping the old snapshot (restored from disk, reloaded at once behind the answers, first screens asked meanwhile): sampled peak heapUsed (garbage not yet collected included) +${fmtBytes(c.overlap.peakHeap)} over the process without a subgraph${c.overlap.base ? ` (${fmtBytes(c.overlap.base)})` : ''}, +${fmtBytes(c.overlap.afterHeap)} after GC with the new snapshot.`);
  const load = find(latencies[0], 'Q1 cold')?.byOperation['organisationsystem.fremsoegobjekthierarki'];
  if (load) {
    out.push('');
    out.push(`SOAP bytes per hour for a busy "now" (a request at least every refresh interval, so every interval ends in one full load of ${fmtBytes(load.bytes)}, as measured in Q1 cold above), per replica:`);
    out.push(table(['refresh interval', 'full loads per hour', 'hierarchy XML per hour'], [REFRESH_BEFORE_MS, REFRESH_AFTER_MS].map((ms) => [
      `${ms / 1000} s${ms === REFRESH_BEFORE_MS ? ' (before: SF1500_HIERARCHY_CACHE_MS default)' : ' (now: SF1500_HIERARCHY_REFRESH_MS default)'}`, String(3_600_000 / ms), fmtBytes(load.bytes * (3_600_000 / ms)),
    ])));
  }
  return out.join('\n');
}
