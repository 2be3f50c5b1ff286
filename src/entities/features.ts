import { Field, InputType, ObjectType } from 'type-graphql';
import { DateTime, Gyldighed, UUID } from './common';

/** Types of the features that came with KOMBIT's OrganisationHent: memberships and list filters. */

@ObjectType({ description: 'A membership (organisatorisk tilknytning): a Bruger in an OrganisationEnhed through an active OrganisationFunktion. start is the latest VirkningFra of the function\'s Gyldighed, its TilknyttedeBrugere and its TilknyttedeEnheder rows, slut the earliest VirkningTil (null: open).' })
export class Medlemskab {
  @Field(() => UUID, { description: 'UUID of the OrganisationFunktion.' })
  uuid!: string;

  @Field(() => String, { nullable: true, description: 'FunktionNavn, typically a job title.' })
  navn!: string | null;

  @Field(() => String, { nullable: true })
  brugervendtNoegle!: string | null;

  @Field(() => UUID, { nullable: true, description: 'The Funktionstype classification (Enhedsrolle, Lederrolle, ...).' })
  funktionstypeUuid!: string | null;

  @Field(() => DateTime, { nullable: true })
  start!: string | null;

  @Field(() => DateTime, { nullable: true })
  slut!: string | null;

  @Field(() => UUID)
  brugerUuid!: string;

  @Field(() => UUID)
  enhedUuid!: string;
}

@InputType({ description: 'Filters of Organisation.enhedsliste; all given must hold.' })
export class EnhedslisteFilter {
  @Field(() => Gyldighed, { nullable: true, description: 'Aktiv or Inaktiv at the field\'s time; omitted: both.' })
  gyldighed?: Gyldighed | null;

  @Field(() => [String], { nullable: true, description: 'KLE numbers of the unit\'s Opgaver, right-padded `*` wildcards allowed ("32.0*", "*"); one must match.' })
  kleNummer?: string[] | null;

  @Field(() => UUID, { nullable: true, description: 'Rolle of the Opgaver row (e.g. Ansvarlig); omitted: any.' })
  opgaveRolle?: string | null;

  @Field(() => [UUID], { nullable: true, description: 'Units tied to at least one of these IT systems.' })
  itSystemer?: string[] | null;
}

@InputType({ description: 'Filters of Organisation.brugerliste; all given must hold.' })
export class BrugerlisteFilter {
  @Field(() => Gyldighed, { nullable: true })
  gyldighed?: Gyldighed | null;

  @Field(() => String, { nullable: true, description: 'BrugerNavn, `*`/`?` wildcards allowed.' })
  brugernavn?: string | null;

  @Field(() => UUID, { nullable: true, description: 'The BrugerTyper classification.' })
  brugerType?: string | null;

  @Field(() => UUID, { nullable: true, description: 'An address of this Rolle (with adresseTekst: whose text matches).' })
  adresseRolle?: string | null;

  @Field(() => String, { nullable: true, description: 'AdresseTekst, wildcards allowed.' })
  adresseTekst?: string | null;

  @Field(() => String, { nullable: true, description: 'The person\'s name, wildcards allowed (requires the name permission when names are gated).' })
  personNavn?: string | null;

  @Field(() => String, { nullable: true, description: 'The person\'s CPR number (requires the CPR permission).' })
  cpr?: string | null;
}
