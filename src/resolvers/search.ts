import { GraphQLError } from 'graphql';
import { Int, Resolver } from 'type-graphql';
import { KLASSER, OBJECT_TYPES } from '../model/objects';
import type { ObjectTypeSpec } from '../model/types';
import { searchClasses, searchableRelations } from '../entities/search';
import { lowerFirst } from '../entities/factory';
import { attributeAt, relationsNamed, rowsAt } from '../temporal/rows';
import type { SoegCriteria } from '../sf1500/reader';
import { atInstant, type TimeContext } from '../temporal';
import type { EntityRef, GraphQLContext } from '../context';
import { wildcardMatch } from '../wire/wildcard';
import { addField, addQuery } from './define';
import { namedClass, type AnyClass } from '../entities/named';
import { timeOf } from './entity';

/**
 * Search per object type: Relay connections over Soeg (ordered by UUID, opaque offset cursors),
 * then one List of the page. Hits are re-checked against the criteria after List, because real
 * SF1500 is known to return non-matching hits for some relation criteria (SPEC §11).
 */

const CURSOR_PREFIX = 'sf1500:';

export function encodeCursor(offset: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${offset}`).toString('base64url');
}

/** Offsets our cursors can hold: 8 digits, so offset + page always fits SF1500's 9-digit integers. */
const CURSOR_OFFSET = /^(0|[1-9]\d{0,7})$/;

/** The offset of one of our own cursors; anything we never issue (forged, padded, huge) is the caller's error. */
export function decodeCursor(cursor: string): number {
  const bad = (): GraphQLError => new GraphQLError('after: not a cursor returned by this API', { extensions: { code: 'BAD_USER_INPUT', argument: 'after' } });
  if (cursor.length > 24 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw bad();
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const digits = text.slice(CURSOR_PREFIX.length);
  if (!text.startsWith(CURSOR_PREFIX) || !CURSOR_OFFSET.test(digits)) throw bad();
  const n = Number(digits);
  // Only the canonical encoding: base64url has several spellings of the same bytes.
  if (encodeCursor(n) !== cursor) throw bad();
  return n;
}

type Filter = Record<string, string | null | undefined>;

export function criteriaFor(spec: ObjectTypeSpec, filter: Filter | undefined): SoegCriteria {
  const c: SoegCriteria = { egenskaber: {}, relationer: [] };
  if (!filter) return c;
  for (const [k, max] of [['navn', 200], ['brugervendtNoegle', 50]] as const) {
    const v = filter[k];
    if (v != null && v.length > max) throw new GraphQLError(`filter.${k}: at most ${max} characters`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  if (filter.navn != null) c.egenskaber![spec.nameAttribute] = filter.navn;
  if (filter.brugervendtNoegle != null) c.egenskaber!.BrugervendtNoegleTekst = filter.brugervendtNoegle;
  if (filter.gyldighed != null) c.gyldighed = filter.gyldighed as 'Aktiv' | 'Inaktiv';
  for (const r of searchableRelations(spec)) {
    const v = filter[r.field];
    if (v == null) continue;
    c.relationer!.push(r.dynamic ? { name: r.element, uuid: v, rolle: KLASSER.OPGAVE_ROLLE_ANSVARLIG, type: KLASSER.OPGAVE_TYPE_KLASSE } : { name: r.element, uuid: v });
  }
  return c;
}

/** Does the object (rows at t) satisfy the criteria? */
function stillMatches(rows: ReturnType<typeof rowsAt>, c: SoegCriteria): boolean {
  for (const [el, v] of Object.entries(c.egenskaber ?? {})) {
    const val = attributeAt(rows, el);
    if (!(Array.isArray(val) ? val : val === undefined ? [] : [val]).some((x) => wildcardMatch(v, x))) return false;
  }
  if (c.gyldighed && !rows.tilstande.some((s) => s.value === c.gyldighed)) return false;
  for (const r of c.relationer ?? []) if (!relationsNamed(rows, r.name).some((x) => x.ref.uuid === r.uuid)) return false;
  return true;
}

interface ConnectionValue {
  edges: Array<{ cursor: string; node: EntityRef }>;
  nodes: EntityRef[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  count: () => Promise<number | null>;
}

function searchResolver(spec: ObjectTypeSpec): AnyClass[] {
  const { filter, connection } = searchClasses().get(spec.name)!;
  const Q = namedClass(`${spec.name}SearchQuery`);
  addQuery<{ filter?: Filter | null; first?: number | null; after?: string | null }>(Q, {
    name: `soeg${spec.plural}`, type: () => connection,
    description: `Search ${spec.plural} (SF1500 Soeg), in pages: \`first\` (1..GRAPHQL_MAX_FIRST) after a cursor.`,
    args: [
      { name: 'filter', type: () => filter, nullable: true },
      { name: 'first', type: () => Int, nullable: true, defaultValue: 50 },
      { name: 'after', type: () => String, nullable: true },
    ],
    resolve: async (_r, args, ctx): Promise<ConnectionValue> => {
      // null (asked explicitly) is out of range like any non-integer
      const first = args.first ?? NaN;
      const maxFirst = ctx.maxFirst;
      if (!Number.isInteger(first) || first < 1 || first > maxFirst) {
        throw new GraphQLError(`first: must be from 1 to ${maxFirst} (GRAPHQL_MAX_FIRST)`, { extensions: { code: 'BAD_USER_INPUT', argument: 'first' } });
      }
      const byName = args.filter?.navn != null;
      if (byName && !ctx.navnAllowed && spec.attributes.some((a) => a.personName && a.element === spec.nameAttribute)) {
        throw new GraphQLError('Searching by person name requires the name permission: a Bearer token with the scope named by NAVN_SCOPE (default senavn), or NAVN_EXPOSE=true on the subgraph', { extensions: { code: 'FORBIDDEN' } });
      }
      const offset = args.after ? decodeCursor(args.after) + 1 : 0;
      const t = timeOf(undefined, args, ctx);
      const it = atInstant(t);
      const criteria = criteriaFor(spec, args.filter ?? undefined);
      const ids = await ctx.loaders.search(spec.name, criteria, { offset, limit: first + 1 }, it);
      const page = ids.slice(0, first);
      const objs = await ctx.loaders.at(spec.name, it).loadMany(page);
      const edges: ConnectionValue['edges'] = [];
      page.forEach((uuid, i) => {
        const o = objs[i];
        if (o instanceof Error) throw o;
        if (o && stillMatches(rowsAt(o, it), criteria)) edges.push({ cursor: encodeCursor(offset + i), node: { uuid, t } });
      });
      return {
        edges,
        nodes: edges.map((e) => e.node),
        pageInfo: {
          hasNextPage: ids.length > first,
          hasPreviousPage: offset > 0,
          startCursor: page.length > 0 ? encodeCursor(offset) : null,
          endCursor: page.length > 0 ? encodeCursor(offset + page.length - 1) : null,
        },
        count: () => countAll(spec, criteria, it, ctx),
      };
    },
  });
  const C = namedClass(`${spec.name}ConnectionResolver`);
  addField<ConnectionValue>(C, {
    name: 'totalCount', type: () => Int, nullable: true, time: false,
    description: 'Total hits (paged Soeg of UUIDs only; null beyond 100,000 hits).',
    resolve: (root) => root.count(),
  });
  Resolver(() => connection)(C);
  Resolver()(Q);
  return [Q, C];
}

async function countAll(spec: ObjectTypeSpec, criteria: SoegCriteria, it: TimeContext, ctx: GraphQLContext): Promise<number | null> {
  const page = 1000;
  let total = 0;
  for (let offset = 0; offset < 100_000; offset += page) {
    const ids = await ctx.loaders.search(spec.name, criteria, { offset, limit: page }, it);
    total += ids.length;
    if (ids.length < page) return total;
  }
  return null;
}

export function searchResolvers(): AnyClass[] {
  return OBJECT_TYPES.flatMap((s) => searchResolver(s));
}

