import { basename } from 'node:path';
import { HIERARCHY_LISTS, type ObjectTypeName, type Objekt, type Registrering } from '../model';
import { MAX_TIME, type SqliteStore } from '../emulator';
import type { Sf1500Client, ReadFilters } from '../sf1500/client';
import { CliFailure, clientFor, openStore, OutputFile, Progress, TYPE_ORDER, type CliIo, formatCount } from './common';
import { EXPORT_FORMAT, EXPORT_VERSION, FOOTER, headerText, joinWireSlices, objectLine, type ExportObject } from './format';

export interface ExportOptions {
  out: string;
  quiet?: boolean;
  /** Progress line every n objects (default 5,000). */
  every?: number;
}

export interface ExportResult {
  objects: number;
  registreringer: number;
  byType: Partial<Record<ObjectTypeName, number>>;
  bytes: number;
}

const PAGE = 1000;

/** A stored registration as exported: with its registration time even where the stored one has none. */
function exported(reg: Registrering, regFra: number): Registrering {
  return reg.tidspunkt !== undefined ? reg : { ...reg, tidspunkt: new Date(regFra).toISOString() };
}

/** Every object of every type in the store with all registrations (any livscyklus), in one read transaction. */
export function exportStore(store: SqliteStore, out: OutputFile, header: { source: { db?: string; url?: string }; count?: number }, progress?: Progress): ExportResult {
  const res: ExportResult = { objects: 0, registreringer: 0, byType: {}, bytes: 0 };
  // One (read) transaction: the export is a consistent snapshot even while a local SF1500 writes to the file.
  store.transaction(() => {
    out.write(headerText({ format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: new Date().toISOString(), ...header }));
    for (const type of TYPE_ORDER) {
      for (let offset = 0; ; offset += PAGE) {
        // Every object's newest registration is in force "at the end of time": each object once, any livscyklus.
        const uuids = store.listUuids(type, MAX_TIME, offset, PAGE, []);
        if (uuids.length === 0) break;
        const objs = store.getMany(type, uuids);
        for (const uuid of uuids) {
          const o = objs.get(uuid);
          if (!o) continue;
          const registreringer = o.registreringer.map((r) => exported(r.registrering, r.regFra));
          out.write(objectLine({ type, uuid, registreringer }, res.objects === 0));
          res.objects++;
          res.registreringer += registreringer.length;
          res.byType[type] = (res.byType[type] ?? 0) + 1;
          progress?.add();
        }
        if (uuids.length < PAGE) break;
      }
    }
    out.write(FOOTER);
  });
  return res;
}

export async function exportDb(file: string, opts: ExportOptions, io: CliIo): Promise<ExportResult> {
  const store = openStore(file, false);
  const out = new OutputFile(opts.out);
  try {
    const total = TYPE_ORDER.reduce((n, t) => n + store.count(t), 0);
    const progress = new Progress(io, 'export', { quiet: opts.quiet, every: opts.every, total });
    const res = exportStore(store, out, { source: { db: basename(file) }, count: total }, progress);
    out.commit();
    res.bytes = out.bytes;
    progress.summary(`exported ${formatCount(res.objects)} objects (${formatCount(res.registreringer)} registrations) from ${file} to ${opts.out} in ${progress.elapsed()}`);
    return res;
  } catch (e) {
    out.abort();
    throw e;
  } finally {
    store.close();
  }
}

// ---------- over SOAP ----------

/** Open Laes/List filters: every registration, every virkning row (GraenseIndikator at all four ends). */
export const FULL_HISTORY: ReadFilters = { virkning: { fra: null, til: null }, registrering: { fra: null, til: null } };

const HIERARCHY_TYPES = new Set<ObjectTypeName>(HIERARCHY_LISTS.map((l) => l.type));

/** UUIDs of the six hierarchy types, by paging FremsoegObjekthierarki (each list is paged on its own). */
export async function hierarchyUuids(client: Sf1500Client, pageSize: number, filters?: ReadFilters): Promise<Map<ObjectTypeName, Set<string>>> {
  const out = new Map<ObjectTypeName, Set<string>>(HIERARCHY_LISTS.map((l) => [l.type, new Set<string>()]));
  for (let offset = 0; ; offset += pageSize) {
    const page = await client.fremsoeg({ offset, limit: pageSize }, filters);
    let more = false;
    for (const [type, objs] of page.lists) {
      for (const o of objs) out.get(type)!.add(o.uuid.toLowerCase());
      if (objs.length >= pageSize) more = true;
    }
    if (!more) break;
  }
  return out;
}

