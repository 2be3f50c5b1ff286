import { GraphQLError } from 'graphql';
import { isUuid } from '../model/domain';

/**
 * Relay paging as OrganisationHent does it: `first`/`after` forwards, `last`/`before` backwards,
 * default and maximum page 500, and the two directions not mixed. A cursor is the base64 of the
 * node's UUID (as KOMBIT's own), so it stays meaningful when the list changes between pages: the
 * page continues after the cursor's place in the order even when that node has gone.
 */

export const PAGE_MAX = 500;

export interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

export interface Page<N> {
  edges: Array<{ cursor: string; node: N }>;
  pageInfo: { startCursor: string | null; endCursor: string | null; hasNextPage: boolean; hasPreviousPage: boolean };
}

export const encodeCursor = (uuid: string): string => Buffer.from(uuid, 'utf8').toString('base64');

function invalid(argument: string, message: string): GraphQLError {
  return new GraphQLError(`${argument}: ${message}`, { extensions: { code: 'BAD_USER_INPUT', argument } });
}

export function decodeCursor(cursor: string, argument: string): string {
  const uuid = /^[A-Za-z0-9+/]{48}$/.test(cursor) ? Buffer.from(cursor, 'base64').toString('utf8') : '';
  if (!isUuid(uuid) || encodeCursor(uuid) !== cursor) throw invalid(argument, 'not a cursor returned by this API');
  return uuid.toLowerCase();
}

function count(v: number | null | undefined, argument: string): number | undefined {
  if (v == null) return undefined;
  if (!Number.isInteger(v) || v < 0) throw invalid(argument, 'must be 0 or more');
  return Math.min(v, PAGE_MAX);
}

/**
 * One page of `items` (already in order); `key` maps an item to a string that sorts in that order,
 * so a cursor whose item is no longer in the list still has its place.
 */
export function paginate<N>(items: readonly string[], key: (uuid: string) => string, args: PageArgs, node: (uuid: string) => N): Page<N> {
  if (args.first != null && args.last != null) throw invalid('first', 'first and last cannot be combined');
  if (args.after != null && args.before != null) throw invalid('after', 'after and before cannot be combined');
  const first = count(args.first, 'first');
  const last = count(args.last, 'last');
  let from = 0;
  let to = items.length;
  if (args.after != null) {
    const k = key(decodeCursor(args.after, 'after'));
    while (from < to && key(items[from]) <= k) from++;
  }
  if (args.before != null) {
    const k = key(decodeCursor(args.before, 'before'));
    while (to > from && key(items[to - 1]) >= k) to--;
  }
  // Backwards when asked for `last`, or for `before` alone: the page nearest the cursor.
  if (last !== undefined || (first === undefined && args.before != null)) from = Math.max(from, to - (last ?? PAGE_MAX));
  else to = Math.min(to, from + (first ?? PAGE_MAX));
  const slice = items.slice(from, to);
  return {
    edges: slice.map((u) => ({ cursor: encodeCursor(u), node: node(u) })),
    pageInfo: {
      startCursor: slice.length > 0 ? encodeCursor(slice[0]) : null,
      endCursor: slice.length > 0 ? encodeCursor(slice[slice.length - 1]) : null,
      hasNextPage: to < items.length,
      hasPreviousPage: from > 0,
    },
  };
}
