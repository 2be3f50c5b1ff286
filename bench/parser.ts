import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { NS } from '../src/model/namespaces';
import { HIERARCHY_LISTS, objectType } from '../src/model/objects';
import { readObjekt } from '../src/wire/codec';
import { buildEnvelope, parseEnvelope } from '../src/wire/envelope';
import { mapResponse } from '../src/sf1500/mapping';
import { Sf1500Client } from '../src/sf1500/client';
import { Transport } from '../src/sf1500/transport';
import { child, childrenOf, parseXml } from '../src/xml/reader';
import { textEl } from '../src/xml/writer';
import { SaxesParser } from 'saxes';
import { XmlTokenizer } from '../src/xml/tokenizer';
import { gc, median } from './util';

/**
 * node-soap against our readers on one large FremsoegObjekthierarkiOutput (the first hierarchy
 * page, the largest: every list full). All parse the same string already in memory (one row: its
 * bytes in 64 KiB chunks); bare passes of saxes and of our tokenizer show what the tokenizing costs.
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

const mapResponseCount = (xml: string): number => [...mapResponse(xml, { kind: 'hierarchy' }).lists.values()].reduce((a, l) => a + l.length, 0);

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

type Which = 'stream' | 'streamBytes' | 'tree' | 'treeCodec' | 'soap' | 'treeAfterStream' | 'bare' | 'bareTokenizer';

/** Times one parser on the document: a warm-up, then `runs` timed runs with a GC before each. */
async function timeParser(xml: string, which: Which, runs: number): Promise<{ ms: number[]; objects: number }> {
  let fn: () => unknown;
  let count: (o: unknown) => number;
  if (which === 'bare') {
    // The tokenizer alone, with handlers that do nothing: the ceiling for any reader built on it.
    fn = () => {
      const p = new SaxesParser({ xmlns: false, position: false });
      let n = 0;
      p.on('opentag', () => { n++; });
      p.on('closetag', () => undefined);
      p.on('text', () => undefined);
      p.write(xml).close();
      return n;
    };
    count = () => mapResponseCount(xml);
  } else if (which === 'bareTokenizer') {
    // ours alone (what mapResponse runs on), with handlers that do nothing, on the same string as bare saxes
    let n = 0;
    const t = new XmlTokenizer({ attribute: () => undefined, open: () => { n++; }, close1: () => undefined, text: () => undefined });
    fn = () => {
      n = 0;
      t.write(xml);
      t.close();
      return n;
    };
    count = () => mapResponseCount(xml);
  } else if (which === 'streamBytes') {
    // as Sf1500Client feeds it: the body's bytes in socket-sized chunks, decoded as they come
    const bytes = Buffer.from(xml, 'utf8');
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 65536) chunks.push(bytes.subarray(i, i + 65536));
    fn = () => mapResponse(chunks, { kind: 'hierarchy' });
    count = (o) => [...(o as ReturnType<typeof mapResponse>).lists.values()].reduce((a, l) => a + l.length, 0);
  } else if (which === 'soap') {
    const toObject = await soapParser();
    fn = () => toObject(xml);
    count = soapObjects;
  } else if (which === 'stream' || which === 'treeAfterStream') {
    fn = () => mapResponse(xml, { kind: 'hierarchy' });
    count = (o) => [...(o as ReturnType<typeof mapResponse>).lists.values()].reduce((a, l) => a + l.length, 0);
    if (which === 'treeAfterStream') {
      for (let i = 0; i < 3; i++) fn(); // the streaming mapper has run (and been optimised) in this process
      fn = () => parseXml(xml);
      count = () => oursFull(xml);
    }
  } else if (which === 'tree') {
    fn = () => parseXml(xml);
    count = () => oursFull(xml);
  } else {
    fn = () => oursFull(xml);
    count = (n) => n as number;
  }
  const objects = count(fn()); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    gc();
    const t = performance.now();
    fn();
    ms.push(performance.now() - t);
  }
  return { ms, objects };
}

/**
 * Each parser in a process of its own (built bench only): saxes is shared by our two paths, and
 * once one configuration (xmlns on or off) has run, the other runs slower in the same process.
 */
async function timeIsolated(file: string, xml: string, which: Which, runs: number): Promise<{ ms: number[]; objects: number }> {
  if (!__filename.endsWith('.js')) return timeParser(xml, which, runs); // under ts-jest: in-process
  const out = execFileSync(process.execPath, ['--expose-gc', __filename, file, which, String(runs)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out) as { ms: number[]; objects: number };
}

export async function compareParsers(xml: string, runs: number, rounds = 3): Promise<ParserResult> {
  const bytes = Buffer.byteLength(xml);
  const file = join(mkdtempSync(join(tmpdir(), 'sf1500-bench-')), 'fremsoeg-page.xml');
  writeFileSync(file, xml);
  const kinds: Array<{ which: Which; name: string; note: (objects: number) => string }> = [
    { which: 'stream', name: 'ours: mapResponse (streaming tokenizer → domain objects)', note: (n) => `what Sf1500Client uses for Laes/List/fremsoeg (${n} objects)` },
    { which: 'streamBytes', name: 'ours: mapResponse on 64 KiB byte chunks', note: () => 'as from the socket: UTF-8 decoded chunk by chunk' },
    { which: 'tree', name: 'ours: parseXml (saxes → element tree)', note: () => 'tree only; Soeg and writes use it' },
    { which: 'treeCodec', name: 'ours: parseXml + codec → domain objects', note: (n) => `the tree path to the same objects (${n})` },
    { which: 'treeAfterStream', name: 'ours: parseXml, after mapResponse ran in the process', note: () => 'as in the client, where both run' },
    { which: 'soap', name: 'node-soap: WSDL.xmlToObject (sax → typed JS object)', note: () => 'plain JS object, no domain mapping yet' },
    { which: 'bare', name: 'bare saxes pass (no-op handlers)', note: () => 'saxes alone: the ceiling of any saxes reader' },
    { which: 'bareTokenizer', name: 'bare tokenizer pass (src/xml/tokenizer.ts, no-op handlers)', note: () => 'ours alone: the ceiling of mapResponse' },
  ];
  // rounds of every parser in turn, so that other load on the machine falls on all of them alike
  const ms = new Map<Which, number[]>();
  const objects = new Map<Which, number>();
  let soapError: string | undefined;
  for (let round = 0; round < rounds; round++) {
    for (const k of kinds) {
      if (k.which === 'soap' && soapError) continue;
      try {
        const r = await timeIsolated(file, xml, k.which, runs);
        ms.set(k.which, [...(ms.get(k.which) ?? []), ...r.ms]);
        objects.set(k.which, r.objects);
      } catch (e) {
        if (k.which !== 'soap') throw e;
        soapError = (e as Error).message.split('\n')[0];
      }
    }
  }
  const rows: ParserResult['rows'] = kinds.filter((k) => ms.has(k.which)).map((k) => {
    const m = median(ms.get(k.which)!);
    return { name: k.name, ms: m, mbPerS: bytes / 1e6 / (m / 1000), note: k.note(objects.get(k.which) ?? 0) };
  });
  const n = objects.get('stream') ?? 0;
  if (!soapError && objects.get('soap') !== n) soapError = `node-soap read ${objects.get('soap')} objects, ours ${n}`;
  return { bytes, objects: n, runs: runs * rounds, rows, soapError };
}

if (require.main === module) {
  const [file, which, runs] = process.argv.slice(2);
  timeParser(readFileSync(file, 'utf8'), which as Which, Number(runs)).then((r) => {
    process.stdout.write(JSON.stringify(r));
  }).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
