/**
 * Test support for the local SF1500 over real HTTP: start an emulator on a free port that records every
 * SOAP exchange, post raw SOAP 1.2 envelopes, read answers, and validate the recorded exchanges in one
 * batch against KOMBIT's official XSDs.
 */
import { randomUUID } from 'crypto';
import { isPostgresUrl, startSf1500, type RunningSf1500, type Sf1500Options } from '../../src/emulator';
import { databaseForFile, freshDatabase, onPostgres } from './pg';
import { kleSeed, korsbaekSeed, type SeedData } from '../../src/emulator/seed';
import { NS, type ObjectTypeName, type Objekt, type Registrering, type StandardRetur } from '../../src/model';
import { readStandardRetur } from '../../src/wire/codec';
import { parseEnvelope, SoapFaultError } from '../../src/wire/envelope';
import { Sf1500Client } from '../../src/sf1500/client';
import { child, childrenOf, type XmlElement } from '../../src/xml/reader';
import { validateMany } from './xsd';

export const SD = NS.sd;
export const SOAP12 = NS.soap12;
export const SOAP11 = NS.soap11;
export const HDR = NS.hdr;

/** Korsbæk Kommune plus KLE and the classification classes (what SF1500_SEED=korsbaek serves). */
export const korsbaekWithKle = (): SeedData => ({ objects: [...kleSeed().objects, ...korsbaekSeed().objects] });

export interface Exchange {
  path: string;
  request: string;
  response: string;
  httpStatus: number;
  /** The request is broken on purpose (hostile tests): only the answer is validated. */
  badRequest?: boolean;
}

