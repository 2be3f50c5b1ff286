import { GraphQLError, Kind, type FieldNode, type GraphQLResolveInfo } from 'graphql';
import { Resolver } from 'type-graphql';
import { OBJECT_TYPES } from '../model/objects';
import { isUuid, type Registrering, type Relation, type Virkning } from '../model/domain';
import type { AttributeSpec, ObjectTypeName, ObjectTypeSpec, RelationSpec } from '../model/types';
import { entityClasses, dynamicClass, dynamicClasses, attributeType, lowerFirst } from '../entities/factory';
import { Gyldighed, Livscyklus, Registrering as RegistreringType, RegistreringInput, UUID, VirkningInput } from '../entities/common';
import { attributeAt, inForce, isLive, latest, matches, relationsNamed, rowsAt, type Rows } from '../temporal/rows';
import { atInstant, historyTime, resolveTime, toMillis, type TimeContext } from '../temporal';
import type { EntityRef, GraphQLContext } from '../context';
import { addField, addQuery, type TimeArgs } from './define';
import { organisationByCvr } from '../reads/lookup';
import { namedClass, type AnyClass } from '../entities/named';

/**
 * Generic resolvers for every object type, generated from the model: attributes, state and
 * relations at an instant, a Historik of rows over a period, the registration list, and root
 * queries by UUID. Every field takes `virkning` and `registrering`; omitted, they are inherited.
 */

export function timeOf(root: EntityRef | undefined, args: TimeArgs, ctx: GraphQLContext): TimeContext {
  return resolveTime(root?.t ?? ctx.rootTime, args.virkning, args.registrering);
}

/** At most this many hints per answer: they explain, they must not swamp it. */
const MAX_HINTS = 10;

/** An object known to SF1500 with no attribute rows at `t` existed only before or after it: say so once. */
function hintNoRows(ctx: GraphQLContext, type: ObjectTypeName, uuid: string, t: TimeContext): void {
  if (ctx.hints.size >= MAX_HINTS) return;
  ctx.hints.add(`${type} ${uuid} has no rows at virkning ${new Date(t.virkningFra).toISOString()}: it did not exist then (or had ended), so its fields answer null; historik lists the times it has rows`);
}

/** Rows of an object at an instant, or undefined when the object is unknown. */
async function rowsOf(type: ObjectTypeName, uuid: string, t: TimeContext, ctx: GraphQLContext): Promise<Rows | undefined> {
  const obj = await ctx.loaders.at(type, t).load(uuid);
  return obj ? rowsAt(obj, t) : undefined;
}

const UUID_ONLY = new WeakMap<readonly FieldNode[], boolean>();

/**
 * The field selects only its target's identity (`uuid`, `__typename`): the reference as recorded answers
 * it, without a List of the target (like `overordnetUuid`, it does not check that the target exists).
 */
export function onlyUuid(info: GraphQLResolveInfo | undefined): boolean {
  if (!info) return false;
  let v = UUID_ONLY.get(info.fieldNodes);
  if (v === undefined) {
    v = info.fieldNodes.every((n) => n.selectionSet?.selections.every((s) => s.kind === Kind.FIELD && !s.directives?.length && (s.name.value === 'uuid' || s.name.value === '__typename')) ?? false);
    UUID_ONLY.set(info.fieldNodes, v);
  }
  return v;
}

/**
 * Entity references that exist at `t` (loaded in one batch per type and level). With `info` of a field
 * that selects only `uuid`, the references as they are (no call).
 */
export async function existing(type: ObjectTypeName, uuids: string[], t: TimeContext, ctx: GraphQLContext, info?: GraphQLResolveInfo): Promise<EntityRef[]> {
  if (onlyUuid(info)) return uuids.map((uuid) => ({ uuid, t }));
  const it = atInstant(t);
  const objs = await ctx.loaders.at(type, it).loadMany(uuids);
  const out: EntityRef[] = [];
  objs.forEach((o, i) => {
    if (o instanceof Error) throw o;
    if (o && isLive(o, it.registrering)) out.push({ uuid: uuids[i], t });
  });
  return out;
}

