import { sliceForWire as sliceRegistrering, unionRegistreringer } from '../emulator';
import { overlaps, periodOf } from '../temporal/period';
import { createReadStream, statSync } from 'node:fs';
import { isUuid, LIVSCYKLUS, objectType, OBJECT_TYPES, type Livscyklus, type ObjectTypeName, type Registrering, type Relation, type Virkning } from '../model';
import { CliFailure } from './common';

/**
 * The export file: `{ format: 'sf1500-export', version: 1, exportedAt, source, objects: [{ type, uuid, registreringer }] }`.
 * `registreringer` is the object's full registration history, oldest first, each registration as the
 * domain `Registrering` (times as on the wire: ISO strings, null = open end). Written one object per line.
 */
export const EXPORT_FORMAT = 'sf1500-export';
export const EXPORT_VERSION = 1;

export interface ExportHeader {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  exportedAt: string;
  source?: { db?: string; url?: string };
  /** Objects in the file, when the exporter knew it up front: import reports its progress against it. */
  count?: number;
}

export interface ExportObject {
  type: ObjectTypeName;
  uuid: string;
  registreringer: Registrering[];
}

/** The header line, up to and including the opening bracket of `objects`. */
export function headerText(h: ExportHeader): string {
  const json = JSON.stringify({ ...h, objects: [] });
  return `${json.slice(0, -2)}\n`;
}

export const objectLine = (o: ExportObject, first: boolean): string =>
  `${first ? '' : ',\n'}${JSON.stringify({ type: o.type, uuid: o.uuid, registreringer: o.registreringer })}`;

export const FOOTER = '\n]}\n';

// ---------- validation ----------

const TYPES = new Set<string>(OBJECT_TYPES.map((t) => t.name));
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const optStr = (x: unknown): boolean => x === undefined || typeof x === 'string';
const isTime = (x: unknown): boolean => x === null || (typeof x === 'string' && !Number.isNaN(Date.parse(x)));

function checkVirkning(v: unknown, path: string): void {
  if (!isObj(v)) throw new Error(`${path}.virkning: must be an object`);
  if (!isTime(v.fra) || !isTime(v.til)) throw new Error(`${path}.virkning: fra and til must be ISO times or null`);
  const vv = v as unknown as Virkning;
  if (vv.fra !== null && vv.til !== null && Date.parse(vv.fra) > Date.parse(vv.til)) throw new Error(`${path}.virkning: fra is after til`);
}

const checkRef = (r: unknown, path: string): void => {
  if (!isObj(r) || (typeof r.uuid !== 'string' && typeof r.urn !== 'string')) throw new Error(`${path}: needs uuid or urn`);
};

/**
 * Checks one exported object against the object model (known type, attribute and relation names, times),
 * so that an import never stores something the services could not serve. Returns it with its UUID in
 * lower case. Throws with a message naming the offending part.
 */
export function checkExportObject(x: unknown): ExportObject {
  if (!isObj(x)) throw new Error('an object must be a JSON object');
  if (typeof x.type !== 'string' || !TYPES.has(x.type)) throw new Error(`unknown type '${String(x.type)}'`);
  if (typeof x.uuid !== 'string' || !isUuid(x.uuid)) throw new Error(`uuid '${String(x.uuid)}' is not a UUID`);
  const spec = objectType(x.type as ObjectTypeName);
  if (!Array.isArray(x.registreringer) || x.registreringer.length === 0) throw new Error('registreringer must be a non-empty array');
  const attrs = new Set(spec.attributes.map((a) => a.element));
  const rels = new Set(spec.relations.map((r) => r.element));
  x.registreringer.forEach((r: unknown, i: number) => {
    const p = `registreringer[${i}]`;
    if (!isObj(r)) throw new Error(`${p}: must be an object`);
    if (r.tidspunkt !== undefined && (typeof r.tidspunkt !== 'string' || Number.isNaN(Date.parse(r.tidspunkt)))) throw new Error(`${p}.tidspunkt: not an ISO time`);
    if (r.livscyklus !== undefined && !LIVSCYKLUS.includes(r.livscyklus as Livscyklus)) throw new Error(`${p}.livscyklus: unknown value '${String(r.livscyklus)}'`);
    if (!optStr(r.brugerRef) || !optStr(r.noteTekst)) throw new Error(`${p}: brugerRef and noteTekst must be strings`);
    for (const list of ['egenskaber', 'tilstande', 'relationer']) if (!Array.isArray(r[list])) throw new Error(`${p}.${list}: must be an array`);
    (r.egenskaber as unknown[]).forEach((e, j) => {
      const q = `${p}.egenskaber[${j}]`;
      if (!isObj(e) || !isObj(e.values)) throw new Error(`${q}: needs virkning and values`);
      checkVirkning(e.virkning, q);
      for (const [k, v] of Object.entries(e.values)) {
        if (!attrs.has(k)) throw new Error(`${q}: ${spec.name} has no attribute ${k}`);
        if (typeof v !== 'string' && !(Array.isArray(v) && v.every((s) => typeof s === 'string'))) throw new Error(`${q}.${k}: must be a string or strings`);
      }
    });
    (r.tilstande as unknown[]).forEach((t, j) => {
      const q = `${p}.tilstande[${j}]`;
      if (!isObj(t) || typeof t.value !== 'string') throw new Error(`${q}: needs virkning and value`);
      if (!spec.state) throw new Error(`${q}: ${spec.name} has no Tilstand`);
      checkVirkning(t.virkning, q);
    });
    (r.relationer as unknown[]).forEach((rel, j) => {
      const q = `${p}.relationer[${j}]`;
      if (!isObj(rel) || typeof rel.name !== 'string') throw new Error(`${q}: needs name, virkning and ref`);
      if (!rels.has(rel.name)) throw new Error(`${q}: ${spec.name} has no relation ${rel.name}`);
      checkVirkning(rel.virkning, q);
      checkRef(rel.ref, `${q}.ref`);
      if (rel.rolle !== undefined) checkRef(rel.rolle, `${q}.rolle`);
      if (rel.type !== undefined) checkRef(rel.type, `${q}.type`);
    });
  });
  return { type: x.type as ObjectTypeName, uuid: x.uuid.toLowerCase(), registreringer: x.registreringer as Registrering[] };
}

