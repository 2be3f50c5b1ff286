import { NS } from '../model/namespaces';
import { AKTOER_TYPE_KODER, isUuid, LIVSCYKLUS } from '../model/domain';
import type { AktoerTypeKode, Egenskab, LabelRef, Livscyklus, Objekt, Ref, Registrering, Relation, StandardRetur, Tilstand, Virkning } from '../model/domain';
import type { AttributeSpec, ObjectTypeSpec } from '../model/types';
import { child, childrenOf, childText, type XmlElement } from '../xml/reader';
import { el, textEl } from '../xml/writer';
import { WireError } from './errors';
import { isDateTime } from '../temporal/period';

/**
 * The OIO wire codec: Registrering, Virkning, relations and attribute lists to and from XML,
 * driven entirely by the object type specs. Used by both the local SF1500 and the client.
 */

// ---------- namespaces and prefixes ----------

export const nsOf = (spec: ObjectTypeSpec, ns: AttributeSpec['ns'] | 'fael'): string =>
  ns === 'sd' ? NS.sd : ns === 'sts' ? NS.sts : ns === 'fael' ? NS.fael : spec.namespace;
const prefixOf = (spec: ObjectTypeSpec, ns: AttributeSpec['ns'] | 'fael'): string => (ns === 'self' ? spec.prefix : ns);

/** Namespace declarations a message about `spec` needs on its root element. */
export function rootNamespaces(spec?: ObjectTypeSpec): Record<string, string> {
  const ns: Record<string, string> = { sd: NS.sd, fael: NS.fael, sts: NS.sts };
  if (spec) ns[spec.prefix] = spec.namespace;
  return ns;
}

// ---------- reading ----------

function req(e: XmlElement | undefined, path: string): XmlElement {
  if (!e) throw new WireError(path, 'required element is missing');
  return e;
}

/** The text of a simple-typed element; child elements there are a contract violation, not ignorable. */
function textOf(e: XmlElement | undefined, path: string): string {
  const el = req(e, path);
  if (el.children.length > 0) throw new WireError(path, `must hold text only, found element ${el.children[0].name}`);
  return el.text.trim();
}

function checkChildren(e: XmlElement, allowed: ReadonlyArray<[string, string]>, path: string): void {
  for (const c of e.children) {
    if (!allowed.some(([ns, name]) => c.ns === ns && c.name === name)) {
      throw new WireError(`${path}/${c.name}`, `unexpected element {${c.ns}}${c.name}`);
    }
  }
}

export function readUuid(e: XmlElement | undefined, path: string): string {
  const v = textOf(e, path);
  if (!isUuid(v)) throw new WireError(path, `not a UUID: '${v.slice(0, 60)}'`);
  return v.toLowerCase();
}

export function readDateTime(e: XmlElement | undefined, path: string): string {
  const v = textOf(e, path);
  if (!isDateTime(v)) throw new WireError(path, `not an xs:dateTime: '${v.slice(0, 60)}'`);
  return v;
}

/** sd:TidspunktType: a timestamp, or GraenseIndikator=true for an open end (null). */
export function readTidspunkt(e: XmlElement, path: string): string | null {
  const ts = child(e, NS.sd, 'TidsstempelDatoTid');
  if (ts) return readDateTime(ts, `${path}/TidsstempelDatoTid`);
  const g = child(e, NS.sd, 'GraenseIndikator');
  if (g) {
    if (g.text.trim() !== 'true' && g.text.trim() !== '1') throw new WireError(`${path}/GraenseIndikator`, 'must be true');
    return null;
  }
  throw new WireError(path, 'needs TidsstempelDatoTid or GraenseIndikator');
}

export function readUnikId(e: XmlElement, path: string): Ref {
  const u = child(e, NS.sd, 'UUIDIdentifikator');
  if (u) return { uuid: readUuid(u, `${path}/UUIDIdentifikator`) };
  const urn = child(e, NS.sd, 'URNIdentifikator');
  if (urn) {
    const v = urn.text.trim();
    if (v.length === 0 || v.length > 255) throw new WireError(`${path}/URNIdentifikator`, 'must be 1-255 characters');
    return { urn: v };
  }
  throw new WireError(path, 'needs UUIDIdentifikator or URNIdentifikator');
}