export async function one(type: ObjectTypeName, uuid: string | undefined, t: TimeContext, ctx: GraphQLContext, info?: GraphQLResolveInfo): Promise<EntityRef | null> {
  if (!uuid) return null;
  return (await existing(type, [uuid], t, ctx, info))[0] ?? null;
}

function attributeValue(a: AttributeSpec, v: string | string[] | undefined): unknown {
  if (v === undefined) return null;
  if (a.children) {
    return (Array.isArray(v) ? v : [v]).map((j) => {
      const o = JSON.parse(j) as Record<string, string>;
      return { identifikator: o.SoegeordIdentifikator ?? null, beskrivelse: o.BeskrivelseTekst ?? null, kategori: o.SoegeordKategoriTekst ?? null };
    });
  }
  if (a.repeats) return Array.isArray(v) ? v : [v];
  return Array.isArray(v) ? v[0] : v;
}

function refOf(r: Relation): string | undefined {
  return r.ref.uuid;
}

function relationFields(spec: ObjectTypeSpec, R: { prototype: object }): void {
  for (const rs of spec.relations) addRelation(spec, R, rs);
}

function addRelation(spec: ObjectTypeSpec, R: { prototype: object }, rs: RelationSpec): void {
  const at = async (root: EntityRef, args: TimeArgs, ctx: GraphQLContext): Promise<{ t: TimeContext; rows: Relation[] }> => {
    const t = timeOf(root, args, ctx);
    const rows = await rowsOf(spec.name, root.uuid, atInstant(t), ctx);
    return { t, rows: rows ? relationsNamed(rows, rs.element) : [] };
  };
  const targetName = rs.target;
  if (rs.dynamic && targetName) {
    addField<EntityRef, { rolle?: string[] | null }>(R, {
      name: rs.field, type: () => [dynamicClass(targetName)], nullable: true, description: rs.description,
      args: [{ name: 'rolle', type: () => [UUID], nullable: true, description: 'Only rows of these roles (Klasse UUIDs); omitted: all.' }],
      resolve: async (root, args, ctx) => {
        const { t, rows } = await at(root, args, ctx);
        const roller = args.rolle;
        return rows
          .filter((r) => !roller?.length || (!!r.rolle?.uuid && roller.includes(r.rolle.uuid)))
          .sort((a, b) => (a.indeks ?? '').localeCompare(b.indeks ?? '', 'da', { numeric: true }))
          .map((r) => ({
            uuid: refOf(r) ?? null, rolleUuid: r.rolle?.uuid ?? null, rolleLabel: r.rolle?.label ?? null, typeUuid: r.type?.uuid ?? null,
            indeks: r.indeks ?? null, virkning: { fra: r.virkning.fra, til: r.virkning.til }, t,
          }));
      },
    });
    return;
  }
  if (!targetName) {
    addField<EntityRef>(R, {
      name: rs.multi ? `${rs.field}Uuider` : `${rs.field}Uuid`, type: rs.multi ? () => [UUID] : () => UUID, nullable: true,
      description: `${rs.description} (UUID only: the target type is outside this subgraph).`,
      resolve: async (root, args, ctx) => {
        const ids = (await at(root, args, ctx)).rows.map(refOf).filter((x): x is string => !!x);
        return rs.multi ? ids : ids[0] ?? null;
      },
    });
    return;
  }
  if (rs.multi) {
    addField<EntityRef>(R, {
      name: rs.field, type: () => [entityClasses().get(targetName)!.entity], nullable: true, description: rs.description,
      resolve: async (root, args, ctx, info) => {
        const { t, rows } = await at(root, args, ctx);
        return existing(targetName, [...new Set(rows.map(refOf).filter((x): x is string => !!x))], t, ctx, info);
      },
    });
  } else {
    addField<EntityRef>(R, {
      name: rs.field, type: () => entityClasses().get(targetName)!.entity, nullable: true, description: rs.description,
      resolve: async (root, args, ctx, info) => {
        const { t, rows } = await at(root, args, ctx);
        return one(targetName, rows.map(refOf)[0], t, ctx, info);
      },
    });
    addField<EntityRef>(R, {
      name: `${rs.field}Uuid`, type: () => UUID, nullable: true, description: `UUID of ${rs.field}, without loading it.`,
      resolve: async (root, args, ctx) => (await at(root, args, ctx)).rows.map(refOf)[0] ?? null,
    });
  }
}

