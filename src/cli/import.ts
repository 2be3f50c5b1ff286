import { objectType, type ObjectTypeName, type Objekt } from '../model';
import { checkIntegrity } from '../emulator';
import type { SqliteStore } from '../emulator';
import type { Sf1500Client } from '../sf1500/client';
import { Sf1500Error } from '../sf1500/errors';
import { existsSync } from 'node:fs';
import { CliFailure, clientFor, formatCount, openStore, Progress, removeDbFile, type CliIo } from './common';
import { readExport, sliceForWire, type ExportObject, type ReadItem } from './format';

export interface ImportOptions {
  in: string;
  quiet?: boolean;
  every?: number;
}

export interface ImportFailure {
  type?: string;
  uuid?: string;
  message: string;
}

export interface ImportResult {
  /** Objects read from the file. */
  read: number;
  imported: number;
  /** Already present (DB) or refused with 49 "exists" (SOAP): skipped. */
  exists: number;
  /** Deleted (Slettet) objects, not imported over SOAP. */
  skippedDeleted: number;
  registreringer: number;
  failures: ImportFailure[];
}

const MAX_SHOWN_FAILURES = 50;

function reportFailure(io: CliIo, res: ImportResult, f: ImportFailure): void {
  res.failures.push(f);
  if (res.failures.length <= MAX_SHOWN_FAILURES) io.err(`import: failed ${f.type ?? '?'} ${f.uuid ?? '(no uuid)'}: ${f.message}\n`);
  else if (res.failures.length === MAX_SHOWN_FAILURES + 1) io.err('import: more failures follow; only the count is reported from here on\n');
}

function summarize(res: ImportResult, target: string, progress: Progress): void {
  const parts = [`imported ${formatCount(res.imported)} objects (${formatCount(res.registreringer)} registrations) into ${target} in ${progress.elapsed()}`];
  if (res.exists > 0) parts.push(`${formatCount(res.exists)} already existed and were skipped`);
  if (res.skippedDeleted > 0) parts.push(`${formatCount(res.skippedDeleted)} deleted (Slettet) objects skipped`);
  if (res.failures.length > 0) parts.push(`${formatCount(res.failures.length)} failed`);
  progress.summary(parts.join('; '));
  if (res.failures.length > 0) {
    throw new CliFailure(`${formatCount(res.failures.length)} of ${formatCount(res.read)} objects failed to import${res.failures.length > MAX_SHOWN_FAILURES ? ` (the first ${MAX_SHOWN_FAILURES} are listed above)` : ''}`);
  }
}

const BATCH = 5000;

/**
 * Imports an export file into a database, keeping every registration with its registration time
 * (as seeding does). Objects already in the database are skipped (counted), never merged.
 */
export async function importIntoStore(store: SqliteStore, items: AsyncIterable<ReadItem>, progress: Progress, io: CliIo): Promise<ImportResult> {
  const res: ImportResult = { read: 0, imported: 0, exists: 0, skippedDeleted: 0, registreringer: 0, failures: [] };
  let batch: ExportObject[] = [];
  const flush = (): void => {
    const objs = batch;
    batch = [];
    store.transaction(() => {
      for (const o of objs) {
        if (store.get(o.type, o.uuid)) {
          res.exists++;
          continue;
        }
        try {
          const spec = objectType(o.type);
          for (const reg of o.registreringer) checkIntegrity(spec, reg);
        } catch (e) {
          reportFailure(io, res, { type: o.type, uuid: o.uuid, message: (e as Error).message });
          continue;
        }
        const now = Date.now();
        for (const reg of o.registreringer) store.appendRegistrering(o.type, o.uuid, reg, reg.tidspunkt ? Date.parse(reg.tidspunkt) : now);
        res.imported++;
        res.registreringer += o.registreringer.length;
      }
    });
    progress.add(objs.length);
  };
  for await (const item of items) {
    res.read++;
    if (!item.ok) {
      reportFailure(io, res, item);
      continue;
    }
    batch.push(item.object);
    if (batch.length >= BATCH) flush();
  }
  flush();
  return res;
}

/**
 * The export's objects with progress against the object count in its header (older files have none:
 * then the share of the file read).
 */
function readWithProgress(opts: ImportOptions, io: CliIo): { items: AsyncIterable<ReadItem>; progress: Progress } {
  let fraction = 0;
  let count: number | undefined;
  const items = readExport(opts.in, (read, total, header) => {
    fraction = total > 0 ? read / total : 1;
    count = Number.isInteger(header?.count) && header!.count! > 0 ? header!.count : undefined;
  });
  return { items, progress: new Progress(io, 'import', { quiet: opts.quiet, every: opts.every, total: () => count, fraction: () => fraction }) };
}

