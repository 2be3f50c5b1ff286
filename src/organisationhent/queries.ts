import type { EntityRef, GraphQLContext } from '../context';
import type { ObjectTypeName } from '../model/types';
import { existing, timeOf } from '../resolvers/entity';
import { refs } from '../resolvers/hierarchy';
import { filterBrugere, filterEnheder, organisationByCvr, type Status } from '../reads/lookup';
import { atInstant, type TimeContext } from '../temporal';
import { classified } from './errors';
import { paginate, type PageArgs } from './paging';
import type { Resolver } from './types';

/** OrganisationHent's five queries. Each reads at one instant: `virkning`/`registrering` if given, else now. */

const instant = (args: Record<string, unknown>, ctx: GraphQLContext): TimeContext => atInstant(timeOf(undefined, args, ctx));

const STATUS: Record<string, Status> = { AKTIV: 'Aktiv', INAKTIV: 'Inaktiv' };

async function organisationOf(cvr: string, t: TimeContext, ctx: GraphQLContext): Promise<string> {
  const org = await organisationByCvr(ctx, cvr, t);
  if (!org) throw classified(`no organisation with CVR ${cvr}`, 'NotFound');
  return org;
}

/** Objects by UUID in the order asked; an unknown one is null with a NotFound error at its place. */
async function byUuid(type: ObjectTypeName, args: Record<string, unknown>, ctx: GraphQLContext): Promise<Array<EntityRef | Error>> {
  const uuids = (args.uuid as string[]).map((u) => u.toLowerCase());
  if (uuids.length > ctx.maxListArgument) throw classified(`uuid: at most ${ctx.maxListArgument} UUIDs per query (GRAPHQL_MAX_UUIDS)`, 'ValidationError');
  const t = instant(args, ctx);
  const found = new Map((await existing(type, uuids, t, ctx)).map((e) => [e.uuid, e]));
  // graphql-js completes an Error item as null plus an error at that item's path.
  return uuids.map((u) => found.get(u) ?? classified(`${type} ${u} not found`, 'NotFound'));
}

/** A page of `ids` at t, with the snapshot's objects primed for the page's fields. */
async function page(type: ObjectTypeName, ids: string[], key: (u: string) => string, args: Record<string, unknown>, t: TimeContext, ctx: GraphQLContext) {
  const p = paginate(ids, key, args as PageArgs, (uuid) => ({ uuid, t }));
  refs(type, p.edges.map((e) => e.node.uuid), await ctx.hierarchy.at(t), t, ctx);
  return p;
}

interface KleFilterArg { rolle?: string | null; kleNummer: string[] }
interface BrugerFilterArg {
  brugernavn?: string | null;
  brugerTypeUuid?: string | null;
  adresseRolleFilter?: { rolle: string; tekst: string } | null;
  personFilter?: { navn?: string | null; cpr?: string | null } | null;
}

export const QUERY_RESOLVERS: Record<string, Resolver<undefined>> = {
  organisation: async (_r, args, ctx) => {
    const t = instant(args, ctx);
    return { uuid: await organisationOf(args.cvr as string, t, ctx), t };
  },
  organisationEnhedListe: async (_r, args, ctx) => {
    const t = instant(args, ctx);
    const org = await organisationOf(args.cvr as string, t, ctx);
    const opgaver = args.opgaver as KleFilterArg | null | undefined;
    const ids = await filterEnheder(ctx, org, {
      status: STATUS[args.status as string],
      kleNummer: opgaver?.kleNummer, opgaveRolle: opgaver?.rolle,
      itSystemer: (args.itSystemer as string[] | null | undefined) ?? undefined,
    }, t);
    // The root unit first (KOMBIT's order), then by UUID: the cursor's key keeps that order.
    const root = (await ctx.hierarchy.at(t)).organisationRoot.get(org);
    return page('OrganisationEnhed', ids, (u) => (u === root ? '0' : `1${u}`), args, t, ctx);
  },
  organisationEnhed: (_r, args, ctx) => byUuid('OrganisationEnhed', args, ctx),
  bruger: (_r, args, ctx) => byUuid('Bruger', args, ctx),
  brugerListe: async (_r, args, ctx) => {
    const t = instant(args, ctx);
    const org = await organisationOf(args.cvr as string, t, ctx);
    const f = (args.brugerFilter ?? {}) as BrugerFilterArg;
    const ids = await filterBrugere(ctx, org, {
      status: STATUS[args.status as string],
      brugernavn: f.brugernavn, brugerType: f.brugerTypeUuid,
      adresseRolle: f.adresseRolleFilter?.rolle, adresseTekst: f.adresseRolleFilter?.tekst,
      personNavn: f.personFilter?.navn, cpr: f.personFilter?.cpr,
    }, t);
    return page('Bruger', ids, (u) => u, args, t, ctx);
  },
};
