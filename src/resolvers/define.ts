import type { GraphQLFieldResolver, GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, Query, Root, getMetadataStorage } from 'type-graphql';
import type { ReturnTypeFunc } from 'type-graphql/build/typings/decorators/types';
import { RegistreringInput, VirkningInput } from '../entities/common';
import type { RegistreringInputValue, VirkningInputValue } from '../temporal';
import type { GraphQLContext } from '../context';

/**
 * The field registry: every field resolver of the subgraph is defined once, here, by `addField` or
 * `addQuery`, for run-time generated classes (one definition serves every object type). From that one
 * definition come both the GraphQL declaration (type-graphql metadata: types, arguments, the SDL) and
 * the resolver the schema runs (`registeredResolvers`).
 */

export interface ArgDef {
  name: string;
  type: ReturnTypeFunc;
  nullable?: boolean;
  description?: string;
  defaultValue?: unknown;
}

/** The `virkning` and `registrering` arguments every field takes unless it says `time: false`. */
export interface TimeArgs {
  virkning?: VirkningInputValue | null;
  registrering?: RegistreringInputValue | null;
}

/**
 * One field: its declaration and its resolver. `Args` is the shape of the declared `args` (GraphQL has
 * coerced them to it before the resolver runs), besides the time arguments.
 */
export interface FieldDef<R, Args extends object = {}> {
  name: string;
  type: ReturnTypeFunc;
  nullable?: boolean | 'items' | 'itemsAndList';
  description?: string;
  args?: ArgDef[];
  /** Adds the `virkning` and `registrering` arguments (default true). */
  time?: boolean;
  /** `info` for fields that look at their own selection. */
  resolve: (root: R, args: Args & TimeArgs, ctx: GraphQLContext, info: GraphQLResolveInfo) => unknown;
}

export const TIME_ARGS: ArgDef[] = [
  { name: 'virkning', type: () => VirkningInput, nullable: true, description: 'Valid time; omitted = inherited from the parent field.' },
  { name: 'registrering', type: () => RegistreringInput, nullable: true, description: 'Transaction time; omitted = inherited from the parent field.' },
];

export type FieldResolverFn = GraphQLFieldResolver<unknown, GraphQLContext>;

/** The registry: each field's resolver, by resolver prototype and field name. */
const REGISTRY = new WeakMap<object, Map<string, FieldResolverFn>>();

function attach<R, A extends object>(target: object, def: FieldDef<R, A>, kind: 'field' | 'query'): void {
  const args = [...(def.time === false ? [] : TIME_ARGS), ...(def.args ?? [])];
  const fields = REGISTRY.get(target) ?? REGISTRY.set(target, new Map()).get(target)!;
  if (fields.has(def.name)) throw new Error(`field ${def.name} defined twice on one resolver class`);
  // The one place the declared shape meets GraphQL's untyped args: GraphQL has coerced them to the ArgDefs.
  fields.set(def.name, (root, values, ctx, info) => def.resolve(root as R, values as A & TimeArgs, ctx, info));
  // type-graphql needs a method to hang the declaration on; the schema runs the registered resolver instead.
  const declared = function (): never {
    throw new Error(`${def.name}: resolved through the field registry (src/resolvers/define.ts), not type-graphql`);
  };
  Object.defineProperty(target, def.name, { value: declared, writable: true, configurable: true });
  const offset = kind === 'field' ? 1 : 0;
  if (kind === 'field') Root()(target, def.name, 0);
  args.forEach((a, i) => Arg(a.name, a.type, { nullable: a.nullable, description: a.description, defaultValue: a.defaultValue })(target, def.name, i + offset));
  Ctx()(target, def.name, args.length + offset);
  const descriptor = Object.getOwnPropertyDescriptor(target, def.name)!;
  const opts = { name: def.name, nullable: def.nullable, description: def.description };
  if (kind === 'field') FieldResolver(def.type, opts)(target, def.name, descriptor);
  else Query(def.type, opts)(target, def.name, descriptor);
}

export function addField<R, A extends object = {}>(resolverClass: { prototype: object }, def: FieldDef<R, A>): void {
  attach(resolverClass.prototype, def, 'field');
}

export function addQuery<A extends object = {}>(resolverClass: { prototype: object }, def: FieldDef<undefined, A>): void {
  attach(resolverClass.prototype, def, 'query');
}

/**
 * The registered fields, by GraphQL type and field name, as plain GraphQL resolvers: what the schema
 * runs. They take GraphQL's own args object; type-graphql's wrappers sorted the parameter list, turned
 * every input into a class instance and awaited a Promise.all per field call (about 40% of the
 * allocations of a warm 2,000-unit org chart, measured with a sampling heap profile). type-graphql still
 * builds the types and the SDL; its metadata only names the type each resolver class serves.
 */
export function registeredResolvers(): Map<string, Map<string, FieldResolverFn>> {
  const storage = getMetadataStorage();
  const typeName = (cls: Function | undefined): string | undefined => storage.objectTypes.find((o) => o.target === cls)?.name;
  const out = new Map<string, Map<string, FieldResolverFn>>();
  const add = (type: string | undefined, field: string, fn: FieldResolverFn | undefined): void => {
    if (!type || !fn) return;
    (out.get(type) ?? out.set(type, new Map()).get(type)!).set(field, fn);
  };
  for (const f of storage.fieldResolvers) add(typeName(f.getObjectType?.() as Function | undefined), f.schemaName, REGISTRY.get(f.target.prototype)?.get(f.methodName));
  for (const q of storage.queries) add('Query', q.schemaName, REGISTRY.get(q.target.prototype)?.get(q.methodName));
  return out;
}
