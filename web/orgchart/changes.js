// @ts-check
// "What changed between two dates": compare the flat subtree at both times.
import { leaderName } from './api.js';

/**
 * @typedef {object} Change
 * @property {'tilføjet' | 'fjernet' | 'flyttet' | 'omdøbt' | 'ny leder'} type
 * @property {string} uuid
 * @property {string} navn      the unit's name at "til" (at "fra" when removed)
 * @property {string} foer      before (name, parent's name or leader)
 * @property {string} efter     after
 */

/**
 * @param {import('./api.js').FlatUnit[]} before
 * @param {import('./api.js').FlatUnit[]} after
 * @returns {Change[]}
 */
export function diff(before, after) {
  const a = new Map(before.map((u) => [u.uuid, u]));
  const b = new Map(after.map((u) => [u.uuid, u]));
  const nameIn = (/** @type {Map<string, import('./api.js').FlatUnit>} */ m, /** @type {string | null} */ uuid) => (uuid ? m.get(uuid)?.navn ?? uuid : '');
  /** @type {Change[]} */
  const out = [];
  for (const u of after) {
    const old = a.get(u.uuid);
    const navn = u.navn ?? '';
    if (!old) {
      out.push({ type: 'tilføjet', uuid: u.uuid, navn, foer: '', efter: nameIn(b, u.overordnetUuid) });
      continue;
    }
    if ((old.navn ?? '') !== navn) out.push({ type: 'omdøbt', uuid: u.uuid, navn, foer: old.navn ?? '', efter: navn });
    if (old.overordnetUuid !== u.overordnetUuid) out.push({ type: 'flyttet', uuid: u.uuid, navn, foer: nameIn(a, old.overordnetUuid), efter: nameIn(b, u.overordnetUuid) });
    if ((old.egenLeder?.uuid ?? null) !== (u.egenLeder?.uuid ?? null)) out.push({ type: 'ny leder', uuid: u.uuid, navn, foer: leaderName(old.egenLeder), efter: leaderName(u.egenLeder) });
  }
  for (const u of before) if (!b.has(u.uuid)) out.push({ type: 'fjernet', uuid: u.uuid, navn: u.navn ?? '', foer: nameIn(a, u.overordnetUuid), efter: '' });
  return out;
}
