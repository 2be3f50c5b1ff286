import type { GraphQLFieldResolver } from 'graphql';
import type { EntityRef, GraphQLContext } from '../context';
import type { Relation } from '../model/domain';
import { KLASSER } from '../model/objects';
import type { ObjectTypeName } from '../model/types';
import { existing, one } from '../resolvers/entity';
import { refs } from '../resolvers/hierarchy';
import { gyldighedRow, klasseNoegle, klasseTitel } from '../reads/klasse';
import { unitMemberships, userMemberships, type Membership } from '../reads/memberships';
import { attributeAt, relationsNamed, rowsAt, type Rows, type TimeContext } from '../temporal';
import { classified } from './errors';

/**
 * Field resolvers of OrganisationHent's object types over our loaders. Every value carries its
 * instant (`t`, set once by the query); KOMBIT's fields take no time arguments of their own.
 */

export type Resolver<R> = GraphQLFieldResolver<R, GraphQLContext, Record<string, unknown>>;
export type TypeResolvers = Record<string, Record<string, Resolver<never>>>;

/** A dynamic relation row (Adresser, Opgaver) as a value: the target with its rolle, type and indeks. */
export interface RelationValue extends EntityRef {
  rolle: string | null;
  type: string | null;
  indeks: string | null;
}

async function rowsOf(type: ObjectTypeName, ref: EntityRef, ctx: GraphQLContext): Promise<Rows | undefined> {
  const o = await ctx.loaders.at(type, ref.t).load(ref.uuid);
  return o ? rowsAt(o, ref.t) : undefined;
}

/** A text attribute of the object at its instant. */
const attr = (type: ObjectTypeName, element: string): Resolver<EntityRef> => async (root, _a, ctx) => {
  const rows = await rowsOf(type, root, ctx);
  const v = rows ? attributeAt(rows, element) : undefined;
  return typeof v === 'string' ? v : Array.isArray(v) ? v[0] ?? null : null;
};

const targets = async (type: ObjectTypeName, ref: EntityRef, relation: string, ctx: GraphQLContext): Promise<string[]> => {
  const rows = await rowsOf(type, ref, ctx);
  return rows ? relationsNamed(rows, relation).map((r) => r.ref.uuid).filter((x): x is string => !!x) : [];
};

/** A 0..1 relation to a live object (null when absent). */
const single = (type: ObjectTypeName, relation: string, target: ObjectTypeName): Resolver<EntityRef> => async (root, _a, ctx) =>
  one(target, (await targets(type, root, relation, ctx))[0], root.t, ctx);

const tilstand = (type: ObjectTypeName): Resolver<EntityRef> => async (root, _a, ctx) => {
  const rows = await rowsOf(type, root, ctx);
  const g = rows ? gyldighedRow(rows) : undefined;
  if (!g) return null;
  return { status: g.value === 'Aktiv' ? 'AKTIV' : 'INAKTIV', fraTidspunkt: g.virkning.fra, tilTidspunkt: g.virkning.til };
};

const byIndeks = (a: Relation, b: Relation): number => (a.indeks ?? '').localeCompare(b.indeks ?? '', 'da', { numeric: true });

/** Dynamic relation rows to live targets, optionally of some roles, by indeks. */
async function dynamicRows(type: ObjectTypeName, root: EntityRef, relation: string, target: ObjectTypeName, roller: unknown, ctx: GraphQLContext): Promise<RelationValue[]> {
  const rows = await rowsOf(type, root, ctx);
  if (!rows) return [];
  const wanted = Array.isArray(roller) && roller.length > 0 ? new Set(roller as string[]) : undefined;
  const list = relationsNamed(rows, relation).filter((r) => r.ref.uuid && (!wanted || (r.rolle?.uuid && wanted.has(r.rolle.uuid)))).sort(byIndeks);
  const live = new Set((await existing(target, [...new Set(list.map((r) => r.ref.uuid!))], root.t, ctx)).map((e) => e.uuid));
  return list.filter((r) => live.has(r.ref.uuid!)).map((r) => ({ uuid: r.ref.uuid!, t: root.t, rolle: r.rolle?.uuid ?? null, type: r.type?.uuid ?? null, indeks: r.indeks ?? null }));
}