export function readVirkning(e: XmlElement | undefined, path: string): Virkning {
  if (!e) return { fra: null, til: null };
  checkChildren(e, ['FraTidspunkt', 'TilTidspunkt', 'AktoerRef', 'AktoerTypeKode', 'NoteTekst'].map((n): [string, string] => [NS.sd, n]), path);
  const fra = child(e, NS.sd, 'FraTidspunkt');
  const til = child(e, NS.sd, 'TilTidspunkt');
  const v: Virkning = {
    fra: fra ? readTidspunkt(fra, `${path}/FraTidspunkt`) : null,
    til: til ? readTidspunkt(til, `${path}/TilTidspunkt`) : null,
  };
  if (v.fra !== null && v.til !== null && Date.parse(v.fra) > Date.parse(v.til)) {
    throw new WireError(path, 'FraTidspunkt is after TilTidspunkt');
  }
  const aktoer = child(e, NS.sd, 'AktoerRef');
  if (aktoer) {
    const r = readUnikId(aktoer, `${path}/AktoerRef`);
    v.aktoerRef = r.uuid ?? r.urn;
  }
  const typ = childText(e, NS.sd, 'AktoerTypeKode');
  if (typ !== undefined) {
    if (!AKTOER_TYPE_KODER.includes(typ as AktoerTypeKode)) throw new WireError(`${path}/AktoerTypeKode`, `unknown value '${typ.slice(0, 40)}'`);
    v.aktoerTypeKode = typ as AktoerTypeKode;
  }
  const note = childText(e, NS.sd, 'NoteTekst');
  if (note !== undefined) v.noteTekst = note;
  return v;
}

function readAttributeValue(spec: ObjectTypeSpec, a: AttributeSpec, e: XmlElement, path: string): string {
  if (a.children) {
    // Structured value (Soegeord): kept as a JSON object of its sd children.
    const o: Record<string, string> = {};
    for (const { element: c } of a.children) {
      const t = childText(e, NS.sd, c);
      if (t !== undefined) o[c] = t;
    }
    return JSON.stringify(o);
  }
  const v = textOf(e, path);
  if (a.maxLength !== undefined && v.length > a.maxLength) throw new WireError(path, `longer than ${a.maxLength} characters`);
  if (a.pattern && !a.pattern.test(v)) throw new WireError(path, `does not match ${a.pattern.source}`);
  void spec;
  return v;
}

export function readEgenskab(spec: ObjectTypeSpec, e: XmlElement, path: string): Egenskab {
  checkChildren(e, [[NS.sd, 'Virkning'], ...spec.attributes.map((a): [string, string] => [nsOf(spec, a.ns), a.element])], path);
  const values: Egenskab['values'] = {};
  for (const a of spec.attributes) {
    const found = childrenOf(e, nsOf(spec, a.ns), a.element);
    if (found.length === 0) continue;
    if (!a.repeats && found.length > 1) throw new WireError(`${path}/${a.element}`, 'may occur at most once');
    const vals = found.map((f, i) => readAttributeValue(spec, a, f, `${path}/${a.element}${a.repeats ? `[${i + 1}]` : ''}`));
    values[a.element] = a.repeats ? vals : vals[0];
  }
  return { virkning: readVirkning(child(e, NS.sd, 'Virkning'), `${path}/Virkning`), values };
}

export function readTilstand(spec: ObjectTypeSpec, e: XmlElement, path: string): Tilstand {
  const st = spec.state!;
  const valueNs = st.valueNs === 'sd' ? NS.sd : NS.fael;
  checkChildren(e, [[NS.sd, 'Virkning'], [valueNs, st.valueElement]], path);
  const value = req(child(e, valueNs, st.valueElement), `${path}/${st.valueElement}`).text.trim();
  if (!st.values.includes(value)) throw new WireError(`${path}/${st.valueElement}`, `must be one of ${st.values.join(', ')}`);
  return { virkning: readVirkning(child(e, NS.sd, 'Virkning'), `${path}/Virkning`), value };
}

function readLabelRef(e: XmlElement, path: string): LabelRef {
  const r: LabelRef = readUnikId(e, path);
  const label = childText(e, NS.sd, 'Label');
  if (label !== undefined) r.label = label;
  return r;
}

