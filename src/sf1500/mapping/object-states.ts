import { AKTOER_TYPE_KODER, LIVSCYKLUS } from '../../model/domain';
import type { AktoerTypeKode, LabelRef, Livscyklus, Objekt, Registrering, Virkning } from '../../model/domain';
import type { ObjectTypeName } from '../../model/types';
import { WireError } from '../../wire/errors';
import { DATETIME } from '../../temporal/period';
import { ItemScratch, RegistreringScratch, RowScratch, U_AKTOERREF, U_BRUGERREF, U_REFERENCEID, U_ROLLE, U_TYPE, UnikIdScratch, VirkningScratch } from './scratch';
import {
  first, L_AKTOERTYPE, L_ATTR, L_GRAENSE, L_INDEKS, L_ITEM_UUID, L_LABEL, L_OT_UUID, L_REG_LIVSCYKLUS, L_REG_NOTE, L_REG_TIDSPUNKT,
  L_STATE_VALUE, L_STRUCTURED_CHILD, L_TIDSSTEMPEL, L_URN, L_UUID, L_VIRK_NOTE, S_AL, S_EGENSKAB, S_HLIST, S_ITEM, S_OBJEKTTYPE, S_REG,
  S_RELATION, S_RL, S_STRUCTURED, S_TIDSPUNKT, S_TILSTAND, S_TL, S_UNIKID, S_VIRKNING,
} from './states';
import {
  COMPILED, HIERARCHY, Y_AKTOERREF, Y_AKTOERTYPE, Y_BRUGERREF, Y_FRA, Y_GRAENSE, Y_INDEKS, Y_LABEL, Y_LIVSCYKLUS, Y_NOTE, Y_ORGSYS_FOB,
  Y_REFERENCEID, Y_ROLLE, Y_TIDSPUNKT, Y_TIDSSTEMPEL, Y_TIL, Y_TYPE, Y_URN, Y_UUID, Y_VIRKNING, type CompiledSpec,
} from './symbols';

/** What to map: object lists of one type (Laes/List), or the six OrganisationSystem hierarchy lists. */
export type MapPlan = { kind: 'objects'; type: ObjectTypeName } | { kind: 'hierarchy' };

/** A UUID in canonical 8-4-4-4-12 form, lowercased; undefined when it is not one. */
function uuidOf(v: string): string | undefined {
  if (v.length !== 36) return undefined;
  let upper = false;
  for (let i = 0; i < 36; i++) {
    const c = v.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return undefined;
    } else if (c >= 48 && c <= 57) continue;
    else if (c >= 97 && c <= 102) continue;
    else if (c >= 65 && c <= 70) upper = true;
    else return undefined;
  }
  return upper ? v.toLowerCase() : v;
}

const ALWAYS = (): Virkning => ({ fra: null, til: null });

type VirkningIndex = Map<string | null, Map<string | null, Map<string | undefined, Map<string | undefined, Map<AktoerTypeKode | undefined, Virkning>>>>>;

/**
 * The object content's part of the machine: the body element's object lists (one type, or the six
 * hierarchy lists), each FiltreretOejebliksbillede with its Registrering elements and their rows.
 * Malformed content throws a WireError whose path is relative to the element; the mapper adds the rest.
 */
export class ObjectStates {
  readonly lists = new Map<ObjectTypeName, Objekt[]>();
  private readonly seenLists = new Set<number>();
  private cs: CompiledSpec;
  private objs: Objekt[] = [];
  /** For error paths: the hierarchy list (`OrganisationEnheder/`), the item's index and depth. */
  listPath = '';
  itemIndex = 0;
  itemLevel = 0;
  private readonly item = new ItemScratch();
  private readonly reg = new RegistreringScratch();
  private readonly row = new RowScratch();
  private readonly virk = new VirkningScratch();
  private readonly unik = new UnikIdScratch();
  /** Distinct Virkninger of the response by fra, til, aktoerRef, noteTekst, then aktoerTypeKode. */
  private readonly virkninger: VirkningIndex = new Map();
  private readonly uuids = new Map<string, string>();

  constructor(private readonly plan: MapPlan) {
    this.cs = plan.kind === 'objects' ? COMPILED.get(plan.type)! : HIERARCHY[0].cs;
    if (plan.kind === 'objects') this.lists.set(plan.type, []);
    else for (const l of HIERARCHY) this.lists.set(l.type, []);
  }