const adresser = (type: ObjectTypeName): Resolver<EntityRef> => (root, args, ctx) => dynamicRows(type, root, 'Adresser', 'Adresse', args.rolle, ctx);

const klassifikation: Resolver<RelationValue> = (root) =>
  root.rolle && root.type ? { type: root.type, rolle: root.rolle, indeks: root.indeks ?? '' } : null;

/** Functions the unit points to of one Funktionstype (Henvendelsessted), from the hierarchy snapshot. */
async function pointedTo(ctx: GraphQLContext, unit: string, t: TimeContext, funktionstype: string): Promise<EntityRef[]> {
  const s = await ctx.hierarchy.at(t);
  const ids = (s.units.get(unit)?.tilknyttedeFunktioner ?? []).filter((f) => s.functions.get(f)?.funktionstype === funktionstype);
  return refs('OrganisationFunktion', ids, s, t, ctx);
}

const medlemskab = {
  uuid: (m: Membership) => m.uuid,
  medlemskabRolleTitel: (m: Membership) => m.navn,
  brugervendtNoegle: (m: Membership) => m.brugervendtNoegle,
  funktionsTypeUuid: (m: Membership) => m.funktionstype,
  funktionsTypeTitel: ((m, _a, ctx) => klasseTitel(ctx, m.funktionstype, m.t)) as Resolver<Membership>,
  start: (m: Membership) => m.start,
  slut: (m: Membership) => m.slut,
};