export function readRelation(spec: ObjectTypeSpec, e: XmlElement, path: string, opts: { criterion?: boolean } = {}): Relation {
  const rs = spec.relations.find((r) => r.element === e.name)!;
  const allowed: Array<[string, string]> = [[NS.sd, 'Virkning'], [NS.sd, 'ReferenceID']];
  if (rs.dynamic) allowed.push([NS.sd, 'Rolle'], [NS.sd, 'Type'], [NS.sd, 'Indeks']);
  checkChildren(e, allowed, path);
  const refEl = child(e, NS.sd, 'ReferenceID');
  // A search criterion may name only the relation (any reference); a stored relation needs its target.
  const ref: Ref = refEl ? readUnikId(refEl, `${path}/ReferenceID`) : {};
  if (!refEl && !opts.criterion) throw new WireError(`${path}/ReferenceID`, 'required element is missing');
  const r: Relation = { name: e.name, virkning: readVirkning(child(e, NS.sd, 'Virkning'), `${path}/Virkning`), ref };
  if (rs.dynamic) {
    const rolle = child(e, NS.sd, 'Rolle');
    const type = child(e, NS.sd, 'Type');
    const indeks = childText(e, NS.sd, 'Indeks');
    if (!opts.criterion) {
      req(rolle, `${path}/Rolle`);
      req(type, `${path}/Type`);
      if (indeks === undefined) throw new WireError(`${path}/Indeks`, 'required element is missing');
    }
    if (rolle) r.rolle = readLabelRef(rolle, `${path}/Rolle`);
    if (type) r.type = readLabelRef(type, `${path}/Type`);
    if (indeks !== undefined) r.indeks = indeks;
  }
  return r;
}

export interface Lists {
  egenskaber: Egenskab[];
  tilstande: Tilstand[];
  relationer: Relation[];
}

/** Reads AttributListe/TilstandListe/RelationListe children of `parent` (each may be absent). */
export function readLists(spec: ObjectTypeSpec, parent: XmlElement, path: string, opts: { criterion?: boolean } = {}): Lists & { present: { attributter: boolean; tilstande: boolean; relationer: boolean } } {
  const al = child(parent, spec.namespace, 'AttributListe');
  const tl = child(parent, spec.namespace, 'TilstandListe');
  const rl = child(parent, spec.namespace, 'RelationListe');
  const out: Lists = { egenskaber: [], tilstande: [], relationer: [] };
  if (al) {
    checkChildren(al, [[spec.namespace, 'Egenskab'], [NS.sd, 'LokalUdvidelse']], `${path}/AttributListe`);
    childrenOf(al, spec.namespace, 'Egenskab').forEach((e, i) => out.egenskaber.push(readEgenskab(spec, e, `${path}/AttributListe/Egenskab[${i + 1}]`)));
  }
  if (tl) {
    const allowed: Array<[string, string]> = [[NS.sd, 'LokalUdvidelse']];
    if (spec.state) allowed.push([nsOf(spec, spec.state.ns), spec.state.element]);
    checkChildren(tl, allowed, `${path}/TilstandListe`);
    if (spec.state) {
      childrenOf(tl, nsOf(spec, spec.state.ns), spec.state.element)
        .forEach((e, i) => out.tilstande.push(readTilstand(spec, e, `${path}/TilstandListe/${spec.state!.element}[${i + 1}]`)));
    }
  }
  if (rl) {
    checkChildren(rl, [...spec.relations.map((r): [string, string] => [NS.sd, r.element]), [NS.sd, 'LokalUdvidelse']], `${path}/RelationListe`);
    const seen = new Map<string, number>();
    for (const c of rl.children) {
      if (c.name === 'LokalUdvidelse') continue;
      const n = (seen.get(c.name) ?? 0) + 1;
      seen.set(c.name, n);
      const rs = spec.relations.find((r) => r.element === c.name)!;
      if (!rs.multi && n > 1 && !opts.criterion) throw new WireError(`${path}/RelationListe/${c.name}`, 'is a 0..1 relation and may occur at most once');
      out.relationer.push(readRelation(spec, c, `${path}/RelationListe/${c.name}${rs.multi ? `[${n}]` : ''}`, opts));
    }
  }
  return { ...out, present: { attributter: !!al, tilstande: !!tl, relationer: !!rl } };
}

