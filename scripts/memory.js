#!/usr/bin/env node
'use strict';
/**
 * The memory figures in README's Limits: `npm start` with the large municipality, as one process
 * (local SF1500 + subgraph), heap after a full GC at each step. Run after a build:
 *   node --expose-gc scripts/memory.js [--db data/large.db] [--refresh]
 * --refresh: a 1 s cache window, and one background refresh of "now" before the pinned load.
 * The database is seeded on first use (a few seconds); later runs start from it.
 */
const { join } = require('node:path');
const root = join(__dirname, '..');
require(join(root, 'node_modules', 'reflect-metadata'));
const pino = require(join(root, 'node_modules', 'pino'));
const { loadConfig } = require(join(root, 'dist', 'src', 'config'));
const { startStack } = require(join(root, 'dist', 'src', 'stack'));

if (typeof global.gc !== 'function') {
  process.stderr.write('run with node --expose-gc scripts/memory.js\n');
  process.exit(2);
}
const args = process.argv.slice(2);
const db = args.includes('--db') ? args[args.indexOf('--db') + 1] : join(root, 'data', 'large.db');
const refresh = args.includes('--refresh');
const MB = (b) => `${Math.round(b / 1e6)} MB`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

(async () => {
  const config = loadConfig({ PORT: '0', SF1500_PORT: '0', SF1500_DB: db, SF1500_SEED: 'large', SF1500_HIERARCHY_CACHE_MS: refresh ? '1000' : '600000', LOG_LEVEL: 'warn' });
  // Timers stop during a long synchronous parse: the kernel's high-water mark is the peak that counts.
  let peak = 0;
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 50);
  const report = (label) => {
    global.gc();
    global.gc();
    const m = process.memoryUsage();
    console.log(`${label}: heap used ${MB(m.heapUsed)}, RSS ${MB(m.rss)}; peak RSS since the last line ${MB(Math.max(peak, m.rss))}, kernel max RSS ${MB(process.resourceUsage().maxRSS * 1024)}`);
    peak = 0;
  };
  const started = Date.now();
  const stack = await startStack(config, pino({ level: 'warn' }));
  console.log(`started in ${Date.now() - started} ms (${stack.sf1500.seeded} objects seeded)`);
  report('started');
  const chart = async (at) => {
    const t = Date.now();
    const arg = at ? `(virkning: { tidspunkt: "${at}" }, registrering: { tidspunkt: "${at}" })` : '';
    const r = await fetch(stack.subgraph.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ soegOrganisationEnheder(first: 1) { nodes { antalUnderenheder${arg} } } }` }) });
    await r.json();
    return Date.now() - t;
  };
  console.log(`first org chart: ${await chart()} ms`);
  report('one snapshot (now)');
  if (refresh) {
    await sleep(1500);
    await chart();
    // The refresh runs in the background; the answer came from the previous snapshot.
    // (`refreshing` is private to HierarchyCache; a plain script may look, and waits for it to end.)
    while (stack.subgraph.hierarchy.refreshing) await sleep(500);
    report('now refreshed');
  }
  // A past instant on both axes is immutable: the snapshot is kept (SF1500_HIERARCHY_PINNED) beside "now".
  console.log(`pinned org chart: ${await chart(new Date(Date.now() - 60_000).toISOString())} ms`);
  report('two snapshots (now and one pinned)');
  clearInterval(sampler);
  await stack.close();
})().catch((e) => {
  process.stderr.write(`${e.stack || e}\n`);
  process.exit(1);
});
