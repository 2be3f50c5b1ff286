import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { startSf1500 } from '../src/emulator';
import type { Egenskab } from '../src/model';
import { startSubgraph } from '../src/server/app';
import { Sf1500Client } from '../src/sf1500/client';
import { generate, type MunicipalitySize } from './fixture';
import { fmtBytes, fmtMs, sleep, table } from './util';

/**
 * npm run bench -- --changes: the change feed on a municipality (default the large one). Writes go
 * straight to the local SF1500 through a second client (another system); the subgraph finds them by
 * its refresh of "now" (the scan KOMBIT would see too) and the feed's own reads. Per round: the time
 * from the writes to their events in `aendringer`, and the SOAP calls and bytes the subgraph made.
 */

export interface ChangesRound {
  label: string;
  events: number;
  delayMs: number;
  calls: Record<string, { calls: number; bytes: number }>;
  diffMs: number;
}

export interface ChangesResult {
  size: MunicipalitySize;
  refreshMs: number;
  rounds: ChangesRound[];
  objects: number;
  machine: string;
}

const FEED = 'query ($efter: String) { aendringer(efter: $efter, maks: 500) { naesteEfter aendringer { uuid art } } }';

export async function runChangesBench(size: MunicipalitySize, refreshMs: number, log: (s: string) => void): Promise<ChangesResult> {
  log(`generating municipality: ${size.units} units, ${size.users} users, ${size.functions} functions`);
  let data: ReturnType<typeof generate>['data'] | undefined = generate(size).data;
  const sf = await startSf1500({ dbFile: ':memory:', seed: () => data! });
  data = undefined;
  const calls: Record<string, { calls: number; bytes: number }> = {};
  const reader = new Sf1500Client({ baseUrl: sf.url, timeoutMs: 300_000, hierarchyTimeoutMs: 600_000, onCall: (i) => {
    const c = (calls[`${i.service}.${i.operation}`] ??= { calls: 0, bytes: 0 });
    c.calls++;
    c.bytes += i.bytes;
  } });
  const writer = new Sf1500Client({ baseUrl: sf.url, timeoutMs: 300_000 });
  const dir = mkdtempSync(join(tmpdir(), 'sf1500-bench-changes-'));
  const config = loadConfig({
    PORT: '0', LOG_LEVEL: 'silent', SF1500_BASE_URL: sf.url, SUBGRAPH_STATE_DIR: dir, SUBGRAPH_CHANGES: 'on',
    SF1500_HIERARCHY_REFRESH_MS: String(refreshMs), SUBGRAPH_CHANGES_POLL_MS: '100', SF1500_TIMEOUT_MS: '300000', SF1500_HIERARCHY_TIMEOUT_MS: '600000',
  });
  const g = await startSubgraph(config, reader, pino({ level: 'silent' }));
  const rounds: ChangesRound[] = [];
  const take = (): Record<string, { calls: number; bytes: number }> => {
    const out = structuredClone(calls);
    for (const k of Object.keys(calls)) delete calls[k];
    return out;
  };
  const gql = async (efter: string | null): Promise<{ naesteEfter: string; aendringer: Array<{ uuid: string; art: string }> }> => {
    const res = await fetch(g.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: FEED, variables: { efter } }) });
    const body = (await res.json()) as { data: { aendringer: { naesteEfter: string; aendringer: Array<{ uuid: string; art: string }> } }; errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data.aendringer;
  };
  try {
    const t0 = performance.now();
    while (!g.changes!.started) await sleep(100);
    rounds.push({ label: 'first snapshot (baseline, no events)', events: 0, delayMs: performance.now() - t0, calls: take(), diffMs: g.changes!.stats.lastDiffMs });
    log(`baseline: ${g.changes!.stats.objects} objects in ${fmtMs(performance.now() - t0)}`);
    let cursor = (await gql(null)).naesteEfter;
    const units = await writer.soeg('OrganisationEnhed', {}, { offset: 0, limit: 11 });
    const funktion = (await writer.soeg('OrganisationFunktion', {}, { offset: 0, limit: 1 }))[0];
    const rename = async (uuid: string, navn: string, fra: Date): Promise<void> => {
      const o = await writer.laes('OrganisationEnhed', uuid);
      const row = o!.registreringer[o!.registreringer.length - 1].egenskaber.find((e) => e.virkning.til === null)!;
      const egenskaber: Egenskab[] = [{ virkning: { ...row.virkning, fra: fra.toISOString() }, values: { ...row.values, EnhedNavn: navn } }];
      await writer.ret('OrganisationEnhed', uuid, { egenskaber });
    };
    const waitFor = async (label: string, n: number, since: number): Promise<void> => {
      let got = 0;
      const before = g.changes!.stats.diffs;
      while (got < n) {
        const page = await gql(cursor);
        got += page.aendringer.length;
        cursor = page.naesteEfter;
        if (page.aendringer.length === 0) await sleep(50);
      }
      const r = { label, events: got, delayMs: performance.now() - since, calls: take(), diffMs: g.changes!.stats.diffs > before ? g.changes!.stats.lastDiffMs : 0 };
      rounds.push(r);
      log(`${label}: ${got} events after ${fmtMs(r.delayMs)}`);
    };
    for (let round = 1; round <= 2; round++) {
      const since = performance.now();
      for (const u of units.slice(0, 10)) await rename(u, `Omdøbt ${round} ${u.slice(0, 4)}`, new Date());
      if (round === 1) await writer.passiver('OrganisationFunktion', funktion);
      await waitFor(`round ${round}: ${round === 1 ? '10 Ret + 1 Passiver' : '10 Ret'}`, round === 1 ? 11 : 10, since);
    }
    // A rename dated 5 s ahead: AENDRET at the next refresh, TRAEDER_I_KRAFT when the moment passes.
    const ahead = new Date(Date.now() + Math.max(5000, refreshMs * 2));
    await rename(units[10], 'Omdøbt senere', ahead);
    await waitFor('a rename dated ahead: AENDRET', 1, performance.now());
    while (Date.now() < ahead.getTime()) await sleep(20);
    await waitFor('its virkning boundary passes: TRAEDER_I_KRAFT (delay after the moment)', 1, performance.now() - (Date.now() - ahead.getTime()));
    // A refresh with nothing to find.
    const quietFrom = g.changes!.stats.diffs;
    const q0 = performance.now();
    while (g.changes!.stats.diffs === quietFrom) await sleep(50);
    rounds.push({ label: 'a refresh with no changes', events: 0, delayMs: performance.now() - q0, calls: take(), diffMs: g.changes!.stats.lastDiffMs });
    return { size, refreshMs, rounds, objects: g.changes!.stats.objects, machine: `${cpus().length} × ${cpus()[0]?.model ?? '?'}, load ${loadavg().map((x) => x.toFixed(1)).join(' ')} at the end` };
  } finally {
    await g.close();
    reader.close();
    writer.close();
    await sf.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function changesMarkdown(r: ChangesResult): string {
  const ops = (c: ChangesRound['calls']): string => Object.entries(c).map(([k, v]) => `${k} ${v.calls}× ${fmtBytes(v.bytes)}`).join(', ') || '—';
  return [
    '## Change feed (`npm run bench -- --changes`)',
    '',
    `${r.size.units} units, ${r.size.users} users, ${r.size.functions} functions (${r.objects} objects in the feed's baseline); SF1500_HIERARCHY_REFRESH_MS=${r.refreshMs}, polled every 100 ms. Machine: ${r.machine}; the box was shared with other engineers' runs, so times are upper bounds.`,
    'Delay: from the writes (sent straight to the local SF1500 by another client) to their events in `aendringer`. SOAP: what the subgraph called in that span (the refresh scan, and the feed\'s own List calls).',
    '',
    table(['step', 'events', 'delay', 'diff', 'SOAP calls (subgraph)'], r.rounds.map((x) => [x.label, x.events, fmtMs(x.delayMs), fmtMs(x.diffMs), ops(x.calls)])),
    '',
  ].join('\n');
}
