import { GraphQLError } from 'graphql';
import { Int, Resolver } from 'type-graphql';
import { HIERARCHY_COMPLETE, KLASSER } from '../model/objects';
import type { ObjectTypeName } from '../model/types';
import { entityClasses } from '../entities/factory';
import { UUID } from '../entities/common';
import { relationsNamed, rowsAt } from '../temporal/rows';
import { atInstant, type TimeContext } from '../temporal';
import { HierarchyCycleError, HierarchySnapshot } from '../loaders/hierarchy';
import type { FunctionNode } from '../loaders/snapshot';
import type { TargetedSlice } from '../loaders/targeted';
import type { EntityRef, GraphQLContext } from '../context';
import { addField, type TimeArgs } from './define';
import type { AnyClass } from '../entities/named';
import { existing, timeOf } from './entity';
import { selectionOf } from './lookahead';

/**
 * Org-chart fields (SF1500 cannot answer "children of X" or "leader of X" by UUID). Two ways to answer:
 * the hierarchy snapshot, read once per time slice, whose objects prime the loaders (a whole chart
 * costs the hierarchy pages plus one List per other object type and level); or, when the planner says so
 * (no snapshot in memory, a query that follows few reverse relations), targeted Soeg + List per level
 * (loaders/targeted.ts). Fields that need the whole tree (efterkommere, forfaedre, sti, rod,
 * Organisation.enheder) always use the snapshot.
 */

const entity = (name: ObjectTypeName) => (): AnyClass => entityClasses().get(name)!.entity;

/**
 * Runs `fn` on the snapshot at the field's time: at once when the request already holds it (most
 * fields of a chart), else when it is loaded. No promise per field in the common case: a warm
 * chart's time went mostly to collecting garbage of that kind.
 */
function withSnap<T>(root: EntityRef | undefined, args: TimeArgs, ctx: GraphQLContext, fn: (s: HierarchySnapshot, t: TimeContext) => T): T | Promise<T> {
  const t = timeOf(root, args, ctx);
  const s = ctx.hierarchy.ready(t);
  return s ? fn(s, t) : ctx.hierarchy.at(t).then((loaded) => fn(loaded, t));
}

/** As withSnap, for a field the targeted reads can answer too: `viaSoeg` when the planner chose them. */
function either<T>(
  root: EntityRef, args: TimeArgs, ctx: GraphQLContext,
  fn: (s: HierarchySnapshot, t: TimeContext) => T, viaSoeg: (v: TargetedSlice, t: TimeContext) => Promise<T>,
): T | Promise<T> {
  const t = timeOf(root, args, ctx);
  const c = ctx.hierarchy.choose(t);
  if (c instanceof HierarchySnapshot) return fn(c, t);
  return c ? viaSoeg(c, t).catch(cycleError) : ctx.hierarchy.at(t).then((loaded) => fn(loaded, t));
}

/** Entity refs for UUIDs the snapshot knows; their objects prime the loader of the same slice. */
export function refs(type: ObjectTypeName, uuids: readonly string[], s: HierarchySnapshot, t: TimeContext, ctx: GraphQLContext): EntityRef[] {
  const objs = s.objects.get(type);
  const loader = ctx.loaders.at(type, atInstant(t));
  const out: EntityRef[] = [];
  const seen = new Set<string>();
  for (const u of uuids) {
    if (seen.has(u)) continue;
    seen.add(u);
    const o = objs?.get(u);
    if (o) {
      loader.prime(u, o);
      out.push({ uuid: u, t });
    } else if (HIERARCHY_COMPLETE.has(type)) {
      continue; // not in the snapshot at this time: not live then
    } else out.push({ uuid: u, t });
  }
  return out;
}

function cycleError(e: unknown): never {
  if (e instanceof HierarchyCycleError) throw new GraphQLError(e.message, { extensions: { code: 'SF1500_DATA_CYCLE', unit: e.unit } });
  throw e;
}

function cycleSafe<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    return cycleError(e);
  }
}

const uuidsOf = (l: readonly FunctionNode[]): string[] => l.map((f) => f.uuid);
const brugereOf = (l: readonly FunctionNode[]): string[] => l.flatMap((f) => f.brugere);

type Root = EntityRef;

