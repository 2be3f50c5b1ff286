import 'reflect-metadata';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { GraphQLScalarType, isObjectType, parse, type GraphQLSchema } from 'graphql';
import { buildSchema, createResolversMap } from 'type-graphql';
import { OBJECT_TYPES } from './model/objects';
import { entityResolvers, resolveReference } from './resolvers/entity';
import { hierarchyResolvers } from './resolvers/hierarchy';
import { searchResolvers } from './resolvers/search';
import { featureResolvers } from './resolvers/features';
import { registeredResolvers, type FieldResolverFn } from './resolvers/define';
import { aendringerResolvers } from './changes/graphql';
import type { GraphQLContext } from './context';

export const FEDERATION_LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])';

/** An object type's resolvers: the registered fields, type-graphql's plain ones, federation's `__resolveReference`. */
type ReferenceResolver = (rep: { uuid?: unknown }, ctx: GraphQLContext) => unknown;
type FieldMap = Record<string, FieldResolverFn | ReferenceResolver>;
/** The resolvers map buildSubgraphSchema takes, with our context: object types, enums' values, scalars. */
type ResolverMap = Record<string, FieldMap | Record<string, string | number> | GraphQLScalarType>;

let built: Promise<{ schema: GraphQLSchema; sdl: string }> | undefined;

/**
 * Builds the federation subgraph: type-graphql builds the schema from the generated classes,
 * its SDL (with @key directives) plus the federation @link becomes the subgraph's typeDefs, and the
 * field registry's resolvers (src/resolvers/define.ts), plus a __resolveReference per entity, its resolvers.
 */
export function subgraphSchema(): Promise<{ schema: GraphQLSchema; sdl: string }> {
  built ??= (async () => {
    const [first, ...rest] = [...entityResolvers(), ...hierarchyResolvers(), ...searchResolvers(), ...featureResolvers(), ...aendringerResolvers()];
    const tg = await buildSchema({ resolvers: [first, ...rest], validate: false });
    const sdl = `${FEDERATION_LINK}\n\n${printSchemaWithDirectives(tg)}`;
    // type-graphql's map gives the scalars, enums and plain fields; every field with a resolver comes from
    // the registry (type-graphql's entries for them are declarations only).
    const resolvers = createResolversMap(tg) as ResolverMap;
    // An object type's entry in the map: its field resolvers (none yet when no field has one).
    const objectFields = (type: string): FieldMap => {
      const own = resolvers[type];
      if (!isObjectType(tg.getType(type)) || own instanceof GraphQLScalarType) throw new Error(`resolvers for ${type}, which is not an object type`);
      return (own ?? {}) as FieldMap;
    };
    for (const [type, fields] of registeredResolvers()) {
      const merged: FieldMap = { ...objectFields(type) };
      for (const [field, fn] of fields) {
        if (!(field in merged)) throw new Error(`registered resolver for unknown field ${type}.${field}`);
        merged[field] = fn;
      }
      resolvers[type] = merged;
    }
    for (const spec of OBJECT_TYPES) {
      const reference: ReferenceResolver = (rep, ctx) => resolveReference(spec.name, rep, ctx);
      resolvers[spec.name] = { ...objectFields(spec.name), __resolveReference: reference };
    }
    const schema = buildSubgraphSchema([{ typeDefs: parse(sdl), resolvers }]);
    return { schema, sdl };
  })();
  return built;
}
