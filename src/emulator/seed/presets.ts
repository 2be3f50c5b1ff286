import { generateMunicipality, LARGE, SMALL } from './generator';
import { kleSeed } from './kle';
import { korsbaekSeed } from './korsbaek';
import type { SeedData } from './types';

export const SEED_NAMES = 'korsbaek, small, large, none or generate:<units>,<users>';

/** The named seeds (KLE classes always included); undefined for 'none'; throws on an unknown name. */
export function seedFor(name: string): (() => SeedData) | undefined {
  const withKle = (d: SeedData): SeedData => ({ objects: [...kleSeed().objects, ...d.objects] });
  if (name === 'none') return undefined;
  if (name === 'korsbaek') return () => withKle(korsbaekSeed());
  if (name === 'small') return () => withKle(generateMunicipality({ seed: 1, ...SMALL }));
  if (name === 'large') return () => withKle(generateMunicipality({ seed: 1, ...LARGE }));
  const m = /^generate:(\d+),(\d+)$/.exec(name);
  if (m) return () => withKle(generateMunicipality({ seed: 1, units: Number(m[1]), users: Number(m[2]) }));
  throw new Error(`unknown seed '${name}': use ${SEED_NAMES}`);
}
