/**
 * XSD validation of SOAP messages against KOMBIT's official SF1500 v6 contract
 * (the unmodified .xsd files), so tests can prove wire compatibility.
 *
 * xmllint-wasm starts a worker thread with a fresh libxml2 instance for every call (~90 ms) and then
 * compiles the schema, so one call costs ~100-150 ms however small the message; each extra document in
 * the same call costs only ~1-3 ms. Prefer `validateMany` for bulk checks.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SaxesParser } from 'saxes';
import { validateXML, type XMLFileInfo } from 'xmllint-wasm';

export interface ValidationResult {
  valid: boolean;
  errors: string[];
}

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
const DEFAULT_CONTRACT_DIR = '../shared/sf1500/contract/v6';

const SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope';
const SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
const REQUEST_HEADER_NS = 'http://kombit.dk/xml/schemas/RequestHeader/1/';
const REQUEST_HEADER_XSD = 'xsd/common/RequestHeader.xsd';

/** Body element namespace → the Operationer.xsd that declares its operations. */
const OPERATIONER_BY_NAMESPACE: Readonly<Record<string, string>> = Object.fromEntries(
  (
    [
      ['organisation/organisation', 'Organisation'],
      ['organisation/organisationenhed', 'OrganisationEnhed'],
      ['organisation/organisationfunktion', 'OrganisationFunktion'],
      ['organisation/bruger', 'Bruger'],
      ['organisation/person', 'Person'],
      ['organisation/adresse', 'Adresse'],
      ['organisation/itsystem', 'ItSystem'],
      ['organisation/interessefaellesskab', 'Interessefaellesskab'],
      ['organisation/virksomhed', 'Virksomhed'],
      ['organisation/myndighed', 'Myndighed'],
      ['organisation/organisationsystem', 'OrganisationSystem'],
      ['organisation/organisationadministration', 'OrganisationAdministration'],
      ['klassifikation/klasse', 'Klasse'], // SF1514
    ] as const
  ).map(([ns, service]) => [`http://stoettesystemerne.dk/${ns}/6/`, `xsd/6.0.STS-0/${service}Operationer.xsd`]),
);

/** Documents per wasm call: large batches amortise the ~100 ms start-up, but one call with ~3000 files never settled. */
const MAX_DOCS_PER_CALL = 200;

// ---------------------------------------------------------------- contract location

/** The official contract directory (env SF1500_OFFICIAL_CONTRACT, else ../shared/...), or null when absent. */
export function officialContractDir(): string | null {
  const configured = process.env.SF1500_OFFICIAL_CONTRACT || DEFAULT_CONTRACT_DIR;
  const dir = path.resolve(PROJECT_ROOT, configured);
  return fs.existsSync(path.join(dir, REQUEST_HEADER_XSD)) ? dir : null;
}

let warnedMissing = false;

/** Like officialContractDir(), but fails under CI and warns once elsewhere, so a missing contract is never silent. */
export function requireOfficialContract(): string | null {
  const dir = officialContractDir();
  if (dir) return dir;
  const hint =
    `SF1500 official contract not found (set SF1500_OFFICIAL_CONTRACT or provide ${DEFAULT_CONTRACT_DIR} ` +
    `relative to ${PROJECT_ROOT})`;
  if (process.env.CI === 'true') {
    throw new Error(`${hint}; the official contract is required under CI`);
  }
  if (!warnedMissing) {
    warnedMissing = true;
    console.warn(`${hint}; skipping XSD wire-compatibility tests`);
  }
  return null;
}

// ---------------------------------------------------------------- schema files (read once)

/** dir → every .xsd under dir/xsd, keyed by a path that keeps the layout so relative schemaLocations resolve. */
const schemaFileCache = new Map<string, ReadonlyMap<string, string>>();
const preloadCache = new Map<string, XMLFileInfo[]>();

function schemaFiles(dir: string): ReadonlyMap<string, string> {
  let files = schemaFileCache.get(dir);
  if (!files) {
    const found = new Map<string, string>();
    const walk = (rel: string): void => {
      for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
        const child = `${rel}/${entry.name}`;
        if (entry.isDirectory()) walk(child);
        else if (entry.name.endsWith('.xsd')) found.set(child, fs.readFileSync(path.join(dir, child), 'utf8'));
      }
    };
    walk('xsd');
    files = found;
    schemaFileCache.set(dir, files);
  }
  return files;
}