function entityResolver(spec: ObjectTypeSpec): AnyClass[] {
  const classes = entityClasses().get(spec.name)!;
  const R = namedClass(`${spec.name}Resolver`);

  for (const a of spec.attributes) {
    addField<EntityRef>(R, {
      name: a.field, type: attributeType(a), nullable: true,
      description: `${a.description}${a.sensitive ? ' Requires the CPR permission.' : ''}${a.personName ? ' Requires the name permission when names are gated (NAVN_EXPOSE=false).' : ''} At an instant (an interval answers at its start).`,
      resolve: async (root, args, ctx) => {
        if (a.sensitive && !ctx.cprAllowed) {
          throw new GraphQLError('CPR numbers require the CPR permission: a Bearer token with the scope named by CPR_SCOPE (default secpr-nummer), or CPR_EXPOSE=true on the subgraph', { extensions: { code: 'FORBIDDEN' } });
        }
        if (a.personName && !ctx.navnAllowed) {
          throw new GraphQLError('Person names require the name permission: a Bearer token with the scope named by NAVN_SCOPE (default senavn), or NAVN_EXPOSE=true on the subgraph', { extensions: { code: 'FORBIDDEN' } });
        }
        const t = atInstant(timeOf(root, args, ctx));
        const rows = await rowsOf(spec.name, root.uuid, t, ctx);
        if (rows && rows.egenskaber.length === 0) hintNoRows(ctx, spec.name, root.uuid, t);
        return rows ? attributeValue(a, attributeAt(rows, a.element)) : null;
      },
    });
  }

  if (spec.state) {
    const st = spec.state;
    const isGyldighed = st.element === 'Gyldighed';
    addField<EntityRef>(R, {
      name: st.field, type: isGyldighed ? () => Gyldighed : () => Boolean, nullable: true,
      description: isGyldighed ? 'Aktiv or Inaktiv at an instant.' : 'Published at an instant.',
      resolve: async (root, args, ctx) => {
        const t = atInstant(timeOf(root, args, ctx));
        const rows = await rowsOf(spec.name, root.uuid, t, ctx);
        const v = rows ? latest(rows.tilstande)?.value : undefined;
        if (v === undefined) return null;
        return isGyldighed ? v : v === 'true';
      },
    });
  }

  relationFields(spec, R);

  addField<EntityRef>(R, {
    name: 'livscyklus', type: () => Livscyklus, nullable: true, description: 'Lifecycle code of the registration in force.',
    resolve: async (root, args, ctx) => {
      const t = atInstant(timeOf(root, args, ctx));
      const obj = await ctx.loaders.at(spec.name, t).load(root.uuid);
      return obj ? inForce(obj.registreringer, t.registrering)[0]?.livscyklus ?? null : null;
    },
  });

  addField<EntityRef>(R, {
    name: 'historik', type: () => classes.historik, nullable: true,
    description: 'The rows (attributes, state, relations) overlapping the virkning period, each with its own virkning: history within an interval. Without its own `virkning` over an inherited instant: the whole history. Registrering as for any field: omitted, the current registration; each registration in `registreringer`.',
    resolve: async (root, args, ctx) => {
      const t = historyTime(timeOf(root, args, ctx), args.virkning != null);
      const obj = await ctx.loaders.at(spec.name, t).load(root.uuid);
      if (!obj) return null;
      const rows = rowsAt(obj, t);
      const per = (v: { fra: string | null; til: string | null }): { fra: string | null; til: string | null } => ({ fra: v.fra, til: v.til });
      // Copy before sorting: rows are shared (cached per object and time).
      const fraMs = (v: { fra: string | null }): number => toMillis(v.fra, 'fra');
      const byFra = <T extends { virkning: { fra: string | null } }>(l: T[]): T[] => [...l].sort((x, y) => fraMs(x.virkning) - fraMs(y.virkning));
      const out: Record<string, unknown> = {
        egenskaber: byFra(rows.egenskaber).map((e) => {
          const o: Record<string, unknown> = { virkning: per(e.virkning) };
          for (const a of spec.attributes) if (!a.sensitive && (!a.personName || ctx.navnAllowed)) o[a.field] = attributeValue(a, e.values[a.element]);
          return o;
        }),
        relationer: byFra(rows.relationer).map((r) => ({
          relation: r.name, virkning: per(r.virkning), uuid: r.ref.uuid ?? null, urn: r.ref.urn ?? null,
          rolleUuid: r.rolle?.uuid ?? null, typeUuid: r.type?.uuid ?? null, indeks: r.indeks ?? null,
        })),
      };
      if (spec.state) out[spec.state.field] = byFra(rows.tilstande).map((s) => ({ virkning: per(s.virkning), status: s.value }));
      return out;
    },
  });

  addField<EntityRef>(R, {
    name: 'registreringer', type: () => [RegistreringType], nullable: true, time: false,
    description: 'Every registration (transaction-time version) of the object, oldest first.',
    args: [
      { name: 'virkning', type: () => VirkningInput, nullable: true, description: 'Only registrations with a row (attribute, state or relation) touching this virkning; omitted: all (not inherited).' },
      { name: 'registrering', type: () => RegistreringInput, nullable: true, description: 'Only registrations recorded by this time; omitted: all (not inherited).' },
    ],
    resolve: async (root, args, ctx) => {
      const obj = await ctx.loaders.history(spec.name).load(root.uuid);
      if (!obj) return null;
      const seen = new Set<string>();
      const a = args;
      const t = a.virkning || a.registrering ? resolveTime(ctx.rootTime, a.virkning, a.registrering) : undefined;
      const touches = (r: Registrering): boolean => [r.egenskaber, r.tilstande, r.relationer].some((l: Array<{ virkning: Virkning }>) => l.some((x) => matches(x.virkning, t!)));
      return obj.registreringer
        .filter((r) => !a.registrering || Date.parse(r.tidspunkt ?? '') <= t!.registrering)
        .filter((r) => !a.virkning || touches(r))
        .filter((r) => {
          const k = `${r.tidspunkt}|${r.livscyklus}`;
          if (seen.has(k)) return false;
          seen.add(k);
          return true;
        })
        .map((r) => ({ tidspunkt: r.tidspunkt ?? null, livscyklus: r.livscyklus ?? null, brugerRef: r.brugerRef ?? null, noteTekst: r.noteTekst ?? null }))
        .sort((x, y) => Date.parse(x.tidspunkt ?? '') - Date.parse(y.tidspunkt ?? ''));
    },
  });

  // Root queries: one object, and many by UUID (null where unknown).
  const Q = namedClass(`${spec.name}Query`);
  const single = lowerFirst(spec.name);
  // An Organisation is also found by its Virksomhed's CVR number (as in KOMBIT's OrganisationHent).
  const byCvr = spec.name === 'Organisation';
  addQuery<{ uuid?: string | null; cvr?: string | null }>(Q, {
    name: single, type: () => classes.entity, nullable: true, description: `One ${spec.name} by UUID${byCvr ? ' or by CVR number' : ''}; null when unknown.`,
    args: [{ name: 'uuid', type: () => UUID, nullable: byCvr }, ...(byCvr ? [{ name: 'cvr', type: () => String, nullable: true, description: 'CVR number (8 digits) of its Virksomhed, instead of uuid.' }] : [])],
    resolve: async (_r, args, ctx) => {
      const t = timeOf(undefined, args, ctx);
      if (!byCvr) return one(spec.name, args.uuid ?? undefined, t, ctx);
      return organisationQuery(args.uuid, args.cvr, t, ctx);
    },
  });
  addQuery<{ uuids: string[] }>(Q, {
    name: lowerFirst(spec.plural), type: () => [classes.entity], nullable: 'items',
    description: `Several ${spec.plural} by UUID, in the order asked (null where unknown); one List call.`,
    args: [{ name: 'uuids', type: () => [UUID] }],
    resolve: async (_r, args, ctx) => {
      const uuids = args.uuids;
      if (uuids.length > ctx.maxListArgument) {
        throw new GraphQLError(`uuids: at most ${ctx.maxListArgument} UUIDs per query`, { extensions: { code: 'BAD_USER_INPUT' } });
      }
      const t = timeOf(undefined, args, ctx);
      const found = new Map((await existing(spec.name, uuids, t, ctx)).map((e) => [e.uuid, e]));
      return uuids.map((u) => found.get(u) ?? null);
    },
  });
  Resolver()(Q);
  Resolver(() => classes.entity)(R);
  return [R, Q];
}