function enhedFields(): AnyClass {
  const R = class OrganisationEnhedHierarchyResolver {};
  const units = entity('OrganisationEnhed');
  const brugere = entity('Bruger');
  const funktioner = entity('OrganisationFunktion');
  addField<Root>(R, {
    name: 'underenheder', type: () => [units()], nullable: true, description: 'Child units, by name.',
    resolve: (root, args, ctx, info) => either(root, args, ctx, (s, t) => refs('OrganisationEnhed', s.children.get(root.uuid) ?? [], s, t, ctx),
      async (v, t) => {
        v.prefetch(root.uuid, { underenheder: selectionOf(info) });
        return existing('OrganisationEnhed', await v.children(root.uuid), t, ctx);
      }),
  });
  addField<Root>(R, {
    name: 'antalUnderenheder', type: () => Int, nullable: true, description: 'Number of child units.',
    resolve: (root, args, ctx) => either(root, args, ctx, (s) => s.children.get(root.uuid)?.length ?? 0, (v) => v.childCount(root.uuid)),
  });
  addField<Root>(R, {
    name: 'harUnderenheder', type: () => Boolean, nullable: true, description: 'Whether the unit has child units.',
    resolve: (root, args, ctx) => either(root, args, ctx, (s) => (s.children.get(root.uuid)?.length ?? 0) > 0, async (v) => (await v.childCount(root.uuid)) > 0),
  });
  addField<Root>(R, {
    name: 'forfaedre', type: () => [units()], nullable: true, description: 'Ancestors, nearest first.',
    resolve: (root, args, ctx) => withSnap(root, args, ctx, (s, t) => refs('OrganisationEnhed', cycleSafe(() => s.ancestors(root.uuid)), s, t, ctx)),
  });
  addField<Root, { maksDybde?: number | null }>(R, {
    name: 'efterkommere', type: () => [units()], nullable: true, description: 'Descendants, breadth first, down to maksDybde levels.',
    args: [{ name: 'maksDybde', type: () => Int, nullable: true, description: 'Levels to descend (omitted = all).' }],
    resolve: (root, args, ctx) => {
      const d = args.maksDybde;
      if (d != null && d < 0) throw new GraphQLError('maksDybde: must be 0 or more', { extensions: { code: 'BAD_USER_INPUT' } });
      return withSnap(root, args, ctx, (s, t) => {
        return refs('OrganisationEnhed', s.descendants(root.uuid, d ?? undefined), s, t, ctx);
      });
    },
  });
  addField<Root>(R, {
    name: 'rod', type: units, nullable: true, description: 'The root unit of the hierarchy.',
    resolve: (root, args, ctx) => {
      return withSnap(root, args, ctx, (s, t) => {
        const a = cycleSafe(() => s.ancestors(root.uuid));
        return refs('OrganisationEnhed', [a.length > 0 ? a[a.length - 1] : root.uuid], s, t, ctx)[0] ?? null;
      });
    },
  });
  addField<Root>(R, {
    name: 'sti', type: () => [units()], nullable: true, description: 'The path from the root down to this unit.',
    resolve: (root, args, ctx) => withSnap(root, args, ctx, (s, t) => refs('OrganisationEnhed', [...cycleSafe(() => s.ancestors(root.uuid))].reverse().concat(root.uuid), s, t, ctx)),
  });
  const arv = { name: 'arv', type: () => Boolean, nullable: true, defaultValue: true, description: 'Inherit the nearest leader up the tree when the unit has none.' };
  addField<Root, { arv?: boolean | null }>(R, {
    name: 'leder', type: brugere, nullable: true, description: 'The Bruger of the unit\'s Lederrolle function (with arv: inherited from the nearest ancestor that has one).',
    args: [arv],
    resolve: (root, args, ctx) => either(root, args, ctx, (s, t) => refs('Bruger', cycleSafe(() => s.leaders(root.uuid, args.arv !== false)), s, t, ctx)[0] ?? null,
      async (v, t) => (await existing('Bruger', [...await v.leaders(root.uuid, args.arv !== false)], t, ctx))[0] ?? null),
  });
  addField<Root, { arv?: boolean | null }>(R, {
    name: 'ledere', type: () => [brugere()], nullable: true, description: 'All leaders (several Lederrolle functions are possible).',
    args: [arv],
    resolve: (root, args, ctx) => either(root, args, ctx, (s, t) => refs('Bruger', cycleSafe(() => s.leaders(root.uuid, args.arv !== false)), s, t, ctx),
      async (v, t) => existing('Bruger', [...new Set(await v.leaders(root.uuid, args.arv !== false))], t, ctx)),
  });
  addField<Root>(R, {
    name: 'stillinger', type: () => [funktioner()], nullable: true, description: 'Positions (Enhedsrolle functions) in the unit.',
    resolve: (root, args, ctx) => either(root, args, ctx, (s, t) => refs('OrganisationFunktion', uuidsOf(s.functionsOf(root.uuid, KLASSER.FUNKTIONSTYPE_ENHEDSROLLE)), s, t, ctx),
      async (v, t) => existing('OrganisationFunktion', uuidsOf(await v.functionsOf(root.uuid, KLASSER.FUNKTIONSTYPE_ENHEDSROLLE)), t, ctx)),
  });
  addField<Root>(R, {
    name: 'medarbejdere', type: () => [brugere()], nullable: true, description: 'Brugere holding a position in the unit.',
    resolve: (root, args, ctx) => either(root, args, ctx, (s, t) => refs('Bruger', brugereOf(s.functionsOf(root.uuid, KLASSER.FUNKTIONSTYPE_ENHEDSROLLE)), s, t, ctx),
      async (v, t) => existing('Bruger', [...new Set(brugereOf(await v.functionsOf(root.uuid, KLASSER.FUNKTIONSTYPE_ENHEDSROLLE)))], t, ctx)),
  });
  addField<Root>(R, {
    name: 'antalMedarbejdere', type: () => Int, nullable: true, description: 'Number of distinct Brugere holding a position in the unit.',
    resolve: (root, args, ctx) => either(root, args, ctx, (s) => s.staffCount(root.uuid), (v) => v.staffCount(root.uuid)),
  });
  addField<Root, { funktionstype?: string | null }>(R, {
    name: 'funktioner', type: () => [funktioner()], nullable: true, description: 'Functions attached to the unit, optionally of one Funktionstype.',
    args: [{ name: 'funktionstype', type: () => UUID, nullable: true, description: 'Klasse UUID of the Funktionstype.' }],
    resolve: (root, args, ctx) => either(root, args, ctx, (s, t) => refs('OrganisationFunktion', uuidsOf(s.functionsOf(root.uuid, args.funktionstype ?? undefined)), s, t, ctx),
      async (v, t) => existing('OrganisationFunktion', uuidsOf(await v.functionsOf(root.uuid, args.funktionstype ?? undefined)), t, ctx)),
  });
  const pointedTo = (s: HierarchySnapshot, unit: string, type: string): string[] =>
    (s.units.get(unit)?.tilknyttedeFunktioner ?? []).filter((f) => s.functions.get(f)?.funktionstype === type);
  addField<Root>(R, {
    name: 'henvendelsessteder', type: () => [funktioner()], nullable: true, description: 'Contact places (Henvendelsessted functions) the unit points to.',
    resolve: (root, args, ctx) => either(root, args, ctx, (s, t) => refs('OrganisationFunktion', pointedTo(s, root.uuid, KLASSER.FUNKTIONSTYPE_HENVENDELSESSTED), s, t, ctx),
      async (v, t) => existing('OrganisationFunktion', uuidsOf(await v.pointedTo(root.uuid, KLASSER.FUNKTIONSTYPE_HENVENDELSESSTED)), t, ctx)),
  });
  addField<Root>(R, {
    name: 'udbetalendeEnhed', type: units, nullable: true, description: 'The paying unit (through an Udbetalende enhed function).',
    resolve: (root, args, ctx) => either(root, args, ctx, (s, t) => {
      const f = pointedTo(s, root.uuid, KLASSER.FUNKTIONSTYPE_UDBETALENDE_ENHED)[0];
      const unit = f ? s.functions.get(f)?.enheder[0] : undefined;
      return unit ? refs('OrganisationEnhed', [unit], s, t, ctx)[0] ?? null : null;
    }, async (v, t) => {
      const unit = (await v.pointedTo(root.uuid, KLASSER.FUNKTIONSTYPE_UDBETALENDE_ENHED))[0]?.enheder[0];
      return unit ? (await existing('OrganisationEnhed', [unit], t, ctx))[0] ?? null : null;
    }),
  });
  Resolver(entity('OrganisationEnhed'))(R);
  return R;
}

