import { generateMunicipality, kleSeed, type GeneratedFacts, type SeedData } from '../src/emulator/seed';
import { KLASSER } from '../src/model/objects';

/**
 * The municipality the benchmark runs on, and what the queries need from it: computed from the
 * generated seed (not from the subgraph), so the benchmark checks answers against an independent
 * reading of the data.
 */

export interface MunicipalitySize {
  units: number;
  users: number;
  functions: number;
}

export interface Fixture {
  size: MunicipalitySize;
  facts: GeneratedFacts;
  /** The department of Q2/Q4: the root's child with the most units within three levels. */
  department: { uuid: string; unitsWithin3: number; levels: number[]; positions: number };
  /** Bruger UUIDs for the `_entities` query (Q3). */
  brugere: string[];
  /** Bruger UUIDs holding a position (Q5 fallback when there is no search). */
  staff: string[];
  /** Past instants for Q4: after the 2019 rename, before the 2023 move; registrations as of then. */
  past: { virkning: string; registrering: string };
  objects: number;
}

const PAST = '2021-06-01T12:00:00.000Z';

export function generate(size: MunicipalitySize): { data: SeedData; fixture: Fixture; generateMs: number } {
  const started = performance.now();
  const m = generateMunicipality({ seed: 1, ...size });
  const data: SeedData = { objects: [...kleSeed().objects, ...m.objects] };
  const generateMs = performance.now() - started;

  const now = Date.now();
  const live = (v: { fra: string | null; til: string | null }): boolean => (v.fra === null || Date.parse(v.fra) <= now) && (v.til === null || Date.parse(v.til) > now);
  const children = new Map<string, string[]>();
  const positionsByUnit = new Map<string, number>();
  const brugere: string[] = [];
  const staff: string[] = [];
  const staffSeen = new Set<string>();
  for (const { type, objekt } of m.objects) {
    const reg = objekt.registreringer[objekt.registreringer.length - 1];
    const rel = (n: string): string[] => reg.relationer.filter((r) => r.name === n && live(r.virkning)).map((r) => r.ref.uuid!);
    if (type === 'OrganisationEnhed') {
      const p = rel('Overordnet')[0];
      if (p) (children.get(p) ?? children.set(p, []).get(p)!).push(objekt.uuid);
    } else if (type === 'Bruger') {
      brugere.push(objekt.uuid);
    } else if (type === 'OrganisationFunktion' && rel('Funktionstype')[0] === KLASSER.FUNKTIONSTYPE_ENHEDSROLLE) {
      const unit = rel('TilknyttedeEnheder')[0];
      positionsByUnit.set(unit, (positionsByUnit.get(unit) ?? 0) + 1);
      for (const b of rel('TilknyttedeBrugere')) {
        if (!staffSeen.has(b)) {
          staffSeen.add(b);
          staff.push(b);
        }
      }
    }
  }
  const within = (u: string, depth: number): string[][] => {
    const levels: string[][] = [[u]];
    for (let d = 0; d < depth; d++) levels.push(levels[levels.length - 1].flatMap((x) => children.get(x) ?? []));
    return levels;
  };
  let best = { uuid: m.facts.rootUnit, unitsWithin3: 1, levels: [1], positions: 0 };
  for (const c of children.get(m.facts.rootUnit) ?? []) {
    const levels = within(c, 3);
    const n = levels.reduce((a, l) => a + l.length, 0);
    if (n > best.unitsWithin3) {
      best = { uuid: c, unitsWithin3: n, levels: levels.map((l) => l.length), positions: levels.flat().reduce((a, u) => a + (positionsByUnit.get(u) ?? 0), 0) };
    }
  }
  return {
    data,
    generateMs,
    fixture: {
      size, facts: m.facts, department: best,
      brugere: brugere.slice(0, 1000), staff: staff.slice(0, 100),
      past: { virkning: PAST, registrering: PAST },
      objects: data.objects.length,
    },
  };
}
