import * as path from 'node:path';
import { NS } from '../model/namespaces';
import { OBJECT_TYPES } from '../model/objects';
import type { AttributeSpec } from '../model/types';
import { FILES, GENERATED, operationerFile } from './layout';
import { renderDocument, text, x, type KidInput, type XNode } from './xmltree';

/** The XSD building blocks (elements, facets, sequences) and the schema document around a body. */

// ------------------------------------------------------------------------------------------
// XSD building blocks
// ------------------------------------------------------------------------------------------

export interface Facets {
  base: 'string' | 'boolean' | 'integer' | 'dateTime';
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  enumeration?: readonly string[];
}

export type Occ = '1' | '0..1' | '0..n' | '1..n';
const OCC: Record<Occ, { minOccurs?: number; maxOccurs?: string }> = {
  '1': {},
  '0..1': { minOccurs: 0 },
  '0..n': { minOccurs: 0, maxOccurs: 'unbounded' },
  '1..n': { maxOccurs: 'unbounded' },
};

export const xs = (tag: string, attrs: Record<string, string | number | undefined> = {}, ...kids: KidInput[]): XNode =>
  x(`xs:${tag}`, attrs, ...kids);
export const doc = (description: string | undefined): KidInput =>
  description ? xs('annotation', {}, xs('documentation', {}, text(description))) : undefined;
export const ref = (qname: string, occ: Occ = '1', description?: string): XNode => xs('element', { ref: qname, ...OCC[occ] }, doc(description));
export const local = (name: string, type: string, occ: Occ = '1'): XNode => xs('element', { name, type, ...OCC[occ] });
export const global = (name: string, type: string, description?: string): XNode => xs('element', { name, type }, doc(description));
export const seq = (...kids: KidInput[]): XNode => xs('sequence', {}, ...kids);
export const complexType = (name: string, ...kids: KidInput[]): XNode => xs('complexType', { name }, ...kids);
export const extension = (base: string, ...kids: KidInput[]): XNode =>
  xs('complexContent', {}, xs('extension', { base }, kids.length > 0 ? seq(...kids) : undefined));
/** `<element name=N type=prefix:NType/>` plus its complexType: the pattern of every structured sagdok element. */
export const elementWithType = (name: string, prefix: string, ...typeKids: KidInput[]): XNode[] =>
  [global(name, `${prefix}:${name}Type`), complexType(`${name}Type`, ...typeKids)];

export function restriction(f: Facets): XNode {
  return xs('restriction', { base: `xs:${f.base}` },
    f.minLength !== undefined && xs('minLength', { value: f.minLength }),
    f.maxLength !== undefined && xs('maxLength', { value: f.maxLength }),
    f.pattern !== undefined && xs('pattern', { value: f.pattern }),
    (f.enumeration ?? []).map((v) => xs('enumeration', { value: v })));
}
export const hasFacets = (f: Facets): boolean =>
  f.maxLength !== undefined || f.minLength !== undefined || f.pattern !== undefined || f.enumeration !== undefined;
/** A simple element: `type="xs:base"` without facets, otherwise an anonymous restriction. */
export function simpleElement(name: string, f: Facets): XNode {
  return hasFacets(f) ? xs('element', { name }, xs('simpleType', {}, restriction(f))) : xs('element', { name, type: `xs:${f.base}` });
}
export const simpleType = (name: string, f: Facets): XNode => xs('simpleType', { name }, restriction(f));

/** A JS RegExp of the model as an XSD pattern (XSD patterns are implicitly anchored). */
export function xsdPattern(re: RegExp): string {
  if (re.flags.replace('u', '') !== '') throw new Error(`regex flags are not expressible in XSD: ${re}`);
  let s = re.source;
  if (s.startsWith('^')) s = s.slice(1);
  if (s.endsWith('$') && !s.endsWith('\\$')) s = s.slice(0, -1);
  // Drop one group that spans the whole pattern: ^(a|b)$ and a|b mean the same anchored.
  if (s.startsWith('(') && !s.startsWith('(?')) {
    let depth = 0;
    let closesAtEnd = false;
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (c === '\\') { i++; continue; }
      if (c === '(') depth++;
      else if (c === ')' && --depth === 0) { closesAtEnd = i === s.length - 1; break; }
    }
    if (closesAtEnd) s = s.slice(1, -1);
  }
  return s;
}

export function attributeFacets(a: AttributeSpec): Facets {
  return { base: 'string', maxLength: a.maxLength, pattern: a.pattern ? xsdPattern(a.pattern) : undefined };
}

