/**
 * Crash safety of the local SF1500 with a file database: the emulator runs as a child process
 * (`src/emulator/main.ts`), takes concurrent Opret and Ret calls, and is SIGKILLed at a random moment;
 * restarted on the same file it must hold every write it acknowledged (StandardRetur 20) — read back
 * with Laes/List over the whole registration history — and the database must be consistent: SQLite
 * integrity, one open registration per object with an unbroken chain of registration periods, search
 * index rows matching each registration, and Soeg finding each object by its current name.
 * Rounds: 2 in CI, more with STRESS (each round kills the same database again).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { KORSBAEK } from '../../src/emulator/seed/korsbaek';
import type { Registrering } from '../../src/model';
import { Sf1500Client } from '../../src/sf1500/client';
import { emulatorEntry, startChildSf1500, type ChildSf1500 } from '../support/sf1500-child';
import { FUZZ_SEED, Rng, scaledTimeout, sized, STRESS_FACTOR } from '../support/fuzz';

const U = KORSBAEK.units;
const FAR_PAST = '2000-01-01T00:00:00.000Z';
const HISTORY = { registrering: { fra: FAR_PAST, til: null }, virkning: { fra: null, til: null } };
const V = { fra: '2020-01-01T00:00:00.000Z', til: null, aktoerRef: KORSBAEK.systemAktoer, aktoerTypeKode: 'Organisation' as const };
const SEED_UNITS = Object.values(U);

const egenskab = (name: string) => [{ virkning: V, values: { BrugervendtNoegleTekst: name.slice(0, 50), EnhedNavn: name } }];

interface Acked {
  /** Objects created, by UUID: the name given at creation. */
  created: Map<string, string>;
  /** Names written by acknowledged Ret calls, by object. */
  renamed: Map<string, string[]>;
}

/** Writes from `workers` concurrent loops until `stop()`; records only what SF1500 acknowledged. */
function writeLoad(client: Sf1500Client, rng: Rng, round: number, acked: Acked, workers: number): { stop: () => Promise<{ sent: number; ok: number; failed: number }> } {
  let running = true;
  let sent = 0;
  let ok = 0;
  let failed = 0;
  let n = 0;
  const loop = async (w: number): Promise<void> => {
    while (running) {
      const k = n++;
      sent++;
      const created = [...acked.created.keys()];
      const r = rng.next();
      try {
        if (r < 0.45 || created.length === 0) {
          const name = `crash r${round} w${w} #${k}`;
          const uuid = await client.opret('OrganisationEnhed', { egenskaber: egenskab(name), tilstande: [{ virkning: V, value: 'Aktiv' }], relationer: [{ name: 'Overordnet', virkning: V, ref: { uuid: U.kommune } }, { name: 'Tilhoerer', virkning: V, ref: { uuid: KORSBAEK.organisation } }] }, `opret ${k}`);
          acked.created.set(uuid, name);
        } else {
          const target = r < 0.85 ? rng.pick(created) : rng.pick(SEED_UNITS);
          const name = `ret r${round} w${w} #${k}`;
          const res = await client.ret('OrganisationEnhed', target, { egenskaber: egenskab(name) }, `ret ${k}`);
          if (res.statusKode !== 20) throw new Error(`ret answered ${res.statusKode} ${res.fejlbeskedTekst ?? ''}`);
          acked.renamed.set(target, [...(acked.renamed.get(target) ?? []), name]);
        }
        ok++;
      } catch {
        failed++; // in flight when the process died: may or may not have landed, never acknowledged
      }
    }
  };
  const all = Promise.all(Array.from({ length: workers }, (_, w) => loop(w)));
  return {
    stop: async () => {
      running = false;
      await all;
      return { sent, ok, failed };
    },
  };
}

/** Direct SQLite checks on the file while no process has it open. */
function consistency(dbFile: string): string[] {
  const db = new Database(dbFile);
  try {
    const problems: string[] = [];
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') problems.push(`integrity_check: ${String(integrity)}`);
    const fk = db.pragma('foreign_key_check') as unknown[];
    if (fk.length > 0) problems.push(`foreign_key_check: ${JSON.stringify(fk.slice(0, 5))}`);
    const open = db.prepare('SELECT type, uuid, SUM(reg_til IS NULL) AS open FROM registrering GROUP BY type, uuid HAVING open != 1').all();
    if (open.length > 0) problems.push(`objects without exactly one open registration: ${JSON.stringify(open.slice(0, 5))}`);
    const gaps = db.prepare(`SELECT type, uuid, reg_til, nxt FROM (SELECT type, uuid, reg_til, LEAD(reg_fra) OVER (PARTITION BY type, uuid ORDER BY reg_fra, id) AS nxt FROM registrering)
      WHERE (reg_til IS NULL AND nxt IS NOT NULL) OR (reg_til IS NOT NULL AND (nxt IS NULL OR reg_til != nxt))`).all();
    if (gaps.length > 0) problems.push(`broken registration chains: ${JSON.stringify(gaps.slice(0, 5))}`);
    // Index rows written in the same transaction as their registration: counts match the JSON.
    const idx = (table: string): Map<number, number> => new Map((db.prepare(`SELECT reg_id, COUNT(*) AS n FROM ${table} GROUP BY reg_id`).all() as Array<{ reg_id: number; n: number }>).map((x) => [x.reg_id, x.n]));
    const [ea, ta, ra] = [idx('egenskab_idx'), idx('tilstand_idx'), idx('relation_idx')];
    let checked = 0;
    for (const row of db.prepare('SELECT id, data FROM registrering').iterate() as Iterable<{ id: number; data: string }>) {
      const reg = JSON.parse(row.data) as Registrering;
      const attrs = reg.egenskaber.reduce((s, e) => s + Object.values(e.values).reduce((t, v) => t + (Array.isArray(v) ? v.length : v === undefined || v === null ? 0 : 1), 0), 0);
      const want = [attrs, reg.tilstande.length, reg.relationer.length];
      const got = [ea.get(row.id) ?? 0, ta.get(row.id) ?? 0, ra.get(row.id) ?? 0];
      if (want.join() !== got.join()) problems.push(`registration ${row.id}: index rows ${got.join('/')} but the registration has ${want.join('/')}`);
      checked++;
    }
    if (checked === 0) problems.push('no registrations at all');
    return problems.slice(0, 20);
  } finally {
    db.close();
  }
}

