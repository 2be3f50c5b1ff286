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
  const exchange = new IdwsExchange({
    sts: { url: local.sts.endpoint, entityId: LOCAL_STS_ENTITY_ID, cert: pki.sts.cert, credentials: pki.wsc, skewMs: 60_000 },
    entityId: ORGANISATION_ENTITY_ID, defaultCvr: '11111111', serviceCert: pki.sf1500.cert, stsTimeoutMs: 10_000,
    onTiming: (t) => perCall.push({ operation: `${t.service}.${t.operation}`, signMs: t.signMs, verifyMs: t.verifyMs, bytes: t.bytes }),
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
    const r: IdwsComparison = { size, representations: fixture.brugere.length, plain, idws, perCall, tokenFetches: exchange.tokens.fetches, stsIssued: local.sts.issued(), load };
    log(idwsTable(r));
    return r;
  } finally {
    exchange.close();
    await local.close();
    await plainSf.close();
  }
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
  ].join('\n');
}