export function readRegistrering(spec: ObjectTypeSpec, e: XmlElement, path: string): Registrering {
  checkChildren(e, [...['NoteTekst', 'Tidspunkt', 'LivscyklusKode', 'BrugerRef'].map((n): [string, string] => [NS.sd, n]),
    ...['AttributListe', 'TilstandListe', 'RelationListe'].map((n): [string, string] => [spec.namespace, n])], path);
  const lists = readLists(spec, e, path);
  if (!lists.present.attributter) throw new WireError(`${path}/AttributListe`, 'required element is missing');
  if (!lists.present.tilstande) throw new WireError(`${path}/TilstandListe`, 'required element is missing');
  if (!lists.present.relationer) throw new WireError(`${path}/RelationListe`, 'required element is missing');
  const reg: Registrering = { egenskaber: lists.egenskaber, tilstande: lists.tilstande, relationer: lists.relationer };
  const note = childText(e, NS.sd, 'NoteTekst');
  if (note !== undefined) reg.noteTekst = note;
  const ts = child(e, NS.sd, 'Tidspunkt');
  if (ts) reg.tidspunkt = readDateTime(ts, `${path}/Tidspunkt`);
  const lc = childText(e, NS.sd, 'LivscyklusKode');
  if (lc !== undefined) {
    if (!LIVSCYKLUS.includes(lc as Livscyklus)) throw new WireError(`${path}/LivscyklusKode`, `unknown value '${lc.slice(0, 40)}'`);
    reg.livscyklus = lc as Livscyklus;
  }
  const br = child(e, NS.sd, 'BrugerRef');
  if (br) {
    const r = readUnikId(br, `${path}/BrugerRef`);
    reg.brugerRef = r.uuid ?? r.urn;
  }
  return reg;
}

/** Reads a FiltreretOejebliksbillede (object namespace children) or an object element (ImportInput). */
export function readObjekt(spec: ObjectTypeSpec, e: XmlElement, path: string): Objekt {
  const objektType = child(e, spec.namespace, 'ObjektType');
  const uuid = readUuid(child(objektType ?? e, NS.sd, 'UUIDIdentifikator'), `${path}/${objektType ? 'ObjektType/' : ''}UUIDIdentifikator`);
  const registreringer = childrenOf(e, spec.namespace, 'Registrering').map((r, i) => readRegistrering(spec, r, `${path}/Registrering[${i + 1}]`));
  return { uuid, registreringer };
}

export function readStandardRetur(parent: XmlElement, path: string): StandardRetur {
  const sr = req(child(parent, NS.sd, 'StandardRetur'), `${path}/StandardRetur`);
  const code = Number(childText(sr, NS.sd, 'StatusKode'));
  if (!Number.isInteger(code)) throw new WireError(`${path}/StandardRetur/StatusKode`, 'not an integer');
  const out: StandardRetur = { statusKode: code };
  const msg = childText(sr, NS.sd, 'FejlbeskedTekst');
  if (msg !== undefined) out.fejlbeskedTekst = msg;
  return out;
}

// ---------- writing ----------

export function writeTidspunkt(qname: string, t: string | null): string {
  return el(qname, t === null ? textEl('sd:GraenseIndikator', 'true') : textEl('sd:TidsstempelDatoTid', t));
}

export function writeUnikId(qname: string, r: Ref & { label?: string }): string {
  const id = r.uuid !== undefined ? textEl('sd:UUIDIdentifikator', r.uuid) : textEl('sd:URNIdentifikator', r.urn ?? '');
  return el(qname, id, textEl('sd:Label', r.label));
}

const refOf = (s: string): Ref => (isUuid(s) ? { uuid: s } : { urn: s });

export function writeVirkning(v: Virkning): string {
  return el('sd:Virkning',
    writeTidspunkt('sd:FraTidspunkt', v.fra),
    writeTidspunkt('sd:TilTidspunkt', v.til),
    v.aktoerRef !== undefined ? writeUnikId('sd:AktoerRef', refOf(v.aktoerRef)) : '',
    textEl('sd:AktoerTypeKode', v.aktoerTypeKode),
    textEl('sd:NoteTekst', v.noteTekst));
}

function writeAttribute(spec: ObjectTypeSpec, a: AttributeSpec, value: string): string {
  const q = `${prefixOf(spec, a.ns)}:${a.element}`;
  if (a.children) {
    const o = JSON.parse(value) as Record<string, string>;
    return el(q, ...a.children.map(({ element: c }) => textEl(`sd:${c}`, o[c])));
  }
  return textEl(q, value);
}