function dynamicResolver(target: ObjectTypeName, cls: AnyClass): AnyClass {
  const R = namedClass(`${target}RelationResolver`);
  type Dyn = { uuid: string | null; rolleUuid: string | null; typeUuid: string | null; t: TimeContext };
  const klasse = (): AnyClass => entityClasses().get('Klasse')!.entity;
  addField<Dyn>(R, {
    name: lowerFirst(target), type: () => entityClasses().get(target)!.entity, nullable: true, description: `The ${target}.`,
    resolve: (root, args, ctx, info) => one(target, root.uuid ?? undefined, resolveTime(root.t, args.virkning, args.registrering), ctx, info),
  });
  addField<Dyn>(R, {
    name: 'rolle', type: klasse, nullable: true, description: 'The Rolle classification (Klasse).',
    resolve: (root, args, ctx, info) => one('Klasse', root.rolleUuid ?? undefined, resolveTime(root.t, args.virkning, args.registrering), ctx, info),
  });
  addField<Dyn>(R, {
    name: 'type', type: klasse, nullable: true, description: 'The Type classification (Klasse).',
    resolve: (root, args, ctx, info) => one('Klasse', root.typeUuid ?? undefined, resolveTime(root.t, args.virkning, args.registrering), ctx, info),
  });
  Resolver(() => cls)(R);
  return R;
}

