import pino from 'pino';
import { loadConfig, type Config } from '../../src/config';
import { startStack, type Stack } from '../../src/stack';

/** Starts the real stack (local SF1500 over HTTP + subgraph) on free ports with an in-memory store. */
export async function testStack(env: Record<string, string> = {}): Promise<Stack & { gql: GqlFn; config: Config }> {
  const config = loadConfig({ PORT: '0', SF1500_PORT: '0', SF1500_DB: ':memory:', SF1500_SEED: 'korsbaek', LOG_LEVEL: 'silent', SF1500_HIERARCHY_CACHE_MS: '0', SUBGRAPH_STATE_DIR: 'none', SUBGRAPH_CHANGES: 'off', ...env });
  const stack = await startStack(config, pino({ level: 'silent' }));
  const gql: GqlFn = async (query, variables, headers = {}) => {
    const res = await fetch(stack.subgraph.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sf1500-calls': '1', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as GqlResult;
  };
  return { ...stack, gql, config };
}

export interface GqlResult {
  data?: Record<string, any> | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }>;
  extensions?: { sf1500?: { calls: number; byOperation: Record<string, { calls: number; ms: number; bytes: number }>; hierarchy?: { path: string; structureAgeMs: number; snapshot?: string } } };
}

export type GqlFn = (query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) => Promise<GqlResult>;

/** Counts SOAP requests on the SF1500 side (HTTP requests the local SF1500 received). */
export function soapCounter(s: Stack): { calls: () => number; stop: () => void } {
  let n = 0;
  const on = (): void => { n++; };
  s.sf1500!.server.on('request', on);
  return { calls: () => n, stop: () => s.sf1500!.server.off('request', on) };
}