function brugerFields(): AnyClass {
  const R = class BrugerHierarchyResolver {};
  addField<Root>(R, {
    name: 'funktioner', type: () => [entity('OrganisationFunktion')()], nullable: true, description: 'Functions the user holds.',
    resolve: (root, args, ctx) => either(root, args, ctx, (s, t) => refs('OrganisationFunktion', s.functionsByUser.get(root.uuid) ?? [], s, t, ctx),
      async (v, t) => existing('OrganisationFunktion', uuidsOf(await v.functionsOfUser(root.uuid)), t, ctx)),
  });
  const positionUnits = (l: readonly FunctionNode[]): string[] => l.filter((f) => f.funktionstype === KLASSER.FUNKTIONSTYPE_ENHEDSROLLE).flatMap((f) => f.enheder);
  const workUnits = (s: HierarchySnapshot, user: string): string[] => positionUnits((s.functionsByUser.get(user) ?? []).map((f) => s.functions.get(f)!));
  addField<Root>(R, {
    name: 'enheder', type: () => [entity('OrganisationEnhed')()], nullable: true, description: 'Units where the user holds a position.',
    resolve: (root, args, ctx) => either(root, args, ctx, (s, t) => refs('OrganisationEnhed', workUnits(s, root.uuid), s, t, ctx),
      async (v, t) => existing('OrganisationEnhed', [...new Set(positionUnits(await v.functionsOfUser(root.uuid)))], t, ctx)),
  });
  addField<Root>(R, {
    name: 'ledere', type: () => [entity('Bruger')()], nullable: true,
    description: 'The leader of each unit the user works in (inherited up the tree), never the user themself.',
    resolve: (root, args, ctx) => either(root, args, ctx, (s, t) => {
      const out: string[] = [];
      for (const unit of workUnits(s, root.uuid)) {
        const chain = [unit, ...cycleSafe(() => s.ancestors(unit))];
        for (const u of chain) {
          const l = s.leaders(u, false).filter((b) => b !== root.uuid);
          if (l.length > 0) {
            out.push(...l);
            break;
          }
        }
      }
      return refs('Bruger', out, s, t, ctx);
    }, async (v, t) => {
      // Per unit: its own leaders, else the nearest ancestor's (walking up one level per round of Lists).
      const found = await Promise.all(positionUnits(await v.functionsOfUser(root.uuid)).map(async (unit) => {
        let out: readonly string[] = [];
        const take = async (u: string): Promise<boolean> => {
          out = (await v.leaders(u, false)).filter((b) => b !== root.uuid);
          return out.length > 0;
        };
        if (!(await take(unit))) await v.ancestorsWhile(unit, async (a) => !(await take(a)));
        return out;
      }));
      return existing('Bruger', [...new Set(found.flat())], t, ctx);
    }),
  });
  Resolver(entity('Bruger'))(R);
  return R;
}

