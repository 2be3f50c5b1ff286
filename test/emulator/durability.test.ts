/**
 * Durability of the local SF1500 over real HTTP: a file database survives a restart (and is not seeded
 * twice), and concurrent writes to one object all land as separate registrations, none lost, with reads
 * seeing the newest one straight away. Every request and answer is validated against KOMBIT's XSDs.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { randomUUID } from 'crypto';
import { korsbaekSeed, KORSBAEK } from '../../src/emulator/seed';
import type { Objekt, Registrering } from '../../src/model';
import { Sf1500Client } from '../../src/sf1500/client';
import { invalidMessages, startTestEmulator, type Exchange, type TestEmulator } from '../support/soap';
import { requireOfficialContract } from '../support/xsd';

const contract = requireOfficialContract();
const FAR_PAST = '2000-01-01T00:00:00.000Z';
const UNIT = KORSBAEK.units.borgerservice;
const exchanges: Exchange[] = [];
const v = { fra: '2020-01-01T00:00:00.000Z', til: null };
const newest = (o: Objekt | Registrering[]): Registrering => {
  const regs = Array.isArray(o) ? o : o.registreringer;
  return regs[regs.length - 1];
};

async function history(em: TestEmulator, uuid: string): Promise<Registrering[]> {
  return (await em.client.laes('OrganisationEnhed', uuid, { registrering: { fra: FAR_PAST, til: null }, virkning: { fra: null, til: null } }))!.registreringer;
}

describe('persistence in a file database', () => {
  let dir = '';
  let seedCalls = 0;
  const seed = (): ReturnType<typeof korsbaekSeed> => {
    seedCalls++;
    return korsbaekSeed();
  };
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf1500-durability-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes survive a restart on the same file, and the seed is imported only once', async () => {
    const dbFile = path.join(dir, 'sf1500.db');
    let em = await startTestEmulator({ dbFile, seed });
    let uuid = '';
    try {
      expect(em.sf.seeded).toBeGreaterThan(50);
      expect(seedCalls).toBe(1);
      uuid = await em.client.opret('OrganisationEnhed', {
        egenskaber: [{ virkning: v, values: { BrugervendtNoegleTekst: 'Varig', EnhedNavn: 'Varig' } }],
        tilstande: [{ virkning: v, value: 'Aktiv' }],
        relationer: [{ name: 'Tilhoerer', virkning: v, ref: { uuid: KORSBAEK.organisation } }],
      });
      expect((await em.client.ret('OrganisationEnhed', uuid, { egenskaber: [{ virkning: { fra: '2024-01-01T00:00:00.000Z', til: null }, values: { EnhedNavn: 'Varig 2' } }] }, 'ret')).statusKode).toBe(20);
      expect((await em.client.passiver('OrganisationEnhed', UNIT, 'passiv')).statusKode).toBe(20);
    } finally {
      exchanges.push(...em.exchanges);
      await em.close();
    }

    em = await startTestEmulator({ dbFile, seed });
    try {
      expect(em.sf.seeded).toBe(0);
      expect(seedCalls).toBe(1);
      expect(await em.sf.store.count('Organisation')).toBe(1);
      expect(await em.sf.store.count('OrganisationEnhed')).toBe(KORSBAEK.counts.units + 1);
      // The seeded organisation still has exactly its one registration.
      expect((await em.client.laes('Organisation', KORSBAEK.organisation, { registrering: { fra: FAR_PAST, til: null } }))!.registreringer).toHaveLength(1);
      const h = await history(em, uuid);
      expect(h.map((r) => [r.livscyklus, r.noteTekst ?? null])).toEqual([['Opstaaet', null], ['Opstaaet', 'ret']]);
      expect(newest(h).egenskaber.map((e) => e.values.EnhedNavn)).toEqual(['Varig', 'Varig 2']);
      expect(newest((await em.client.laes('OrganisationEnhed', UNIT))!).livscyklus).toBe('Passiveret');
      expect(await em.client.soeg('OrganisationEnhed', { egenskaber: { EnhedNavn: 'Varig*' } }, { offset: 0, limit: 5 }, { virkning: { fra: null, til: null } })).toEqual([uuid]);
      // And it keeps taking writes.
      expect((await em.client.ret('OrganisationEnhed', uuid, { egenskaber: [] }, 'efter genstart')).statusKode).toBe(20);
      expect(await history(em, uuid)).toHaveLength(3);
    } finally {
      exchanges.push(...em.exchanges);
      await em.close();
    }
  });
});

describe('a seed that fails half-way', () => {
  it('leaves nothing behind: the next start seeds everything once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf1500-seedfail-'));
    try {
      const dbFile = path.join(dir, 'sf1500.db');
      // The seed importer commits in chunks of 5000 objects: the broken object comes after the first chunk.
      const broken = (): ReturnType<typeof korsbaekSeed> => {
        const data = korsbaekSeed();
        const reg = data.objects.find((o) => o.type === 'Adresse')!.objekt.registreringer[0];
        const padding = Array.from({ length: 5000 - data.objects.length }, () => ({ type: 'Adresse' as const, objekt: { uuid: randomUUID(), registreringer: [reg] } }));
        const bad = { type: 'Adresse' as const, objekt: { uuid: randomUUID(), registreringer: [{ ...reg, egenskaber: [{ virkning: { fra: 'i går', til: null }, values: {} }] }] } };
        return { objects: [...data.objects, ...padding, bad] };
      };
      await expect(startTestEmulator({ dbFile, seed: broken })).rejects.toThrow(/virkning/);
      const em = await startTestEmulator({ dbFile, seed: korsbaekSeed });
      try {
        expect(em.sf.seeded).toBe(korsbaekSeed().objects.length);
        expect((await em.client.laes('Organisation', KORSBAEK.organisation, { registrering: { fra: FAR_PAST, til: null } }))!.registreringer).toHaveLength(1);
      } finally {
        exchanges.push(...em.exchanges);
        await em.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('concurrency', () => {
  let em: TestEmulator;
  let client: Sf1500Client;
  beforeAll(async () => {
    em = await startTestEmulator({ seed: korsbaekSeed });
    client = new Sf1500Client({ baseUrl: em.url, retries: 0, maxSockets: 64 });
  });
  afterAll(async () => {
    client?.close();
    exchanges.push(...em.exchanges);
    await em?.close();
  });

  const second = (i: number): string => new Date(Date.UTC(2030, 0, 1, 0, 0, i)).toISOString();

  it('many concurrent Ret calls on one object all land as separate registrations, none lost', async () => {
    const before = (await history(em, UNIT)).length;
    const N = 60;
    const results = await Promise.all(Array.from({ length: N }, (_, i) => client.ret('OrganisationEnhed', UNIT, {
      // Each name for its own second: the merged content does not depend on the order the writes are taken in
      // (on PostgreSQL it need not be the order they arrived in), only on none being lost.
      egenskaber: [{ virkning: { fra: second(i), til: second(i + 1) }, values: { BrugervendtNoegleTekst: 'Borgerservice', EnhedNavn: `Navn ${i}` } }],
    }, `ret ${i}`)));
    expect(results.map((r) => r.statusKode)).toEqual(Array(N).fill(20));
    const h = await history(em, UNIT);
    expect(h).toHaveLength(before + N);
    const notes = h.slice(before).map((r) => r.noteTekst);
    expect(new Set(notes)).toEqual(new Set(Array.from({ length: N }, (_, i) => `ret ${i}`)));
    // Registration times strictly increase, and each registration holds all earlier rows (merges never lost).
    const times = h.map((r) => Date.parse(r.tidspunkt!));
    times.slice(1).forEach((t, i) => expect(t).toBeGreaterThan(times[i]));
    const last = newest(h);
    for (let i = 0; i < N; i++) expect(last.egenskaber.map((e) => e.values.EnhedNavn)).toContain(`Navn ${i}`);
  });

  it('a read right after concurrent writes sees the newest registration', async () => {
    const N = 30;
    await Promise.all(Array.from({ length: N }, (_, i) => client.ret('OrganisationEnhed', UNIT, { egenskaber: [] }, `burst ${i}`)));
    const current = (await em.client.laes('OrganisationEnhed', UNIT))!;
    const h = await history(em, UNIT);
    expect(newest(current).noteTekst).toBe(newest(h).noteTekst);
    expect(newest(current).tidspunkt).toBe(newest(h).tidspunkt);
    // Soeg at "now" searches the newest registration too.
    const res = await client.ret('OrganisationEnhed', UNIT, { egenskaber: [{ virkning: { fra: null, til: null }, values: { BrugervendtNoegleTekst: 'Borgerservice', EnhedNavn: 'Sidst' } }] });
    expect(res.statusKode).toBe(20);
    expect(await em.client.soeg('OrganisationEnhed', { egenskaber: { EnhedNavn: 'Sidst' } }, { offset: 0, limit: 5 })).toEqual([UNIT]);
  });

  it('concurrent importer of one UUID: exactly one 20, the rest 49', async () => {
    const uuid = randomUUID();
    const obj: Objekt = { uuid, registreringer: [{ livscyklus: 'Importeret', egenskaber: [{ virkning: v, values: { BrugervendtNoegleTekst: 'Ny', EnhedNavn: 'Ny' } }], tilstande: [{ virkning: v, value: 'Aktiv' }], relationer: [] }] };
    const codes = (await Promise.all(Array.from({ length: 20 }, () => client.importer('OrganisationEnhed', obj)))).map((r) => r.statusKode);
    expect(codes.filter((c) => c === 20)).toHaveLength(1);
    expect(codes.filter((c) => c === 49)).toHaveLength(19);
    expect(await history(em, uuid)).toHaveLength(1);
  });

  it('concurrent Opret, Ret and Laes on many objects', async () => {
    const created = await Promise.all(Array.from({ length: 40 }, (_, i) => client.opret('OrganisationEnhed', {
      egenskaber: [{ virkning: v, values: { BrugervendtNoegleTekst: `P${i}`, EnhedNavn: `Parallel ${i}` } }], tilstande: [{ virkning: v, value: 'Aktiv' }], relationer: [],
    })));
    expect(new Set(created).size).toBe(40);
    await Promise.all(created.flatMap((u) => [client.ret('OrganisationEnhed', u, { egenskaber: [] }, 'a'), client.laes('OrganisationEnhed', u), client.ret('OrganisationEnhed', u, { egenskaber: [] }, 'b')]));
    for (const u of created) expect(await history(em, u)).toHaveLength(3);
    expect((await client.soeg('OrganisationEnhed', { egenskaber: { EnhedNavn: 'Parallel *' } }, { offset: 0, limit: 100 })).sort()).toEqual([...created].sort());
  });
});

describe('writes in one millisecond (a clock that stands still)', () => {
  // The store registers a write that comes in the same millisecond as the previous one 1 ms later, so the
  // newest registration can start after "now": reads without a registration filter must still see it.
  const FIXED = Date.parse('2026-01-01T00:00:00Z');
  let em: TestEmulator;
  beforeAll(async () => {
    em = await startTestEmulator({ seed: korsbaekSeed, now: () => FIXED });
  });
  afterAll(async () => {
    exchanges.push(...em.exchanges);
    await em?.close();
  });

  it('Laes, List, Soeg and FremsoegObjekthierarki see the newest registration', async () => {
    const uuid = await em.client.opret('OrganisationEnhed', {
      egenskaber: [{ virkning: v, values: { BrugervendtNoegleTekst: 'Ur', EnhedNavn: 'Før' } }], tilstande: [{ virkning: v, value: 'Aktiv' }], relationer: [],
    });
    for (let i = 1; i <= 3; i++) {
      expect((await em.client.ret('OrganisationEnhed', uuid, { egenskaber: [{ virkning: v, values: { BrugervendtNoegleTekst: 'Ur', EnhedNavn: `Efter ${i}` } }] }, `ret ${i}`)).statusKode).toBe(20);
    }
    const h = await history(em, uuid);
    expect(h.map((r) => r.tidspunkt)).toEqual([0, 1, 2, 3].map((i) => new Date(FIXED + i).toISOString()));
    expect(newest((await em.client.laes('OrganisationEnhed', uuid))!).noteTekst).toBe('ret 3');
    expect(newest((await em.client.list('OrganisationEnhed', [uuid]))[0]).noteTekst).toBe('ret 3');
    expect(await em.client.soeg('OrganisationEnhed', { egenskaber: { EnhedNavn: 'Efter 3' } }, { offset: 0, limit: 5 })).toEqual([uuid]);
    expect(await em.client.soeg('OrganisationEnhed', { egenskaber: { EnhedNavn: 'Før' } }, { offset: 0, limit: 5 })).toEqual([]);
    const page = await em.client.fremsoeg({ offset: 0, limit: 500 });
    const mine = page.lists.get('OrganisationEnhed')!.find((o) => o.uuid === uuid)!;
    expect(newest(mine).egenskaber.map((e) => e.values.EnhedNavn)).toEqual(['Efter 3']);
    // Passiver and Ret in the same millisecond: the Ret sees the passivation.
    expect((await em.client.passiver('OrganisationEnhed', uuid)).statusKode).toBe(20);
    expect((await em.client.ret('OrganisationEnhed', uuid, { egenskaber: [] })).statusKode).toBe(49);
    expect(await em.client.soeg('OrganisationEnhed', { egenskaber: { EnhedNavn: 'Efter 3' } }, { offset: 0, limit: 5 })).toEqual([]);
  });
});

(contract ? describe : describe.skip)('wire', () => {
  it('every request and answer of this file validates against the official XSDs', async () => {
    expect(exchanges.length).toBeGreaterThan(200);
    expect(await invalidMessages(exchanges)).toEqual([]);
  });
});
