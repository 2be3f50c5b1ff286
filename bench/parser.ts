import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { NS } from '../src/model/namespaces';
import { HIERARCHY_LISTS, objectType } from '../src/model/objects';
import { readObjekt } from '../src/oio/codec';
import { buildEnvelope, parseEnvelope } from '../src/oio/envelope';
import { Sf1500Client } from '../src/sf1500/client';
import { Transport } from '../src/sf1500/transport';
import { child, childrenOf, parseXml } from '../src/xml/reader';
import { textEl } from '../src/xml/writer';
import { gc, median } from './util';

/**
 * node-soap against our reader on one large FremsoegObjekthierarkiOutput (the first hierarchy
 * page, the largest: every list full). Both parse the same string already in memory.
 */

export interface ParserResult {
  bytes: number;
  objects: number;
  runs: number;
  rows: Array<{ name: string; ms: number; mbPerS: number; note?: string }>;
  soapError?: string;
}

/** Fetches one raw hierarchy page from the SF1500 (the text as it came over the wire). */
export async function fetchHierarchyPage(baseUrl: string, limit: number): Promise<string> {
  const t = new Transport({ maxSockets: 1, maxResponseBytes: 512 * 1024 * 1024 });
  try {
    const client = new Sf1500Client({ baseUrl });
    const body = buildEnvelope({
      qname: 'orgsys:FremsoegObjekthierarkiInput', namespaces: { sd: NS.sd, orgsys: NS.orgsys },
      content: textEl('sd:FoersteResultatReference', 0) + textEl('sd:MaksimalAntalKvantitet', limit),
    });
    const res = await t.post(client.endpoint('organisation', 'organisationsystem'), body, Sf1500Client.soapAction('organisation', 'organisationsystem', 'fremsoegobjekthierarki'), 600_000);
    client.close();
    return res.text;
  } finally {
    t.close();
  }
}

/** Our path: saxes tree, then the codec to domain objects (what Sf1500Client.fremsoeg does). */
function oursFull(xml: string): number {
  const out = parseEnvelope(xml).body;
  let n = 0;
  for (const l of HIERARCHY_LISTS) {
    const wrap = child(out, NS.orgsys, l.element);
    if (!wrap) continue;
    const spec = objectType(l.type);
    n += childrenOf(wrap, NS.orgsys, 'FiltreretOejebliksbillede').map((f, i) => readObjekt(spec, f, `${l.element}[${i}]`)).length;
  }
  return n;
}

/**
 * node-soap needs a WSDL whose messages start with the body part: ours (like KOMBIT's) declare the
 * RequestHeader part first, and node-soap takes the first part as the body element, then fails in
 * xmlToObject ("Cannot read properties of undefined (reading 'description')"). A copy without the
 * header parts, pointing at the same XSDs, is what node-soap can use.
 */
async function soapParser(): Promise<(xml: string) => unknown> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const soap = require('soap') as { createClientAsync(url: string): Promise<{ wsdl: { xmlToObject(xml: string): unknown } }> };
  const src = readFileSync(resolve('contract/wsdl/OrganisationSystem.wsdl'), 'utf8');
  const xsd = resolve('contract/xsd');
  const patched = src.replace(/\s*<wsdl:part name="header"[^>]*\/>/g, '').replace(/schemaLocation="\.\.\/xsd\//g, `schemaLocation="${xsd}/`);
  const file = join(mkdtempSync(join(tmpdir(), 'sf1500-bench-')), 'OrganisationSystem.wsdl');
  writeFileSync(file, patched);
  const client = await soap.createClientAsync(file);
  return (xml) => client.wsdl.xmlToObject(xml);
}

function soapObjects(o: unknown): number {
  const out = (o as { Body?: { FremsoegObjekthierarkiOutput?: Record<string, { FiltreretOejebliksbillede?: unknown }> } }).Body?.FremsoegObjekthierarkiOutput;
  if (!out) return 0;
  let n = 0;
  for (const l of HIERARCHY_LISTS) {
    const f = out[l.element]?.FiltreretOejebliksbillede;
    n += Array.isArray(f) ? f.length : f ? 1 : 0;
  }
  return n;
}

export async function compareParsers(xml: string, runs: number): Promise<ParserResult> {
  const bytes = Buffer.byteLength(xml);
  const time = (fn: () => unknown): number[] => {
    fn(); // warm-up
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      gc();
      const t = performance.now();
      fn();
      ms.push(performance.now() - t);
    }
    return ms;
  };
  const row = (name: string, ms: number[], note?: string): ParserResult['rows'][number] => {
    const m = median(ms);
    return { name, ms: m, mbPerS: bytes / 1e6 / (m / 1000), note };
  };
  const objects = oursFull(xml);
  const rows: ParserResult['rows'] = [
    row('ours: parseXml (saxes → element tree)', time(() => parseXml(xml))),
    row('ours: parseXml + codec → domain objects', time(() => oursFull(xml)), 'what Sf1500Client.fremsoeg does per page'),
  ];
  let soapError: string | undefined;
  try {
    const toObject = await soapParser();
    const n = soapObjects(toObject(xml));
    if (n !== objects) soapError = `node-soap read ${n} objects, ours ${objects}`;
    rows.push(row('node-soap: WSDL.xmlToObject (sax → typed JS object)', time(() => toObject(xml)), 'plain JS object, no domain mapping yet'));
  } catch (e) {
    soapError = (e as Error).message;
  }
  return { bytes, objects, runs, rows, soapError };
}
