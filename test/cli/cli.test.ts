/**
 * The `sf1500` CLI, run in-process through runCli (and once as a child process when dist is built):
 * seeding a database file, JSON export/import round trips (database and SOAP), the SOAP export of a
 * running local SF1500 against the database export, the units CSV, bulk edits from a CSV, and the
 * command line's errors and exit codes. The CLI's SOAP requests are validated against KOMBIT's XSDs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSf1500, type RunningSf1500 } from '../../src/emulator';
import { KORSBAEK, korsbaekSeed } from '../../src/emulator/seed';
import { HIERARCHY_LISTS, type ObjectTypeName, type Registrering } from '../../src/model';
import { Sf1500Client } from '../../src/sf1500/client';
import { runCli } from '../../src/cli/main';
import { csvField, parseCsv } from '../../src/cli/csv';
import { ExportScanner, joinWireSlices, sliceForWire, type ExportObject } from '../../src/cli/format';
import { invalidMessages, type Exchange } from '../support/soap';
import { requireOfficialContract } from '../support/xsd';

const contract = requireOfficialContract();
const dir = mkdtempSync(join(tmpdir(), 'sf1500-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const tmp = (name: string): string => join(dir, name);

interface Run { code: number; out: string; err: string }

async function cli(...args: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => { out += t; }, err: (t) => { err += t; }, env: {} });
  return { code, out, err };
}

async function ok(...args: string[]): Promise<Run> {
  const r = await cli(...args);
  if (r.code !== 0) throw new Error(`sf1500 ${args.join(' ')} exited ${r.code}:\n${r.err}`);
  return r;
}

interface ExportFile { format: string; version: number; exportedAt: string; source: unknown; objects: ExportObject[] }
const readExportFile = (file: string): ExportFile => JSON.parse(readFileSync(file, 'utf8')) as ExportFile;

/** A registration with its rows in a canonical order (the wire orders relations by the XSD sequence). */
function canonical(r: Registrering): Registrering {
  const sort = <T>(rows: T[]): T[] => [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  return { ...r, egenskaber: sort(r.egenskaber), tilstande: sort(r.tilstande), relationer: sort(r.relationer) };
}

const HIERARCHY = new Set<string>(HIERARCHY_LISTS.map((l) => l.type));
const ORG = KORSBAEK.organisation;

describe('seed, export and import with database files', () => {
  const db = tmp('gen.db');
  const json = tmp('gen.json');

  it('seeds a generated municipality with progress lines, and refuses to seed it again without --force', async () => {
    const r = await ok('seed', '--db', db, '--units', '40', '--users', '600', '--functions', '700', '--seed', '7');
    expect(r.err).toMatch(/^seed: 5,000 objects of [\d,]+ \(\d+\.\d%\), [\d,]+ objects\/s/m);
    expect(r.err).toMatch(/seeded .* and KLE: [\d,]+ objects/);

    const again = await cli('seed', '--db', db, '--korsbaek');
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/^sf1500 seed: database .* already holds [\d,]+ objects; use --force to replace it\n$/);

    const quiet = await ok('seed', '--db', tmp('korsbaek-quiet.db'), '--korsbaek', '--quiet');
    expect(quiet.err).toBe('');
  });

  it('--force replaces the database', async () => {
    const other = tmp('force.db');
    await ok('seed', '--db', other, '--korsbaek', '-q');
    await ok('seed', '--db', other, '--units', '5', '--users', '3', '--force', '-q');
    await ok('export', '--db', other, '--out', tmp('force.json'), '-q');
    const units = readExportFile(tmp('force.json')).objects.filter((o) => o.type === 'OrganisationEnhed');
    expect(units).toHaveLength(5);
    expect(units.map((u) => u.uuid)).not.toContain(KORSBAEK.rootUnit);
  });

  it('export → import into a fresh database → export gives the same objects and registrations', async () => {
    const r = await ok('export', '--db', db, '--out', json);
    expect(r.err).toMatch(/^export: 5,000 objects of [\d,]+ \(\d+\.\d%\)/m);
    expect(existsSync(`${json}.partial`)).toBe(false);
    const first = readExportFile(json);
    expect(first).toMatchObject({ format: 'sf1500-export', version: 1 });
    expect(Date.parse(first.exportedAt)).not.toBeNaN();
    // One object per line after the header line.
    expect(readFileSync(json, 'utf8').split('\n')[1]).toMatch(/^\{"type":"Klasse","uuid":/);
    const types = new Set(first.objects.map((o) => o.type));
    for (const t of ['Klasse', 'Organisation', 'OrganisationEnhed', 'OrganisationFunktion', 'Bruger', 'Person', 'Adresse', 'Virksomhed', 'Myndighed']) expect(types).toContain(t);
    // The generated municipality's rename and move are registration history.
    expect(first.objects.filter((o) => o.registreringer.length > 1).length).toBeGreaterThanOrEqual(2);

    const copy = tmp('gen-copy.db');
    const imp = await ok('import', '--db', copy, '--in', json);
    expect(imp.err).toMatch(/^import: 5,000 objects \(\d+\.\d%\), [\d,]+ objects\/s/m);
    expect(imp.err).toContain(`imported ${first.objects.length.toLocaleString('en-US')} objects`);
    await ok('export', '--db', copy, '--out', tmp('gen-copy.json'), '-q');
    const second = readExportFile(tmp('gen-copy.json'));
    expect(second.objects).toEqual(first.objects);

    // Importing again skips every object (counted), changes nothing.
    const again = await ok('import', '--db', copy, '--in', json);
    expect(again.err).toContain(`imported 0 objects (0 registrations) into ${copy}`);
    expect(again.err).toContain(`${first.objects.length.toLocaleString('en-US')} already existed and were skipped`);
  });

  it('an object that does not fit the model is reported with its UUID; the others are imported', async () => {
    const bad = tmp('bad.json');
    const objs = readExportFile(json).objects.filter((o) => o.type === 'Virksomhed' || o.type === 'Myndighed');
    const broken = { ...objs[0], registreringer: [{ ...objs[0].registreringer[0], egenskaber: [{ virkning: { fra: null, til: null }, values: { Farve: 'blå' } }] }] };
    writeFileSync(bad, `${JSON.stringify({ format: 'sf1500-export', version: 1, exportedAt: new Date().toISOString(), objects: [broken, ...objs.slice(1)] }, null, 2)}\n`);
    const r = await cli('import', '--db', tmp('bad.db'), '--in', bad, '-q');
    expect(r.code).toBe(1);
    expect(r.err).toContain(`import: failed ${broken.type} ${broken.uuid}: registreringer[0].egenskaber[0]: ${broken.type} has no attribute Farve`);
    expect(r.err).toMatch(/sf1500 import: 1 of \d+ objects failed to import\n$/);
    await ok('export', '--db', tmp('bad.db'), '--out', tmp('bad-out.json'), '-q');
    expect(readExportFile(tmp('bad-out.json')).objects).toHaveLength(objs.length - 1);
  });

  it('a truncated or foreign file is refused with one line', async () => {
    const text = readFileSync(json, 'utf8');
    writeFileSync(tmp('cut.json'), text.slice(0, Math.floor(text.length / 2)));
    const cut = await cli('import', '--db', tmp('cut.db'), '--in', tmp('cut.json'), '-q');
    expect(cut.code).toBe(1);
    expect(cut.err).toMatch(/^sf1500 import: unexpected end of file \(truncated export\?\) \(line \d+\)\n$/);

    writeFileSync(tmp('other.json'), JSON.stringify({ format: 'something-else', objects: [] }));
    const other = await cli('import', '--db', tmp('other.db'), '--in', tmp('other.json'));
    expect(other).toMatchObject({ code: 1, err: 'sf1500 import: not an sf1500 export (format is "something-else", expected "sf1500-export") (line 1)\n' });

    writeFileSync(tmp('notdb.db'), 'hello');
    const notDb = await cli('export', '--db', tmp('notdb.db'), '--out', tmp('x.json'));
    expect(notDb.code).toBe(1);
    expect(notDb.err).toMatch(/^sf1500 export: .*notdb\.db is not a local SF1500 database/);

    const missing = await cli('export', '--db', tmp('missing.db'), '--out', tmp('x.json'));
    expect(missing).toMatchObject({ code: 1, err: `sf1500 export: database ${tmp('missing.db')} does not exist\n` });
    expect(existsSync(tmp('missing.db'))).toBe(false);
  });
});

describe('over SOAP against a running local SF1500 (Korsbæk)', () => {
  const db = tmp('korsbaek.db');
  let sf: RunningSf1500;
  let client: Sf1500Client;
  const exchanges: Exchange[] = [];

  beforeAll(async () => {
    await ok('seed', '--db', db, '--korsbaek', '-q');
    sf = await startSf1500({ dbFile: db, http: { onExchange: (x) => exchanges.push(x) } });
    client = new Sf1500Client({ baseUrl: sf.url, retries: 0 });
  });
  afterAll(async () => {
    client?.close();
    await sf?.close();
  });

  it('the SOAP export has the content of the database export for the hierarchy types, with full history', async () => {
    const soap = await ok('export', '--url', sf.url, '--out', tmp('soap.json'));
    expect(soap.err).toContain('FremsoegObjekthierarki');
    await ok('export', '--db', db, '--out', tmp('db.json'), '-q');
    const fromSoap = readExportFile(tmp('soap.json'));
    const fromDb = readExportFile(tmp('db.json'));
    expect(fromSoap.source).toEqual({ url: sf.url });

    const pick = (f: ExportFile, hierarchy: boolean): ExportObject[] => f.objects
      .filter((o) => HIERARCHY.has(o.type) === hierarchy)
      .map((o) => ({ ...o, registreringer: o.registreringer.map(canonical) }));
    const hier = pick(fromDb, true);
    expect(hier.length).toBe(1 + KORSBAEK.counts.units + KORSBAEK.counts.functions + KORSBAEK.counts.users);
    expect(pick(fromSoap, true)).toEqual(hier);
    // The other types (found by Soeg) too, on this untouched database.
    expect(pick(fromSoap, false)).toEqual(pick(fromDb, false));

    // The moved unit comes over the wire as three Registrering elements and is joined back into two registrations.
    const moved = fromSoap.objects.find((o) => o.uuid === KORSBAEK.moved.unit)!;
    expect(moved.registreringer).toHaveLength(2);
    expect(moved.registreringer[1].relationer.filter((r) => r.name === 'Overordnet').map((r) => r.ref.uuid).sort())
      .toEqual([KORSBAEK.moved.oldParent, KORSBAEK.moved.newParent].sort());
    const renamed = fromSoap.objects.find((o) => o.uuid === KORSBAEK.renamed.unit)!;
    expect(renamed.registreringer.map((r) => r.tidspunkt)).toEqual([KORSBAEK.renamed.firstRegistreret, KORSBAEK.renamed.registreret]);
  });

  it('imports an export over SOAP with Importer, then skips every object as existing', async () => {
    const target = await startSf1500({ dbFile: ':memory:' });
    const seen: Exchange[] = [];
    const recording = await startSf1500({ dbFile: ':memory:', http: { onExchange: (x) => seen.push(x) } });
    try {
      // Korsbæk with the first 200 classes (all 4,000 KLE classes take 10 s over SOAP).
      const all = readExportFile(tmp('db.json'));
      const objects = [...all.objects.filter((o) => o.type === 'Klasse').slice(0, 200), ...all.objects.filter((o) => o.type !== 'Klasse')];
      writeFileSync(tmp('some.json'), JSON.stringify({ ...all, objects }));
      const total = objects.length;
      const r = await ok('import', '--url', target.url, '--in', tmp('some.json'));
      expect(r.err).toContain(`imported ${total.toLocaleString('en-US')} objects (${total.toLocaleString('en-US')} registrations) into ${target.url}`);
      expect(await target.store.count('Klasse')).toBe(200);
      for (const t of ['OrganisationEnhed', 'OrganisationFunktion', 'Bruger', 'Person', 'Adresse'] as ObjectTypeName[]) expect(await target.store.count(t)).toBe(await sf.store.count(t));
      // The moved unit's newest registration (two Overordnet rows) went as two virkning slices and was joined.
      const moved = (await target.store.get('OrganisationEnhed', KORSBAEK.moved.unit))!;
      expect(moved.registreringer).toHaveLength(1);
      expect(moved.registreringer[0].registrering.livscyklus).toBe('Importeret');
      expect(canonical(moved.registreringer[0].registrering).relationer)
        .toEqual(canonical((await sf.store.get('OrganisationEnhed', KORSBAEK.moved.unit))!.registreringer[1].registrering).relationer);

      const again = await ok('import', '--url', target.url, '--in', tmp('some.json'), '--concurrency', '4');
      expect(again.err).toContain(`imported 0 objects (0 registrations) into ${target.url}`);
      expect(again.err).toContain(`${total.toLocaleString('en-US')} already existed and were skipped`);

      // A few objects into a recording SF1500, for the XSD check below.
      const few = readExportFile(tmp('db.json'));
      const keep = new Set<string>([KORSBAEK.moved.unit, KORSBAEK.renamed.unit, ORG, KORSBAEK.virksomhed, KORSBAEK.myndighed]);
      writeFileSync(tmp('few.json'), JSON.stringify({ ...few, objects: few.objects.filter((o) => keep.has(o.uuid)) }));
      await ok('import', '--url', recording.url, '--in', tmp('few.json'), '-q');
    } finally {
      await target.close();
      await recording.close();
    }
    if (contract) {
      const bad = await invalidMessages(seen.map((x) => ({ ...x, response: '<soap:Fault xmlns:soap="http://www.w3.org/2003/05/soap-envelope"/>' })));
      expect(bad).toEqual([]);
    }
  });

  it('exports the units as CSV: 20 units, parents, RFC 4180 quoting, BOM and CRLF; the same from the DB and over SOAP', async () => {
    await ok('export-csv', '--db', db, '--out', tmp('units-db.csv'));
    await ok('export-csv', '--url', sf.url, '--out', tmp('units-soap.csv'));
    const text = readFileSync(tmp('units-db.csv'), 'utf8');
    expect(readFileSync(tmp('units-soap.csv'), 'utf8')).toBe(text);
    expect(text.startsWith('\uFEFFuuid,navn,brugervendtNoegle,overordnet_uuid,overordnet_navn,enhedstype,gyldighed\r\n')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(text).toContain(',"Sundhed, Udvikling, Service og Økonomi","Sundhed, Udvikling, Service og Økonomi",');

    const { rows } = parseCsv(text);
    const data = rows.slice(1).map((r) => r.fields);
    expect(data).toHaveLength(20);
    expect(data.every((f) => f.length === 7)).toBe(true);
    expect(data[0]).toEqual([KORSBAEK.rootUnit, 'Korsbæk Kommune', 'Korsbæk Kommune', '', '', 'Afdeling', 'Aktiv']);
    // Parents as in the seed, now: the moved unit under its new parent, the renamed unit with its new name.
    const seedUnits = korsbaekSeed().objects.filter((o) => o.type === 'OrganisationEnhed');
    const now = Date.now();
    const parentNow = (regs: Registrering[]): string | undefined => regs[regs.length - 1].relationer
      .find((r) => r.name === 'Overordnet' && (r.virkning.fra === null || Date.parse(r.virkning.fra) <= now) && (r.virkning.til === null || Date.parse(r.virkning.til) > now))?.ref.uuid;
    const byUuid = new Map(data.map((f) => [f[0], f]));
    for (const u of seedUnits) expect(byUuid.get(u.objekt.uuid)?.[3]).toBe(parentNow(u.objekt.registreringer) ?? '');
    for (const f of data) if (f[3]) expect(f[4]).toBe(byUuid.get(f[3])![1]);
    expect(byUuid.get(KORSBAEK.moved.unit)![3]).toBe(KORSBAEK.moved.newParent);
    expect(byUuid.get(KORSBAEK.renamed.unit)![1]).toBe(KORSBAEK.renamed.newName);
    expect(new Set(data.map((f) => f[5]))).toEqual(new Set(['Afdeling', 'Team']));
    // Tree order: every unit after its parent.
    const pos = new Map(data.map((f, i) => [f[0], i]));
    for (const f of data) if (f[3]) expect(pos.get(f[3])!).toBeLessThan(pos.get(f[0])!);

    // At a past virkning: the old name and the old parent.
    await ok('export-csv', '--db', db, '--out', tmp('units-2018.csv'), '--virkning', '2018-06-01', '--separator', ';', '-q');
    const past = parseCsv(readFileSync(tmp('units-2018.csv'), 'utf8'));
    expect(past.sep).toBe(';');
    const pastBy = new Map(past.rows.slice(1).map((r) => [r.fields[0], r.fields]));
    expect(pastBy.get(KORSBAEK.renamed.unit)![1]).toBe(KORSBAEK.renamed.oldName);
    expect(pastBy.get(KORSBAEK.moved.unit)![3]).toBe(KORSBAEK.moved.oldParent);
  });

  it('import-csv renames a unit: a new registration with the new name from now on, the old one kept', async () => {
    const unit = KORSBAEK.units.kontaktcenteret;
    const before = (await client.laes('OrganisationEnhed', unit, { registrering: { fra: null, til: null } }))!;
    const csv = readFileSync(tmp('units-soap.csv'), 'utf8').replace(`${unit},Kontaktcenteret,`, `${unit},"Kontaktcenteret ""Nord"", Borgerservice",`);
    writeFileSync(tmp('edit.csv'), csv);

    const dry = await ok('import-csv', '--url', sf.url, '--in', tmp('edit.csv'), '--organisation', ORG, '--dry-run');
    expect(dry.out).toBe(`rename ${unit} "Kontaktcenteret" -> "Kontaktcenteret "Nord", Borgerservice"\n`);
    expect(dry.err).toContain('(dry run, nothing changed): 0 created, 1 updated, 19 unchanged, 0 failed');
    expect((await client.laes('OrganisationEnhed', unit, { registrering: { fra: null, til: null } }))!.registreringer).toHaveLength(before.registreringer.length);

    const t0 = Date.now();
    const r = await ok('import-csv', '--url', sf.url, '--in', tmp('edit.csv'), '--organisation', ORG);
    expect(r.err).toContain('import-csv: 0 created, 1 updated, 19 unchanged, 0 failed');
    const after = (await client.laes('OrganisationEnhed', unit, { registrering: { fra: null, til: null }, virkning: { fra: null, til: null } }))!;
    const regs = joinWireSlices(after.registreringer);
    expect(regs).toHaveLength(before.registreringer.length + 1);
    expect(canonical(regs[0])).toEqual(canonical(before.registreringer[0]));
    const newest = regs[regs.length - 1];
    const names = newest.egenskaber.map((e) => [e.values.EnhedNavn, e.values.BrugervendtNoegleTekst, e.virkning.til === null]);
    expect(names).toEqual([['Kontaktcenteret', 'Kontaktcenteret', false], ['Kontaktcenteret "Nord", Borgerservice', 'Kontaktcenteret', true]]);
    expect(Date.parse(newest.egenskaber[1].virkning.fra!)).toBeGreaterThanOrEqual(t0 - 1000);

    await ok('export-csv', '--url', sf.url, '--out', tmp('units-after.csv'), '-q');
    expect(readFileSync(tmp('units-after.csv'), 'utf8')).toContain(`${unit},"Kontaktcenteret ""Nord"", Borgerservice",Kontaktcenteret,`);
    // Running the same CSV again changes nothing.
    expect((await ok('import-csv', '--url', sf.url, '--in', tmp('edit.csv'), '--organisation', ORG)).err).toContain('0 created, 0 updated, 20 unchanged, 0 failed');
  });

  it('import-csv creates new units and moves units; it refuses a CSV with problems and changes nothing', async () => {
    const rows = parseCsv(readFileSync(tmp('units-after.csv'), 'utf8')).rows.map((r) => r.fields);
    const created = '6f1c2a52-0a9e-4c1e-9d55-3b1f3f9a0001';
    const edit = [...rows,
      [created, 'Ny afdeling, øst', 'NY-OEST', KORSBAEK.rootUnit, '', 'Afdeling', 'Aktiv'],
      ['', 'Nyt team', '', created, '', 'Team', ''],
    ].map((f) => (f[0] === KORSBAEK.units.sygNord ? [f[0], f[1], f[2], created, ...f.slice(4)] : f));
    writeFileSync(tmp('create.csv'), `\uFEFF${edit.map((f) => f.map((x) => csvField(x)).join(',')).join('\r\n')}\r\n`);
    const r = await ok('import-csv', '--url', sf.url, '--in', tmp('create.csv'), '--organisation', ORG);
    expect(r.err).toContain('import-csv: 2 created, 1 updated, 19 unchanged, 0 failed');
    await ok('export-csv', '--url', sf.url, '--out', tmp('units-created.csv'), '-q');
    const now = parseCsv(readFileSync(tmp('units-created.csv'), 'utf8')).rows.slice(1).map((x) => x.fields);
    expect(now).toHaveLength(22);
    expect(now.find((f) => f[0] === created)).toEqual([created, 'Ny afdeling, øst', 'NY-OEST', KORSBAEK.rootUnit, 'Korsbæk Kommune', 'Afdeling', 'Aktiv']);
    expect(now.find((f) => f[1] === 'Nyt team')!.slice(2)).toEqual(['Nyt team', created, 'Ny afdeling, øst', 'Team', 'Aktiv']);
    expect(now.find((f) => f[0] === KORSBAEK.units.sygNord)![3]).toBe(created);

    // A cycle (the root under one of its descendants) and a bad UUID: nothing is changed.
    const cyc = now.map((f) => (f[0] === KORSBAEK.rootUnit ? [f[0], f[1], f[2], created, ...f.slice(4)] : f));
    cyc.push(['not-a-uuid', 'X', '', KORSBAEK.rootUnit, '', '', '']);
    writeFileSync(tmp('cycle.csv'), `uuid,navn,brugervendtNoegle,overordnet_uuid,overordnet_navn,enhedstype,gyldighed\n${cyc.map((f) => f.map((x) => csvField(x)).join(',')).join('\n')}\n`);
    const bad = await cli('import-csv', '--url', sf.url, '--in', tmp('cycle.csv'), '--organisation', ORG);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("import-csv: " + tmp('cycle.csv') + ", line 24: uuid 'not-a-uuid' is not a UUID");
    expect(bad.err).toMatch(/sf1500 import-csv: .*cycle\.csv has 1 problem \(listed above\); nothing was changed\n$/);
    cyc.pop();
    writeFileSync(tmp('cycle.csv'), `uuid,navn,overordnet_uuid\n${cyc.map((f) => [f[0], f[1], f[3]].map((x) => csvField(x)).join(',')).join('\n')}\n`);
    const cycle = await cli('import-csv', '--url', sf.url, '--in', tmp('cycle.csv'), '--organisation', ORG);
    expect(cycle.code).toBe(1);
    expect(cycle.err).toContain(`moving ${KORSBAEK.rootUnit} under ${created} makes a cycle`);
    await ok('export-csv', '--url', sf.url, '--out', tmp('units-unchanged.csv'), '-q');
    expect(readFileSync(tmp('units-unchanged.csv'), 'utf8')).toBe(readFileSync(tmp('units-created.csv'), 'utf8'));
  });

  it("the CLI's SOAP requests are valid against KOMBIT's XSDs", async () => {
    if (!contract) return;
    const requests = exchanges.map((x) => ({ ...x, response: '<soap:Fault xmlns:soap="http://www.w3.org/2003/05/soap-envelope"/>' }));
    expect(requests.length).toBeGreaterThan(10);
    expect(await invalidMessages(requests)).toEqual([]);
  });
});

describe('command line', () => {
  it('prints usage with --help (exit 0) and fails bad command lines with one line and exit code 2', async () => {
    const help = await cli('--help');
    expect(help).toMatchObject({ code: 0, err: '' });
    expect(help.out).toContain('Usage: sf1500 <command> [options]');
    for (const c of ['seed', 'export', 'import', 'export-csv', 'import-csv']) {
      const h = await cli(c, '--help');
      expect(h.code).toBe(0);
      expect(h.out).toContain(`Usage: sf1500 ${c} `);
      expect((await cli('help', c)).out).toBe(h.out);
    }
    const cases: Array<[string[], string]> = [
      [[], 'Usage: sf1500 <command>'],
      [['frobnicate'], "sf1500: unknown command 'frobnicate' (see sf1500 --help)\n"],
      [['export', '--db', 'x.db'], 'sf1500 export: missing --out <file.json> (see sf1500 export --help)\n'],
      [['export', '--out', 'x.json'], 'sf1500 export: missing --db <file> or --url <SF1500 base URL> (see sf1500 export --help)\n'],
      [['export', '--db', 'x.db', '--url', 'http://localhost:1', '--out', 'x.json'], 'sf1500 export: give either --db or --url, not both (see sf1500 export --help)\n'],
      [['export', '--url', 'ftp://x', '--out', 'x.json'], "sf1500 export: --url must be an http(s) URL, got 'ftp://x' (see sf1500 export --help)\n"],
      [['export', '--db', 'x.db', '--out', 'x.json', '--colour'], "sf1500 export: unknown option '--colour' (see sf1500 export --help)\n"],
      [['export', '--db', 'x.db', '--out'], "sf1500 export: option '--out <value>' argument missing (see sf1500 export --help)\n"],
      [['export', '--db', 'x.db', '--out', 'x.json', 'extra'], "sf1500 export: unexpected argument 'extra' (see sf1500 export --help)\n"],
      [['seed', '--db', 'x.db', '--units', 'many'], "sf1500 seed: --units must be an integer from 1 to 1000000, got 'many' (see sf1500 seed --help)\n"],
      [['seed', '--units', '5'], 'sf1500 seed: missing --db <file> (see sf1500 seed --help)\n'],
      [['seed', '--db', 'x.db', '--korsbaek', '--users', '5'], 'sf1500 seed: --korsbaek cannot be combined with --users (see sf1500 seed --help)\n'],
      [['import', '--db', 'x.db'], 'sf1500 import: missing --in <file.json> (see sf1500 import --help)\n'],
      [['import', '--db', 'x.db', '--in', 'x.json', '--concurrency', '4'], 'sf1500 import: --concurrency applies to --url only (see sf1500 import --help)\n'],
      [['export-csv', '--db', 'x.db', '--out', 'u.csv', '--virkning', 'yesterday'], "sf1500 export-csv: --virkning must be an ISO 8601 date or date-time (e.g. 2024-01-01 or 2024-01-01T12:00:00+01:00), got 'yesterday' (see sf1500 export-csv --help)\n"],
      [['import-csv', '--url', 'http://localhost:1', '--in', 'u.csv', '--organisation', 'korsbaek'], "sf1500 import-csv: --organisation must be a UUID, got 'korsbaek' (see sf1500 import-csv --help)\n"],
      [['import-csv', '--db', 'x.db', '--in', 'u.csv', '--organisation', ORG], 'sf1500 import-csv: import-csv works over SOAP only: give --url (see sf1500 import-csv --help)\n'],
    ];
    for (const [args, err] of cases) {
      const r = await cli(...args);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      if (args.length === 0) expect(r.err).toContain(err);
      else expect(r.err).toBe(err);
    }
    expect(existsSync('x.db')).toBe(false);
  });

  it('an unreachable SF1500 is a failure (exit code 1) with one line', async () => {
    const r = await cli('export-csv', '--url', 'http://127.0.0.1:9', '--out', tmp('never.csv'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^sf1500 export-csv: SF1500 organisationsystem\.fremsoegobjekthierarki: .+\n$/);
    expect(existsSync(tmp('never.csv'))).toBe(false);
  });

  const built = resolve(__dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');
  (existsSync(built) ? it : it.skip)('runs as a child process from dist (npm run build)', () => {
    const help = spawnSync(process.execPath, [built, 'export', '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: sf1500 export ');
    expect(readFileSync(built, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const bad = spawnSync(process.execPath, [built, 'export', '--db', tmp('x.db')], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('sf1500 export: missing --out <file.json> (see sf1500 export --help)\n');
  });
});

describe('formats', () => {
  it('CSV: RFC 4180 quoting and parsing (quotes, separators, line breaks, BOM, ; files)', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvField('a;b')).toBe('a;b');
    expect(csvField('a;b', ';')).toBe('"a;b"');
    const { sep, rows } = parseCsv('\uFEFFa,b,c\r\n"x, y","say ""hi""","two\r\nlines"\r\n,,\r\nlast,"",z');
    expect(sep).toBe(',');
    expect(rows).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['x, y', 'say "hi"', 'two\r\nlines'] },
      { line: 4, fields: ['', '', ''] },
      { line: 5, fields: ['last', '', 'z'] },
    ]);
    expect(parseCsv('uuid;navn\n1;"a;b"\n').rows[1].fields).toEqual(['1', 'a;b']);
    expect(() => parseCsv('a,b\n"open,b\n')).toThrow('CSV line 2: a quoted field is not closed');
  });

  it('the export reader splits objects in any layout and across chunk boundaries', () => {
    const objs = [{ type: 'Klasse', uuid: 'x', registreringer: [{ a: '}]"\\"{' }] }, { type: 'Person', uuid: 'y', registreringer: [] }];
    const text = JSON.stringify({ format: 'sf1500-export', version: 1, exportedAt: 'now', tags: ['a'], objects: objs, trailer: { n: 2 } }, null, 1);
    for (const size of [1, 3, 7, 1000]) {
      const s = new ExportScanner();
      const out: string[] = [];
      for (let i = 0; i < text.length; i += size) out.push(...s.push(text.slice(i, i + size)));
      s.end();
      expect(out.map((t) => JSON.parse(t) as unknown)).toEqual(objs);
      expect(s.header?.exportedAt).toBe('now');
    }
    expect(() => new ExportScanner().push('[1,2]')).toThrow('not an sf1500 export (expected a JSON object)');
    expect(() => new ExportScanner().push('{"format":"sf1500-export","version":1,"objects":[1]}')).toThrow('every element of "objects" must be an object');
    expect(() => new ExportScanner().push('{"format":"sf1500-export","version":2,"objects":[]}')).toThrow('unsupported export version 2');
  });

  it('slices a registration for the wire so that every row lands in a slice, and joins slices back', () => {
    const v = (fra: string | null, til: string | null) => ({ fra, til });
    const reg: Registrering = {
      tidspunkt: '2023-01-01T00:00:00Z', livscyklus: 'Importeret',
      egenskaber: [{ virkning: v('2010-01-01T00:00:00Z', null), values: { EnhedNavn: 'A' } }],
      tilstande: [],
      relationer: [
        { name: 'Overordnet', virkning: v(null, '2015-01-01T00:00:00Z'), ref: { uuid: 'p1' } },
        { name: 'Overordnet', virkning: v('2015-01-01T00:00:00Z', null), ref: { uuid: 'p2' } },
        { name: 'Tilhoerer', virkning: v(null, null), ref: { uuid: 'o' } },
      ],
    };
    const slices = sliceForWire('OrganisationEnhed', reg);
    expect(slices).toHaveLength(2);
    for (const s of slices) expect(s.relationer.filter((r) => r.name === 'Overordnet')).toHaveLength(1);
    expect(canonical(joinWireSlices(slices)[0])).toEqual(canonical(reg));
    expect(sliceForWire('OrganisationEnhed', { ...reg, relationer: reg.relationer.slice(1) })).toHaveLength(1);
  });
});
