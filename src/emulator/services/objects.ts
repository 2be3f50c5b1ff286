import { randomUUID } from 'node:crypto';
import { NS } from '../../model/namespaces';
import type { Livscyklus, Objekt, Registrering } from '../../model/domain';
import type { ObjectTypeSpec } from '../../model/types';
import { child, childrenOf, childText, type XmlElement } from '../../xml/reader';
import { el, textEl } from '../../xml/writer';
import { readLists, readObjekt, readUuid, writeFiltreret, type Lists } from '../../wire/codec';
import { WireError } from '../../wire/errors';
import type { EnvelopeBody } from '../../wire/envelope';
import { checkIntegrity, filterRows, mergeRet, newestImported, selectRegistreringer, sliceForWire, type Period } from '../bitemporal';
import type { SoegCriterion, StoredObjekt, StoreTx } from '../store/types';
import {
  checkShape, excludedLivscyklus, FILTER_SHAPE, listsShape, objektShape, readFilters, readPaging, readSoegTid, registrationTime, SOEG_SHAPE, UUID_NOTE_SHAPE, type Shape,
} from './common';
import type { ServiceContext } from './context';
import { objectOutput, ok, retur, STATUS } from './respond';

/** One handler per input element of an object service (asynchronous: the store may be a network database). */
export type Handler = (input: XmlElement, ctx: ServiceContext) => Promise<EnvelopeBody>;

const INACTIVE: Livscyklus[] = ['Passiveret', 'Slettet'];

function newest(obj: StoredObjekt): Registrering {
  return obj.registreringer[obj.registreringer.length - 1].registrering;
}

/** The FiltreretOejebliksbillede of an object under Laes/List filters; undefined when nothing is left. */
export function snapshot(spec: ObjectTypeSpec, obj: StoredObjekt, f: { virkning?: Period; registrering?: Period }): Objekt | undefined {
  const regs = selectRegistreringer(obj, f.registrering);
  if (regs.length === 0) return undefined;
  return { uuid: obj.uuid, registreringer: regs.flatMap((r) => sliceForWire(spec, filterRows(r.registrering, f.virkning), f.virkning)) };
}

/** Search criteria from the Soeg lists: every given value must match (AND); structured values (Soegeord) are not searchable. */
export function criteriaOf(spec: ObjectTypeSpec, lists: Lists): SoegCriterion[] {
  const out: SoegCriterion[] = [];
  const structured = new Set(spec.attributes.filter((a) => a.children).map((a) => a.element));
  for (const e of lists.egenskaber) {
    for (const [element, v] of Object.entries(e.values)) {
      if (structured.has(element)) continue;
      for (const one of Array.isArray(v) ? v : [v]) if (one !== '') out.push({ kind: 'attribute', element, value: one });
    }
  }
  for (const t of lists.tilstande) out.push({ kind: 'state', value: t.value });
  for (const r of lists.relationer) {
    out.push({ kind: 'relation', name: r.name, ref: r.ref.uuid ?? r.ref.urn, rolle: r.rolle?.uuid ?? r.rolle?.urn, type: r.type?.uuid ?? r.type?.urn });
  }
  return out;
}

function noteOf(input: XmlElement): string | undefined {
  return childText(input, NS.sd, 'NoteTekst');
}

/** Refuses (status 40) a list longer than `max` rows: the per-request CPU bound of a write. */
function rowBound(max: number, lists: { egenskaber: unknown[]; tilstande: unknown[]; relationer: unknown[] }, what: string): void {
  for (const [name, rows] of [['AttributListe', lists.egenskaber], ['TilstandListe', lists.tilstande], ['RelationListe', lists.relationer]] as const) {
    if (rows.length > max) throw new WireError(name, `${what} has ${rows.length} rows; at most ${max} per list`);
  }
}

/** Appends a registration after the integrity checks, at the clock's time (after `existing`'s newest one). */
async function write(spec: ObjectTypeSpec, ctx: ServiceContext, tx: StoreTx, uuid: string, reg: Registrering, existing?: StoredObjekt): Promise<void> {
  rowBound(ctx.options.maxRowsPerList, reg, 'the registration');
  checkIntegrity(spec, reg);
  const at = registrationTime(ctx, existing);
  await tx.appendRegistrering(spec.name, uuid, { ...reg, tidspunkt: new Date(at).toISOString() }, at);
}

