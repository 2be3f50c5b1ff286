import { Directive, Field, InputType, ObjectType } from 'type-graphql';
import { OBJECT_TYPES } from '../model/objects';
import type { ObjectTypeName, ObjectTypeSpec, RelationSpec } from '../model/types';
import { Gyldighed, UUID } from './common';
import { entityClasses } from './factory';
import { namedClass, type AnyClass } from './named';

/** Generated search inputs and Relay-style connections, one per object type. */


// Shareable: other subgraphs commonly define the same Relay PageInfo.
@Directive('@shareable')
@ObjectType({ description: 'Relay page information.' })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => Boolean)
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

/** Relations offered as search filters: plain ones, and Opgaver (dynamic, searched as "Ansvarlig"). */
export function searchableRelations(spec: ObjectTypeSpec): RelationSpec[] {
  return spec.relations.filter((r) => r.target && (!r.dynamic || r.element === 'Opgaver'));
}

export interface SearchClasses {
  filter: AnyClass;
  connection: AnyClass;
  edge: AnyClass;
}

const CLASSES = new Map<ObjectTypeName, SearchClasses>();

function define(spec: ObjectTypeSpec): SearchClasses {
  const filter = namedClass(`${spec.name}Filter`);
  Field(() => String, { nullable: true, description: `Name (${spec.nameAttribute}); \`*\` matches any run of characters, \`?\` one; case-insensitive.` })(filter.prototype, 'navn');
  Field(() => String, { nullable: true, description: 'Business key (brugervendt nøgle); wildcards as for navn.' })(filter.prototype, 'brugervendtNoegle');
  if (spec.state?.element === 'Gyldighed') Field(() => Gyldighed, { nullable: true })(filter.prototype, 'gyldighed');
  for (const r of searchableRelations(spec)) {
    Field(() => UUID, { nullable: true, description: `Related by ${r.element} to this UUID.` })(filter.prototype, r.field);
  }
  InputType(`${spec.name}Filter`, { description: `Search criteria for ${spec.plural}; all given criteria must hold.` })(filter);

  const entity = entityClasses().get(spec.name)!.entity;
  const edge = namedClass(`${spec.name}Edge`);
  Field(() => String)(edge.prototype, 'cursor');
  Field(() => entity)(edge.prototype, 'node');
  ObjectType(`${spec.name}Edge`)(edge);

  const connection = namedClass(`${spec.name}Connection`);
  Field(() => [edge])(connection.prototype, 'edges');
  Field(() => [entity])(connection.prototype, 'nodes');
  Field(() => PageInfo)(connection.prototype, 'pageInfo');
  ObjectType(`${spec.name}Connection`, { description: `A page of ${spec.plural}.` })(connection);
  return { filter, connection, edge };
}

export function searchClasses(): Map<ObjectTypeName, SearchClasses> {
  if (CLASSES.size === 0) for (const spec of OBJECT_TYPES) CLASSES.set(spec.name, define(spec));
  return CLASSES;
}