/** Everything except the main schema, so imports/includes resolve in xmllint's in-memory file system. */
function preloadFor(dir: string, schema: string): XMLFileInfo[] {
  const key = `${dir}\0${schema}`;
  let preload = preloadCache.get(key);
  if (!preload) {
    preload = [...schemaFiles(dir)].filter(([name]) => name !== schema).map(([fileName, contents]) => ({ fileName, contents }));
    preloadCache.set(key, preload);
  }
  return preload;
}

/**
 * A tiny schema importing one Operationer.xsd plus RequestHeader.xsd, so an envelope's Body child and its
 * RequestHeader are checked in one wasm call instead of two (~90 ms saved). Each root still only matches
 * declarations from its own official XSD, because prepare() has already checked the roots' namespaces.
 */
const combinedSchemas = new Map<string, string>();

function combinedSchema(bodyNamespace: string, operationer: string): string {
  const fileName = `xsd/combined/${path.basename(operationer, '.xsd')}+RequestHeader.xsd`;
  combinedSchemas.set(
    fileName,
    `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">` +
      `<xs:import namespace="${bodyNamespace}" schemaLocation="../../${operationer}"/>` +
      `<xs:import namespace="${REQUEST_HEADER_NS}" schemaLocation="../../${REQUEST_HEADER_XSD}"/>` +
      `</xs:schema>`,
  );
  return fileName;
}

// ---------------------------------------------------------------- message parsing

/** One document handed to xmllint: a bare body, an extracted Body child, or an extracted RequestHeader. */
interface Part {
  label: 'body' | 'RequestHeader';
  schema: string;
  contents: string;
  /** Line in the original message where `contents` starts, to report original line numbers. */
  firstLine: number;
}

interface Prepared {
  errors: string[];
  parts: Part[];
}

interface Captured {
  name: string;
  uri: string;
  start: number;
  end: number;
  /** Bindings in scope from ancestors that the element does not declare itself. */
  inherited: Record<string, string>;
}

function schemaForBody(uri: string, name: string): { schema: string } | { error: string } {
  const schema = OPERATIONER_BY_NAMESPACE[uri];
  if (schema) return { schema };
  return { error: `no SF1500 v6 Operationer.xsd for body element ${name} in namespace '${uri}'` };
}

const escapeAttr = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/** Cuts the element out of the original text and re-declares inherited namespaces on it, keeping it on one line. */
function extract(xml: string, el: Captured): { contents: string; firstLine: number } {
  const text = xml.slice(el.start, el.end);
  const decls = Object.entries(el.inherited)
    .filter(([prefix, uri]) => prefix !== 'xml' && prefix !== 'xmlns' && !(prefix === '' && uri === ''))
    .map(([prefix, uri]) => ` ${prefix ? `xmlns:${prefix}` : 'xmlns'}="${escapeAttr(uri)}"`)
    .join('');
  const at = 1 + el.name.length; // right after "<name"
  const firstLine = xml.slice(0, el.start).split('\n').length;
  return { contents: text.slice(0, at) + decls + text.slice(at), firstLine };
}

