import { GraphQLError } from 'graphql';
import { Field, InputType, Int, ObjectType, Resolver, registerEnumType } from 'type-graphql';
import { addQuery } from '../resolvers/define';
import { namedClass, type AnyClass } from '../entities/named';
import { DateTime, UUID } from '../entities/common';
import type { GraphQLContext } from '../context';
import type { ObjectTypeName } from '../model/types';
import { decodeCursor, encodeCursor } from './cursor';
import type { ChangeLog, ChangePage } from './log';

/** The feed's GraphQL face: `aendringer` (the log after a cursor) and `genudsend` (a filter's objects as events). */

export enum ObjektType {
  Organisation = 'Organisation',
  OrganisationEnhed = 'OrganisationEnhed',
  OrganisationFunktion = 'OrganisationFunktion',
  Bruger = 'Bruger',
  Person = 'Person',
  Adresse = 'Adresse',
  ItSystem = 'ItSystem',
  Interessefaellesskab = 'Interessefaellesskab',
  Virksomhed = 'Virksomhed',
  Myndighed = 'Myndighed',
  Klasse = 'Klasse',
}
// Every model type is named here; the compiler checks the two lists agree.
const SAME: Record<ObjectTypeName, ObjektType> = ObjektType;
void SAME;
registerEnumType(ObjektType, { name: 'ObjektType', description: 'An FK Organisation object type.' });

export enum AendringsArt {
  OPRETTET = 'OPRETTET',
  AENDRET = 'AENDRET',
  FJERNET = 'FJERNET',
  TRAEDER_I_KRAFT = 'TRAEDER_I_KRAFT',
  OPHOERER = 'OPHOERER',
}
registerEnumType(AendringsArt, {
  name: 'AendringsArt',
  description: 'What happened to the object.',
  valuesConfig: {
    OPRETTET: { description: 'It appeared with a new registration (or, from genudsend, it exists).' },
    AENDRET: { description: 'A new registration changed it (felter: what differs in virkning now, or later).' },
    FJERNET: { description: 'Passivated, deleted, or no longer in the hierarchy.' },
    TRAEDER_I_KRAFT: { description: 'A virkning boundary passed: rows registered earlier came into virkning (virkningFra).' },
    OPHOERER: { description: 'A virkning boundary passed: the object ended or turned Inaktiv.' },
  },
});

@ObjectType({ description: 'One change of one object.' })
export class Aendring {
  @Field(() => String, { description: 'Position after this event: give it as `efter` to go on from here.' })
  cursor!: string;

  @Field(() => ObjektType)
  type!: ObjektType;

  @Field(() => UUID)
  uuid!: string;

  @Field(() => AendringsArt)
  art!: AendringsArt;

  @Field(() => DateTime, { nullable: true, description: 'The registration behind the event (null when unknown: a removed object).' })
  registreringTidspunkt!: Date | null;

  @Field(() => DateTime, { nullable: true, description: 'For TRAEDER_I_KRAFT and OPHOERER: the virkning boundary that passed (null if it was seen only later).' })
  virkningFra!: Date | null;

  @Field(() => [String], { nullable: true, description: 'Changed attributes, states and relations (wire names: EnhedNavn, Overordnet, Gyldighed); from genudsend: the ones it has.' })
  felter!: string[] | null;
}

@ObjectType({ description: 'A page of the change feed.' })
export class AendringSide {
  @Field(() => [Aendring])
  aendringer!: Aendring[];

  @Field(() => String, { description: 'Give it as `efter` to the next call (also when the page is empty).' })
  naesteEfter!: string;
}

@InputType({ description: 'Which objects genudsend replays: of these types, or these UUIDs (both: both must hold).' })
export class GenudsendFilter {
  @Field(() => [ObjektType], { nullable: true })
  typer?: ObjektType[] | null;

  @Field(() => [UUID], { nullable: true })
  uuids?: string[] | null;
}

function feedOf(ctx: GraphQLContext): ChangeLog {
  if (!ctx.changes) throw new GraphQLError('the change feed is off (SUBGRAPH_CHANGES, and SF1500_HIERARCHY_REFRESH_MS > 0)', { extensions: { code: 'CHANGE_FEED_OFF' } });
  return ctx.changes;
}

function checkMaks(maks: number, ctx: GraphQLContext): void {
  if (!Number.isInteger(maks) || maks < 1 || maks > ctx.maxFirst) {
    throw new GraphQLError(`maks: must be from 1 to ${ctx.maxFirst} (GRAPHQL_MAX_FIRST)`, { extensions: { code: 'BAD_USER_INPUT', argument: 'maks' } });
  }
}

/** The page as GraphQL values (cursors encoded, times as Dates). */
export function toSide(p: ChangePage): AendringSide {
  return {
    aendringer: p.events.map((e) => ({
      cursor: encodeCursor(e.cursor), type: e.type as ObjektType, uuid: e.uuid, art: e.art as AendringsArt,
      registreringTidspunkt: e.registreringTidspunkt === null ? null : new Date(e.registreringTidspunkt),
      virkningFra: e.virkningFra === null ? null : new Date(e.virkningFra),
      felter: e.felter,
    })),
    naesteEfter: encodeCursor(p.next),
  };
}

/** The two queries, attached through define.ts as every other query (they run as plain resolvers). */
export function aendringerResolvers(): AnyClass[] {
  const Q = namedClass('AendringerQuery');
  addQuery<{ efter?: string | null; typer?: ObjektType[] | null; maks: number }>(Q, {
    name: 'aendringer', type: () => AendringSide, time: false,
    description: 'What changed in FK Organisation after `efter` (null: from now on; nothing old), at least once, in order. Paged by `maks`.',
    args: [
      { name: 'efter', type: () => String, nullable: true },
      { name: 'typer', type: () => [ObjektType], nullable: true },
      { name: 'maks', type: () => Int, defaultValue: 100 },
    ],
    resolve: (_r, args, ctx): AendringSide => {
      const feed = feedOf(ctx);
      const maks = args.maks;
      checkMaks(maks, ctx);
      const efter = args.efter;
      return toSide(feed.page(efter ? decodeCursor(efter) : null, args.typer ?? [], maks));
    },
  });
  addQuery<{ filter: GenudsendFilter; maks: number }>(Q, {
    name: 'genudsend', type: () => AendringSide, time: false,
    description: 'The current state of every object matching `filter`, as OPRETTET events (first sync, catch-up). Follow `naesteEfter` with `aendringer`: the rest of the replay, then the feed from when it began.',
    args: [
      { name: 'filter', type: () => GenudsendFilter },
      { name: 'maks', type: () => Int, defaultValue: 100 },
    ],
    resolve: (_r, args, ctx): AendringSide => {
      const feed = feedOf(ctx);
      const maks = args.maks;
      checkMaks(maks, ctx);
      const filter = args.filter;
      const uuids = filter.uuids ?? undefined;
      if (uuids && uuids.length > ctx.maxListArgument) {
        throw new GraphQLError(`filter.uuids: at most ${ctx.maxListArgument} (GRAPHQL_MAX_UUIDS)`, { extensions: { code: 'BAD_USER_INPUT', argument: 'filter' } });
      }
      return toSide(feed.replay(filter.typer ?? [], uuids, '', feed.head, maks));
    },
  });
  Resolver()(Q);
  return [Q];
}