function organisationFields(): AnyClass {
  const R = class OrganisationHierarchyResolver {};
  addField<Root>(R, {
    name: 'enheder', type: () => [entity('OrganisationEnhed')()], nullable: true, description: 'All units belonging to the organisation (Tilhoerer).',
    resolve: (root, args, ctx) => {
      return withSnap(root, args, ctx, (s, t) => {
        return refs('OrganisationEnhed', [...s.units.values()].filter((u) => u.tilhoerer === root.uuid).sort((a, b) => a.navn.localeCompare(b.navn, 'da')).map((u) => u.uuid), s, t, ctx);
      });
    },
  });
  addField<Root>(R, {
    name: 'rodEnhed', type: entity('OrganisationEnhed'), nullable: true, description: 'The root unit of the administrative hierarchy (Organisation.Overordnet).',
    resolve: (root, args, ctx, info) => either(root, args, ctx, (s, t) => { const r = s.organisationRoot.get(root.uuid); return r ? refs('OrganisationEnhed', [r], s, t, ctx)[0] ?? null : null; },
      async (v, t) => {
        const r = await v.organisationRoot(root.uuid);
        if (!r) return null;
        // the root's reverse relations start with the check that it exists, not after it
        v.prefetch(r, selectionOf(info));
        return (await existing('OrganisationEnhed', [r], t, ctx))[0] ?? null;
      }),
  });
  Resolver(entity('Organisation'))(R);
  return R;
}

function klasseFields(): AnyClass {
  const R = class KlasseHierarchyResolver {};
  addField<Root>(R, {
    name: 'ansvarligeEnheder', type: () => [entity('OrganisationEnhed')()], nullable: true,
    description: 'Units responsible for this KLE class: their Opgaver name the class, its group or its main group.',
    resolve: async (root, args, ctx) => {
      const chain = [root.uuid];
      const it = atInstant(timeOf(root, args, ctx));
      for (let cur = root.uuid, i = 0; i < 5; i++) {
        const o = await ctx.loaders.at('Klasse', it).load(cur);
        const parent = o ? relationsNamed(rowsAt(o, it), 'OverordnetKlasse')[0]?.ref.uuid : undefined;
        if (!parent || chain.includes(parent)) break;
        chain.push(parent);
        cur = parent;
      }
      return either(root, args, ctx, (s, t) => refs('OrganisationEnhed', s.unitsForKlasse(chain), s, t, ctx),
        async (v, t) => existing('OrganisationEnhed', await v.unitsForKlasse(chain), t, ctx));
    },
  });
  Resolver(entity('Klasse'))(R);
  return R;
}

export function hierarchyResolvers(): AnyClass[] {
  return [enhedFields(), brugerFields(), organisationFields(), klasseFields()];
}
