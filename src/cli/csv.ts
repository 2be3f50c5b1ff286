import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isUuid, type Egenskab, type Objekt, type Registrering, type Relation, type Virkning } from '../model';
import type { SqliteStore } from '../emulator';
import type { Sf1500Client } from '../sf1500/client';
import { CliFailure, clientFor, formatCount, openStore, OutputFile, type CliIo } from './common';
import { hierarchyUuids } from './export';
import { refOf, rowsAt, unionRows } from './format';

// ---------- RFC 4180 ----------

/** Quotes a field when it holds the separator, a quote or a line break (quotes doubled). */
export function csvField(value: string, sep = ','): string {
  return value.includes(sep) || /["\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Lines end in CRLF (RFC 4180); the file starts with a UTF-8 BOM so that Excel reads it as UTF-8. */
export function csvText(rows: string[][], sep = ','): string {
  return `\uFEFF${rows.map((r) => r.map((f) => csvField(f, sep)).join(sep)).join('\r\n')}\r\n`;
}

/**
 * Parses RFC 4180 text (quoted fields with doubled quotes and line breaks; CRLF or LF; a leading BOM is
 * dropped). The separator is `,` unless the header line has `;` and no `,` (Excel with Danish settings).
 * Returns the rows with the 1-based line each starts on.
 */
export function parseCsv(text: string): { sep: string; rows: Array<{ line: number; fields: string[] }> } {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const sep = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  const rows: Array<{ line: number; fields: string[] }> = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let rowLine = 1;
  let i = 0;
  let quotedField = false;
  const endField = (): void => {
    fields.push(field);
    field = '';
    quotedField = false;
  };
  const endRow = (): void => {
    endField();
    if (!(fields.length === 1 && fields[0] === '')) rows.push({ line: rowLine, fields });
    fields = [];
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '"' && field === '' && !quotedField) {
      // Quoted field: up to the closing quote; "" is a quote.
      quotedField = true;
      i++;
      for (;;) {
        if (i >= text.length) throw new CliFailure(`CSV line ${rowLine}: a quoted field is not closed`);
        const d = text[i];
        if (d === '"') {
          if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
          i++;
          break;
        }
        if (d === '\n') line++;
        field += d;
        i++;
      }
      if (i < text.length && text[i] !== sep && text[i] !== '\r' && text[i] !== '\n') throw new CliFailure(`CSV line ${line}: text after a closing quote`);
      continue;
    }
    if (c === sep) { endField(); i++; continue; }
    if (c === '\r' && text[i + 1] === '\n') { i++; continue; }
    if (c === '\n') { endRow(); line++; rowLine = line; i++; continue; }
    if (quotedField) throw new CliFailure(`CSV line ${line}: text after a closing quote`);
    field += c;
    i++;
  }
  if (field !== '' || fields.length > 0 || quotedField) endRow();
  return { sep, rows };
}

// ---------- units at a point in time ----------

export const CSV_COLUMNS = ['uuid', 'navn', 'brugervendtNoegle', 'overordnet_uuid', 'overordnet_navn', 'enhedstype', 'gyldighed'] as const;

export interface UnitRow {
  uuid: string;
  navn: string;
  brugervendtNoegle: string;
  overordnetUuid: string;
  overordnetNavn: string;
  enhedstype: string;
  gyldighed: string;
}

interface UnitAt {
  uuid: string;
  navn: string;
  bvn: string;
  parent?: string;
  enhedstype?: string;
  gyldighed?: string;
  tilhoerer?: string;
}

const first = <T>(xs: T[]): T | undefined => xs[0];

/** A unit's values in effect at `t` from its registration (rows already limited or not). */
function unitAt(uuid: string, reg: Registrering, t: number): UnitAt | undefined {
  const r = rowsAt(reg, t);
  const e = first(r.egenskaber);
  if (!e) return undefined;
  const s = (k: string): string => {
    const v = e.values[k];
    return Array.isArray(v) ? v.join(' ') : v ?? '';
  };
  const rel = (name: string): string | undefined => {
    const x = first(r.relationer.filter((x) => x.name === name));
    return x ? refOf(x) : undefined;
  };
  return {
    uuid, navn: s('EnhedNavn'), bvn: s('BrugervendtNoegleTekst'), parent: rel('Overordnet'), enhedstype: rel('Enhedstype'),
    gyldighed: first(r.tilstande)?.value, tilhoerer: rel('Tilhoerer'),
  };
}

/** Rows in tree order: roots first, then each unit's children by name, depth first. */
function treeOrder(units: Map<string, UnitAt>, title: (uuid: string | undefined) => string): UnitRow[] {
  const children = new Map<string, UnitAt[]>();
  const roots: UnitAt[] = [];
  for (const u of units.values()) {
    if (u.parent && units.has(u.parent)) {
      const l = children.get(u.parent) ?? [];
      l.push(u);
      children.set(u.parent, l);
    } else roots.push(u);
  }
  const byName = (a: UnitAt, b: UnitAt): number => a.navn.localeCompare(b.navn, 'da') || (a.uuid < b.uuid ? -1 : 1);
  const out: UnitRow[] = [];
  const seen = new Set<string>();
  const visit = (u: UnitAt): void => {
    if (seen.has(u.uuid)) return;
    seen.add(u.uuid);
    out.push({
      uuid: u.uuid, navn: u.navn, brugervendtNoegle: u.bvn, overordnetUuid: u.parent ?? '',
      overordnetNavn: u.parent ? units.get(u.parent)?.navn ?? '' : '', enhedstype: title(u.enhedstype), gyldighed: u.gyldighed ?? '',
    });
    for (const c of (children.get(u.uuid) ?? []).sort(byName)) visit(c);
  };
  for (const r of roots.sort(byName)) visit(r);
  // Units in a parent cycle (not reachable from a root) come last.
  for (const u of [...units.values()].sort(byName)) visit(u);
  return out;
}

const KLASSE_TITLE = (reg: Registrering | undefined, t: number): string | undefined => {
  if (!reg) return undefined;
  const e = first(rowsAt(reg, t).egenskaber) ?? first(reg.egenskaber);
  const v = e?.values.TitelTekst ?? e?.values.BrugervendtNoegleTekst;
  return Array.isArray(v) ? v[0] : v;
};

/** Registration of a stored object in force at registration time `at`. */
function storedAt(store: SqliteStore, type: 'OrganisationEnhed' | 'Klasse', uuids: string[], at: number): Map<string, Registrering> {
  const out = new Map<string, Registrering>();
  const objs = store.getMany(type, uuids);
  for (const [uuid, o] of objs) {
    const r = o.registreringer.find((x) => x.regFra <= at && (x.regTil === null || x.regTil > at));
    if (r) out.set(uuid, r.registrering);
  }
  return out;
}

/** Units at virkning `t` (registrations in force now) from a database, passivated and deleted units left out. */
export function unitRowsFromStore(store: SqliteStore, t: number): UnitRow[] {
  const now = Date.now();
  const units = new Map<string, UnitAt>();
  for (let offset = 0; ; offset += 1000) {
    const uuids = store.listUuids('OrganisationEnhed', now, offset, 1000, ['Passiveret', 'Slettet']);
    for (const [uuid, reg] of storedAt(store, 'OrganisationEnhed', uuids, now)) {
      const u = unitAt(uuid, reg, t);
      if (u) units.set(uuid, u);
    }
    if (uuids.length < 1000) break;
  }
  const types = [...new Set([...units.values()].map((u) => u.enhedstype).filter((x): x is string => !!x))];
  const klasser = storedAt(store, 'Klasse', types, now);
  return treeOrder(units, (u) => (u ? KLASSE_TITLE(klasser.get(u), t) ?? u : ''));
}

/** Units at virkning `t` from a running SF1500: FremsoegObjekthierarki at that virkning, Enhedstype titles by List. */
export async function unitRowsFromSoap(client: Sf1500Client, t: number): Promise<UnitRow[]> {
  const iso = new Date(t).toISOString();
  const at = { virkning: { fra: iso, til: iso } };
  const uuids = [...(await hierarchyUuids(client, 500, at)).get('OrganisationEnhed')!];
  const units = new Map<string, UnitAt>();
  for (const o of await listAll(client, 'OrganisationEnhed', uuids, at)) {
    const u = unitAt(o.uuid, unionRows(o.registreringer), t);
    if (u) units.set(o.uuid, u);
  }
  const types = [...new Set([...units.values()].map((u) => u.enhedstype).filter((x): x is string => !!x))];
  const titles = new Map<string, string | undefined>();
  for (const k of await listAll(client, 'Klasse', types, at)) titles.set(k.uuid, KLASSE_TITLE(unionRows(k.registreringer), t));
  return treeOrder(units, (u) => (u ? titles.get(u) ?? u : ''));
}

async function listAll(client: Sf1500Client, type: 'OrganisationEnhed' | 'Klasse', uuids: string[], f: Parameters<Sf1500Client['list']>[2]): Promise<Objekt[]> {
  const out: Objekt[] = [];
  for (let i = 0; i < uuids.length; i += 500) out.push(...(await client.list(type, uuids.slice(i, i + 500), f)));
  return out.filter((o) => o.registreringer.length > 0);
}

export function unitsCsv(rows: UnitRow[], sep = ','): string {
  return csvText([
    [...CSV_COLUMNS],
    ...rows.map((r) => [r.uuid, r.navn, r.brugervendtNoegle, r.overordnetUuid, r.overordnetNavn, r.enhedstype, r.gyldighed]),
  ], sep);
}

export interface CsvExportOptions {
  out: string;
  /** ISO time; default now. */
  virkning?: string;
  separator?: string;
  quiet?: boolean;
}

export async function exportCsv(src: { db: string } | { url: string }, opts: CsvExportOptions, io: CliIo): Promise<UnitRow[]> {
  const t = opts.virkning ? Date.parse(opts.virkning) : Date.now();
  let rows: UnitRow[];
  if ('db' in src) {
    const store = openStore(src.db, false);
    try {
      rows = unitRowsFromStore(store, t);
    } finally {
      store.close();
    }
  } else {
    const client = clientFor(src.url, io.env);
    try {
      rows = await unitRowsFromSoap(client, t);
    } catch (e) {
      throw e instanceof CliFailure ? e : new CliFailure((e as Error).message);
    } finally {
      client.close();
    }
  }
  const out = new OutputFile(opts.out);
  try {
    out.write(unitsCsv(rows, opts.separator));
    out.commit();
  } catch (e) {
    out.abort();
    throw e;
  }
  io.err(`exported ${formatCount(rows.length)} units at ${new Date(t).toISOString()} to ${opts.out}\n`);
  return rows;
}

// ---------- import-csv ----------

export interface CsvImportOptions {
  in: string;
  organisation: string;
  /** Virkning start of the changes (ISO); default now. */
  virkning?: string;
  dryRun?: boolean;
  quiet?: boolean;
}

export interface CsvImportResult {
  created: string[];
  updated: string[];
  unchanged: number;
  failures: Array<{ line: number; uuid: string; message: string }>;
}

interface CsvUnit {
  line: number;
  uuid: string;
  /** True when the CSV left the uuid empty (a new unit gets a fresh one). */
  generated: boolean;
  navn: string;
  bvn: string;
  parent: string;
  enhedstype: string;
  gyldighed: string;
}

/** Lists the problems found (one line each, at most 50) and fails: nothing is changed. */
function refuse(file: string, problems: string[], io: CliIo): never {
  for (const p of problems.slice(0, 50)) io.err(`import-csv: ${file}, ${p}\n`);
  if (problems.length > 50) io.err(`import-csv: ... and ${problems.length - 50} more\n`);
  throw new CliFailure(`${file} has ${problems.length} problem${problems.length === 1 ? '' : 's'} (listed above); nothing was changed`);
}

/** Reads and checks the CSV; every problem is reported at once (nothing is changed when there is one). */
function readUnitsCsv(file: string, io: CliIo): CsvUnit[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliFailure(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const { rows } = parseCsv(text);
  if (rows.length === 0) throw new CliFailure(`${file} is empty`);
  const header = rows[0].fields.map((h) => h.trim().toLowerCase());
  const col = (name: string): number => header.indexOf(name.toLowerCase());
  for (const name of ['uuid', 'navn', 'overordnet_uuid']) if (col(name) < 0) throw new CliFailure(`${file}: missing column '${name}' (expected ${CSV_COLUMNS.join(',')})`);
  const problems: string[] = [];
  const units: CsvUnit[] = [];
  const seen = new Map<string, number>();
  for (const { line, fields } of rows.slice(1)) {
    const get = (name: string): string => {
      const i = col(name);
      return i >= 0 ? (fields[i] ?? '').trim() : '';
    };
    const u: CsvUnit = {
      line, uuid: get('uuid').toLowerCase(), generated: false, navn: get('navn'), bvn: get('brugervendtNoegle'),
      parent: get('overordnet_uuid').toLowerCase(), enhedstype: get('enhedstype'), gyldighed: get('gyldighed'),
    };
    const bad = (m: string): void => { problems.push(`line ${line}: ${m}`); };
    if (u.uuid === '') { u.uuid = randomUUID(); u.generated = true; } else if (!isUuid(u.uuid)) bad(`uuid '${u.uuid}' is not a UUID`);
    if (u.navn === '') bad('navn is empty');
    if (u.navn.length > 200) bad('navn is longer than 200 characters');
    if (u.bvn.length > 50) bad('brugervendtNoegle is longer than 50 characters');
    if (u.parent !== '' && !isUuid(u.parent)) bad(`overordnet_uuid '${u.parent}' is not a UUID`);
    if (u.parent === u.uuid) bad('a unit cannot be its own parent');
    if (u.gyldighed !== '' && u.gyldighed !== 'Aktiv' && u.gyldighed !== 'Inaktiv') bad(`gyldighed must be Aktiv or Inaktiv, got '${u.gyldighed}'`);
    if (seen.has(u.uuid)) bad(`uuid ${u.uuid} is also on line ${seen.get(u.uuid)}`);
    seen.set(u.uuid, line);
    units.push(u);
  }
  if (problems.length > 0) refuse(file, problems, io);
  return units;
}

/**
 * Bulk edit of units from a CSV in the export-csv layout: a unit unknown to SF1500 (or with an empty
 * uuid) is created with Importer (Tilhoerer the organisation, Gyldighed Aktiv unless the CSV says
 * otherwise); an existing one gets a Ret when its name, business key or parent differs, in effect from
 * `virkning` (default now) on, so SF1500 keeps the old values as history. Other columns of existing
 * units are not changed. The whole CSV is checked first: with any problem nothing is changed.
 */
export async function importCsv(client: Sf1500Client, opts: CsvImportOptions, io: CliIo): Promise<CsvImportResult> {
  const units = readUnitsCsv(opts.in, io);
  const fraIso = opts.virkning ?? new Date().toISOString();
  const t = Date.parse(fraIso);
  const at = { virkning: { fra: fraIso, til: fraIso } };
  const org = opts.organisation.toLowerCase();

  // Current state of the units in the CSV and of the parents they name.
  const wanted = [...new Set([...units.filter((u) => !u.generated).map((u) => u.uuid), ...units.map((u) => u.parent).filter((p) => p !== '')])];
  const current = new Map<string, { unit?: UnitAt; livscyklus?: string }>();
  for (const o of await listAll(client, 'OrganisationEnhed', wanted, at)) {
    const reg = unionRows(o.registreringer);
    current.set(o.uuid, { unit: unitAt(o.uuid, reg, t), livscyklus: reg.livscyklus });
  }
  const isLive = (uuid: string): boolean => {
    const c = current.get(uuid);
    return !!c && c.livscyklus !== 'Passiveret' && c.livscyklus !== 'Slettet';
  };

  // Enhedstype of new units: a Klasse UUID, or a title known from the existing units' types, or found by Soeg.
  const typeTitles = new Map<string, string>();
  const typeUuids = [...new Set([...current.values()].map((c) => c.unit?.enhedstype).filter((x): x is string => !!x))];
  for (const k of await listAll(client, 'Klasse', typeUuids, at)) {
    const title = KLASSE_TITLE(unionRows(k.registreringer), t);
    if (title) typeTitles.set(title.toLowerCase(), k.uuid);
  }
  const resolveType = async (v: string): Promise<string | undefined> => {
    if (v === '') return undefined;
    if (isUuid(v)) return v.toLowerCase();
    const known = typeTitles.get(v.toLowerCase());
    if (known) return known;
    const hits = await client.soeg('Klasse', { egenskaber: { TitelTekst: v } }, { offset: 0, limit: 2 });
    if (hits.length !== 1) throw new Error(`enhedstype '${v}' ${hits.length === 0 ? 'is not a known class' : 'matches several classes; give its UUID'}`);
    typeTitles.set(v.toLowerCase(), hits[0]);
    return hits[0];
  };

  // Plan, checking parents and cycles against the final parent of every unit in the CSV.
  const finalParent = new Map<string, string>();
  for (const u of units) if (u.parent) finalParent.set(u.uuid, u.parent);
  const inCsv = new Set(units.map((u) => u.uuid));
  const problems: string[] = [];
  for (const u of units) {
    const c = current.get(u.uuid);
    if (u.parent && !inCsv.has(u.parent) && !isLive(u.parent)) problems.push(`line ${u.line}: parent ${u.parent} is not a unit in SF1500 or in the CSV`);
    if (c?.unit && isLive(u.uuid) && c.unit.tilhoerer && c.unit.tilhoerer !== org) problems.push(`line ${u.line}: unit ${u.uuid} belongs to organisation ${c.unit.tilhoerer}, not ${org}`);
    if (c?.unit && isLive(u.uuid) && u.parent === '' && c.unit.parent) problems.push(`line ${u.line}: overordnet_uuid is empty, but unit ${u.uuid} has a parent (removing a parent is not supported)`);
    const path = new Set<string>([u.uuid]);
    for (let p = finalParent.get(u.uuid); p; p = finalParent.get(p) ?? (inCsv.has(p) ? undefined : current.get(p)?.unit?.parent)) {
      if (path.has(p)) {
        problems.push(`line ${u.line}: moving ${u.uuid} under ${u.parent} makes a cycle`);
        break;
      }
      path.add(p);
    }
  }
  if (problems.length > 0) refuse(opts.in, problems, io);

  const res: CsvImportResult = { created: [], updated: [], unchanged: 0, failures: [] };
  const v = (): Virkning => ({ fra: fraIso, til: null, aktoerRef: org, aktoerTypeKode: 'Organisation', noteTekst: 'sf1500 import-csv' });
  const say = (s: string): void => { if (opts.dryRun) io.out(`${s}\n`); };
  for (const u of units) {
    const c = current.get(u.uuid);
    try {
      if (!c?.unit || !isLive(u.uuid)) {
        const relationer: Relation[] = [];
        const type = await resolveType(u.enhedstype);
        if (type) relationer.push({ name: 'Enhedstype', virkning: v(), ref: { uuid: type } });
        if (u.parent) relationer.push({ name: 'Overordnet', virkning: v(), ref: { uuid: u.parent } });
        relationer.push({ name: 'Tilhoerer', virkning: v(), ref: { uuid: org } });
        const reg: Registrering = {
          tidspunkt: new Date().toISOString(), livscyklus: 'Importeret', noteTekst: 'sf1500 import-csv',
          egenskaber: [{ virkning: v(), values: { BrugervendtNoegleTekst: u.bvn || u.navn, EnhedNavn: u.navn } }],
          tilstande: [{ virkning: v(), value: u.gyldighed || 'Aktiv' }],
          relationer,
        };
        say(`create ${u.uuid} "${u.navn}"${u.parent ? ` under ${u.parent}` : ''}`);
        if (!opts.dryRun) {
          const r = await client.importer('OrganisationEnhed', { uuid: u.uuid, registreringer: [reg] });
          if (r.statusKode !== 20) throw new Error(`Importer answered ${r.statusKode}: ${r.fejlbeskedTekst ?? ''}`.trim());
        }
        res.created.push(u.uuid);
        continue;
      }
      const cur = c.unit;
      const bvn = u.bvn || cur.bvn;
      const rename = u.navn !== cur.navn || bvn !== cur.bvn;
      const move = u.parent !== '' && u.parent !== cur.parent;
      if (!rename && !move) {
        res.unchanged++;
        continue;
      }
      const egenskaber: Egenskab[] | undefined = rename ? [{ virkning: v(), values: { BrugervendtNoegleTekst: bvn, EnhedNavn: u.navn } }] : undefined;
      const relationer: Relation[] | undefined = move ? [{ name: 'Overordnet', virkning: v(), ref: { uuid: u.parent } }] : undefined;
      if (rename) say(`rename ${u.uuid} "${cur.navn}" -> "${u.navn}"${bvn !== cur.bvn ? ` (brugervendtNoegle "${cur.bvn}" -> "${bvn}")` : ''}`);
      if (move) say(`move ${u.uuid} "${u.navn}" from ${cur.parent ?? '(none)'} to ${u.parent}`);
      if (!opts.dryRun) {
        const r = await client.ret('OrganisationEnhed', u.uuid, { egenskaber, relationer }, 'sf1500 import-csv');
        if (r.statusKode !== 20) throw new Error(`Ret answered ${r.statusKode}: ${r.fejlbeskedTekst ?? ''}`.trim());
      }
      res.updated.push(u.uuid);
    } catch (e) {
      res.failures.push({ line: u.line, uuid: u.uuid, message: (e as Error).message });
      io.err(`import-csv: line ${u.line}, unit ${u.uuid}: ${(e as Error).message}\n`);
    }
  }
  io.err(`import-csv${opts.dryRun ? ' (dry run, nothing changed)' : ''}: ${res.created.length} created, ${res.updated.length} updated, ${res.unchanged} unchanged, ${res.failures.length} failed\n`);
  if (res.failures.length > 0) throw new CliFailure(`${res.failures.length} of ${units.length} units failed`);
  return res;
}

export async function importCsvUrl(url: string, opts: CsvImportOptions, io: CliIo): Promise<CsvImportResult> {
  const client = clientFor(url, io.env);
  try {
    return await importCsv(client, opts, io);
  } catch (e) {
    throw e instanceof CliFailure ? e : new CliFailure((e as Error).message);
  } finally {
    client.close();
  }
}
