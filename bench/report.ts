import type { BenchResult, CallStats, OpResult, RunStats } from './core';
import { fmtBytes, fmtMs, fmtRatio, percentile, table } from './util';
import { coldPathTables } from './coldpaths';
import { machine } from './machine';

/** Tables for the console and BENCHMARKS.md. */

const short = (k: string): string => k.replace('organisationsystem.fremsoegobjekthierarki', 'fremsoeg');

export function callsText(by: Record<string, CallStats> | undefined): string {
  if (!by) return '–';
  const e = Object.entries(by);
  if (e.length === 0) return '0';
  return e.sort((a, b) => b[1].calls - a[1].calls).map(([k, v]) => `${short(k)}×${v.calls}`).join(', ');
}

const total = (r: RunStats | undefined): number | undefined => r?.calls;
const bytes = (r: RunStats | undefined): number | undefined => (r ? Object.values(r.byOperation).reduce((a, v) => a + v.bytes, 0) : undefined);
const p = (runs: RunStats[], q: number): number | undefined => (runs.length ? percentile(runs.map((x) => x.ms), q) : undefined);
const lat = (runs: RunStats[]): string => (runs.length ? `${fmtMs(p(runs, 50))} / ${fmtMs(p(runs, 95))} (n=${runs.length})` : '–');
const div = (a: number | undefined, b: number | undefined): number | undefined => (a !== undefined && b !== undefined && b > 0 ? a / b : undefined);

function pair(res: BenchResult, id: string): { b?: OpResult; u?: OpResult } {
  return { b: res.results.find((r) => r.id === id && r.mode === 'batched'), u: res.results.find((r) => r.id === id && r.mode === 'unbatched') };
}

const opIds = (res: BenchResult): string[] => [...new Set(res.results.map((r) => r.id))];

