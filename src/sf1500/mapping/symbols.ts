import { NS } from '../../model/namespaces';
import { HIERARCHY_LISTS, OBJECT_TYPES } from '../../model/objects';
import type { AttributeSpec, ObjectTypeName, ObjectTypeSpec } from '../../model/types';

/**
 * Element symbols: (namespace, local name) -> small integer, so the state machine compares numbers,
 * not strings. The table holds only names the mapper knows; anything else resolves to 0 (skipped).
 */

const SYMBOLS = new Map<string, number>();
const symKey = (ns: string, local: string): string => `${ns}\u0001${local}`; // U+0001 cannot occur in XML 1.0 text

function sym(ns: string, local: string): number {
  const k = symKey(ns, local);
  let y = SYMBOLS.get(k);
  if (y === undefined) {
    y = SYMBOLS.size + 1;
    SYMBOLS.set(k, y);
  }
  return y;
}

/** The symbol of a resolved element name; 0 when the mapper does not know it. */
export const symbolOf = (ns: string, local: string): number => SYMBOLS.get(symKey(ns, local)) ?? 0;

const sd = (local: string): number => sym(NS.sd, local);
export const Y_ENVELOPE = sym(NS.soap12, 'Envelope');
export const Y_HEADER = sym(NS.soap12, 'Header');
export const Y_BODY = sym(NS.soap12, 'Body');
export const Y_FAULT = sym(NS.soap12, 'Fault');
export const Y_CODE = sym(NS.soap12, 'Code');
export const Y_VALUE = sym(NS.soap12, 'Value');
export const Y_REASON = sym(NS.soap12, 'Reason');
export const Y_TEXT = sym(NS.soap12, 'Text');
export const Y_REQUESTHEADER = sym(NS.hdr, 'RequestHeader');
export const Y_TXUUID = sym(NS.hdr, 'TransactionUUID');
export const Y_STANDARDRETUR = sd('StandardRetur');
export const Y_STATUSKODE = sd('StatusKode');
export const Y_FEJLBESKED = sd('FejlbeskedTekst');
export const Y_UUID = sd('UUIDIdentifikator');
export const Y_URN = sd('URNIdentifikator');
export const Y_LABEL = sd('Label');
export const Y_VIRKNING = sd('Virkning');
export const Y_FRA = sd('FraTidspunkt');
export const Y_TIL = sd('TilTidspunkt');
export const Y_TIDSSTEMPEL = sd('TidsstempelDatoTid');
export const Y_GRAENSE = sd('GraenseIndikator');
export const Y_AKTOERREF = sd('AktoerRef');
export const Y_AKTOERTYPE = sd('AktoerTypeKode');
export const Y_NOTE = sd('NoteTekst');
export const Y_TIDSPUNKT = sd('Tidspunkt');
export const Y_LIVSCYKLUS = sd('LivscyklusKode');
export const Y_BRUGERREF = sd('BrugerRef');
export const Y_REFERENCEID = sd('ReferenceID');
export const Y_ROLLE = sd('Rolle');
export const Y_TYPE = sd('Type');
export const Y_INDEKS = sd('Indeks');
export const Y_ORGSYS_FOB = sym(NS.orgsys, 'FiltreretOejebliksbillede');

/** One object type compiled for the mapper: its element symbols and lookups by symbol. */
export interface CompiledSpec {
  spec: ObjectTypeSpec;
  fob: number;
  objektType: number;
  registrering: number;
  attributListe: number;
  tilstandListe: number;
  relationListe: number;
  egenskab: number;
  attrSyms: Map<number, number>;
  /** Structured attributes (Soegeord): child symbols in `a.children` order. */
  attrChildren: Array<number[] | undefined>;
  stateEl: number;
  stateValue: number;
  relSyms: Map<number, number>;
}

const nsOfAttr = (spec: ObjectTypeSpec, ns: AttributeSpec['ns'] | 'fael'): string =>
  ns === 'sd' ? NS.sd : ns === 'sts' ? NS.sts : ns === 'fael' ? NS.fael : spec.namespace;

function compile(spec: ObjectTypeSpec): CompiledSpec {
  const own = (local: string): number => sym(spec.namespace, local);
  const st = spec.state;
  return {
    spec,
    fob: own('FiltreretOejebliksbillede'),
    objektType: own('ObjektType'),
    registrering: own('Registrering'),
    attributListe: own('AttributListe'),
    tilstandListe: own('TilstandListe'),
    relationListe: own('RelationListe'),
    egenskab: own('Egenskab'),
    attrSyms: new Map(spec.attributes.map((a, i) => [sym(nsOfAttr(spec, a.ns), a.element), i])),
    attrChildren: spec.attributes.map((a) => a.children?.map((c) => sd(c.element))),
    stateEl: st ? sym(nsOfAttr(spec, st.ns), st.element) : -1,
    stateValue: st ? sym(st.valueNs === 'sd' ? NS.sd : NS.fael, st.valueElement) : -1,
    relSyms: new Map(spec.relations.map((r, i) => [sd(r.element), i])),
  };
}

export const COMPILED = new Map<ObjectTypeName, CompiledSpec>(OBJECT_TYPES.map((s) => [s.name, compile(s)]));

/** The six OrganisationSystem hierarchy lists, in wire order, with their compiled object type. */
export const HIERARCHY = HIERARCHY_LISTS.map((l) => ({ sym: sym(NS.orgsys, l.element), element: l.element, type: l.type, cs: COMPILED.get(l.type)! }));
