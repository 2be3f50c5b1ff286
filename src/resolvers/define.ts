import type { GraphQLFieldResolver, GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, Query, Root, getMetadataStorage } from 'type-graphql';
import type { ReturnTypeFunc } from 'type-graphql/build/typings/decorators/types';
import { RegistreringInput, VirkningInput } from '../entities/common';
import type { GraphQLContext } from '../context';

/**
 * Attaching resolvers to run-time generated classes: the decorators type-graphql would apply to a
 * hand-written method, applied by code, so one definition serves every object type.
 */

export interface ArgDef {
  name: string;
  type: ReturnTypeFunc;
  nullable?: boolean;
  description?: string;
  defaultValue?: unknown;
}

export interface FieldDef<R> {
  name: string;
  type: ReturnTypeFunc;
  nullable?: boolean | 'items' | 'itemsAndList';
  description?: string;
  args?: ArgDef[];
  /** Adds the `virkning` and `registrering` arguments (default true). */
  time?: boolean;
  /** `info` is given at run time (the direct resolvers), for fields that look at their own selection. */
  resolve: (root: R, args: Record<string, unknown>, ctx: GraphQLContext, info?: GraphQLResolveInfo) => unknown;
}

export const TIME_ARGS: ArgDef[] = [
  { name: 'virkning', type: () => VirkningInput, nullable: true, description: 'Valid time; omitted = inherited from the parent field.' },
  { name: 'registrering', type: () => RegistreringInput, nullable: true, description: 'Transaction time; omitted = inherited from the parent field.' },
];

/** Each attached field's own resolve function, by resolver prototype and method name. */
type Direct = (root: unknown, args: Record<string, unknown>, ctx: GraphQLContext, info?: GraphQLResolveInfo) => unknown;
const DIRECT = new WeakMap<object, Map<string, Direct>>();

function attach<R>(target: object, def: FieldDef<R>, kind: 'field' | 'query'): void {
  const args = [...(def.time === false ? [] : TIME_ARGS), ...(def.args ?? [])];
  const direct = DIRECT.get(target) ?? DIRECT.set(target, new Map()).get(target)!;
  direct.set(def.name, def.resolve as Direct);
  const fn = kind === 'field'
    ? function (this: unknown, root: R, ...rest: unknown[]): unknown {
      const ctx = rest[rest.length - 1] as GraphQLContext;
      const values: Record<string, unknown> = {};
      args.forEach((a, i) => { values[a.name] = rest[i]; });
      return def.resolve(root, values, ctx);
    }
    : function (this: unknown, ...rest: unknown[]): unknown {
      const ctx = rest[rest.length - 1] as GraphQLContext;
      const values: Record<string, unknown> = {};
      args.forEach((a, i) => { values[a.name] = rest[i]; });
      return def.resolve(undefined as R, values, ctx);
    };
  Object.defineProperty(target, def.name, { value: fn, writable: true, configurable: true });
  const offset = kind === 'field' ? 1 : 0;
  if (kind === 'field') Root()(target, def.name, 0);
  args.forEach((a, i) => Arg(a.name, a.type, { nullable: a.nullable, description: a.description, defaultValue: a.defaultValue })(target, def.name, i + offset));
  Ctx()(target, def.name, args.length + offset);
  const descriptor = Object.getOwnPropertyDescriptor(target, def.name)!;
  const opts = { name: def.name, nullable: def.nullable, description: def.description };
  if (kind === 'field') FieldResolver(def.type, opts)(target, def.name, descriptor);
  else Query(def.type, opts)(target, def.name, descriptor);
}

export function addField<R>(resolverClass: { prototype: object }, def: FieldDef<R>): void {
  attach(resolverClass.prototype, def, 'field');
}

export function addQuery(resolverClass: { prototype: object }, def: FieldDef<undefined>): void {
  attach(resolverClass.prototype, def, 'query');
}

/**
 * The fields attached here, by GraphQL type and field name, as plain GraphQL resolvers. The schema
 * uses these instead of type-graphql's wrappers: ours take GraphQL's own args object, while the
 * wrapper sorted the parameter list, turned every input into a class instance and awaited a
 * Promise.all per field call (about 40% of the allocations of a warm 2,000-unit org chart, measured
 * with a sampling heap profile). type-graphql still builds the types and the SDL.
 */
export function directResolvers(): Map<string, Map<string, GraphQLFieldResolver<unknown, GraphQLContext>>> {
  const storage = getMetadataStorage();
  const typeName = (cls: Function | undefined): string | undefined => storage.objectTypes.find((o) => o.target === cls)?.name;
  const out = new Map<string, Map<string, GraphQLFieldResolver<unknown, GraphQLContext>>>();
  const add = (type: string | undefined, field: string, fn: Direct | undefined): void => {
    if (!type || !fn) return;
    (out.get(type) ?? out.set(type, new Map()).get(type)!).set(field, (root, args, ctx, info) => fn(root, args, ctx, info));
  };
  for (const f of storage.fieldResolvers) add(typeName(f.getObjectType?.() as Function | undefined), f.schemaName, DIRECT.get(f.target.prototype)?.get(f.methodName));
  for (const q of storage.queries) add('Query', q.schemaName, DIRECT.get(q.target.prototype)?.get(q.methodName));
  return out;
}