export function writeEgenskab(spec: ObjectTypeSpec, e: Egenskab, opts: { omitVirkning?: boolean } = {}): string {
  const parts = [opts.omitVirkning ? '' : writeVirkning(e.virkning)];
  for (const a of spec.attributes) {
    const v = e.values[a.element];
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) parts.push(writeAttribute(spec, a, one));
  }
  return el(`${spec.prefix}:Egenskab`, ...parts);
}

export function writeTilstand(spec: ObjectTypeSpec, t: Tilstand, opts: { omitVirkning?: boolean } = {}): string {
  const st = spec.state!;
  return el(`${prefixOf(spec, st.ns)}:${st.element}`,
    opts.omitVirkning ? '' : writeVirkning(t.virkning),
    textEl(`${st.valueNs}:${st.valueElement}`, t.value));
}

export function writeRelation(spec: ObjectTypeSpec, r: Relation, opts: { omitVirkning?: boolean } = {}): string {
  return el(`sd:${r.name}`,
    opts.omitVirkning ? '' : writeVirkning(r.virkning),
    r.ref.uuid !== undefined || r.ref.urn !== undefined ? writeUnikId('sd:ReferenceID', r.ref) : '',
    r.rolle ? writeUnikId('sd:Rolle', r.rolle) : '',
    r.type ? writeUnikId('sd:Type', r.type) : '',
    textEl('sd:Indeks', r.indeks));
}

/** Relations in XSD sequence order (the wire rejects any other order). */
export function sortRelations(spec: ObjectTypeSpec, rels: readonly Relation[]): Relation[] {
  const order = new Map(spec.relations.map((r, i) => [r.element, i]));
  return [...rels].sort((a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0));
}

export function writeAttributListe(spec: ObjectTypeSpec, egenskaber: readonly Egenskab[], opts: { omitVirkning?: boolean } = {}): string {
  return el(`${spec.prefix}:AttributListe`, ...egenskaber.map((e) => writeEgenskab(spec, e, opts)));
}
export function writeTilstandListe(spec: ObjectTypeSpec, tilstande: readonly Tilstand[], opts: { omitVirkning?: boolean } = {}): string {
  return el(`${spec.prefix}:TilstandListe`, ...(spec.state ? tilstande.map((t) => writeTilstand(spec, t, opts)) : []));
}
export function writeRelationListe(spec: ObjectTypeSpec, relationer: readonly Relation[], opts: { omitVirkning?: boolean } = {}): string {
  return el(`${spec.prefix}:RelationListe`, ...sortRelations(spec, relationer).map((r) => writeRelation(spec, r, opts)));
}

export function writeRegistrering(spec: ObjectTypeSpec, reg: Registrering): string {
  return el(`${spec.prefix}:Registrering`,
    textEl('sd:NoteTekst', reg.noteTekst),
    textEl('sd:Tidspunkt', reg.tidspunkt),
    textEl('sd:LivscyklusKode', reg.livscyklus),
    reg.brugerRef !== undefined ? writeUnikId('sd:BrugerRef', refOf(reg.brugerRef)) : '',
    writeAttributListe(spec, reg.egenskaber),
    writeTilstandListe(spec, reg.tilstande),
    writeRelationListe(spec, reg.relationer));
}

/** FiltreretOejebliksbillede; `wrapper` is its qualified name (object ns, or orgsys in the hierarchy). */
export function writeFiltreret(spec: ObjectTypeSpec, obj: Objekt, wrapper = `${spec.prefix}:FiltreretOejebliksbillede`): string {
  return el(wrapper,
    el(`${spec.prefix}:ObjektType`, textEl('sd:UUIDIdentifikator', obj.uuid)),
    ...obj.registreringer.map((r) => writeRegistrering(spec, r)));
}

/** The object element itself (`orgenhed:OrganisationEnhed`), as ImportInput carries it. */
export function writeObjektElement(spec: ObjectTypeSpec, obj: Objekt): string {
  return el(`${spec.prefix}:${spec.name}`, textEl('sd:UUIDIdentifikator', obj.uuid), ...obj.registreringer.map((r) => writeRegistrering(spec, r)));
}

export function writeStandardRetur(r: StandardRetur): string {
  return el('sd:StandardRetur', textEl('sd:StatusKode', r.statusKode), textEl('sd:FejlbeskedTekst', r.fejlbeskedTekst));
}