export function objectHandlers(spec: ObjectTypeSpec): Map<string, Handler> {
  const h = new Map<string, Handler>();
  const out = (element: string, ...rest: Parameters<typeof objectOutput> extends [unknown, unknown, ...infer R] ? R : never): EnvelopeBody =>
    objectOutput(spec, element, ...rest);

  const listShape = listsShape(spec.namespace);
  const shapes: Record<string, Shape> = {
    LaesInput: [[NS.sd, 'UUIDIdentifikator', 1], ...FILTER_SHAPE],
    ListInput: [[NS.sd, 'UUIDIdentifikator', Infinity], ...FILTER_SHAPE],
    SoegInput: [...SOEG_SHAPE, ...listShape],
    OpretInput: [[NS.sd, 'NoteTekst', 1], ...listShape],
    ImportInput: [[spec.namespace, spec.name, 1]],
    RetInput: [...UUID_NOTE_SHAPE, ...listShape],
    PassiverInput: UUID_NOTE_SHAPE,
    SletInput: UUID_NOTE_SHAPE,
  };

  h.set('LaesInput', async (input, ctx) => {
    const uuid = readUuid(child(input, NS.sd, 'UUIDIdentifikator'), 'LaesInput/UUIDIdentifikator');
    const f = readFilters(input, 'LaesInput');
    const obj = await ctx.store.get(spec.name, uuid);
    const snap = obj && snapshot(spec, obj, f);
    if (!snap) return out('LaesOutput', retur(STATUS.NOT_FOUND, `${spec.name} ${uuid} findes ikke`));
    return out('LaesOutput', ok(), writeFiltreret(spec, snap));
  });

  h.set('ListInput', async (input, ctx) => {
    const ids = childrenOf(input, NS.sd, 'UUIDIdentifikator');
    if (ids.length === 0) throw new WireError('ListInput/UUIDIdentifikator', 'at least one UUID is required');
    if (ids.length > ctx.options.maxListUuids) throw new WireError('ListInput/UUIDIdentifikator', `at most ${ctx.options.maxListUuids} UUIDs per List`);
    const uuids = ids.map((e, i) => readUuid(e, `ListInput/UUIDIdentifikator[${i + 1}]`));
    const f = readFilters(input, 'ListInput');
    const found = await ctx.store.getMany(spec.name, uuids);
    const parts: string[] = [];
    const done = new Set<string>();
    for (const uuid of uuids) {
      if (done.has(uuid)) continue;
      done.add(uuid);
      const obj = found.get(uuid);
      const snap = obj && snapshot(spec, obj, f);
      if (snap) parts.push(writeFiltreret(spec, snap));
    }
    if (parts.length === 0) return out('ListOutput', retur(STATUS.NOT_FOUND, 'Ingen af objekterne findes'));
    return out('ListOutput', ok(), ...parts);
  });

  h.set('SoegInput', async (input, ctx) => {
    const paging = readPaging(input, 'SoegInput', ctx);
    const tid = readSoegTid(input, 'SoegInput', ctx);
    for (const name of ['AttributListe', 'TilstandListe', 'RelationListe']) {
      if (!child(input, spec.namespace, name)) throw new WireError(`SoegInput/${name}`, 'required element is missing');
    }
    const lists = readLists(spec, input, 'SoegInput', { criterion: true });
    const { uuids } = await ctx.store.search({
      type: spec.name, criteria: criteriaOf(spec, lists), registreringAt: tid.registreringAt, virkning: tid.virkning,
      excludeLivscyklus: excludedLivscyklus(tid),
      offset: paging.offset, limit: paging.limit,
    });
    if (uuids.length === 0) return out('SoegOutput', retur(STATUS.NOT_FOUND, 'Ingen resultater'));
    return out('SoegOutput', ok(), el('sd:IdListe', ...uuids.map((u) => textEl('sd:UUIDIdentifikator', u))));
  });

  h.set('OpretInput', async (input, ctx) => {
    const lists = readLists(spec, input, 'OpretInput');
    if (!spec.opretListsOptional) {
      for (const [k, name] of [['attributter', 'AttributListe'], ['tilstande', 'TilstandListe'], ['relationer', 'RelationListe']] as const) {
        if (!lists.present[k]) throw new WireError(`OpretInput/${name}`, 'required element is missing');
      }
    }
    const uuid = randomUUID();
    return ctx.store.transaction(async (tx) => {
      await write(spec, ctx, tx, uuid, { livscyklus: 'Opstaaet', noteTekst: noteOf(input), egenskaber: lists.egenskaber, tilstande: lists.tilstande, relationer: lists.relationer });
      return out('OpretOutput', ok(), textEl('sd:UUIDIdentifikator', uuid));
    });
  });

  h.set('ImportInput', async (input, ctx) => {
    const objEl = child(input, spec.namespace, spec.name);
    if (!objEl) throw new WireError(`ImportInput/${spec.name}`, 'required element is missing');
    checkShape(objEl, objektShape(spec.namespace), `ImportInput/${spec.name}`);
    const obj = readObjekt(spec, objEl, `ImportInput/${spec.name}`);
    if (obj.registreringer.length === 0) throw new WireError(`ImportInput/${spec.name}/Registrering`, 'at least one Registrering is required');
    return ctx.store.transaction(async (tx) => {
      await tx.lock(spec.name, obj.uuid);
      const existing = await tx.get(spec.name, obj.uuid);
      // Importer on a live object is refused; after Passiver/Slet the UUID may be imported again (as OS2sync does).
      if (existing && !INACTIVE.includes(newest(existing).livscyklus as Livscyklus)) {
        return out('ImportOutput', retur(STATUS.CONFLICT, 'Objektet eksisterer allerede'));
      }
      const content = newestImported(obj.registreringer);
      await write(spec, ctx, tx, obj.uuid, { ...content, livscyklus: 'Importeret', brugerRef: content.brugerRef, noteTekst: content.noteTekst }, existing);
      return out('ImportOutput', ok());
    });
  });

  h.set('RetInput', async (input, ctx) => {
    const uuid = readUuid(child(input, NS.sd, 'UUIDIdentifikator'), 'RetInput/UUIDIdentifikator');
    const lists = readLists(spec, input, 'RetInput');
    rowBound(ctx.options.maxRetRowsPerList, lists, 'RetInput');
    return ctx.store.transaction(async (tx) => {
      await tx.lock(spec.name, uuid);
      const existing = await tx.get(spec.name, uuid);
      if (!existing) return out('RetOutput', retur(STATUS.NOT_FOUND, `${spec.name} ${uuid} findes ikke`));
      const base = newest(existing);
      if (INACTIVE.includes(base.livscyklus as Livscyklus)) return out('RetOutput', retur(STATUS.CONFLICT, `Objektet er ${base.livscyklus?.toLowerCase()}`));
      const merged = mergeRet(spec, base, {
        egenskaber: lists.present.attributter ? lists.egenskaber : undefined,
        tilstande: lists.present.tilstande ? lists.tilstande : undefined,
        relationer: lists.present.relationer ? lists.relationer : undefined,
      });
      await write(spec, ctx, tx, uuid, { ...merged, noteTekst: noteOf(input), brugerRef: undefined }, existing);
      return out('RetOutput', ok());
    });
  });

  const lifecycle = (element: 'PassiverInput' | 'SletInput', outElement: string, to: Livscyklus): void => {
    h.set(element, async (input, ctx) => {
      const uuid = readUuid(child(input, NS.sd, 'UUIDIdentifikator'), `${element}/UUIDIdentifikator`);
      return ctx.store.transaction(async (tx) => {
        await tx.lock(spec.name, uuid);
        const existing = await tx.get(spec.name, uuid);
        const base = existing && newest(existing);
        if (!base || base.livscyklus === 'Slettet') return out(outElement, retur(STATUS.NOT_FOUND, `${spec.name} ${uuid} findes ikke`));
        if (base.livscyklus === to) return out(outElement, retur(STATUS.CONFLICT, `Objektet er allerede ${to.toLowerCase()}`));
        await write(spec, ctx, tx, uuid, { ...base, livscyklus: to, noteTekst: noteOf(input), brugerRef: undefined }, existing);
        return out(outElement, ok());
      });
    });
  };
  lifecycle('PassiverInput', 'PassiverOutput', 'Passiveret');
  lifecycle('SletInput', 'SletOutput', 'Slettet');
  // Every input element is checked for unknown or repeated children before its handler reads it.
  for (const [element, handler] of h) h.set(element, (input, ctx) => {
    checkShape(input, shapes[element], element);
    return handler(input, ctx);
  });
  return h;
}
