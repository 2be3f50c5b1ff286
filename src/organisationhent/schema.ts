import { buildSchema, GraphQLError, GraphQLScalarType, isInterfaceType, isObjectType, Kind, type GraphQLSchema, type ValueNode } from 'graphql';
import { DateTime, UUID } from '../entities/common';
import { instrumentBudget } from '../execution/budget';
import { ORGANISATIONHENT_SDL } from './sdl';
import { QUERY_RESOLVERS } from './queries';
import { TYPE_RESOLVERS } from './types';

/** A string scalar checked against a pattern; a bad value is the caller's error (ValidationError). */
function patterned(name: string, pattern: RegExp, what: string): Pick<GraphQLScalarType, 'serialize' | 'parseValue' | 'parseLiteral'> {
  const check = (v: unknown): string => {
    if (typeof v !== 'string' || !pattern.test(v)) throw new GraphQLError(`${name} must be ${what}: ${JSON.stringify(v)}`);
    return v;
  };
  return {
    serialize: (v: unknown) => v,
    parseValue: check,
    parseLiteral: (ast: ValueNode) => check(ast.kind === Kind.STRING ? ast.value : undefined),
  };
}

const SCALARS: Record<string, Pick<GraphQLScalarType, 'serialize' | 'parseValue' | 'parseLiteral'>> = {
  UUID, DateTime,
  CVR: patterned('CVR', /^\d{8}$/, '8 digits'),
  CPR: patterned('CPR', /^\d{10}$/, '10 digits'),
  // "xx", "xx.xx", "xx.xx.xx", right-padded with `*` in filters ("00.01*", "32.0*", "*").
  KLE: patterned('KLE', /^(?=.)(\d{2}(\.\d{2}){0,2}|\d{2}(\.\d{2}){0,2}\.?\d?\*|\d?\*)$/, '"xx", "xx.xx" or "xx.xx.xx", optionally ending in *'),
  Cursor: patterned('Cursor', /^[A-Za-z0-9+/=]{1,100}$/, 'a cursor returned by this API'),
};

let built: GraphQLSchema | undefined;

/** The OrganisationHent schema with our resolvers, under the execution budget (as /graphql). */
export function organisationHentSchema(): GraphQLSchema {
  if (built) return built;
  const schema = buildSchema(ORGANISATIONHENT_SDL);
  for (const [name, impl] of Object.entries(SCALARS)) {
    const s = schema.getType(name);
    if (!(s instanceof GraphQLScalarType)) throw new Error(`scalar ${name} missing from the SDL`);
    Object.assign(s, { serialize: impl.serialize, parseValue: impl.parseValue, parseLiteral: impl.parseLiteral });
  }
  for (const [typeName, fields] of Object.entries({ ...TYPE_RESOLVERS, Query: QUERY_RESOLVERS })) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`resolvers for unknown type ${typeName}`);
    for (const [field, resolve] of Object.entries(fields)) {
      const f = type.getFields()[field];
      if (!f) throw new Error(`resolver for unknown field ${typeName}.${field}`);
      f.resolve = resolve as typeof f.resolve;
    }
  }
  const medlemskab = schema.getType('Medlemskab');
  if (isInterfaceType(medlemskab)) medlemskab.resolveType = (_v, _c, info) => (info.parentType.name === 'Bruger' ? 'BrugerMedlemskab' : 'OrganisationEnhedMedlemskab');
  built = instrumentBudget(schema);
  return built;
}