  /** A child of the body element other than StandardRetur: an object of the plan's type, or a hierarchy list. */
  openList(y: number, level: number): number {
    if (this.plan.kind === 'objects') {
      if (y !== this.cs.fob) return 0;
      this.objs = this.lists.get(this.cs.spec.name)!;
      return this.startItem(level);
    }
    for (const l of HIERARCHY) {
      if (y !== l.sym) continue;
      if (this.seenLists.has(y)) return 0;
      this.seenLists.add(y);
      this.cs = l.cs;
      this.objs = this.lists.get(l.type)!;
      this.listPath = `${l.element}/`;
      this.itemIndex = 0;
      return S_HLIST;
    }
    return 0;
  }

  /**
   * One object per distinct Virkning in a response: rows written together share theirs (read-only).
   * Looked up by its parts one Map level each (the values are interned strings, so their hashes are
   * cached): no key string to build, and no two different Virkninger can meet (a joined key could:
   * a NoteTekst "undefined" and none, or a URN with the separator in it).
   */
  private shared(fra: string | null, til: string | null, aktoerRef: string | undefined, aktoerTypeKode: AktoerTypeKode | undefined, noteTekst: string | undefined): Virkning {
    let byTil = this.virkninger.get(fra);
    if (byTil === undefined) this.virkninger.set(fra, (byTil = new Map()));
    let byAktoer = byTil.get(til);
    if (byAktoer === undefined) byTil.set(til, (byAktoer = new Map()));
    let byNote = byAktoer.get(aktoerRef);
    if (byNote === undefined) byAktoer.set(aktoerRef, (byNote = new Map()));
    let byType = byNote.get(noteTekst);
    if (byType === undefined) byNote.set(noteTekst, (byType = new Map()));
    let v = byType.get(aktoerTypeKode);
    if (v !== undefined) return v;
    // Object literals of the final shape (one allocation, in-object properties) for the usual
    // cases; absent parts stay absent keys, as the codec builds them.
    if (noteTekst === undefined) {
      if (aktoerRef !== undefined && aktoerTypeKode !== undefined) v = { fra, til, aktoerRef, aktoerTypeKode };
      else {
        v = { fra, til };
        if (aktoerRef !== undefined) v.aktoerRef = aktoerRef;
        if (aktoerTypeKode !== undefined) v.aktoerTypeKode = aktoerTypeKode;
      }
    } else if (aktoerRef !== undefined && aktoerTypeKode !== undefined) v = { fra, til, aktoerRef, aktoerTypeKode, noteTekst };
    else {
      v = { fra, til };
      if (aktoerRef !== undefined) v.aktoerRef = aktoerRef;
      if (aktoerTypeKode !== undefined) v.aktoerTypeKode = aktoerTypeKode;
      v.noteTekst = noteTekst;
    }
    byType.set(aktoerTypeKode, v);
    return v;
  }

  /** uuidOf, remembered per response: the values are interned, and the same UUIDs come again and again. */
  private uuid(v: string): string | undefined {
    let u = this.uuids.get(v);
    if (u === undefined) {
      u = uuidOf(v);
      if (u !== undefined) this.uuids.set(v, u);
    }
    return u;
  }

  private startItem(level: number): number {
    this.itemIndex++;
    this.itemLevel = level;
    this.item.reset();
    return S_ITEM;
  }

  private startUnikId(target: number): number {
    this.unik.reset(target);
    return S_UNIKID;
  }

  private startVirkning(): number {
    if (!first(this.row, RowScratch.VIRKNING)) return 0;
    this.virk.reset();
    return S_VIRKNING;
  }

  private startTidspunkt(fra: boolean): number {
    this.virk.resetTidspunkt(fra);
    return S_TIDSPUNKT;
  }

