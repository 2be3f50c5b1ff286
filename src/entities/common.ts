import { Field, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver, UUIDResolver } from 'graphql-scalars';
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { DATE_ONLY, dateToMillis } from '../temporal/date';

/** Scalars: graphql-scalars' UUID and DateTime reject malformed values with a clear message. */
export const UUID: GraphQLScalarType = UUIDResolver;

/** A date (YYYY-MM-DD) as input: midnight Copenhagen time; anything else goes to graphql-scalars' DateTime. */
function dateOnly(value: string): Date {
  const ms = dateToMillis(value);
  if (Number.isNaN(ms)) throw new GraphQLError(`DateTime cannot represent an invalid date: ${value}`);
  return new Date(ms);
}

/**
 * DateTime: answers are RFC 3339 date-times in UTC; inputs also take a bare date, as people (and the
 * CLI) write them. graphql-scalars' output and its checks of full date-times are kept as they are.
 */
export const DateTime: GraphQLScalarType = new GraphQLScalarType({
  ...DateTimeResolver.toConfig(),
  description:
    'An instant. Answers are RFC 3339 date-times in UTC, such as 2019-02-28T23:00:00.000Z. Inputs take a date-time with ' +
    'an offset (2019-03-01T00:00:00+01:00, 2019-02-28T23:00:00Z) or a date alone (2019-03-01), which means midnight at ' +
    'the start of that day in Danish time (Europe/Copenhagen).',
  parseValue: (value: unknown) => (typeof value === 'string' && DATE_ONLY.test(value) ? dateOnly(value) : DateTimeResolver.parseValue(value)),
  parseLiteral: (ast, variables) => (ast.kind === Kind.STRING && DATE_ONLY.test(ast.value) ? dateOnly(ast.value) : DateTimeResolver.parseLiteral(ast, variables)),
});

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

@InputType({ description: 'Valid time (virkning): an instant `{ tidspunkt }` or a period `{ fra, til }` (fra inclusive, til exclusive; either end may be open). A date alone (2019-03-01) is midnight Copenhagen time. At a time before an object existed (or after it ended) its fields answer null: `historik` shows when it has rows.' })
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
