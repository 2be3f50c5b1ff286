import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The municipality (CVR) a piece of work runs for. The subgraph sets it per GraphQL request (from
 * the caller's verified JWT); the IDWS exchange picks that CVR's token. Outside any request the
 * configured SF1500_CVR applies.
 */
const current = new AsyncLocalStorage<string>();

export function withCvr<T>(cvr: string, fn: () => T): T {
  return current.run(cvr, fn);
}

export function currentCvr(): string | undefined {
  return current.getStore();
}
