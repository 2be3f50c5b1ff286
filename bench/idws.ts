import { cpus, loadavg } from 'node:os';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { startSf1500 } from '../src/emulator';
import { startLocalIdws, LOCAL_STS_ENTITY_ID } from '../src/emulator/local-idws';
import { createTestPki } from '../src/emulator/sts/pki';
import { startSubgraph } from '../src/server/app';
import { Sf1500Client } from '../src/sf1500/client';
import { IdwsExchange } from '../src/sf1500/idws/idws';
import { ORGANISATION_ENTITY_ID } from '../src/wssec/ns';
import { generate, type MunicipalitySize } from './fixture';
import { operations } from './queries';
import { fmtMs, percentile } from './util';
import { createHash } from 'node:crypto';
import { digestBody } from '../src/wssec/stream-c14n';

/**
 * Q3 (`_entities` × Bruger) with and without OIO IDWS, side by side, on the same generated
 * municipality: the subgraph against a plain local SF1500, and against the local STS + local SF1500
 * in idws mode. Reports end-to-end times, the client's own signing and verifying time per call, and
 * how many tokens were fetched.
 */

export interface IdwsSide { cold: number[]; warm: number[]; calls: number }
export interface IdwsComparison {
  size: MunicipalitySize;
  representations: number;
  plain: IdwsSide;
  idws: IdwsSide;
  /** Client-side per SOAP call (idws only): signing and verifying, with the answer size. */
  perCall: Array<{ operation: string; signMs: number; verifyMs: number; bytes: number }>;
  tokenFetches: number;
  stsIssued: number;
  /** The least any verifier must spend on the largest answer, measured in the same run. */
  floor?: VerifyFloor;
  /** 1-minute load average when the comparison started, and the core count. */
  load: { avg1: number; cores: number };
}

const silent = pino({ level: 'silent' });