describe('SIGKILL of the local SF1500 during concurrent writes', () => {
  let dir = '';
  let dbFile = '';
  let child: ChildSf1500 | undefined;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf1500-crash-'));
    dbFile = path.join(dir, 'sf1500.db');
  });
  afterAll(async () => {
    if (child && child.child.exitCode === null && child.child.signalCode === null) {
      child.child.kill('SIGKILL');
      await child.exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`keeps every acknowledged write and stays consistent over ${sized(2)} kill/restart rounds`, async () => {
    const rng = new Rng(FUZZ_SEED + 3);
    const acked: Acked = { created: new Map(), renamed: new Map() };
    const rounds = sized(2);
    const log: string[] = [`child from ${emulatorEntry().from}`];
    for (let round = 1; round <= rounds; round++) {
      child = await startChildSf1500(dbFile);
      if (round === 1) expect(child.seeded).toBeGreaterThan(50);
      else expect(child.seeded).toBe(0); // the file already holds data: no second seed
      const client = new Sf1500Client({ baseUrl: child.url, retries: 0, timeoutMs: 10_000, breakerThreshold: 1e9 });
      try {
        if (round > 1) await verify(client, acked, rng);
        const load = writeLoad(client, rng, round, acked, 12);
        const killAfter = rng.int(300, 1500);
        await new Promise((r) => setTimeout(r, killAfter));
        child.child.kill('SIGKILL');
        const exit = await child.exited;
        expect(exit.signal).toBe('SIGKILL');
        const stats = await load.stop();
        log.push(`round ${round}: killed after ${killAfter} ms; ${stats.sent} writes sent, ${stats.ok} acknowledged, ${stats.failed} failed (in flight at the kill, or refused after it)`);
        expect(stats.ok).toBeGreaterThan(0);
      } finally {
        client.close();
      }
      expect(consistency(dbFile)).toEqual([]);
    }

    // Final restart: everything acknowledged in every round is there.
    child = await startChildSf1500(dbFile);
    const client = new Sf1500Client({ baseUrl: child.url, retries: 0, timeoutMs: 10_000 });
    try {
      const checked = await verify(client, acked, rng);
      log.push(`verified after the last restart: ${acked.created.size} created objects, ${[...acked.renamed.values()].reduce((s, v) => s + v.length, 0)} acknowledged Ret calls on ${acked.renamed.size} objects, ${checked} Soeg checks`);
    } finally {
      client.close();
      child.child.kill('SIGTERM');
      await child.exited;
    }
    expect(consistency(dbFile)).toEqual([]);
    console.log(`crash test (STRESS factor ${STRESS_FACTOR}):\n  ${log.join('\n  ')}`);
  }, scaledTimeout(90_000));
});

/** Reads back every acknowledged write; returns the number of Soeg checks. */
async function verify(client: Sf1500Client, acked: Acked, rng: Rng): Promise<number> {
  const uuids = [...new Set([...acked.created.keys(), ...acked.renamed.keys()])];
  const missing: string[] = [];
  const current = new Map<string, string>();
  for (let i = 0; i < uuids.length; i += 200) {
    const batch = uuids.slice(i, i + 200);
    const found = new Map((await client.list('OrganisationEnhed', batch, HISTORY)).map((o) => [o.uuid, o]));
    for (const uuid of batch) {
      const o = found.get(uuid);
      if (!o) {
        missing.push(`${uuid}: object missing`);
        continue;
      }
      const names = new Set(o.registreringer.flatMap((r) => r.egenskaber.map((e) => e.values.EnhedNavn)).flat());
      const createdAs = acked.created.get(uuid);
      if (createdAs && !names.has(createdAs)) missing.push(`${uuid}: created as '${createdAs}', not in its history`);
      for (const n of acked.renamed.get(uuid) ?? []) if (!names.has(n)) missing.push(`${uuid}: acknowledged Ret '${n}' not in its history`);
      const newest = o.registreringer[o.registreringer.length - 1];
      const name = newest.egenskaber.find((e) => e.virkning.til === null && typeof e.values.EnhedNavn === 'string')?.values.EnhedNavn;
      if (typeof name === 'string') current.set(uuid, name);
    }
  }
  expect(missing.slice(0, 10)).toEqual([]);
  // The search index agrees with the data: Soeg by the current name finds the object.
  const sample = [...current].filter(() => rng.chance(Math.min(1, 100 / Math.max(1, current.size))));
  const wrong: string[] = [];
  for (const [uuid, name] of sample) {
    const hits = await client.soeg('OrganisationEnhed', { egenskaber: { EnhedNavn: name } }, { offset: 0, limit: 10 });
    if (!hits.includes(uuid)) wrong.push(`${uuid}: Soeg '${name}' → ${hits.join(',')}`);
  }
  expect(wrong.slice(0, 10)).toEqual([]);
  return sample.length;
}
