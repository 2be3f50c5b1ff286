import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { HierarchyStats } from '../loaders/snapshot';
import { queryCost, type FanOut } from './cost';
import { PRIOR_STATS } from './fanout';

/**
 * The planner for reverse relations: may this operation answer its org-chart fields with targeted
 * Soeg + List calls (loaders/targeted.ts) when no snapshot is in memory, rather than wait for a full
 * hierarchy load? It counts the targeted calls the operation is expected to make (the static cost model
 * with a weight per org-chart field and the fan-outs of the last snapshot) and compares them with the
 * pages of a full load.
 */

/** SOAP calls per resolution of each org-chart field on the targeted path; Infinity = needs the whole tree. */
const TARGETED_CALLS: Record<string, Record<string, number>> = {
  OrganisationEnhed: {
    underenheder: 2, antalUnderenheder: 1, harUnderenheder: 1, leder: 2, ledere: 2, stillinger: 2, medarbejdere: 2, antalMedarbejdere: 2,
    funktioner: 2, henvendelsessteder: 1, udbetalendeEnhed: 1, efterkommere: Infinity, forfaedre: Infinity, sti: Infinity, rod: Infinity,
  },
  Bruger: { funktioner: 2, enheder: 3, ledere: 6 },
  Organisation: { rodEnhed: 2, enheder: Infinity },
  Klasse: { ansvarligeEnheder: 4 },
};

/**
 * Targeted calls worth one page of a full load. A page (500 objects of each list, 3.5 MB of XML) costs
 * some 200 ms to make and read; a Soeg or a small List 2–5 ms, ten at once. Behind 100 ms of latency a
 * page costs about 150 ms more (two in flight) and ten targeted calls 100 ms, so 20 is on the safe side.
 */
export const TARGETED_CALLS_PER_PAGE = 20;

/** Expected targeted SOAP calls of the operation (Infinity when a field needs the whole tree). */
export function targetedCalls(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | undefined, operationName: string | undefined, fanOut: FanOut): number {
  return queryCost(schema, document, variables, operationName, fanOut, (parent, field) => TARGETED_CALLS[parent]?.[field] ?? 0);
}

/** Targeted when it is expected to cost less than the full load, and never more than `maxCalls`. */
export function preferTargeted(calls: number, stats: HierarchyStats | undefined, maxCalls: number): boolean {
  const pages = stats?.pages ?? PRIOR_STATS.pages ?? 1;
  return calls <= Math.min(maxCalls, TARGETED_CALLS_PER_PAGE * pages);
}