export interface TestEmulator {
  sf: RunningSf1500;
  url: string;
  client: Sf1500Client;
  exchanges: Exchange[];
  /** Posts a body element (string, an optional `<?xml …?>` prolog is dropped) wrapped in a SOAP 1.2 envelope. */
  call(path: string, bodyXml: string): Promise<SoapAnswer>;
  /** Posts exactly `text` (any content type). */
  post(path: string, text: string, contentType?: string): Promise<{ status: number; text: string }>;
  /** Marks the exchanges recorded while `fn` runs as deliberately broken requests. */
  hostile<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface SoapAnswer {
  status: number;
  text: string;
  /** The body element, unless the answer is a fault. */
  body?: XmlElement;
  retur?: StandardRetur;
  fault?: { code: string; reason: string };
}

/** Starts the emulator (in memory and Korsbæk-seeded unless told otherwise) with a client and exchange capture. */
export async function startTestEmulator(options: Partial<Sf1500Options> = {}): Promise<TestEmulator> {
  const exchanges: Exchange[] = [];
  let hostileDepth = 0;
  // In the jest project "postgres" the same suites run on PostgreSQL: a fresh database per emulator, or
  // the one standing for a given file (a restart on the same file finds the same data).
  let dbFile = options.dbFile ?? ':memory:';
  if (onPostgres() && !isPostgresUrl(dbFile)) dbFile = dbFile === ':memory:' || dbFile === '' ? await freshDatabase() : await databaseForFile(dbFile);
  const sf = await startSf1500({
    seed: korsbaekWithKle,
    ...options,
    dbFile,
    http: {
      ...options.http,
      onExchange: (x) => {
        exchanges.push({ ...x, badRequest: hostileDepth > 0 });
        options.http?.onExchange?.(x);
      },
    },
  });
  const client = new Sf1500Client({ baseUrl: sf.url, retries: 0 });
  const post = async (path: string, text: string, contentType = 'application/soap+xml; charset=utf-8'): Promise<{ status: number; text: string }> => {
    const res = await fetch(sf.url + path, { method: 'POST', headers: { 'content-type': contentType }, body: text });
    return { status: res.status, text: await res.text() };
  };
  return {
    sf, url: sf.url, client, exchanges, post,
    call: async (path, bodyXml) => readAnswer(await post(path, envelope(bodyXml))),
    hostile: async (fn) => {
      hostileDepth++;
      try {
        return await fn();
      } finally {
        hostileDepth--;
      }
    },
    close: async () => {
      client.close();
      await sf.close();
    },
  };
}

/** Wraps a body element in a SOAP 1.2 envelope with a RequestHeader. */
export function envelope(bodyXml: string, transactionUuid: string = randomUUID()): string {
  const body = bodyXml.replace(/^\s*<\?xml[^>]*\?>\s*/, '');
  return '<?xml version="1.0" encoding="UTF-8"?>'
    + `<soap:Envelope xmlns:soap="${SOAP12}" xmlns:hdr="${HDR}">`
    + `<soap:Header><hdr:RequestHeader><hdr:TransactionUUID>${transactionUuid}</hdr:TransactionUUID></hdr:RequestHeader></soap:Header>`
    + `<soap:Body>${body}</soap:Body></soap:Envelope>`;
}

/** Parses an answer: a fault, or a body with its StandardRetur (when it has one). */
export function readAnswer(res: { status: number; text: string }): SoapAnswer {
  try {
    const env = parseEnvelope(res.text);
    const sr = child(env.body, SD, 'StandardRetur');
    return { ...res, body: env.body, retur: sr ? readStandardRetur(env.body, env.body.name) : undefined };
  } catch (e) {
    if (e instanceof SoapFaultError) return { ...res, fault: { code: e.code, reason: e.message } };
    throw new Error(`unreadable answer (HTTP ${res.status}): ${(e as Error).message}\n${res.text.slice(0, 500)}`);
  }
}

/** Service path of an object type (`/organisation/organisationenhed/6/`, `/klassifikation/klasse/6/`). */
export const pathOf = (type: ObjectTypeName | 'organisationsystem' | 'organisationadministration'): string => {
  if (type === 'organisationsystem' || type === 'organisationadministration') return `/organisation/${type}/6/`;
  return type === 'Klasse' ? '/klassifikation/klasse/6/' : `/organisation/${type.toLowerCase()}/6/`;
};

/** UUIDs of an IdListe (SoegOutput). */
export const idListe = (body: XmlElement): string[] =>
  childrenOf(child(body, SD, 'IdListe') ?? body, SD, 'UUIDIdentifikator').map((e) => e.text.trim());

/** SF1500 canonical form of a virkning/registration time. */
export const iso = (s: string): string => new Date(s).toISOString();

export interface InvalidMessage {
  index: number;
  direction: 'request' | 'response';
  path: string;
  errors: string[];
  start: string;
}

/**
 * Validates recorded exchanges against the official XSDs in one batch: every request (unless marked
 * hostile) and every answer that is not a SOAP Fault (Faults are SOAP's own, not in KOMBIT's XSDs).
 */
export async function invalidMessages(exchanges: readonly Exchange[]): Promise<InvalidMessage[]> {
  const docs: Array<{ index: number; direction: 'request' | 'response'; path: string; xml: string }> = [];
  exchanges.forEach((x, index) => {
    if (!x.badRequest) docs.push({ index, direction: 'request', path: x.path, xml: x.request });
    if (!isFault(x.response)) docs.push({ index, direction: 'response', path: x.path, xml: x.response });
  });
  const results = await validateMany(docs.map((d) => d.xml));
  return docs.flatMap((d, i) => (results[i].valid ? [] : [{ index: d.index, direction: d.direction, path: d.path, errors: results[i].errors, start: d.xml.slice(0, 1500) }]));
}

export const isFault = (xml: string): boolean => /<(\w+:)?Fault[\s>]/.test(xml) && xml.includes(SOAP12);

/** The newest Registrering element of a read object. */
export const newest = (o: Objekt): Registrering => o.registreringer[o.registreringer.length - 1];

/** The UUIDs a registration's relation `name` points to, in order. */
export const refs = (r: Registrering, name: string): Array<string | undefined> => r.relationer.filter((x) => x.name === name).map((x) => x.ref.uuid);
