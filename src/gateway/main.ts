import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { composeSupergraph, CompositionError, fetchSubgraphSdl } from './compose';
import { HR_SDL, startSecondSubgraph, type SecondSubgraph } from './hr';

/**
 * `npm run gateway`: composes the supergraph of this subgraph (`SUBGRAPH_URL`) and the demo hr subgraph
 * (`HR_SUBGRAPH_URL`, else started here on `HR_PORT`) with @apollo/composition, writes it to
 * `SUPERGRAPH_FILE`, and serves it with Hive Gateway on `GATEWAY_PORT`. `--compose-only` writes the file
 * and exits (for Apollo Router: `router --supergraph <file>`).
 */

interface GatewayEnv {
  port: number;
  host: string;
  subgraphUrl: string;
  hrUrl?: string;
  hrPort: number;
  supergraphFile: string;
  waitMs: number;
  routerSecret?: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | false;
}

function readEnv(env: NodeJS.ProcessEnv): GatewayEnv {
  const problems: string[] = [];
  const int = (name: string, dflt: number, max = 65535): number => {
    const text = env[name];
    if (text === undefined || text === '') return dflt;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 0 || n > max) problems.push(`${name}=${text}: must be an integer from 0 to ${max}`);
    return n;
  };
  const url = (name: string, dflt?: string): string | undefined => {
    const text = env[name] || dflt;
    if (text === undefined) return undefined;
    try {
      if (!/^https?:$/.test(new URL(text).protocol)) throw new Error();
    } catch {
      problems.push(`${name}=${text}: must be an http(s) URL`);
    }
    return text;
  };
  const level = env.GATEWAY_LOG_LEVEL ?? 'info';
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(level)) problems.push(`GATEWAY_LOG_LEVEL=${level}: one of debug, info, warn, error, silent`);
  const cfg: GatewayEnv = {
    port: int('GATEWAY_PORT', 4000),
    host: env.GATEWAY_HOST || '127.0.0.1',
    subgraphUrl: url('SUBGRAPH_URL', 'http://127.0.0.1:4001/graphql')!,
    hrUrl: url('HR_SUBGRAPH_URL'),
    hrPort: int('HR_PORT', 4002),
    supergraphFile: resolve(env.SUPERGRAPH_FILE || './data/supergraph.graphql'),
    waitMs: int('GATEWAY_WAIT_MS', 60_000, 3_600_000),
    routerSecret: env.AUTH_ROUTER_SECRET || undefined,
    logLevel: level === 'silent' ? false : (level as GatewayEnv['logLevel']),
  };
  if (problems.length > 0) {
    process.stderr.write(`${problems.join('\n')}\n`);
    process.exit(2);
  }
  return cfg;
}

const line = (o: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(o)}\n`);
};

async function main(): Promise<void> {
  const cfg = readEnv(process.env);
  const composeOnly = process.argv.includes('--compose-only');
  // Our subgraph may require the router's shared secret (AUTH_ROUTER_SECRET); the gateway is that router.
  const secretHeader: Record<string, string> = cfg.routerSecret ? { 'x-router-secret': cfg.routerSecret } : {};

  let hr: SecondSubgraph | undefined;
  if (!cfg.hrUrl) hr = await startSecondSubgraph(cfg.hrPort);
  const hrUrl = cfg.hrUrl ?? hr!.url;
  let supergraph: string;
  try {
    const [ours, theirs] = await Promise.all([
      fetchSubgraphSdl(cfg.subgraphUrl, secretHeader, cfg.waitMs),
      hr ? Promise.resolve(HR_SDL) : fetchSubgraphSdl(hrUrl, {}, cfg.waitMs),
    ]);
    supergraph = composeSupergraph([{ name: 'sf1500', url: cfg.subgraphUrl, sdl: ours }, { name: 'hr', url: hrUrl, sdl: theirs }]);
  } catch (e) {
    await hr?.close();
    throw e;
  }
  mkdirSync(dirname(cfg.supergraphFile), { recursive: true });
  writeFileSync(cfg.supergraphFile, supergraph);
  line({ msg: 'supergraph composed', file: cfg.supergraphFile, subgraphs: { sf1500: cfg.subgraphUrl, hr: hrUrl } });
  if (composeOnly) {
    await hr?.close();
    return;
  }

  const gateway = createGatewayRuntime({
    supergraph,
    logging: cfg.logLevel,
    // Headers our subgraph acts on: the caller's token, the SOAP call report, the router secret.
    propagateHeaders: {
      fromClientToSubgraphs: ({ request, subgraphName }) => {
        if (subgraphName !== 'sf1500') return undefined;
        const out: Record<string, string> = { ...secretHeader };
        for (const h of ['authorization', 'x-sf1500-calls']) {
          const v = request.headers.get(h);
          if (v !== null) out[h] = v;
        }
        return out;
      },
      // The SOAP calls each fetch from our subgraph cost (one value per fetch, comma-separated).
      fromSubgraphsToClient: ({ response, subgraphName }) => {
        const calls = subgraphName === 'sf1500' ? response.headers.get('x-sf1500-calls') : null;
        return calls === null ? undefined : { 'x-sf1500-calls': calls };
      },
    },
  });
  const server = createServer(gateway);
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(cfg.port, cfg.host, () => ok());
  });
  const { port } = server.address() as AddressInfo;
  line({ msg: 'gateway listening', url: `http://${cfg.host}:${port}/graphql`, supergraph: cfg.supergraphFile });

  let closing = false;
  const stop = (): void => {
    if (closing) return;
    closing = true;
    server.close();
    server.closeAllConnections();
    Promise.all([gateway.dispose(), hr?.close()]).then(() => process.exit(0), () => process.exit(1));
    setTimeout(() => process.exit(1), 5_000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`gateway: ${e instanceof CompositionError ? e.message : ((e as Error).stack ?? String(e))}\n`);
  process.exit(1);
});