  /** The state of a child `y` of a content element in state `parent` at depth `level` (0 = skip it). */
  open(parent: number, y: number, level: number): number {
    const cs = this.cs;
    switch (parent) {
      case S_HLIST:
        return y === Y_ORGSYS_FOB ? this.startItem(level) : 0;
      case S_ITEM:
        if (y === cs.registrering) {
          this.reg.reset();
          return S_REG;
        }
        if (y === cs.objektType && first(this.item, ItemScratch.OBJEKTTYPE)) return S_OBJEKTTYPE;
        if (y === Y_UUID && this.item.uuid === undefined) return L_ITEM_UUID;
        return 0;
      case S_OBJEKTTYPE:
        return y === Y_UUID && this.item.otUuid === undefined ? L_OT_UUID : 0;
      case S_REG: {
        const reg = this.reg;
        if (y === cs.attributListe) return first(reg, RegistreringScratch.AL) ? S_AL : 0;
        if (y === cs.relationListe) {
          if (!first(reg, RegistreringScratch.RL)) return 0;
          reg.resetRelations(cs.spec.relations.length);
          return S_RL;
        }
        if (y === cs.tilstandListe) return first(reg, RegistreringScratch.TL) ? S_TL : 0;
        if (y === Y_TIDSPUNKT) return reg.tidspunkt === undefined ? L_REG_TIDSPUNKT : 0;
        if (y === Y_LIVSCYKLUS) return reg.livscyklus === undefined ? L_REG_LIVSCYKLUS : 0;
        if (y === Y_BRUGERREF) return first(reg, RegistreringScratch.BRUGERREF) ? this.startUnikId(U_BRUGERREF) : 0;
        if (y === Y_NOTE) return reg.note === undefined ? L_REG_NOTE : 0;
        return 0;
      }
      case S_AL:
        if (y !== cs.egenskab) return 0;
        this.row.resetEgenskab();
        return S_EGENSKAB;
      case S_EGENSKAB: {
        if (y === Y_VIRKNING) return this.startVirkning();
        const i = cs.attrSyms.get(y);
        if (i === undefined) return 0;
        const row = this.row;
        row.attr = cs.spec.attributes[i];
        row.attrChildren = cs.attrChildren[i];
        if (row.attrChildren) {
          row.structured = new Array<string | undefined>(row.attrChildren.length);
          return S_STRUCTURED;
        }
        return L_ATTR;
      }
      case S_STRUCTURED: {
        const row = this.row;
        const i = row.attrChildren!.indexOf(y);
        if (i < 0 || row.structured[i] !== undefined) return 0;
        row.structuredIndex = i;
        return L_STRUCTURED_CHILD;
      }
      case S_TL:
        if (y !== cs.stateEl) return 0;
        this.row.resetTilstand();
        return S_TILSTAND;
      case S_TILSTAND:
        if (y === Y_VIRKNING) return this.startVirkning();
        return y === cs.stateValue && this.row.value === undefined ? L_STATE_VALUE : 0;
      case S_RL: {
        const i = cs.relSyms.get(y);
        if (i === undefined) return 0;
        const rs = cs.spec.relations[i];
        if (!rs.multi && this.reg.relSeen[i]++ > 0) throw new WireError('', 'is a 0..1 relation and may occur at most once');
        this.row.resetRelation(rs);
        return S_RELATION;
      }
      case S_RELATION: {
        const row = this.row;
        if (y === Y_VIRKNING) return this.startVirkning();
        if (y === Y_REFERENCEID) return first(row, RowScratch.REF) ? this.startUnikId(U_REFERENCEID) : 0;
        if (!row.rel!.dynamic) return 0;
        if (y === Y_ROLLE) return first(row, RowScratch.ROLLE) ? this.startUnikId(U_ROLLE) : 0;
        if (y === Y_TYPE) return first(row, RowScratch.TYPE) ? this.startUnikId(U_TYPE) : 0;
        return y === Y_INDEKS && row.indeks === undefined ? L_INDEKS : 0;
      }
      case S_VIRKNING: {
        const v = this.virk;
        if (y === Y_FRA) return first(v, VirkningScratch.FRA) ? this.startTidspunkt(true) : 0;
        if (y === Y_TIL) return first(v, VirkningScratch.TIL) ? this.startTidspunkt(false) : 0;
        if (y === Y_AKTOERREF) return first(v, VirkningScratch.AKTOER) ? this.startUnikId(U_AKTOERREF) : 0;
        if (y === Y_AKTOERTYPE) return v.type === undefined ? L_AKTOERTYPE : 0;
        if (y === Y_NOTE) return v.note === undefined ? L_VIRK_NOTE : 0;
        return 0;
      }
      case S_TIDSPUNKT:
        if (y === Y_TIDSSTEMPEL) return this.virk.stamp === undefined ? L_TIDSSTEMPEL : 0;
        if (y === Y_GRAENSE) return this.virk.graense === undefined ? L_GRAENSE : 0;
        return 0;
      case S_UNIKID: {
        const u = this.unik;
        if (y === Y_UUID) return u.uuid === undefined ? L_UUID : 0;
        if (y === Y_URN) return u.urn === undefined ? L_URN : 0;
        if (y === Y_LABEL && (u.target === U_ROLLE || u.target === U_TYPE)) return u.label === undefined ? L_LABEL : 0;
        return 0;
      }
      default:
        return 0;
    }
  }