export const TYPE_RESOLVERS = {
  Organisation: {
    organisationsnavn: attr('Organisation', 'OrganisationNavn'),
    brugervendtNoegle: attr('Organisation', 'BrugervendtNoegleTekst'),
    myndighed: single('Organisation', 'Myndighed', 'Myndighed'),
    virksomhed: single('Organisation', 'Virksomhed', 'Virksomhed'),
    organisationEnhed: single('Organisation', 'Overordnet', 'OrganisationEnhed'),
  },
  Myndighed: { myndighedskode: attr('Myndighed', 'MyndighedsKode') },
  Virksomhed: { cvrNummerTekst: attr('Virksomhed', 'CVR-NummerTekst') },
  OrganisationEnhed: {
    enhedsnavn: attr('OrganisationEnhed', 'EnhedNavn'),
    brugervendtNoegle: attr('OrganisationEnhed', 'BrugervendtNoegleTekst'),
    underliggendeEnheder: (async (root, _a, ctx) => {
      const s = await ctx.hierarchy.at(root.t);
      const objs = s.objects.get('OrganisationEnhed');
      // KOMBIT lists active child units only.
      const active = (s.children.get(root.uuid) ?? []).filter((u) => {
        const o = objs?.get(u);
        return o && gyldighedRow(rowsAt(o, root.t))?.value === 'Aktiv';
      });
      return refs('OrganisationEnhed', active, s, root.t, ctx);
    }) as Resolver<EntityRef>,
    overordnetEnhed: single('OrganisationEnhed', 'Overordnet', 'OrganisationEnhed'),
    tilstand: tilstand('OrganisationEnhed'),
    tilhoerer: single('OrganisationEnhed', 'Tilhoerer', 'Organisation'),
    adresser: adresser('OrganisationEnhed'),
    opgaver: ((root, _a, ctx) => dynamicRows('OrganisationEnhed', root, 'Opgaver', 'Klasse', undefined, ctx)) as Resolver<EntityRef>,
    itSystemer: (async (root, _a, ctx) => existing('ItSystem', await targets('OrganisationEnhed', root, 'TilknyttedeItSystemer', ctx), root.t, ctx)) as Resolver<EntityRef>,
    medlemskaber: ((root, args, ctx) => unitMemberships(ctx, root.uuid, root.t, args.rolle as string[] | null)) as Resolver<EntityRef>,
    henvendelsessteder: ((root, _a, ctx) => pointedTo(ctx, root.uuid, root.t, KLASSER.FUNKTIONSTYPE_HENVENDELSESSTED)) as Resolver<EntityRef>,
  },
  Henvendelsessted: {
    navn: attr('OrganisationFunktion', 'FunktionNavn'),
    henvendelsesOrganisationEnhed: single('OrganisationFunktion', 'TilknyttedeEnheder', 'OrganisationEnhed'),
    opgave: (async (root, _a, ctx) => {
      const k = (await targets('OrganisationFunktion', root, 'TilknyttedeOpgaver', ctx))[0];
      return k ? { uuid: k, t: root.t, rolle: null, type: null, indeks: null } : null;
    }) as Resolver<EntityRef>,
  },
  Bruger: {
    brugernavn: attr('Bruger', 'BrugerNavn'),
    brugervendtNoegle: attr('Bruger', 'BrugervendtNoegleTekst'),
    brugerTypeUuid: (async (root, _a, ctx) => (await targets('Bruger', root, 'BrugerTyper', ctx))[0] ?? null) as Resolver<EntityRef>,
    brugerTypeTitel: (async (root, _a, ctx) => klasseTitel(ctx, (await targets('Bruger', root, 'BrugerTyper', ctx))[0], root.t)) as Resolver<EntityRef>,
    tilstand: tilstand('Bruger'),
    person: single('Bruger', 'TilknyttedePersoner', 'Person'),
    adresser: adresser('Bruger'),
    harMedlemskab: ((root, args, ctx) => userMemberships(ctx, root.uuid, root.t, args.rolle as string[] | null)) as Resolver<EntityRef>,
  },
  Person: {
    navn: (async (root, a, ctx, info) => {
      if (!ctx.navnAllowed) throw classified('Person.navn requires the data limitation SeNavn (senavn)', 'Unauthorized', 'WARNING');
      return attr('Person', 'NavnTekst')(root, a, ctx, info);
    }) as Resolver<EntityRef>,
    brugervendtNoegle: attr('Person', 'BrugervendtNoegleTekst'),
    cpr: (async (root, a, ctx, info) => {
      if (!ctx.cprAllowed) throw classified('Person.cpr requires the data limitation SeCPR-nummer (secpr-nummer)', 'Unauthorized', 'WARNING');
      return attr('Person', 'CPR-NummerTekst')(root, a, ctx, info);
    }) as Resolver<EntityRef>,
  },
  Adresse: {
    adresseTekst: attr('Adresse', 'AdresseTekst'),
    brugervendtNoegle: attr('Adresse', 'BrugervendtNoegleTekst'),
    adresseRolleTitel: (async (root, _a, ctx) => {
      const titel = await klasseTitel(ctx, root.rolle, root.t);
      if (titel === null) throw classified(`the title of address role ${root.rolle ?? '(none)'} could not be read from Klassifikation`, 'NotFound', 'WARNING');
      return titel;
    }) as Resolver<RelationValue>,
    klassifikation,
  },
  Opgave: {
    kleEmneNummer: ((root, _a, ctx) => klasseNoegle(ctx, root.uuid, root.t)) as Resolver<RelationValue>,
    kleEmneTitel: ((root, _a, ctx) => klasseTitel(ctx, root.uuid, root.t)) as Resolver<RelationValue>,
    opgaveRolleTitel: ((root, _a, ctx) => (root.rolle ? klasseTitel(ctx, root.rolle, root.t) : null)) as Resolver<RelationValue>,
    klassifikation,
  },
  ItSystem: { itSystemNavn: attr('ItSystem', 'ItSystemNavn') },
  OrganisationEnhedMedlemskab: { ...medlemskab, bruger: ((m, _a, ctx) => one('Bruger', m.bruger, m.t, ctx)) as Resolver<Membership> },
  BrugerMedlemskab: { ...medlemskab, medlemAf: ((m, _a, ctx) => one('OrganisationEnhed', m.enhed, m.t, ctx)) as Resolver<Membership> },
} as unknown as TypeResolvers;
