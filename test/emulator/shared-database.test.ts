import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KORSBAEK } from '../../src/emulator/seed';
import { Sf1500Client } from '../../src/sf1500/client';
import { freshDatabase, onPostgres } from '../support/pg';
import { startChildSf1500, type ChildSf1500 } from '../support/sf1500-child';

/**
 * Two local SF1500 processes on one database (PostgreSQL in the "postgres" project, one SQLite file in
 * the other) take concurrent `ret`s on one object: every one lands as its own registration and none is
 * lost from the merged content, because writes to one object are serialised across processes.
 */

const UNIT = KORSBAEK.units.borgerservice;
const PER_PROCESS = 20;
const FAR_PAST = '2000-01-01T00:00:00.000Z';
const day = (i: number): string => new Date(Date.UTC(2030, 0, 1 + i)).toISOString();

describe(`two emulator processes on one ${onPostgres() ? 'PostgreSQL database' : 'SQLite file'}`, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf1500-shared-'));
  const children: ChildSf1500[] = [];
  const clients: Sf1500Client[] = [];

  beforeAll(async () => {
    const db = onPostgres() ? await freshDatabase() : path.join(dir, 'shared.db');
    // One after the other: the second finds the first one's seed and seeds nothing.
    children.push(await startChildSf1500(db));
    children.push(await startChildSf1500(db));
    for (const c of children) clients.push(new Sf1500Client({ baseUrl: c.url, retries: 0 }));
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    for (const c of children) {
      c.child.kill('SIGTERM');
      await c.exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the second process sees the first one\'s seed and does not seed again', () => {
    expect(children[0].seeded).toBeGreaterThan(50);
    expect(children[1].seeded).toBe(0);
  });

  it(`${2 * PER_PROCESS} concurrent rets on one unit, half through each process: none lost`, async () => {
    const history = async (c: Sf1500Client) =>
      (await c.laes('OrganisationEnhed', UNIT, { registrering: { fra: FAR_PAST, til: null }, virkning: { fra: null, til: null } }))!.registreringer;
    const before = (await history(clients[0])).length;
    // Each ret names the unit for its own day in 2030: a lost update would drop another ret's day.
    const names: string[] = [];
    const rets = Array.from({ length: 2 * PER_PROCESS }, (_, i) => {
      const name = `Samtidig ${i}`;
      names.push(name);
      const virkning = { fra: day(i), til: day(i + 1) };
      return clients[i % 2].ret('OrganisationEnhed', UNIT, { egenskaber: [{ virkning, values: { EnhedNavn: name } }] }, `ret ${i}`);
    });
    const results = await Promise.all(rets);
    expect(results.map((r) => r.statusKode)).toEqual(results.map(() => 20));

    for (const c of clients) {
      const regs = await history(c);
      expect(regs).toHaveLength(before + 2 * PER_PROCESS);
      // Every registration's Tidspunkt is distinct and increasing: one after the other.
      const times = regs.map((r) => Date.parse(r.tidspunkt!));
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      expect(new Set(times).size).toBe(times.length);
      const newest = regs[regs.length - 1];
      const seen = new Set(newest.egenskaber.map((e) => e.values.EnhedNavn));
      expect(names.filter((n) => !seen.has(n))).toEqual([]);
      expect(new Set(regs.slice(before).map((r) => r.noteTekst))).toEqual(new Set(names.map((_, i) => `ret ${i}`)));
    }
  });
});