export async function importDb(file: string, opts: ImportOptions, io: CliIo): Promise<ImportResult> {
  const created = !existsSync(file);
  const store = openStore(file, true);
  let res: ImportResult | undefined;
  try {
    const { items, progress } = readWithProgress(opts, io);
    res = await importIntoStore(store, items, progress, io);
    summarize(res, file, progress);
    return res;
  } finally {
    store.close();
    // A failed import into a new file leaves no empty database behind to trip the next run.
    if (created && (!res || (res.failures.length > 0 && res.imported === 0))) removeDbFile(file);
  }
}

// ---------- over SOAP ----------

export interface SoapImportOptions extends ImportOptions {
  /** Importer calls in flight at once (default 8). */
  concurrency?: number;
}

/** Errors after which further calls are pointless: the SF1500 is not answering. */
const FATAL = new Set(['SF1500_UNAVAILABLE', 'SF1500_CIRCUIT_OPEN']);

/**
 * Imports an export file into a running SF1500 with Importer, one object per call. SF1500 keeps no
 * registration history on Importer: each object gets its newest registration (with all its virkning
 * rows) as one new registration. A 49 "exists" is counted and skipped; passivated objects are imported
 * and passivated again; deleted ones are skipped. Types are imported one after the other (referenced
 * types first); within a type up to `concurrency` calls run at once.
 */
export async function importSoap(client: Sf1500Client, items: AsyncIterable<ReadItem>, opts: SoapImportOptions, progress: Progress, io: CliIo): Promise<ImportResult> {
  const res: ImportResult = { read: 0, imported: 0, exists: 0, skippedDeleted: 0, registreringer: 0, failures: [] };
  const concurrency = opts.concurrency ?? 8;
  const inflight = new Set<Promise<void>>();
  let fatal: Error | undefined;
  let currentType: ObjectTypeName | undefined;

  const one = async (o: ExportObject): Promise<void> => {
    const newest = o.registreringer[o.registreringer.length - 1];
    if (newest.livscyklus === 'Slettet') {
      res.skippedDeleted++;
      return;
    }
    try {
      checkIntegrity(objectType(o.type), newest);
      const obj: Objekt = { uuid: o.uuid, registreringer: sliceForWire(o.type, { ...newest, livscyklus: 'Importeret' }) };
      const r = await client.importer(o.type, obj);
      if (r.statusKode === 49) {
        res.exists++;
        return;
      }
      if (r.statusKode !== 20) throw new Error(`SF1500 answered ${r.statusKode}: ${r.fejlbeskedTekst ?? ''}`.trim());
      if (newest.livscyklus === 'Passiveret') {
        const p = await client.passiver(o.type, o.uuid, 'Passiveret ved import');
        if (p.statusKode !== 20) throw new Error(`imported, but Passiver answered ${p.statusKode}: ${p.fejlbeskedTekst ?? ''}`.trim());
      }
      res.imported++;
      res.registreringer++;
    } catch (e) {
      if (e instanceof Sf1500Error && FATAL.has(e.code)) fatal ??= e;
      reportFailure(io, res, { type: o.type, uuid: o.uuid, message: (e as Error).message });
    } finally {
      progress.add();
    }
  };

  for await (const item of items) {
    if (fatal) break;
    res.read++;
    if (!item.ok) {
      reportFailure(io, res, item);
      progress.add();
      continue;
    }
    if (item.object.type !== currentType) {
      await Promise.all(inflight);
      currentType = item.object.type;
    }
    while (inflight.size >= concurrency) await Promise.race(inflight);
    if (fatal) break;
    const p: Promise<void> = one(item.object).finally(() => inflight.delete(p));
    inflight.add(p);
  }
  await Promise.all(inflight);
  if (fatal) {
    progress.summary(`import stopped after ${formatCount(res.read)} objects: ${formatCount(res.imported)} imported, ${formatCount(res.exists)} already existed`);
    throw new CliFailure(`SF1500 stopped answering: ${fatal.message}`);
  }
  return res;
}

export async function importUrl(url: string, opts: SoapImportOptions, io: CliIo): Promise<ImportResult> {
  const client = clientFor(url, io.env);
  try {
    const { items, progress } = readWithProgress(opts, io);
    const res = await importSoap(client, items, opts, progress, io);
    summarize(res, url, progress);
    return res;
  } finally {
    client.close();
  }
}