/** Parses once with saxes: checks well-formedness and the envelope shape, and finds what to validate. */
function prepare(xml: string): Prepared {
  const errors: string[] = [];
  const parser = new SaxesParser({ xmlns: true });
  const scopes: Record<string, string>[] = [];
  const stack: { uri: string; local: string }[] = []; // open elements, root first
  let root: { uri: string; local: string; name: string } | undefined;
  let tagStart = 0;
  let sawBody = false;
  const bodyChildren: Captured[] = [];
  const headers: Captured[] = [];
  let open: Captured | undefined; // the captured element whose end we are waiting for
  let openDepth = -1;

  const isEnvelope = (): boolean => root?.uri === SOAP12_NS && root.local === 'Envelope';

  parser.on('doctype', () => errors.push('DTDs are not allowed in SOAP messages'));
  parser.on('opentagstart', () => {
    tagStart = xml.lastIndexOf('<', parser.position - 1);
  });
  parser.on('opentag', (tag) => {
    const parentScope = scopes[scopes.length - 1] ?? {};
    scopes.push({ ...parentScope, ...tag.ns });
    const depth = stack.length; // 0 = root
    stack.push({ uri: tag.uri, local: tag.local });
    if (depth === 0) {
      root = { uri: tag.uri, local: tag.local, name: tag.name };
      return;
    }
    if (!isEnvelope()) return;
    const parent = stack[depth - 1];
    const capture = (into: Captured[]): void => {
      const inherited = Object.fromEntries(Object.entries(parentScope).filter(([prefix]) => !Object.hasOwn(tag.ns, prefix)));
      open = { name: tag.name, uri: tag.uri, start: tagStart, end: -1, inherited };
      openDepth = depth;
      into.push(open);
    };
    if (depth === 1) {
      const known = tag.uri === SOAP12_NS && (tag.local === 'Header' || tag.local === 'Body');
      if (!known) errors.push(`unexpected envelope child ${tag.name}`);
      else if (sawBody) errors.push(`${tag.name} after soap:Body`);
      if (known && tag.local === 'Body') sawBody = true;
    } else if (depth === 2 && parent.uri === SOAP12_NS && parent.local === 'Body') {
      capture(bodyChildren);
    } else if (depth === 2 && parent.uri === SOAP12_NS && parent.local === 'Header') {
      if (tag.uri === REQUEST_HEADER_NS && tag.local === 'RequestHeader') capture(headers);
    }
  });
  parser.on('text', (text) => {
    if (isEnvelope() && stack.length <= 2 && text.trim()) errors.push(`unexpected text in ${stack[stack.length - 1].local}`);
  });
  parser.on('closetag', () => {
    if (open && stack.length - 1 === openDepth) {
      open.end = parser.position;
      open = undefined;
    }
    stack.pop();
    scopes.pop();
  });

  try {
    parser.write(xml).close();
  } catch (err) {
    return { errors: [`not well-formed XML: ${err instanceof Error ? err.message : String(err)}`], parts: [] };
  }
  if (!root) return { errors: ['no root element'], parts: [] };

  if (root.uri === SOAP11_NS) {
    return { errors: [`SOAP 1.1 envelope (${SOAP11_NS}); SF1500 v6 requires SOAP 1.2 (${SOAP12_NS})`], parts: [] };
  }
  if (!isEnvelope()) {
    if (root.uri === SOAP12_NS) return { errors: [`root is ${root.name}, expected a SOAP 1.2 Envelope`], parts: [] };
    // A bare body document: validate it as is.
    const found = schemaForBody(root.uri, root.name);
    if ('error' in found) return { errors: [...errors, found.error], parts: [] };
    return { errors, parts: [{ label: 'body', schema: found.schema, contents: xml, firstLine: 1 }] };
  }

  const parts: Part[] = [];
  if (!sawBody) errors.push('missing soap:Body');
  else if (bodyChildren.length !== 1) errors.push(`soap:Body must have exactly one child element, found ${bodyChildren.length}`);
  const [body] = bodyChildren;
  if (body) {
    const found = schemaForBody(body.uri, body.name);
    if ('error' in found) errors.push(found.error);
    else parts.push({ label: 'body', schema: found.schema, ...extract(xml, body) });
  }
  if (headers.length === 0) errors.push('missing RequestHeader (soap:Header/{' + REQUEST_HEADER_NS + '}RequestHeader)');
  else if (headers.length > 1) errors.push(`expected one RequestHeader, found ${headers.length}`);
  else parts.push({ label: 'RequestHeader', schema: REQUEST_HEADER_XSD, ...extract(xml, headers[0]) });
  if (body && parts.length === 2) {
    const schema = combinedSchema(body.uri, parts[0].schema);
    for (const part of parts) part.schema = schema;
  }
  return { errors, parts };
}

// ---------------------------------------------------------------- xmllint

interface Job {
  fileName: string;
  part: Part;
  errors: string[];
}

const exitCodeOf = (err: unknown): unknown => (err instanceof Error ? (err as Error & { code?: unknown }).code : undefined);

/**
 * Runs xmllint once for jobs sharing a schema and fills in each job's errors. We read rawOutput ourselves:
 * the library's `errors` drops only the final "fails to validate" line, which is wrong for several files.
 */