// ---------- streaming reader ----------

const HEAD_LIMIT = 1 << 20;

/**
 * Incremental splitter of an export file: hands out the text of each element of the top-level `objects`
 * array as soon as it is complete, whatever the file's layout (one object per line as written by export,
 * or pretty-printed). The header fields must come before `objects` (export writes them so).
 */
export class ExportScanner {
  header: ExportHeader | undefined;
  private depth = 0;
  private inStr = false;
  private esc = false;
  private state: 'head' | 'array' | 'tail' | 'done' = 'head';
  private head = '';
  private elemParts: string[] = [];
  private elemStart = -1;
  private line = 1;

  push(chunk: string): string[] {
    const out: string[] = [];
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 10) this.line++;
      if (this.inStr) {
        if (this.esc) this.esc = false;
        else if (c === 92) this.esc = true; // backslash
        else if (c === 34) this.inStr = false; // quote
        continue;
      }
      if (this.state === 'done') {
        if (c === 32 || c === 9 || c === 10 || c === 13) continue;
        this.fail('unexpected text after the end of the export');
      }
      if (c === 34) {
        if (this.depth === 0) this.fail('not an sf1500 export (expected a JSON object)');
        this.inStr = true;
      } else if (c === 123 || c === 91) { // { [
        if (this.depth === 0) {
          if (c !== 123) this.fail('not an sf1500 export (expected a JSON object)');
        } else if (this.depth === 1 && c === 91 && this.state === 'head' && /"objects"\s*:\s*$/.test(this.head + chunk.slice(0, i))) {
          this.head += chunk.slice(0, i);
          this.readHeader();
          this.state = 'array';
        } else if (this.depth === 2 && this.state === 'array') {
          if (c !== 123) this.fail('every element of "objects" must be an object');
          this.elemStart = i;
        }
        this.depth++;
      } else if (c === 125 || c === 93) { // } ]
        this.depth--;
        if (this.depth < 0) this.fail('unbalanced brackets');
        if (this.state === 'array') {
          if (this.depth === 2) {
            this.elemParts.push(chunk.slice(this.elemStart, i + 1));
            out.push(this.elemParts.join(''));
            this.elemParts = [];
            this.elemStart = -1;
          } else if (this.depth === 1) this.state = 'tail';
        }
        if (this.depth === 0) {
          if (this.state === 'head') this.fail('not an sf1500 export (no "objects" array)');
          this.state = 'done';
        }
      } else if (this.depth === 0 && !(c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff)) {
        this.fail('not an sf1500 export (expected a JSON object)');
      } else if (this.state === 'array' && this.depth === 2 && !(c === 32 || c === 9 || c === 10 || c === 13 || c === 44)) {
        this.fail('every element of "objects" must be an object');
      }
    }
    if (this.state === 'head') {
      this.head += chunk;
      if (this.head.length > HEAD_LIMIT) this.fail('not an sf1500 export (no "objects" array near the start)');
    }
    if (this.elemStart >= 0) {
      this.elemParts.push(chunk.slice(this.elemStart));
      this.elemStart = 0;
    }
    return out;
  }

  /** Call at the end of input: throws when the file stopped early. */
  end(): void {
    if (this.state !== 'done') this.fail(this.state === 'head' && this.head.trim() === '' ? 'the file is empty' : 'unexpected end of file (truncated export?)');
  }

  private readHeader(): void {
    let h: unknown;
    try {
      h = JSON.parse(`${this.head}[]}`);
    } catch {
      this.fail('not an sf1500 export (unreadable header)');
    }
    const o = h as Record<string, unknown>;
    if (o.format !== EXPORT_FORMAT) this.fail(`not an sf1500 export (format is ${JSON.stringify(o.format)}, expected "${EXPORT_FORMAT}")`);
    if (o.version !== EXPORT_VERSION) this.fail(`unsupported export version ${JSON.stringify(o.version)} (this tool reads version ${EXPORT_VERSION})`);
    this.header = o as unknown as ExportHeader;
  }

  private fail(msg: string): never {
    throw new CliFailure(`${msg} (line ${this.line})`);
  }
}

