import { Directive, Field, ObjectType } from 'type-graphql';
import type { ReturnTypeFunc } from 'type-graphql/build/typings/decorators/types';
import { OBJECT_TYPES } from '../model/objects';
import type { AttributeSpec, ObjectTypeName, ObjectTypeSpec } from '../model/types';
import { Periode, RelationPeriode, GyldighedPeriode, Soegeord, UUID } from './common';

import { namedClass, type AnyClass } from './named';
/**
 * GraphQL object types generated from the OIO model: an entity per object type (federation
 * `@key(fields: "uuid")`), its Egenskab row type and its Historik type, and one type per target of
 * a dynamic relation (AdresseRelation, KlasseRelation). Fields with time arguments are added by
 * the resolvers (src/resolvers/entity.ts).
 */


export interface EntityClasses {
  entity: AnyClass;
  egenskab: AnyClass;
  historik: AnyClass;
}

const ENTITY = new Map<ObjectTypeName, EntityClasses>();
const DYNAMIC = new Map<ObjectTypeName, AnyClass>();

export function attributeType(a: AttributeSpec): ReturnTypeFunc {
  if (a.children) return () => [Soegeord];
  return a.repeats ? () => [String] : () => String;
}

function defineEntity(spec: ObjectTypeSpec): EntityClasses {
  const entity = namedClass(spec.name);
  Field(() => UUID, { description: 'The object UUID.' })(entity.prototype, 'uuid');
  Directive('@key(fields: "uuid")')(entity);
  ObjectType(spec.name, { description: `${spec.description} (SF1500 ${spec.name}).` })(entity);

  const egenskab = namedClass(`${spec.name}Egenskab`);
  Field(() => Periode)(egenskab.prototype, 'virkning');
  for (const a of spec.attributes) {
    if (a.sensitive) continue; // history rows never carry personal identifiers
    Field(attributeType(a), { nullable: true, description: a.description })(egenskab.prototype, a.field);
  }
  ObjectType(`${spec.name}Egenskab`, { description: `An Egenskab (attribute) row of ${spec.name} with its own virkning.` })(egenskab);

  const historik = namedClass(`${spec.name}Historik`);
  Field(() => [egenskab], { description: 'Attribute rows overlapping the period.' })(historik.prototype, 'egenskaber');
  if (spec.state) Field(() => [GyldighedPeriode], { description: 'State rows overlapping the period.' })(historik.prototype, spec.state.field);
  Field(() => [RelationPeriode], { description: 'Relation rows overlapping the period.' })(historik.prototype, 'relationer');
  ObjectType(`${spec.name}Historik`, { description: `Rows of one ${spec.name} registration overlapping a virkning period, each with its own virkning.` })(historik);
  return { entity, egenskab, historik };
}

function defineDynamic(target: ObjectTypeName): AnyClass {
  const cls = namedClass(`${target}Relation`);
  Field(() => UUID, { nullable: true, description: 'UUID of the Rolle classification.' })(cls.prototype, 'rolleUuid');
  Field(() => String, { nullable: true, description: 'Label of the Rolle, when given.' })(cls.prototype, 'rolleLabel');
  Field(() => UUID, { nullable: true, description: 'UUID of the Type classification.' })(cls.prototype, 'typeUuid');
  Field(() => String, { nullable: true, description: 'Indeks: identifies the row within the object.' })(cls.prototype, 'indeks');
  Field(() => Periode)(cls.prototype, 'virkning');
  Field(() => UUID, { nullable: true, description: `UUID of the ${target}.` })(cls.prototype, 'uuid');
  ObjectType(`${target}Relation`, { description: `A dynamic relation to a ${target}, with rolle, type and indeks.` })(cls);
  return cls;
}

/** Creates (once) every generated class. */
export function entityClasses(): Map<ObjectTypeName, EntityClasses> {
  if (ENTITY.size === 0) {
    for (const spec of OBJECT_TYPES) ENTITY.set(spec.name, defineEntity(spec));
    for (const spec of OBJECT_TYPES) {
      for (const r of spec.relations) if (r.dynamic && r.target && !DYNAMIC.has(r.target)) DYNAMIC.set(r.target, defineDynamic(r.target));
    }
  }
  return ENTITY;
}

export function dynamicClass(target: ObjectTypeName): AnyClass {
  entityClasses();
  return DYNAMIC.get(target)!;
}

export function dynamicClasses(): Map<ObjectTypeName, AnyClass> {
  entityClasses();
  return DYNAMIC;
}

export const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);