export function summaryTables(res: BenchResult): string {
  const ids = opIds(res);
  const out: string[] = [];
  const title = (id: string): string => `${id} ${pair(res, id).b?.title ?? ''}`;

  out.push('SOAP calls and XML received (first cold run; warm batched in brackets)');
  out.push(table(['operation', 'batched calls', 'batched XML', 'unbatched calls', 'unbatched XML', 'calls unb./b.'], ids.map((id) => {
    const { b, u } = pair(res, id);
    return [
      title(id),
      `${total(b?.cold[0]) ?? '–'}: ${callsText(b?.cold[0]?.byOperation)} [warm ${total(b?.warm[0]) ?? '–'}]`,
      fmtBytes(bytes(b?.cold[0])),
      `${total(u?.cold[0]) ?? '–'}: ${callsText(u?.cold[0]?.byOperation)}`,
      fmtBytes(bytes(u?.cold[0])),
      fmtRatio(div(total(u?.cold[0]), total(b?.cold[0]))),
    ];
  })));

  out.push('');
  out.push('Latency, sequential (p50 / p95, wall time at the HTTP caller)');
  out.push(table(['operation', 'batched cold', 'batched warm', 'unbatched cold', 'unbatched warm', 'unb./b. cold', 'unb./b. warm'], ids.map((id) => {
    const { b, u } = pair(res, id);
    return [title(id), lat(b?.cold ?? []), lat(b?.warm ?? []), lat(u?.cold ?? []), lat(u?.warm ?? []),
      fmtRatio(div(p(u?.cold ?? [], 50), p(b?.cold ?? [], 50))), fmtRatio(div(p(u?.warm ?? [], 50), p(b?.warm ?? [], 50)))];
  })));

  const loads = res.results.flatMap((r) => r.cold.map((c) => c.byOperation['organisationsystem.fremsoegobjekthierarki']).filter((x): x is CallStats => !!x));
  if (loads.length) {
    const ms = loads.map((x) => x.ms);
    out.push('');
    out.push(`Hierarchy load inside the cold runs (${loads[0].calls} fremsoeg pages, ${fmtBytes(loads[0].bytes)}; the calls' summed time as recorded by the client, mapping included; with pages in flight it exceeds the wall time): min ${fmtMs(Math.min(...ms))}, median ${fmtMs(percentile(ms, 50))}, max ${fmtMs(Math.max(...ms))} over ${ms.length} cold runs`);
  }

  out.push('');
  out.push('Overhead over the floor (floor = the same SOAP calls replayed one after another through Sf1500Client)');
  out.push(table(['operation', 'mode', 'cold p50', 'floor (calls)', 'cold / floor', 'warm p50', 'warm floor (calls)', 'warm / floor'], res.results.map((r) => {
    const f = r.floor;
    const wf = r.warmFloor;
    return [r.id, r.mode, fmtMs(p(r.cold, 50)), f ? `${fmtMs(f.ms)} (${f.calls}${f.sampled ? ', sampled' : ''})` : '–', fmtRatio(div(p(r.cold, 50), f?.ms)),
      fmtMs(p(r.warm, 50)), wf ? `${fmtMs(wf.ms)} (${wf.calls}${wf.sampled ? ', sampled' : ''})` : '–', wf && wf.calls > 0 ? fmtRatio(div(p(r.warm, 50), wf.ms)) : wf ? 'no calls' : '–'];
  })));

  out.push('');
  out.push('Throughput (autocannon, warm; a fixed number of requests sized to take about the target time, all finished)');
  out.push(table(['operation', 'mode', 'connections', 'requests', 'duration', 'req/s', 'p50', 'p97.5', 'max', 'errors / non-2xx', 'note'], res.results.filter((r) => r.throughput || r.throughputNote).map((r) => {
    const t = r.throughput;
    return [r.id, r.mode, t?.connections ?? '–', t?.requests ?? '–', t ? `${t.durationS.toFixed(1)} s` : '–', t ? t.reqPerS.toFixed(2) : '–', fmtMs(t?.p50), fmtMs(t?.p97_5), fmtMs(t?.max),
      t ? `${t.errors} / ${t.non2xx}` : '–', r.throughputNote ?? (t && t.unfinished ? `${t.unfinished} unfinished at the end` : '')];
  })));

  out.push('');
  out.push(`Memory (one process: SF1500 emulator + its in-memory SQLite + the subgraph of the mode + load generator; the batched subgraph is closed before the unbatched one starts): after seeding RSS ${fmtBytes(res.seed.rssAfter)}, heap ${fmtBytes(res.seed.heapAfter)}; sampled peak RSS ${fmtBytes(res.peakRss)}, kernel max RSS ${fmtBytes(res.maxRss)}, peak heap ${fmtBytes(res.peakHeap)}`);
  out.push(table(['operation', 'batched peak RSS', 'batched peak heap', 'batched heap after GC', 'unbatched peak RSS', 'unbatched peak heap', 'unbatched heap after GC'], ids.map((id) => {
    const { b, u } = pair(res, id);
    return [title(id), fmtBytes(b?.peakRss), fmtBytes(b?.peakHeap), fmtBytes(b?.heapAfter), fmtBytes(u?.peakRss), fmtBytes(u?.peakHeap), fmtBytes(u?.heapAfter)];
  })));

  if (res.parser) {
    out.push('');
    out.push(`Parsing one FremsoegObjekthierarkiOutput page: ${fmtBytes(res.parser.bytes)}, ${res.parser.objects} objects (median of ${res.parser.runs})`);
    out.push(table(['parser', 'ms', 'MB/s', 'note'], res.parser.rows.map((r) => [r.name, fmtMs(r.ms), r.mbPerS.toFixed(1), r.note ?? ''])));
    if (res.parser.soapError) out.push(`node-soap: ${res.parser.soapError}`);
  }
  if (res.pipelining) {
    const p = res.pipelining;
    const base = (latency: number): number | undefined => p.rows.find((r) => r.latencyMs === latency && r.parallel === 1)?.ms;
    out.push('');
    out.push(`Cold hierarchy load (fremsoegobjekthierarki, ${p.pageSize} per page, into a snapshot) with pages in flight (\`SF1500_HIERARCHY_PARALLEL\`), straight to the local SF1500 and behind a proxy adding latency to every answer:`);
    out.push(table(['latency added', 'pages in flight', 'load', 'vs 1 in flight', 'pages asked', 'XML'], p.rows.map((r) => {
      const b = base(r.latencyMs);
      return [r.latencyMs ? `${r.latencyMs} ms` : 'none (direct)', String(r.parallel), fmtMs(r.ms), b ? `${(r.ms / b).toFixed(2)}×` : '', String(r.pages), fmtBytes(r.bytes)];
    })));
  }

  if (res.coldPaths) {
    out.push('');
    out.push(coldPathTables(res.coldPaths));
  }

  for (const pr of res.profiles) {
    out.push('');
    out.push(`CPU profile: ${pr.label} — busy ${fmtMs(pr.summary.totalMs)} (${pr.file})`);
    out.push(table(['area (self time)', 'ms', '%'], pr.summary.areas.slice(0, 14).map((a) => [a.area, a.selfMs.toFixed(0), a.pct.toFixed(1)])));
    out.push(table(['function (self time)', 'where', 'ms', '%'], pr.summary.top.slice(0, 15).map((t) => [t.name, t.where, t.selfMs.toFixed(0), t.pct.toFixed(1)])));
    out.push(table(['function (inclusive)', 'where', 'ms', '%'], pr.summary.inclusive.slice(0, 12).map((t) => [t.name, t.where, t.ms.toFixed(0), t.pct.toFixed(1)])));
  }
  if (res.results.some((r) => r.notes.length)) {
    out.push('');
    out.push('Notes');
    for (const r of res.results) for (const n of r.notes) out.push(`- ${r.mode} ${r.id}: ${n}`);
  }
  return out.join('\n');
}

