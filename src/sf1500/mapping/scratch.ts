import type { AktoerTypeKode, Egenskab, LabelRef, Livscyklus, Ref, Registrering, Relation, Tilstand, Virkning } from '../../model/domain';
import type { AttributeSpec, RelationSpec } from '../../model/types';

/**
 * What the mapper holds while an element is open, one record per element kind, each with one
 * reset. `seen` is the element's mask of children already read ("first child wins", see `first`).
 * Plain classes with every field set in the constructor keep V8's property access monomorphic.
 */

/** One FiltreretOejebliksbillede. */
export class ItemScratch {
  static readonly OBJEKTTYPE = 1;
  seen = 0;
  otUuid: string | undefined = undefined;
  uuid: string | undefined = undefined;
  regs: Registrering[] = [];

  reset(): void {
    this.seen = 0;
    this.otUuid = undefined;
    this.uuid = undefined;
    this.regs = [];
  }
}

/** One Registrering. */
export class RegistreringScratch {
  static readonly AL = 1;
  static readonly TL = 2;
  static readonly RL = 4;
  static readonly BRUGERREF = 8;
  seen = 0;
  note: string | undefined = undefined;
  tidspunkt: string | undefined = undefined;
  livscyklus: Livscyklus | undefined = undefined;
  brugerRef: string | undefined = undefined;
  egenskaber: Egenskab[] = [];
  tilstande: Tilstand[] = [];
  relationer: Relation[] = [];
  /** Occurrences per relation of the type (0..1 relations may occur once), reset per RelationListe. */
  relSeen: Uint8Array = new Uint8Array(0);

  reset(): void {
    this.seen = 0;
    this.note = undefined;
    this.tidspunkt = undefined;
    this.livscyklus = undefined;
    this.brugerRef = undefined;
    this.egenskaber = [];
    this.tilstande = [];
    this.relationer = [];
  }

  resetRelations(n: number): void {
    if (this.relSeen.length < n) this.relSeen = new Uint8Array(n);
    else this.relSeen.fill(0);
  }
}

/** One Egenskab, Tilstand or Relation (never nested in one another). */
export class RowScratch {
  static readonly VIRKNING = 1;
  static readonly REF = 2;
  static readonly ROLLE = 4;
  static readonly TYPE = 8;
  seen = 0;
  virkning: Virkning | undefined = undefined;
  // Egenskab
  values: Record<string, string | string[]> = {};
  attr: AttributeSpec | undefined = undefined;
  attrChildren: number[] | undefined = undefined;
  structured: Array<string | undefined> = [];
  structuredIndex = 0;
  // Tilstand
  value: string | undefined = undefined;
  // Relation
  rel: RelationSpec | undefined = undefined;
  ref: Ref | undefined = undefined;
  rolle: LabelRef | undefined = undefined;
  type: LabelRef | undefined = undefined;
  indeks: string | undefined = undefined;

  reset(): void {
    this.seen = 0;
    this.virkning = undefined;
  }

  resetEgenskab(): void {
    this.reset();
    this.values = {};
  }

  resetTilstand(): void {
    this.reset();
    this.value = undefined;
  }

  resetRelation(rel: RelationSpec): void {
    this.reset();
    this.rel = rel;
    this.ref = this.rolle = this.type = this.indeks = undefined;
  }
}

/** One Virkning, and the FraTidspunkt or TilTidspunkt open in it. */
export class VirkningScratch {
  static readonly FRA = 1;
  static readonly TIL = 2;
  static readonly AKTOER = 4;
  seen = 0;
  fra: string | null = null;
  til: string | null = null;
  aktoer: string | undefined = undefined;
  type: AktoerTypeKode | undefined = undefined;
  note: string | undefined = undefined;
  // the open Tidspunkt
  tpIsFra = false;
  stamp: string | undefined = undefined;
  graense: string | undefined = undefined;

  reset(): void {
    this.seen = 0;
    this.fra = this.til = null;
    this.aktoer = undefined;
    this.type = undefined;
    this.note = undefined;
  }

  resetTidspunkt(fra: boolean): void {
    this.tpIsFra = fra;
    this.stamp = undefined;
    this.graense = undefined;
  }
}

// UnikId targets
export const U_BRUGERREF = 1;
export const U_AKTOERREF = 2;
export const U_REFERENCEID = 3;
export const U_ROLLE = 4;
export const U_TYPE = 5;

/** One UnikIdType or LabelRef (BrugerRef, AktoerRef, ReferenceID, Rolle, Type). */
export class UnikIdScratch {
  target = 0;
  uuid: string | undefined = undefined;
  urn: string | undefined = undefined;
  label: string | undefined = undefined;

  reset(target: number): void {
    this.target = target;
    this.uuid = undefined;
    this.urn = undefined;
    this.label = undefined;
  }
}