/** One object read from an export file: checked, or the reason it is unusable. */
export type ReadItem = { ok: true; object: ExportObject } | { ok: false; type?: string; uuid?: string; message: string };

/**
 * Streams the objects of an export file (never holding the whole file). Structural problems of the file
 * throw a CliFailure; a malformed object is yielded as `{ ok: false }` so the caller can report and go on.
 */
export async function* readExport(file: string, onRead?: (bytes: number, total: number, header: ExportHeader | undefined) => void): AsyncGenerator<ReadItem> {
  let total: number;
  try {
    total = statSync(file).size;
  } catch (e) {
    throw new CliFailure(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const scanner = new ExportScanner();
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream) {
      const parts = scanner.push(chunk as string);
      onRead?.(stream.bytesRead, total, scanner.header);
      for (const text of parts) {
        let raw: unknown;
        try {
          raw = JSON.parse(text);
        } catch (e) {
          yield { ok: false, message: `unreadable JSON: ${(e as Error).message}` };
          continue;
        }
        try {
          yield { ok: true, object: checkExportObject(raw) };
        } catch (e) {
          const r = raw as Record<string, unknown>;
          yield { ok: false, type: typeof r.type === 'string' ? r.type : undefined, uuid: typeof r.uuid === 'string' ? r.uuid : undefined, message: (e as Error).message };
        }
      }
    }
  } finally {
    stream.destroy();
  }
  scanner.end();
}

// ---------- registrations on the wire ----------

/** An instant (fra <= t < til) or a period overlap test on a row's virkning. */
export function inEffectAt(v: Virkning, t: number): boolean {
  return overlaps(periodOf(v), { fra: t, til: t });
}

/** The rows of a registration in effect at instant `t`. */
export function rowsAt(reg: Registrering, t: number): Registrering {
  const keep = <T extends { virkning: Virkning }>(rows: T[]): T[] => rows.filter((r) => inEffectAt(r.virkning, t));
  return { ...reg, egenskaber: keep(reg.egenskaber), tilstande: keep(reg.tilstande), relationer: keep(reg.relationer) };
}

/** Rows of several Registrering elements in one list, duplicates (by content) dropped: the emulator's own rule. */
export const unionRows = unionRegistreringer;

/**
 * SF1500 writes a registration whose 0..1 relation has several rows (a unit that moved) as one Registrering
 * element per virkning slice. This joins consecutive elements of the same registration (same Tidspunkt,
 * LivscyklusKode, BrugerRef and NoteTekst) back into one registration.
 */
export function joinWireSlices(regs: Registrering[]): Registrering[] {
  const key = (r: Registrering): string => JSON.stringify([r.tidspunkt ?? null, r.livscyklus ?? null, r.brugerRef ?? null, r.noteTekst ?? null]);
  const out: Registrering[] = [];
  let group: Registrering[] = [];
  const flush = (): void => {
    if (group.length === 1) out.push(group[0]);
    else if (group.length > 1) out.push(unionRows(group));
    group = [];
  };
  for (const r of regs) {
    if (group.length > 0 && (r.tidspunkt === undefined || key(group[0]) !== key(r))) flush();
    group.push(r);
  }
  flush();
  return out;
}

/**
 * The reverse, by the local SF1500's own rule: one registration as the Registrering elements the wire allows (a 0..1 relation at most
 * once per element). Slices run between every start and end of the rows of such relations, from -infinity
 * to +infinity, so every row lands in at least one slice; empty slices are left out. SF1500's Importer
 * joins the slices again.
 */
export function sliceForWire(type: ObjectTypeName, reg: Registrering): Registrering[] {
  return sliceRegistrering(objectType(type), reg);
}

/** The UUID (or URN) a relation row points to. */
export const refOf = (r: Relation): string | undefined => r.ref.uuid ?? r.ref.urn;
