import { Resolver } from 'type-graphql';
import type { EntityRef, GraphQLContext } from '../context';
import { entityClasses, dynamicClass } from '../entities/factory';
import { UUID } from '../entities/common';
import { BrugerlisteFilter, EnhedslisteFilter, Medlemskab } from '../entities/features';
import { namedClass, type AnyClass } from '../entities/named';
import type { ObjectTypeName } from '../model/types';
import { klasseTitel } from '../reads/klasse';
import { filterBrugere, filterEnheder, type BrugerFilter, type EnhedFilter } from '../reads/lookup';
import { unitMemberships, userMemberships, type Membership } from '../reads/memberships';
import { atInstant, relationsNamed, resolveTime, rowsAt, type TimeContext } from '../temporal';
import { addField } from './define';
import { one, timeOf } from './entity';
import { refs } from './hierarchy';

/**
 * The domain features of KOMBIT's OrganisationHent in the federation schema, each with `virkning` and
 * `registrering` like every other field: memberships with start and end, unit and user lists by
 * KOMBIT's filters, and titles from Klassifikation. The reads are the ones the OrganisationHent
 * endpoint uses (src/reads).
 */

const entity = (name: ObjectTypeName) => (): AnyClass => entityClasses().get(name)!.entity;

type MembershipValue = Medlemskab & { t: TimeContext };
const value = (m: Membership): MembershipValue => ({
  uuid: m.uuid, navn: m.navn, brugervendtNoegle: m.brugervendtNoegle, funktionstypeUuid: m.funktionstype,
  start: m.start, slut: m.slut, brugerUuid: m.bruger, enhedUuid: m.enhed, t: m.t,
});
const roller = { name: 'rolle', type: () => [UUID], nullable: true, description: 'Only these Funktionstyper (Klasse UUIDs); omitted: all.' };

/** A field answering the Klasse title of a classification UUID the value carries. */
function titleField<R extends { t: TimeContext }>(R: { prototype: object }, name: string, description: string, uuidOf: (root: R, ctx: GraphQLContext, t: TimeContext) => Promise<string | null | undefined> | string | null | undefined): void {
  addField<R>(R, {
    name, type: () => String, nullable: true, description: `${description} (TitelTekst from Klassifikation).`,
    resolve: async (root, args, ctx) => {
      const t = atInstant(resolveTime(root.t, args.virkning, args.registrering));
      return klasseTitel(ctx, await uuidOf(root, ctx, t), t);
    },
  });
}

/** The UUID of a 0..1 relation of an object at t. */
async function relationTarget(type: ObjectTypeName, uuid: string, relation: string, t: TimeContext, ctx: GraphQLContext): Promise<string | undefined> {
  const o = await ctx.loaders.at(type, t).load(uuid);
  return o ? relationsNamed(rowsAt(o, t), relation)[0]?.ref.uuid : undefined;
}

function membershipFields(): AnyClass {
  const R = namedClass('MedlemskabResolver');
  const target = (name: string, type: ObjectTypeName, uuidOf: (m: MembershipValue) => string, description: string): void => addField<MembershipValue>(R, {
    name, type: entity(type), nullable: true, description,
    resolve: (m, args, ctx) => one(type, uuidOf(m), resolveTime(m.t, args.virkning, args.registrering), ctx),
  });
  target('funktion', 'OrganisationFunktion', (m) => m.uuid, 'The OrganisationFunktion.');
  target('bruger', 'Bruger', (m) => m.brugerUuid, 'The Bruger.');
  target('enhed', 'OrganisationEnhed', (m) => m.enhedUuid, 'The OrganisationEnhed.');
  titleField<MembershipValue>(R, 'funktionsTypeTitel', 'Title of the Funktionstype', (m) => m.funktionstypeUuid);
  Resolver(() => Medlemskab)(R);
  return R;
}

type MembershipRead = (ctx: GraphQLContext, uuid: string, t: TimeContext, roller?: readonly string[] | null) => Promise<Membership[]>;
function membershipsField(R: { prototype: object }, name: string, description: string, read: MembershipRead): void {
  addField<EntityRef, { rolle?: string[] | null }>(R, {
    name, type: () => [Medlemskab], nullable: true, args: [roller], description,
    resolve: async (root, args, ctx) => (await read(ctx, root.uuid, atInstant(timeOf(root, args, ctx)), args.rolle)).map(value),
  });
}