export async function compareIdws(size: MunicipalitySize, runs: { cold: number; warm: number }, log: (s: string) => void): Promise<IdwsComparison> {
  const load = { avg1: loadavg()[0], cores: cpus().length };
  const { data, fixture } = generate(size);
  const q3 = operations(fixture, { search: false }).find((o) => o.id === 'Q3')!;
  const plainSf = await startSf1500({ seed: () => data });
  const pki = createTestPki();
  const local = await startLocalIdws({ pki, sf1500: { seed: () => data } });
  const perCall: IdwsComparison['perCall'] = [];
  let largest: string | undefined;
  const exchange = new IdwsExchange({
    sts: { url: local.sts.endpoint, entityId: LOCAL_STS_ENTITY_ID, cert: pki.sts.cert, credentials: pki.wsc, skewMs: 60_000 },
    entityId: ORGANISATION_ENTITY_ID, defaultCvr: '11111111', serviceCert: pki.sf1500.cert, stsTimeoutMs: 10_000,
    onTiming: (t) => {
      perCall.push({ operation: `${t.service}.${t.operation}`, signMs: t.signMs, verifyMs: t.verifyMs, bytes: t.bytes });
      if (t.bytes > (largest?.length ?? 0)) largest = t.answer;
    },
  });
  const side = async (url: string, ex?: IdwsExchange): Promise<IdwsSide> => {
    const client = new Sf1500Client({ baseUrl: url, exchange: ex, timeoutMs: 300_000 });
    const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', SF1500_BASE_URL: url, GRAPHQL_MAX_COST: '100000000', GRAPHQL_MAX_QUERY_BYTES: '10000000', GRAPHQL_SANDBOX: 'false' });
    const out: IdwsSide = { cold: [], warm: [], calls: 0 };
    const run = async (subUrl: string): Promise<number> => {
      const t = performance.now();
      const res = await fetch(subUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-sf1500-calls': '1' }, body: JSON.stringify({ query: q3.query, variables: q3.variables }) });
      const body = (await res.json()) as { data: Record<string, unknown>; extensions?: { sf1500?: { calls: number } } };
      q3.check(body.data);
      out.calls = body.extensions?.sf1500?.calls ?? out.calls;
      return performance.now() - t;
    };
    for (let i = 0; i < runs.cold; i++) {
      const sub = await startSubgraph(config, client, silent);
      out.cold.push(await run(sub.url));
      if (i === runs.cold - 1) for (let j = 0; j < runs.warm; j++) out.warm.push(await run(sub.url));
      await sub.close();
    }
    client.close();
    return out;
  };
  try {
    const plain = await side(plainSf.url);
    const idws = await side(local.sf1500.url, exchange);
    const r: IdwsComparison = { size, representations: fixture.brugere.length, plain, idws, perCall, tokenFetches: exchange.tokens.fetches, stsIssued: local.sts.issued(), load, floor: largest ? verifyFloor(largest) : undefined };
    log(idwsTable(r));
    return r;
  } finally {
    exchange.close();
    await local.close();
    await plainSf.close();
  }
}

export interface VerifyFloor {
  bytes: number;
  tags: number;
  /** SHA-256 of the Body's bytes alone. */
  shaMs: number;
  /** Finding every tag with indexOf('<') and indexOf('>'), nothing else. */
  scanMs: number;
  /** Our digest of the Body (fast-c14n.ts, what the client runs), and the saxes path it falls back to. */
  digestMs: number;
  saxMs: number;
}

/** What verifying `answer` costs at least (hash, tag scan) against what our digest costs, each the median of 15. */
export function verifyFloor(answer: string): VerifyFloor {
  // the Body element, whatever its prefix (the local SF1500 writes soap:)
  const open = /<(?:[\w.-]+:)?Body[\s>]/.exec(answer);
  const close = answer.search(/<\/(?:[\w.-]+:)?Body>\s*<\/(?:[\w.-]+:)?Envelope>\s*$/);
  const body = open && close > open.index ? answer.slice(open.index, close) : answer;
  const bytes = Buffer.from(body, 'utf8');
  const time = (f: () => unknown): number => {
    const xs: number[] = [];
    for (let i = 0; i < 18; i++) {
      const t = performance.now();
      f();
      if (i >= 3) xs.push(performance.now() - t);
    }
    return percentile(xs, 50);
  };
  let tags = 0;
  const scanMs = time(() => {
    tags = 0;
    for (let pos = 0; ;) {
      const lt = body.indexOf('<', pos);
      if (lt < 0) break;
      pos = body.indexOf('>', lt) + 1;
      tags++;
    }
  });
  return {
    bytes: bytes.length, tags,
    shaMs: time(() => createHash('sha256').update(bytes).digest()),
    scanMs,
    digestMs: time(() => digestBody(answer)),
    saxMs: time(() => digestBody(answer, { fast: false })),
  };
}

export function idwsTable(r: IdwsComparison): string {
  const p = (xs: number[]): string => (xs.length ? fmtMs(percentile(xs, 50)) : '–');
  const sign = r.perCall.map((c) => c.signMs);
  const verify = r.perCall.map((c) => c.verifyMs);
  const both = r.perCall.map((c) => c.signMs + c.verifyMs);
  const kb = r.perCall.map((c) => c.bytes / 1024);
  return [
    `Q3 \`_entities\` × ${r.representations} Bruger, ${r.size.units} units / ${r.size.users} users (load average ${r.load.avg1.toFixed(1)} on ${r.load.cores} cores at the start: a shared machine, times are noisy):`,
    '',
    '| | cold p50 | warm p50 | SOAP calls |',
    '|---|---|---|---|',
    `| without idws | ${p(r.plain.cold)} | ${p(r.plain.warm)} | ${r.plain.calls} |`,
    `| with idws | ${p(r.idws.cold)} | ${p(r.idws.warm)} | ${r.idws.calls} |`,
    '',
    `Client side per SOAP call (${r.perCall.length} calls): signing p50 ${fmtMs(percentile(sign, 50))}, verifying the answer p50 ${fmtMs(percentile(verify, 50))}, `
      + `together p50 ${fmtMs(percentile(both, 50))}, max ${fmtMs(Math.max(...both))}; answers p50 ${percentile(kb, 50).toFixed(0)} KB, max ${Math.max(...kb).toFixed(0)} KB.`,
    `Tokens: ${r.tokenFetches} fetched by the client, ${r.stsIssued} issued by the local STS (one per token lifetime: 8 h).`,
    '',
    '| answers | calls | answer p50 | signing p50 | verifying p50 | together p50 | verifying per MB |',
    '|---|---|---|---|---|---|---|',
    ...sizeBuckets(r.perCall),
    ...(r.floor ? ['', floorLine(r.floor)] : []),
  ].join('\n');
}

function sizeBuckets(calls: IdwsComparison['perCall']): string[] {
  const rows: string[] = [];
  for (const [name, lo, hi] of [['under 256 KB', 0, 256 * 1024], ['256 KB and over', 256 * 1024, Infinity]] as const) {
    const cs = calls.filter((c) => c.bytes >= lo && c.bytes < hi);
    if (cs.length === 0) continue;
    const p = (f: (c: IdwsComparison['perCall'][number]) => number): number => percentile(cs.map(f), 50);
    rows.push(`| ${name} | ${cs.length} | ${(p((c) => c.bytes) / 1024).toFixed(0)} KB | ${fmtMs(p((c) => c.signMs))} | ${fmtMs(p((c) => c.verifyMs))} | ${fmtMs(p((c) => c.signMs + c.verifyMs))} | ${fmtMs(p((c) => c.verifyMs / (c.bytes / 1048576)))} |`);
  }
  return rows;
}

function floorLine(f: VerifyFloor): string {
  const mb = f.bytes / 1048576;
  return `Floor on the largest answer (Body ${(f.bytes / 1024).toFixed(0)} KB, ${f.tags} tags), medians of 15 in this run: SHA-256 of the Body's bytes alone ${fmtMs(f.shaMs)}, `
    + `finding its tags (indexOf, nothing else) ${fmtMs(f.scanMs)}: together ${fmtMs(f.shaMs + f.scanMs)} (${fmtMs((f.shaMs + f.scanMs) / mb)} per MB), the least any exc-c14n digest in JavaScript can cost. `
    + `Our digest of it (fast-c14n.ts) ${fmtMs(f.digestMs)} (${fmtMs(f.digestMs / mb)} per MB); the saxes path ${fmtMs(f.saxMs)}.`;
}