/** All generated resolver classes (entities, their queries, dynamic relation types). */
export function entityResolvers(): AnyClass[] {
  const out: AnyClass[] = [];
  for (const spec of OBJECT_TYPES) out.push(...entityResolver(spec));
  for (const [target, cls] of dynamicClasses()) out.push(dynamicResolver(target, cls));
  return out;
}

async function organisationQuery(uuid: string | null | undefined, cvr: string | null | undefined, t: TimeContext, ctx: GraphQLContext): Promise<EntityRef | null> {
  if ((uuid == null) === (cvr == null)) throw new GraphQLError('organisation: give uuid or cvr, one of them', { extensions: { code: 'BAD_USER_INPUT' } });
  if (uuid != null) return one('Organisation', uuid, t, ctx);
  if (!/^\d{8}$/.test(cvr!)) throw new GraphQLError('cvr: must be 8 digits', { extensions: { code: 'BAD_USER_INPUT', argument: 'cvr' } });
  const org = await organisationByCvr(ctx, cvr!, atInstant(t));
  return org ? one('Organisation', org, t, ctx) : null;
}

/** Federation: `__resolveReference` through the same loaders, at the request's time. */
export async function resolveReference(type: ObjectTypeName, rep: { uuid?: unknown }, ctx: GraphQLContext): Promise<EntityRef | null> {
  // A malformed key must not fail the whole batch of its type: it simply resolves to null.
  if (typeof rep.uuid !== 'string' || !isUuid(rep.uuid)) return null;
  return one(type, rep.uuid.toLowerCase(), ctx.rootTime, ctx);
}

