/** Seed data for the local SF1500: Korsbæk Kommune, KLE + classification classes, and generated municipalities. */
export type { SeedData, SeedObject } from './types';
export { korsbaekSeed, KORSBAEK } from './korsbaek';
export { kleSeed, kleKlasseUuid, kleRow, activeKleEmner, KLE_ROWS, KLE_PLACEHOLDER_UUIDS, KLASSIFIKATION_AKTOER, KLASSE_FRA } from './kle';
export type { KleRow } from './kle';
export { KLASSIFIKATION, KLASSIFIKATION_TITLER, FACETTER } from './klasser';
export type { KlassifikationKey, FacetName } from './klasser';
export { generateMunicipality, LARGE, SMALL } from './generator';
export type { GenerateOptions, GeneratedFacts, GeneratedMunicipality } from './generator';
export { validateSeed } from './validate';
export { nameUuid, mulberry32 } from './uuid';