function enhedFields(): AnyClass {
  const R = namedClass('OrganisationEnhedFeatureResolver');
  membershipsField(R, 'medlemskaber', 'Active memberships in the unit (one per function and Bruger), with start and end.', unitMemberships);
  Resolver(entity('OrganisationEnhed'))(R);
  return R;
}

function brugerFields(): AnyClass {
  const R = namedClass('BrugerFeatureResolver');
  membershipsField(R, 'harMedlemskab', 'Active memberships of the user (one per function and unit), with start and end.', userMemberships);
  titleField<EntityRef>(R, 'brugerTypeTitel', 'Title of the user type (BrugerTyper)', async (root, ctx, t) => (await relationTarget('Bruger', root.uuid, 'BrugerTyper', t, ctx)));
  Resolver(entity('Bruger'))(R);
  return R;
}

function funktionFields(): AnyClass {
  const R = namedClass('OrganisationFunktionFeatureResolver');
  titleField<EntityRef>(R, 'funktionsTypeTitel', 'Title of the Funktionstype', (root, ctx, t) => relationTarget('OrganisationFunktion', root.uuid, 'Funktionstype', t, ctx));
  Resolver(entity('OrganisationFunktion'))(R);
  return R;
}

function relationTitles(): AnyClass[] {
  type Dyn = { rolleUuid: string | null; t: TimeContext };
  const A = namedClass('AdresseRelationFeatureResolver');
  titleField<Dyn>(A, 'adresseRolleTitel', 'Title of the address Rolle ("Postadresse", "Email", ...)', (r) => r.rolleUuid);
  Resolver(() => dynamicClass('Adresse'))(A);
  const K = namedClass('KlasseRelationFeatureResolver');
  titleField<Dyn>(K, 'opgaveRolleTitel', 'Title of the task Rolle ("Ansvarlig", ...)', (r) => r.rolleUuid);
  Resolver(() => dynamicClass('Klasse'))(K);
  return [A, K];
}

function organisationFields(): AnyClass {
  const R = namedClass('OrganisationFeatureResolver');
  addField<EntityRef, { filter?: EnhedslisteFilter | null }>(R, {
    name: 'enhedsliste', type: () => [entity('OrganisationEnhed')()], nullable: true,
    description: 'Units of the organisation by KOMBIT\'s filters (KLE number with wildcards and task role, IT systems, state): the root unit first, then by UUID.',
    args: [{ name: 'filter', type: () => EnhedslisteFilter, nullable: true }],
    resolve: async (root, args, ctx) => {
      const t = atInstant(timeOf(root, args, ctx));
      const f: Partial<EnhedslisteFilter> = args.filter ?? {};
      const ids = await filterEnheder(ctx, root.uuid, { status: f.gyldighed, kleNummer: f.kleNummer, opgaveRolle: f.opgaveRolle, itSystemer: f.itSystemer } satisfies EnhedFilter, t);
      return refs('OrganisationEnhed', ids, await ctx.hierarchy.at(t), t, ctx);
    },
  });
  addField<EntityRef, { filter?: BrugerlisteFilter | null }>(R, {
    name: 'brugerliste', type: () => [entity('Bruger')()], nullable: true,
    description: 'Users of the organisation by KOMBIT\'s filters (user name, user type, address text by role, person name, CPR), by UUID.',
    args: [{ name: 'filter', type: () => BrugerlisteFilter, nullable: true }],
    resolve: async (root, args, ctx) => {
      const t = atInstant(timeOf(root, args, ctx));
      const f: Partial<BrugerlisteFilter> = args.filter ?? {};
      const ids = await filterBrugere(ctx, root.uuid, { ...f, status: f.gyldighed } satisfies BrugerFilter, t);
      return refs('Bruger', ids, await ctx.hierarchy.at(t), t, ctx);
    },
  });
  Resolver(entity('Organisation'))(R);
  return R;
}

export function featureResolvers(): AnyClass[] {
  return [membershipFields(), enhedFields(), brugerFields(), funktionFields(), ...relationTitles(), organisationFields()];
}
