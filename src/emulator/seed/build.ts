import type { Egenskab, Registrering, Relation, Tilstand, Virkning } from '../../model';

/** Small builders shared by the seed modules. Every seeded registration is `Importeret`. */

export function virkning(aktoer: string, fra: string | null, til: string | null = null, noteTekst?: string): Virkning {
  const v: Virkning = { fra, til, aktoerRef: aktoer, aktoerTypeKode: 'Organisation' };
  if (noteTekst !== undefined) v.noteTekst = noteTekst;
  return v;
}

export function registrering(
  tidspunkt: string,
  brugerRef: string,
  egenskaber: Egenskab[],
  tilstande: Tilstand[],
  relationer: Relation[],
): Registrering {
  return { tidspunkt, livscyklus: 'Importeret', brugerRef, egenskaber, tilstande, relationer };
}

export const egenskab = (v: Virkning, values: Record<string, string>): Egenskab => ({ virkning: v, values });

export const tilstand = (v: Virkning, value: string): Tilstand => ({ virkning: v, value });

export const rel = (name: string, v: Virkning, uuid: string): Relation => ({ name, virkning: v, ref: { uuid } });

/** A dynamic relation row (Adresser, Opgaver): rolle, type and indeks are required. */
export const dynRel = (name: string, v: Virkning, uuid: string, rolle: string, type: string, indeks: number | string): Relation => ({
  name, virkning: v, ref: { uuid }, rolle: { uuid: rolle }, type: { uuid: type }, indeks: String(indeks),
});
