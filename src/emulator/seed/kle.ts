import type { Objekt } from '../../model';
import { egenskab, registrering, rel, tilstand, virkning } from './build';
import { FACETTER, KLASSIFIKATION, KLASSIFIKATION_TITLER, type KlassifikationKey } from './klasser';
import kleData from './kle-data.json';
import type { SeedData } from './types';
import { nameUuid } from './uuid';

/**
 * SF1514 Klasse objects for the local SF1500: the classification classes SF1500 relations point
 * to (klasser.ts) and KL's KLE Emneplan (2015-08-01): 41 hovedgrupper, 691 grupper, 3,457 emner.
 * kle-data.json is written by build-kle.js from KL's plan; KLE numbers and titles are KL's.
 * Expired numbers keep their "[udgået]" title suffix and are published like the others.
 */

/** [nummer, titel, overordnet nummer ('' for a hovedgruppe)], parents before children. */
export type KleRow = readonly [nummer: string, titel: string, overordnet: string];
export const KLE_ROWS: readonly KleRow[] = kleData as unknown as KleRow[];

/**
 * UUIDs of the KLE classes the Korsbæk sample uses. They are the sample's placeholders: the real
 * FK Klassifikation UUIDs of KLE classes are not public.
 */
export const KLE_PLACEHOLDER_UUIDS: Readonly<Record<string, string>> = {
  '32': '0c01caf2-9ef7-49e7-a2af-80f5927cb352',
  '32.00': 'd82d6b98-c3f9-4850-96f8-3bfeb53e67ab',
  '32.03': 'ac39de90-43ad-4e61-b27b-28e93b42319b',
  '32.06': 'bc554f47-051f-415c-9db8-5e4c332df89a',
  '27.24': '75d3d47a-fcb9-4dc4-93e3-40f8b1005cc5',
};

/** UUID of the Klasse of a KLE number: the placeholder where there is one, else nameUuid(`kle:<nummer>`). */
export function kleKlasseUuid(nummer: string): string {
  return KLE_PLACEHOLDER_UUIDS[nummer] ?? nameUuid(`kle:${nummer}`);
}

let byNummer: Map<string, KleRow> | undefined;
/** The KLE row of a number, or undefined when the plan has no such number. */
export function kleRow(nummer: string): KleRow | undefined {
  byNummer ??= new Map(KLE_ROWS.map((r) => [r[0], r]));
  return byNummer.get(nummer);
}

/** KLE emner (three-level numbers) still in force (title without "[udgået]"), in plan order. */
export function activeKleEmner(): string[] {
  return KLE_ROWS.filter((r) => r[0].length === 8 && !r[1].includes('[udgået]')).map((r) => r[0]);
}

/** Actor (KL as publisher) on the Klasse registrations and their virkning. */
export const KLASSIFIKATION_AKTOER = nameUuid('aktoer:KL-klassifikation');
/** Registration time and virkning start of every seeded Klasse: the plan's publication date. */
export const KLASSE_FRA = '2015-08-01T00:00:00.000+02:00';

function klasse(uuid: string, bvn: string, titel: string, facet: string, overordnet?: string): Objekt {
  const v = virkning(KLASSIFIKATION_AKTOER, KLASSE_FRA);
  const relationer = [rel('Facet', v, facet)];
  if (overordnet) relationer.push(rel('OverordnetKlasse', v, overordnet));
  return {
    uuid,
    registreringer: [registrering(KLASSE_FRA, KLASSIFIKATION_AKTOER,
      [egenskab(v, { BrugervendtNoegleTekst: bvn, TitelTekst: titel })], [tilstand(v, 'true')], relationer)],
  };
}

/** Every Klasse: the classification classes first, then KLE (parents before children). */
export function kleSeed(): SeedData {
  const objects: SeedData['objects'] = [];
  for (const key of Object.keys(KLASSIFIKATION) as KlassifikationKey[]) {
    const { titel, bvn, facet } = KLASSIFIKATION_TITLER[key];
    objects.push({ type: 'Klasse', objekt: klasse(KLASSIFIKATION[key], bvn, titel, FACETTER[facet]) });
  }
  for (const [nummer, titel, overordnet] of KLE_ROWS) {
    objects.push({
      type: 'Klasse',
      objekt: klasse(kleKlasseUuid(nummer), nummer, titel, FACETTER.KLE, overordnet ? kleKlasseUuid(overordnet) : undefined),
    });
  }
  return { objects };
}
