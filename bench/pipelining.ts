import { HierarchyCache } from '../src/loaders/hierarchy';
import { Sf1500Client } from '../src/sf1500/client';
import { CallRecorder } from '../src/sf1500/stats';
import { rootTime } from '../src/temporal';
import { startFaultProxy, type FaultProxy } from '../test/support/proxy';

/**
 * A cold hierarchy load (the paged fremsoegobjekthierarki into a snapshot) with 1 and more pages in
 * flight, straight to the local SF1500 and behind a proxy that adds latency to every answer, as a
 * remote SF1500 would. Side by side in one run: the same data, the same process.
 */

export interface PipelineRow {
  /** Latency added to every answer (0 = straight to the local SF1500, no proxy). */
  latencyMs: number;
  parallel: number;
  ms: number;
  pages: number;
  bytes: number;
  units: number;
}

export interface PipelineResult {
  pageSize: number;
  rows: PipelineRow[];
}

export async function comparePipelining(sfUrl: string, opts: { latencies: number[]; parallel: number[]; pageSize: number }, log: (s: string) => void): Promise<PipelineResult> {
  const rows: PipelineRow[] = [];
  for (const latencyMs of opts.latencies) {
    let proxy: FaultProxy | undefined;
    if (latencyMs > 0) {
      proxy = await startFaultProxy(sfUrl);
      proxy.mode = { delayMs: latencyMs };
    }
    try {
      for (const parallel of opts.parallel) {
        const client = new Sf1500Client({ baseUrl: proxy?.url ?? sfUrl, hierarchyTimeoutMs: 600_000 });
        try {
          const cache = new HierarchyCache(client, { pageSize: opts.pageSize, cacheWindowMs: 0, maxPinnedSnapshots: 0, parallel });
          const rec = new CallRecorder();
          const now = Date.now();
          const started = performance.now();
          const snapshot = await cache.get(rootTime(now), now, rec);
          const ms = performance.now() - started;
          // pages asked past the end are still on their way when the load returns: let them land to count them
          await new Promise((r) => setTimeout(r, 500 + 2 * latencyMs));
          const stat = rec.byOperation.get('organisationsystem.fremsoegobjekthierarki');
          const row: PipelineRow = { latencyMs, parallel, ms, pages: stat?.calls ?? 0, bytes: stat?.bytes ?? 0, units: snapshot.units.size };
          rows.push(row);
          log(`  +${latencyMs} ms per answer, ${parallel} in flight: ${(ms / 1000).toFixed(2)} s, ${row.pages} pages, ${row.units} units`);
        } finally {
          client.close();
        }
      }
    } finally {
      await proxy?.close();
    }
  }
  return { pageSize: opts.pageSize, rows };
}