  /** An attribute value of the current Egenskab: a list where the attribute repeats, else at most one. */
  private addValue(a: { element: string; repeats?: boolean }, v: string): void {
    const vals = this.row.values;
    const prev = vals[a.element];
    if (a.repeats) {
      if (prev === undefined) vals[a.element] = [v];
      else (prev as string[]).push(v);
    } else {
      if (prev !== undefined) throw new WireError('', 'may occur at most once');
      vals[a.element] = v;
    }
  }

  /** A leaf's text (trimmed, owned by the result). */
  closeLeaf(st: number, v: string): void {
    switch (st) {
      case L_UUID: this.unik.uuid = v; return;
      case L_TIDSSTEMPEL: this.virk.stamp = v; return;
      case L_GRAENSE: this.virk.graense = v; return;
      case L_ATTR: {
        const a = this.row.attr!;
        if (a.maxLength !== undefined && v.length > a.maxLength) throw new WireError('', `longer than ${a.maxLength} characters`);
        if (a.pattern && !a.pattern.test(v)) throw new WireError('', `does not match ${a.pattern.source}`);
        this.addValue(a, v);
        return;
      }
      case L_AKTOERTYPE: {
        // the list's own string: the value read from the message can then be collected at once
        const k = AKTOER_TYPE_KODER.indexOf(v as AktoerTypeKode);
        if (k < 0) throw new WireError('', `unknown value '${v.slice(0, 40)}'`);
        this.virk.type = AKTOER_TYPE_KODER[k];
        return;
      }
      case L_VIRK_NOTE: this.virk.note = v; return;
      case L_STATE_VALUE: {
        const st2 = this.cs.spec.state!;
        const k = st2.values.indexOf(v);
        if (k < 0) throw new WireError('', `must be one of ${st2.values.join(', ')}`);
        this.row.value = st2.values[k];
        return;
      }
      case L_URN: this.unik.urn = v; return;
      case L_LABEL: this.unik.label = v; return;
      case L_INDEKS: this.row.indeks = v; return;
      case L_STRUCTURED_CHILD: this.row.structured[this.row.structuredIndex] = v; return;
      case L_OT_UUID: this.item.otUuid = v; return;
      case L_ITEM_UUID: this.item.uuid = v; return;
      case L_REG_NOTE: this.reg.note = v; return;
      case L_REG_TIDSPUNKT:
        if (!DATETIME.test(v)) throw new WireError('', `not an xs:dateTime: '${v.slice(0, 60)}'`);
        this.reg.tidspunkt = v;
        return;
      case L_REG_LIVSCYKLUS: {
        const k = LIVSCYKLUS.indexOf(v as Livscyklus);
        if (k < 0) throw new WireError('', `unknown value '${v.slice(0, 40)}'`);
        this.reg.livscyklus = LIVSCYKLUS[k];
        return;
      }
    }
  }

  /** A container closes: its value is checked and handed to its parent's record. */
  close(st: number): void {
    switch (st) {
      case S_UNIKID: return this.closeUnikId();
      case S_TIDSPUNKT: return this.closeTidspunkt();
      case S_VIRKNING: return this.closeVirkning();
      case S_RELATION: {
        const row = this.row;
        const rs = row.rel!;
        if (!row.ref) throw new WireError('ReferenceID', 'required element is missing');
        const virkning = row.virkning ?? ALWAYS();
        if (rs.dynamic) {
          if (!row.rolle) throw new WireError('Rolle', 'required element is missing');
          if (!row.type) throw new WireError('Type', 'required element is missing');
          if (row.indeks === undefined) throw new WireError('Indeks', 'required element is missing');
          this.reg.relationer.push({ name: rs.element, virkning, ref: row.ref, rolle: row.rolle, type: row.type, indeks: row.indeks });
        } else this.reg.relationer.push({ name: rs.element, virkning, ref: row.ref });
        return;
      }
      case S_EGENSKAB:
        this.reg.egenskaber.push({ virkning: this.row.virkning ?? ALWAYS(), values: this.row.values });
        return;
      case S_STRUCTURED: {
        const row = this.row;
        const a = row.attr!;
        const o: Record<string, string> = {};
        a.children!.forEach((c, i) => {
          const t = row.structured[i];
          if (t !== undefined) o[c.element] = t;
        });
        this.addValue(a, JSON.stringify(o));
        return;
      }
      case S_TILSTAND: {
        const st2 = this.cs.spec.state!;
        if (this.row.value === undefined) throw new WireError(st2.valueElement, 'required element is missing');
        this.reg.tilstande.push({ virkning: this.row.virkning ?? ALWAYS(), value: this.row.value });
        return;
      }
      case S_REG: return this.closeRegistrering();
      case S_ITEM: {
        const it = this.item;
        const hasOT = (it.seen & ItemScratch.OBJEKTTYPE) !== 0;
        const raw = hasOT ? it.otUuid : it.uuid;
        const where = hasOT ? 'ObjektType/UUIDIdentifikator' : 'UUIDIdentifikator';
        if (raw === undefined) throw new WireError(where, 'required element is missing');
        const uuid = this.uuid(raw);
        if (uuid === undefined) throw new WireError(where, `not a UUID: '${raw.slice(0, 60)}'`);
        this.objs.push({ uuid, registreringer: it.regs });
        return;
      }
    }
  }

