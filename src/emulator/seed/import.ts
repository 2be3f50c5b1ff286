import type { NewRegistrering, SyncStore } from '../store/types';
import type { SeedData } from './types';

/**
 * Imports seed objects straight into the store (not over the wire: seeding 60,000 objects must take
 * seconds). Each registration keeps its own registration time, so seeded history is real history.
 */
export function importSeed(store: SyncStore, data: SeedData, onProgress?: (done: number, total: number) => void): number {
  const total = data.objects.length;
  let done = 0;
  const CHUNK = 5000;
  for (let i = 0; i < total; i += CHUNK) {
    store.transaction(() => {
      for (const { type, objekt } of data.objects.slice(i, i + CHUNK)) {
        for (const reg of objekt.registreringer) {
          store.appendRegistrering(type, objekt.uuid, reg, seedTime(reg));
        }
        done++;
      }
    });
    onProgress?.(done, total);
  }
  return done;
}

/** A seeded registration is registered at its own Tidspunkt (now when it has none). */
const seedTime = (reg: { tidspunkt?: string }): number => (reg.tidspunkt ? Date.parse(reg.tidspunkt) : Date.now());

/** The registrations {@link importSeed} appends, in its order, for a store that appends them in bulk. */
export function seedRegistrations(data: SeedData): { objects: number; registrations: NewRegistrering[] } {
  const registrations: NewRegistrering[] = [];
  for (const { type, objekt } of data.objects) {
    for (const reg of objekt.registreringer) registrations.push({ type, uuid: objekt.uuid, registrering: reg, at: seedTime(reg) });
  }
  return { objects: data.objects.length, registrations };
}