export const sameFacets = (a: Facets, b: Facets): boolean => JSON.stringify(normalizeFacets(a)) === JSON.stringify(normalizeFacets(b));
export const normalizeFacets = (f: Facets): Facets => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as Facets;

/** Simple element declarations shared by several object types (sd, sts): one declaration each, facets must agree. */
export class SimpleDeclarations {
  private readonly decls = new Map<string, { facets: Facets; from: string }>();
  add(element: string, facets: Facets, from: string): void {
    const prev = this.decls.get(element);
    if (prev && !sameFacets(prev.facets, facets)) {
      throw new Error(`model conflict: ${element} declared by ${prev.from} as ${JSON.stringify(prev.facets)} and by ${from} as ${JSON.stringify(facets)}`);
    }
    if (!prev) this.decls.set(element, { facets, from });
  }
  nodes(): XNode[] {
    return [...this.decls].map(([name, d]) => simpleElement(name, d.facets));
  }
}

/** Named simple types of urn:oio:sts:6 that object-namespace attributes with equal facets use (Person.NavnTekst). */
export const STS_SIMPLE_TYPES: Readonly<Record<string, Facets>> = {
  ShortNavnTekst: { base: 'string', maxLength: 100 },
};

// ------------------------------------------------------------------------------------------
// Schema documents and imports
// ------------------------------------------------------------------------------------------

interface NsInfo {
  ns: string;
  file: string;
}

/** Where each namespace prefix is declared (prefix → namespace, schema file to import). */
function namespaceRegistry(): Map<string, NsInfo> {
  const reg = new Map<string, NsInfo>([
    ['sd', { ns: NS.sd, file: FILES.sagdok }],
    ['hdr', { ns: NS.hdr, file: FILES.header }],
    ['fael', { ns: NS.fael, file: FILES.faelles }],
    ['part', { ns: NS.part, file: FILES.part }],
    ['sts', { ns: NS.sts, file: FILES.sts }],
    ['orgsys', { ns: NS.orgsys, file: FILES.orgsys }],
    ['orgadm', { ns: NS.orgadm, file: FILES.orgadm }],
  ]);
  // Other schemas import an object namespace through its Operationer.xsd, which includes the object schema.
  for (const t of OBJECT_TYPES) reg.set(t.prefix, { ns: t.namespace, file: operationerFile(t) });
  return reg;
}
export const REGISTRY = namespaceRegistry();

export function usedPrefixes(nodes: readonly XNode[], acc = new Set<string>()): Set<string> {
  for (const n of nodes) {
    for (const key of ['ref', 'type', 'base'] as const) {
      const v = n.attrs[key];
      if (typeof v === 'string' && v.includes(':')) acc.add(v.slice(0, v.indexOf(':')));
    }
    usedPrefixes(n.kids.filter((k): k is XNode => 'tag' in k), acc);
  }
  return acc;
}

export const relativeTo = (fromFile: string, toFile: string): string => path.posix.relative(path.posix.dirname(fromFile), toFile);

/**
 * One XSD document. Imports and namespace declarations are derived from the QNames the body
 * uses, so a schema never imports what it does not reference (and never misses an import).
 */
export function schemaDocument(file: string, tnsPrefix: string, summary: string, body: readonly XNode[], includes: readonly string[] = []): string {
  const tns = REGISTRY.get(tnsPrefix);
  if (!tns) throw new Error(`unknown prefix ${tnsPrefix}`);
  const prefixes = [...usedPrefixes(body)].filter((p) => p !== 'xs' && p !== tnsPrefix).sort();
  const xmlns: Record<string, string> = { 'xmlns:xs': NS.xsd, [`xmlns:${tnsPrefix}`]: tns.ns };
  for (const p of prefixes) {
    const info = REGISTRY.get(p);
    if (!info) throw new Error(`${file}: no namespace registered for prefix ${p}`);
    xmlns[`xmlns:${p}`] = info.ns;
  }
  const root = xs('schema', { ...xmlns, targetNamespace: tns.ns, elementFormDefault: 'qualified', attributeFormDefault: 'unqualified' },
    doc(summary),
    prefixes.map((p) => xs('import', { namespace: REGISTRY.get(p)!.ns, schemaLocation: relativeTo(file, REGISTRY.get(p)!.file) })),
    includes.map((inc) => xs('include', { schemaLocation: relativeTo(file, inc) })),
    body);
  return renderDocument(root, GENERATED);
}