  private closeUnikId(): void {
    const u = this.unik;
    let r: LabelRef;
    if (u.uuid !== undefined) {
      const id = this.uuid(u.uuid);
      if (id === undefined) throw new WireError('UUIDIdentifikator', `not a UUID: '${u.uuid.slice(0, 60)}'`);
      r = { uuid: id };
    } else if (u.urn !== undefined) {
      if (u.urn.length === 0 || u.urn.length > 255) throw new WireError('URNIdentifikator', 'must be 1-255 characters');
      r = { urn: u.urn };
    } else throw new WireError('', 'needs UUIDIdentifikator or URNIdentifikator');
    switch (u.target) {
      case U_REFERENCEID: this.row.ref = r; break;
      case U_AKTOERREF: this.virk.aktoer = r.uuid ?? r.urn; break;
      case U_BRUGERREF: this.reg.brugerRef = r.uuid ?? r.urn; break;
      case U_ROLLE:
        if (u.label !== undefined) r.label = u.label;
        this.row.rolle = r;
        break;
      case U_TYPE:
        if (u.label !== undefined) r.label = u.label;
        this.row.type = r;
        break;
    }
  }

  private closeTidspunkt(): void {
    const v = this.virk;
    let t: string | null;
    if (v.stamp !== undefined) {
      if (!DATETIME.test(v.stamp)) throw new WireError('TidsstempelDatoTid', `not an xs:dateTime: '${v.stamp.slice(0, 60)}'`);
      t = v.stamp;
    } else if (v.graense !== undefined) {
      if (v.graense !== 'true' && v.graense !== '1') throw new WireError('GraenseIndikator', 'must be true');
      t = null;
    } else throw new WireError('', 'needs TidsstempelDatoTid or GraenseIndikator');
    if (v.tpIsFra) v.fra = t;
    else v.til = t;
  }

  private closeVirkning(): void {
    const v = this.virk;
    this.row.virkning = this.shared(v.fra, v.til, v.aktoer, v.type, v.note);
  }

  private closeRegistrering(): void {
    const r = this.reg;
    if ((r.seen & RegistreringScratch.AL) === 0) throw new WireError('AttributListe', 'required element is missing');
    if ((r.seen & RegistreringScratch.TL) === 0) throw new WireError('TilstandListe', 'required element is missing');
    if ((r.seen & RegistreringScratch.RL) === 0) throw new WireError('RelationListe', 'required element is missing');
    const { egenskaber, tilstande, relationer, note: noteTekst, tidspunkt, livscyklus, brugerRef } = r;
    let reg: Registrering;
    if (noteTekst === undefined && tidspunkt !== undefined && livscyklus !== undefined && brugerRef !== undefined) {
      reg = { egenskaber, tilstande, relationer, tidspunkt, livscyklus, brugerRef };
    } else {
      reg = { egenskaber, tilstande, relationer };
      if (noteTekst !== undefined) reg.noteTekst = noteTekst;
      if (tidspunkt !== undefined) reg.tidspunkt = tidspunkt;
      if (livscyklus !== undefined) reg.livscyklus = livscyklus;
      if (brugerRef !== undefined) reg.brugerRef = brugerRef;
    }
    this.item.regs.push(reg);
  }
}
