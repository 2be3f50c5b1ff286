import 'reflect-metadata';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, type GraphQLSchema } from 'graphql';
import { buildSchema, createResolversMap } from 'type-graphql';
import { OBJECT_TYPES } from './model/objects';
import { entityResolvers, resolveReference } from './resolvers/entity';
import { hierarchyResolvers } from './resolvers/hierarchy';
import { searchResolvers } from './resolvers/search';
import { featureResolvers } from './resolvers/features';
import { directResolvers } from './resolvers/define';
import { aendringerResolvers } from './changes/graphql';
import type { GraphQLContext } from './context';

export const FEDERATION_LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])';

let built: Promise<{ schema: GraphQLSchema; sdl: string }> | undefined;

/**
 * Builds the federation subgraph: type-graphql builds the schema from the generated classes,
 * its SDL (with @key directives) plus the federation @link becomes the subgraph's typeDefs, and
 * type-graphql's resolvers map, plus a __resolveReference per entity, its resolvers.
 */
export function subgraphSchema(): Promise<{ schema: GraphQLSchema; sdl: string }> {
  built ??= (async () => {
    const [first, ...rest] = [...entityResolvers(), ...hierarchyResolvers(), ...searchResolvers(), ...featureResolvers(), ...aendringerResolvers()];
    const tg = await buildSchema({ resolvers: [first, ...rest], validate: false });
    const sdl = `${FEDERATION_LINK}\n\n${printSchemaWithDirectives(tg)}`;
    const resolvers = createResolversMap(tg) as Record<string, Record<string, unknown>>;
    for (const [type, fields] of directResolvers()) {
      if (!resolvers[type]) throw new Error(`direct resolvers for unknown type ${type}`);
      for (const [field, fn] of fields) {
        if (!(field in resolvers[type])) throw new Error(`direct resolver for unknown field ${type}.${field}`);
        resolvers[type][field] = fn;
      }
    }
    for (const spec of OBJECT_TYPES) {
      resolvers[spec.name] = {
        ...resolvers[spec.name],
        __resolveReference: (rep: { uuid?: unknown }, ctx: GraphQLContext) => resolveReference(spec.name, rep, ctx),
      };
    }
    const schema = buildSubgraphSchema([{ typeDefs: parse(sdl), resolvers: resolvers as never }]);
    return { schema, sdl };
  })();
  return built;
}
