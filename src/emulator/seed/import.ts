import type { Store } from '../store/types';
import type { SeedData } from './types';

/**
 * Imports seed objects straight into the store (not over the wire: seeding 60,000 objects must take
 * seconds). Each registration keeps its own registration time, so seeded history is real history.
 */
export function importSeed(store: Store, data: SeedData, onProgress?: (done: number, total: number) => void): number {
  const total = data.objects.length;
  let done = 0;
  const CHUNK = 5000;
  for (let i = 0; i < total; i += CHUNK) {
    store.transaction(() => {
      for (const { type, objekt } of data.objects.slice(i, i + CHUNK)) {
        for (const reg of objekt.registreringer) {
          const at = reg.tidspunkt ? Date.parse(reg.tidspunkt) : Date.now();
          store.appendRegistrering(type, objekt.uuid, reg, at);
        }
        done++;
      }
    });
    onProgress?.(done, total);
  }
  return done;
}