/** UUIDs of one type by paging Soeg without criteria. */
async function soegUuids(client: Sf1500Client, type: ObjectTypeName, pageSize: number): Promise<Set<string>> {
  const out = new Set<string>();
  for (let offset = 0; ; offset += pageSize) {
    const page = await client.soeg(type, {}, { offset, limit: pageSize });
    for (const u of page) out.add(u);
    if (page.length < pageSize) break;
  }
  return out;
}

export interface SoapExportOptions extends ExportOptions {
  /** Fremsoeg / Soeg page size (default 500). */
  pageSize?: number;
  /** UUIDs per List call (default 500). */
  listSize?: number;
  /** List calls in flight at once (default 4). */
  parallel?: number;
}

/**
 * The whole municipality from a running SF1500: the hierarchy types enumerated through
 * FremsoegObjekthierarki, Person, Adresse, Virksomhed, Myndighed and Klasse through Soeg; then every
 * object read with List under open filters (full history), its wire slices joined back into registrations.
 * Passivated and deleted objects cannot be enumerated over SOAP (both searches leave them out).
 */
export async function exportSoap(client: Sf1500Client, url: string, opts: SoapExportOptions, io: CliIo): Promise<ExportResult> {
  const pageSize = opts.pageSize ?? 500;
  const listSize = opts.listSize ?? 500;
  const parallel = opts.parallel ?? 4;
  const res: ExportResult = { objects: 0, registreringer: 0, byType: {}, bytes: 0 };
  if (!opts.quiet) io.err('export: enumerating the organisation hierarchy (FremsoegObjekthierarki) and the other types (Soeg)\n');
  const hierarchy = await hierarchyUuids(client, pageSize);
  // Every UUID first: the header then tells the importer how many objects follow (its progress in objects).
  const uuidsOf = new Map<ObjectTypeName, string[]>();
  for (const type of TYPE_ORDER) uuidsOf.set(type, [...(HIERARCHY_TYPES.has(type) ? hierarchy.get(type)! : await soegUuids(client, type, pageSize))].sort());
  const count = [...uuidsOf.values()].reduce((n, u) => n + u.length, 0);
  const progress = new Progress(io, 'export', { quiet: opts.quiet, every: opts.every, total: count });
  const out = new OutputFile(opts.out);
  try {
    out.write(headerText({ format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: new Date().toISOString(), source: { url }, count }));
    for (const type of TYPE_ORDER) {
      const uuids = uuidsOf.get(type)!;
      // Up to `parallel` List calls in flight, written in order.
      const batches: Array<Promise<Objekt[]>> = [];
      const fetchBatch = (i: number): void => {
        const p = client.list(type, uuids.slice(i, i + listSize), FULL_HISTORY);
        p.catch(() => undefined); // awaited in order below; a later batch failing first must not go unhandled
        batches.push(p);
      };
      for (let i = 0; i < uuids.length && batches.length < parallel; i += listSize) fetchBatch(i);
      for (let b = 0; b < batches.length; b++) {
        const next = (b + parallel) * listSize;
        if (next < uuids.length) fetchBatch(next);
        const objs = await batches[b];
        objs.sort((x, y) => (x.uuid < y.uuid ? -1 : x.uuid > y.uuid ? 1 : 0));
        for (const o of objs) {
          const obj: ExportObject = { type, uuid: o.uuid.toLowerCase(), registreringer: joinWireSlices(o.registreringer) };
          out.write(objectLine(obj, res.objects === 0));
          res.objects++;
          res.registreringer += obj.registreringer.length;
          res.byType[type] = (res.byType[type] ?? 0) + 1;
          progress.add();
        }
      }
    }
    out.write(FOOTER);
    out.commit();
    res.bytes = out.bytes;
  } catch (e) {
    out.abort();
    throw e;
  }
  progress.summary(`exported ${formatCount(res.objects)} objects (${formatCount(res.registreringer)} registrations) from ${url} to ${opts.out} in ${progress.elapsed()}`);
  return res;
}

export async function exportUrl(url: string, opts: SoapExportOptions, io: CliIo): Promise<ExportResult> {
  const client = clientFor(url, io.env);
  try {
    return await exportSoap(client, url, opts, io);
  } catch (e) {
    if (e instanceof CliFailure) throw e;
    throw new CliFailure((e as Error).message);
  } finally {
    client.close();
  }
}