/** The full report, with notes written from the measured numbers. */
export const ANALYSIS_START = '<!-- analysis:start (hand-written; kept when npm run bench rewrites this file) -->';
export const ANALYSIS_END = '<!-- analysis:end -->';

/** The hand-written analysis of an existing BENCHMARKS.md, to carry over. */
export function keptAnalysis(previous: string | undefined): string | undefined {
  if (!previous) return undefined;
  const a = previous.indexOf(ANALYSIS_START);
  const b = previous.indexOf(ANALYSIS_END);
  return a >= 0 && b > a ? previous.slice(a + ANALYSIS_START.length, b).trim() : undefined;
}

export function markdown(res: BenchResult, analysis?: string, notes = defaultNotes(res)): string {
  const m = res.machine ?? machine();
  const f = res.fixture;
  return `# Benchmarks

Command: \`npm run bench\` (full: the large municipality; ${Math.round(res.totalMs / 1000)} s on this machine after the build) — \`npm run bench -- --quick\` runs the
small municipality and asserts SOAP call counts only (CI: \`test/bench/quick.test.ts\`); \`npm run bench -- --cold-paths\` runs only the parser and the cold-answer comparison.

- Date: ${res.startedAt}
- Machine: ${m.nproc} cores (nproc), ${m.cpu}, RAM ${m.ram}, ${m.os}, Node ${m.node}; load average (1/5/15 min) at the start ${res.loadAtStart ?? '?'}, at the end ${m.load} — other jobs shared these 2 cores
- Data: generated municipality (seed 1) with ${f.size.units} units, ${f.size.users} users, ${f.size.functions} functions + KLE: ${res.seed.objects} objects.
  Generating took ${fmtMs(res.seed.generateMs)}, importing into the local SF1500 (in-memory SQLite) ${fmtMs(res.seed.importMs)}.
- Set-up: one process holds the local SF1500 (HTTP on 127.0.0.1), the subgraph (default config: batched loaders + caches; and a second
  one with \`SF1500_BATCHING=false\`: loaders that neither batch nor cache, so one Laes per object *read* — every field re-reads its object) and the load generator. SF1500's own work therefore runs on the same
  event loop as the subgraph's; the floor includes it the same way, so *latency / floor* is our overhead.
  Both subgraphs use \`SF1500_HIERARCHY_CACHE_MS=3600000\` (see the notes: the default 30 s window is shorter than a cold load here).
- Cold = the subgraph restarted before the run (hierarchy snapshot, object LRU and per-request loaders gone; the SOAP client and its
  keep-alive sockets kept). Warm = the same query again on the same instance. Latency is the wall time at the HTTP caller.
- Floor = the SOAP calls the query made (recorded in the client), replayed one after another straight through \`Sf1500Client\`
  (HTTP + SF1500 + streaming parse to domain objects); identical calls are timed once${res.results.some((r) => r.floor?.sampled) ? ', and very long lists of distinct calls (unbatched) are sampled per (operation, type) and extrapolated' : ''}.
  The warm floor is replayed while the warm subgraph still holds its caches, the cold floor after it is closed (the heap a cold run starts
  from). A query runs independent calls concurrently (DataLoader batches of different types; unbatched: up to 16 Laes at once), the floor
  runs them one by one, so *latency / floor* below 1 means overlap, not magic.
- Throughput: autocannon in the same process, 8 connections, a fixed number of requests sized to take about 10 s, every request finished.

Operations (${f.department.levels.length} unit levels in Q2/Q4: department ${f.department.uuid}, ${f.department.levels.join(' + ')} units, ${f.department.positions} positions):

- **Q1** full org chart: \`organisation { rodEnhed { efterkommere { uuid navn overordnetUuid leder { navn } antalMedarbejdere } } }\`
- **Q2** one department and three levels below it: units, positions (\`stillinger\`) with user and person names, addresses with their role title, KLE tasks with titles
- **Q3** federation \`_entities\` for ${Math.min(1000, f.size.users)} \`Bruger\` representations: \`navn\`, \`tilknyttedePersoner { navn }\`
- **Q4** Q2 at virkning ${f.past.virkning} and registrering ${f.past.registrering}
- **Q5** ${res.search ? '`soegBrugere(first: 100, filter: { tilhoerer, gyldighed: Aktiv })` — a search page of 100 users with `enheder { navn }`' : '`brugere(uuids: [100 uuids]) { navn enheder { navn } }` (there was no search connection when this ran)'}

\`\`\`
${summaryTables(res)}
\`\`\`

## Analysis

${ANALYSIS_START}
${analysis ?? '_(not written yet: see the generated notes below)_'}
${ANALYSIS_END}

## Generated notes (from this run's numbers)

${notes.join('\n')}
`;
}

/** Observations computed from the numbers (the hand-written analysis is added around them). */
export function defaultNotes(res: BenchResult): string[] {
  const n: string[] = [];
  const b = (id: string) => pair(res, id).b;
  const u = (id: string) => pair(res, id).u;
  const q1 = b('Q1');
  if (q1?.cold[0]) {
    const by = q1.cold[0].byOperation['organisationsystem.fremsoegobjekthierarki'];
    if (by) n.push(`- A cold hierarchy snapshot is ${by.calls} fremsoeg pages, ${fmtBytes(by.bytes)} of XML, ${fmtMs(p(q1.cold, 50))} end to end (Q1 cold); every cold operation that touches the org chart (Q1, Q2, Q4, Q5) pays it.`);
  }
  for (const id of opIds(res)) {
    const bb = b(id);
    const uu = u(id);
    const r = div(total(uu?.cold[0]), total(bb?.cold[0]));
    if (r !== undefined) n.push(`- ${id}: unbatched makes ${fmtRatio(r)} the SOAP calls (${total(uu?.cold[0])} vs ${total(bb?.cold[0])}) and is ${fmtRatio(div(p(uu?.cold ?? [], 50), p(bb?.cold ?? [], 50)))} slower cold.`);
  }
  return n;
}
