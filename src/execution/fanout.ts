import type { HierarchyStats } from '../loaders/hierarchy';
import type { FanOut } from './cost';

/**
 * Expected list sizes for the cost model: explicit arguments first (`first`, `uuids`,
 * `representations`), then the sizes of the municipality's last loaded hierarchy snapshot, then
 * priors for a municipality of a few thousand units. Expectations, not bounds: what one answer really
 * holds is bounded at run time by the execution budget (`budget.ts`).
 */

/** Priors when no snapshot is loaded yet. */
export const PRIOR_STATS: HierarchyStats = {
  units: 2000, childrenPerParent: 6, maxDepth: 12, functionsPerUnit: 25, positionsPerUnit: 20, functionsPerUser: 3, unitsPerKlasse: 10, pages: 60,
};

/** Rows of a history or registration list, and targets of a 0..n relation: no snapshot knows them. */
const HISTORY_ROWS = 20;
const RELATION_TARGETS = 5;

const HISTORY = new Set(['registreringer', 'egenskaber', 'gyldighed', 'relationer', 'publiceret', 'soegeord']);

function descendants(s: HierarchyStats, maksDybde: unknown): number {
  if (typeof maksDybde !== 'number' || maksDybde < 1) return s.units;
  let level = 1;
  let sum = 0;
  for (let d = 0; d < maksDybde && sum < s.units; d++) sum += level *= Math.max(1, s.childrenPerParent);
  return Math.min(s.units, sum);
}

/** A FanOut over the stats `current()` gives at the time of the call (the latest snapshot, or the priors). */
export function fanOutFrom(current: () => HierarchyStats | undefined): FanOut {
  return (parent, field, args) => {
    if (typeof args.first === 'number') return args.first;
    if (Array.isArray(args.uuids)) return args.uuids.length;
    if (Array.isArray(args.representations)) return args.representations.length;
    if (parent.endsWith('Connection') || parent === 'AendringSide') return 1; // edges/nodes: `first` was counted on the search field
    // The change feed: `maks` is the page size; genudsend of given UUIDs answers them all at once.
    if (field === 'genudsend') {
      const uuids = (args.filter as { uuids?: unknown } | undefined)?.uuids;
      if (Array.isArray(uuids)) return uuids.length;
    }
    if (typeof args.maks === 'number') return args.maks;
    const s = current() ?? PRIOR_STATS;
    switch (field) {
      case 'efterkommere': return descendants(s, args.maksDybde);
      case 'underenheder': return s.childrenPerParent;
      case 'forfaedre': case 'sti': return s.maxDepth;
      case 'stillinger': case 'medarbejdere': return s.positionsPerUnit;
      case 'funktioner': case 'henvendelsessteder': return parent === 'Bruger' ? s.functionsPerUser : s.functionsPerUnit;
      case 'enheder': return parent === 'Bruger' ? s.functionsPerUser : s.units;
      case 'ansvarligeEnheder': return s.unitsPerKlasse;
      case 'ledere': return 2;
      case 'medlemskaber': return s.positionsPerUnit;
      case 'harMedlemskab': return s.functionsPerUser;
      case 'enhedsliste': case 'brugerliste': return s.units;
      default: return HISTORY.has(field) || parent.endsWith('Historik') ? HISTORY_ROWS : RELATION_TARGETS;
    }
  };
}