async function runXmllint(dir: string, schema: string, jobs: Job[]): Promise<void> {
  const schemaText = schemaFiles(dir).get(schema) ?? combinedSchemas.get(schema);
  if (schemaText === undefined) throw new Error(`official contract at ${dir} lacks ${schema}`);
  let rawOutput: string;
  try {
    const result = await validateXML({
      xml: jobs.map((job) => ({ fileName: job.fileName, contents: job.part.contents })),
      schema: [{ fileName: schema, contents: schemaText }],
      preload: preloadFor(dir, schema),
    });
    rawOutput = result.rawOutput;
  } catch (err) {
    // Any exit code other than 0/3/4 rejects: 5 means the contract itself did not compile.
    if (exitCodeOf(err) === 5) throw err;
    // Defensive: parse errors come back as verdicts, but if a run still crashes, retry per document so one
    // message cannot hide the others' results.
    if (jobs.length > 1) {
      for (const job of jobs) await runXmllint(dir, schema, [job]);
      return;
    }
    jobs[0].errors.push(`xmllint failed (exit ${String(exitCodeOf(err))}): ${err instanceof Error ? err.message : String(err)}`);
    return;
  }

  const lines = rawOutput.split('\n');
  for (const job of jobs) {
    // xmllint's own verdict decides; located lines of a passing file would only be warnings.
    if (lines.includes(`${job.fileName} validates`)) continue;
    const prefix = `${job.fileName}:`;
    for (const line of lines) {
      if (!line.startsWith(prefix)) continue;
      // "<file>:<line>: <message>" → "<label>:<line in the original message>: <message>"
      const match = /^(\d+): ?(.*)$/.exec(line.slice(prefix.length));
      job.errors.push(
        match
          ? `${job.part.label}:${job.part.firstLine + Number(match[1]) - 1}: ${match[2]}`
          : `${job.part.label}: ${line.slice(prefix.length).trim()}`,
      );
    }
    if (job.errors.length === 0) {
      // "fails to validate" without a located message, or no verdict at all: keep the raw output visible.
      job.errors.push(`${job.part.label}: not validated by xmllint; output:\n${rawOutput}`);
    }
  }
}

// ---------------------------------------------------------------- public API

/**
 * Validates several messages (bare body documents or SOAP 1.2 envelopes), in as few wasm calls as possible:
 * one per distinct schema (chunked), run concurrently. Results are in input order.
 */
export async function validateMany(xmls: readonly string[]): Promise<ValidationResult[]> {
  const dir = officialContractDir();
  if (!dir) throw new Error('SF1500 official contract not found; guard tests with requireOfficialContract()');

  const prepared = xmls.map(prepare);
  const jobsBySchema = new Map<string, Job[]>();
  const jobsByMessage = prepared.map((p, i) =>
    p.parts.map((part) => {
      const job: Job = { fileName: `msg/${i}.${part.label}.xml`, part, errors: [] };
      const group = jobsBySchema.get(part.schema) ?? [];
      group.push(job);
      jobsBySchema.set(part.schema, group);
      return job;
    }),
  );

  const calls: Promise<void>[] = [];
  for (const [schema, jobs] of jobsBySchema) {
    for (let i = 0; i < jobs.length; i += MAX_DOCS_PER_CALL) {
      calls.push(runXmllint(dir, schema, jobs.slice(i, i + MAX_DOCS_PER_CALL)));
    }
  }
  await Promise.all(calls);

  return prepared.map((p, i) => {
    const errors = [...p.errors, ...jobsByMessage[i].flatMap((job) => job.errors)];
    return { valid: errors.length === 0, errors };
  });
}

/** Validates one message: a bare body element document, or a SOAP 1.2 envelope (Body child + RequestHeader). */
export async function validateBody(xml: string): Promise<ValidationResult> {
  const [result] = await validateMany([xml]);
  return result;
}

/** Throws (for jest) with every error and the start of the message when it is not valid. */
export async function expectValid(xml: string): Promise<void> {
  const { valid, errors } = await validateBody(xml);
  if (valid) return;
  throw new Error(
    `message is not valid against the official SF1500 v6 contract:\n` +
      errors.map((e) => `  - ${e}`).join('\n') +
      `\n--- message (first 2000 chars) ---\n${xml.slice(0, 2000)}`,
  );
}
