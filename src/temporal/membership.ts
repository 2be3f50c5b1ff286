import type { Virkning } from '../model/domain';
import { toMillis } from './period';

/**
 * A membership's start and end (KOMBIT's rule for OrganisationFunktion as "organisatorisk
 * tilknytning", SF1500 Anvisninger 3.0): the start is the latest VirkningFra of the function's
 * Gyldighed, its TilknyttedeBrugere row and its TilknyttedeEnheder row; the end the earliest
 * VirkningTil of the three. Open ends count as -infinity / +infinity; a result that stays open is null.
 */
export function membershipPeriod(rows: ReadonlyArray<Pick<Virkning, 'fra' | 'til'>>): { start: string | null; slut: string | null } {
  let start: string | null = null;
  let startMs = -Infinity;
  let slut: string | null = null;
  let slutMs = Infinity;
  for (const v of rows) {
    const fra = toMillis(v.fra, 'fra');
    if (fra > startMs) {
      startMs = fra;
      start = v.fra;
    }
    const til = toMillis(v.til, 'til');
    if (til < slutMs) {
      slutMs = til;
      slut = v.til;
    }
  }
  return { start, slut };
}
