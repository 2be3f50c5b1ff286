import pino, { type Logger } from 'pino';
import type { Config } from './config';
import { redactDb, startSf1500, type RunningSf1500 } from './emulator';
import { seedFor } from './emulator/seed/presets';

import { Sf1500Client } from './sf1500/client';
import { loadOfficialContract } from './sf1500/official';
import { Metrics } from './server/metrics';
import { startSubgraph, type Subgraph } from './server/app';
import { startSecuritySide } from './stack-idws';

/**
 * Start-up code: the only module that knows both the local SF1500 and the subgraph.
 * They meet on the wire only: the subgraph's client talks SOAP over HTTP to whichever SF1500.
 */

export interface Stack {
  sf1500?: RunningSf1500;
  subgraph: Subgraph;
  client: Sf1500Client;
  logger: Logger;
  close(): Promise<void>;
}

export async function startStack(config: Config, logger: Logger = pino({ level: config.logLevel })): Promise<Stack> {
  const security = await startSecuritySide(config, logger);
  let sf1500: RunningSf1500 | undefined = security.local?.sf1500;
  let baseUrl = config.sf1500BaseUrl ?? sf1500?.url;
  if (!baseUrl) {
    const started = Date.now();
    sf1500 = await startSf1500({ port: config.local.port, dbFile: config.local.dbFile, seed: seedFor(config.local.seed), http: { basicAuth: config.local.basicAuth } });
    logger.info({ url: sf1500.url, db: redactDb(config.local.dbFile), seeded: sf1500.seeded, ms: Date.now() - started }, 'local SF1500 started');
    baseUrl = sf1500.url;
  }
  const metrics = new Metrics();
  const headers = config.sf1500Headers ?? (config.local.basicAuth && !config.sf1500BaseUrl ? { authorization: `Basic ${Buffer.from(config.local.basicAuth).toString('base64')}` } : undefined);
  const official = config.officialContractDir ? await loadOfficialContract(config.officialContractDir) : undefined;
  if (official) logger.info({ dir: config.officialContractDir, operations: official.soapActions.size }, 'official SF1500 contract loaded');
  const client = new Sf1500Client({
    baseUrl, endpoints: config.sf1500Endpoints, headers, tls: config.tls, soapActions: official?.soapActions, exchange: security.exchange,
    timeoutMs: config.timeoutMs, hierarchyTimeoutMs: config.hierarchyTimeoutMs, retries: config.retries,
    breakerThreshold: config.breakerThreshold, breakerResetMs: config.breakerResetMs,
    onCall: (info) => metrics.soap(info),
  });
  const subgraph = await startSubgraph(config, client, logger, metrics);
  logger.info({ url: subgraph.url, sf1500: baseUrl }, 'subgraph started (Apollo Sandbox at the same URL)');
  return {
    sf1500, subgraph, client, logger,
    close: async () => {
      await subgraph.close();
      client.close();
      security.exchange?.close?.();
      if (security.local) await security.local.close();
      else await sf1500?.close();
    },
  };
}
