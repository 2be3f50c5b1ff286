import { Field, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver, UUIDResolver } from 'graphql-scalars';
import type { GraphQLScalarType } from 'graphql';

/** Scalars: graphql-scalars' UUID and DateTime reject malformed values with a clear message. */
export const UUID: GraphQLScalarType = UUIDResolver;
export const DateTime: GraphQLScalarType = DateTimeResolver;

export enum Livscyklus {
  Opstaaet = 'Opstaaet',
  Importeret = 'Importeret',
  Passiveret = 'Passiveret',
  Slettet = 'Slettet',
}
registerEnumType(Livscyklus, { name: 'Livscyklus', description: 'Lifecycle code of a registration.' });

export enum Gyldighed {
  Aktiv = 'Aktiv',
  Inaktiv = 'Inaktiv',
}
registerEnumType(Gyldighed, { name: 'Gyldighed', description: 'Validity state (Tilstand) of an object.' });

@InputType({ description: 'Valid time (virkning): an instant `{ tidspunkt }` or a period `{ fra, til }` (fra inclusive, til exclusive; either end may be open).' })
export class VirkningInput {
  @Field(() => DateTime, { nullable: true, description: 'An instant.' })
  tidspunkt?: Date | null;

  @Field(() => DateTime, { nullable: true, description: 'Start of a period (inclusive); omitted = open.' })
  fra?: Date | null;

  @Field(() => DateTime, { nullable: true, description: 'End of a period (exclusive); omitted = open.' })
  til?: Date | null;
}

@InputType({ description: 'Transaction time (registrering): read the data as it was recorded at this instant.' })
export class RegistreringInput {
  @Field(() => DateTime, { description: 'The instant.' })
  tidspunkt!: Date;
}

@ObjectType({ description: 'A valid-time period; a null end is open (-infinity / +infinity).' })
export class Periode {
  @Field(() => DateTime, { nullable: true })
  fra!: string | null;

  @Field(() => DateTime, { nullable: true })
  til!: string | null;
}

@ObjectType({ description: 'One registration (transaction-time version) of an object.' })
export class Registrering {
  @Field(() => DateTime, { nullable: true, description: 'When it was recorded.' })
  tidspunkt!: string | null;

  @Field(() => Livscyklus, { nullable: true })
  livscyklus!: Livscyklus | null;

  @Field(() => String, { nullable: true, description: 'UUID or URN of the user who recorded it.' })
  brugerRef!: string | null;

  @Field(() => String, { nullable: true })
  noteTekst!: string | null;
}

@ObjectType({ description: 'A validity state row with its own virkning.' })
export class GyldighedPeriode {
  @Field(() => Periode)
  virkning!: Periode;

  @Field(() => String, { description: 'Aktiv/Inaktiv (Klasse: true/false for published).' })
  status!: string;
}

@ObjectType({ description: 'A relation row with its own virkning, as stored in SF1500.' })
export class RelationPeriode {
  @Field(() => String, { description: 'Relation name as in the contract (Overordnet, TilknyttedeBrugere, ...).' })
  relation!: string;

  @Field(() => Periode)
  virkning!: Periode;

  @Field(() => UUID, { nullable: true })
  uuid!: string | null;

  @Field(() => String, { nullable: true })
  urn!: string | null;

  @Field(() => UUID, { nullable: true, description: 'Rolle (dynamic relations).' })
  rolleUuid!: string | null;

  @Field(() => UUID, { nullable: true, description: 'Type (dynamic relations).' })
  typeUuid!: string | null;

  @Field(() => String, { nullable: true, description: 'Indeks (dynamic relations).' })
  indeks!: string | null;
}

@ObjectType({ description: 'A KLE search word of a Klasse.' })
export class Soegeord {
  @Field(() => String, { nullable: true })
  identifikator!: string | null;

  @Field(() => String, { nullable: true })
  beskrivelse!: string | null;

  @Field(() => String, { nullable: true })
  kategori!: string | null;
}
