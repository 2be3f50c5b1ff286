import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

/** A subgraph as the supergraph routes to it: its name, its URL and its SDL (`_service { sdl }`). */
export interface SubgraphSource {
  name: string;
  url: string;
  sdl: string;
}

export class CompositionError extends Error {}

/**
 * Asks a running subgraph for its SDL (`{ _service { sdl } }`), retrying until `waitMs` has passed:
 * the gateway may start before the subgraph's replicas (a compose file, a process manager).
 */
export async function fetchSubgraphSdl(url: string, headers: Record<string, string> = {}, waitMs = 60_000): Promise<string> {
  const deadline = Date.now() + waitMs;
  let last = '';
  for (;;) {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: '{ _service { sdl } }' }),
        signal: AbortSignal.timeout(10_000),
      });
      const body = (await res.json()) as { data?: { _service?: { sdl?: string } }; errors?: Array<{ message: string }> };
      const sdl = body.data?._service?.sdl;
      if (res.ok && typeof sdl === 'string') return sdl;
      last = `HTTP ${res.status}: ${body.errors?.map((e) => e.message).join('; ') ?? 'no _service.sdl in the answer'}`;
    } catch (e) {
      last = (e as Error).message;
    }
    if (Date.now() >= deadline) throw new CompositionError(`subgraph ${url} gave no SDL within ${waitMs} ms: ${last}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Composes the subgraphs into a supergraph SDL (the file Hive Gateway and Apollo Router both serve). */
export function composeSupergraph(subgraphs: readonly SubgraphSource[]): string {
  const result = composeServices(subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })));
  if (result.errors && result.errors.length > 0) {
    throw new CompositionError(`composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  }
  if (!result.supergraphSdl) throw new CompositionError('composition gave no supergraph');
  return result.supergraphSdl;
}
