import { generateMunicipality, LARGE, SMALL } from './generator';
import { kleSeed } from './kle';
import { korsbaekSeed } from './korsbaek';
import type { SeedData } from './types';

export const SEED_NAMES = 'korsbaek, small, large, none or generate:<units>,<users>';

/** What each named seed holds, in words (for the log line of a first start). */
export function seedDescription(name: string): string {
  const m = /^generate:(\d+),(\d+)$/.exec(name);
  if (name === 'korsbaek') return 'Korsbæk Kommune, 20 units, and the KLE classes';
  if (name === 'small' || name === 'large' || m) {
    const size: { units: number; users: number; functions?: number } = m ? { units: Number(m[1]), users: Number(m[2]) } : name === 'small' ? SMALL : LARGE;
    const n = (x: number): string => x.toLocaleString('en-US');
    return `a generated municipality of ${n(size.units)} units, ${n(size.users)} users${size.functions ? `, ${n(size.functions)} functions` : ''} and the KLE classes`;
  }
  return name;
}

/**
 * The named seeds (KLE classes always included); undefined for 'none'; throws on an unknown name.
 * `onSeed` is told when the seed is actually used (the database was empty): seeding takes a while.
 */
export function seedFor(name: string, onSeed?: (description: string) => void): (() => SeedData) | undefined {
  const seed = seedData(name);
  if (!seed || !onSeed) return seed;
  return () => {
    onSeed(seedDescription(name));
    return seed();
  };
}

function seedData(name: string): (() => SeedData) | undefined {
  const withKle = (d: SeedData): SeedData => ({ objects: [...kleSeed().objects, ...d.objects] });
  if (name === 'none') return undefined;
  if (name === 'korsbaek') return () => withKle(korsbaekSeed());
  if (name === 'small') return () => withKle(generateMunicipality({ seed: 1, ...SMALL }));
  if (name === 'large') return () => withKle(generateMunicipality({ seed: 1, ...LARGE }));
  const m = /^generate:(\d+),(\d+)$/.exec(name);
  if (m) return () => withKle(generateMunicipality({ seed: 1, units: Number(m[1]), users: Number(m[2]) }));
  throw new Error(`unknown seed '${name}': use ${SEED_NAMES}`);
}
