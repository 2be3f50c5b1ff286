import type { Sf1500Client } from '../../src/sf1500/client';
import { KLASSIFIKATION, KORSBAEK } from '../../src/emulator/seed';
import { egenskab, registrering, rel, tilstand, virkning } from '../../src/emulator/seed/build';

/**
 * What Korsbæk lacks for OrganisationHent's features, written through the stack's own SOAP client
 * (importer/ret on the local SF1500): a user type class with KA as "Intern bruger", an IT system on
 * Kontaktcenteret, a function whose three virkninger differ, and one that has ended.
 */

const AKTOER = KORSBAEK.systemAktoer;
export const FIX = {
  internBruger: 'fe5bec29-0709-4b45-b935-2748ff554c7a',
  itSystem: '52474ef2-d3b7-4e53-ba05-f25dbe0e1703',
  /** Gyldighed from 2020-01-01, TilknyttedeBrugere (KA) 2021-06-01 to 2030-01-01, TilknyttedeEnheder (Borgerservice) 2019-01-01 to 2028-12-31. */
  staggered: {
    uuid: 'c0ffee00-0000-4000-8000-000000000001',
    bruger: KORSBAEK.brugere.KA, enhed: KORSBAEK.units.borgerservice,
    start: '2021-06-01T00:00:00.000Z', slut: '2028-12-31T00:00:00.000Z',
  },
  /** KA in Integration from 2017 to 2022 (ended): a membership in the past only. */
  ended: { uuid: 'c0ffee00-0000-4000-8000-000000000002', enhed: KORSBAEK.units.integration, start: '2017-01-01T00:00:00.000Z', slut: '2022-01-01T00:00:00.000Z' },
};

export async function addFixtures(client: Sf1500Client): Promise<void> {
  const reg = '2016-06-01T00:00:00.000Z';
  const v = (fra: string | null, til: string | null = null) => virkning(AKTOER, fra, til);
  await client.importer('Klasse', { uuid: FIX.internBruger, registreringer: [registrering(reg, AKTOER, [egenskab(v(null), { BrugervendtNoegleTekst: 'Intern', TitelTekst: 'Intern bruger' })], [tilstand(v(null), 'true')], [])] });
  await client.ret('Bruger', KORSBAEK.brugere.KA, { relationer: [rel('BrugerTyper', v('2016-01-01T00:00:00.000Z'), FIX.internBruger)] });
  await client.importer('ItSystem', { uuid: FIX.itSystem, registreringer: [registrering(reg, AKTOER, [egenskab(v('2016-01-01T00:00:00.000Z'), { BrugervendtNoegleTekst: 'NEXUS', ItSystemNavn: 'KMD Nexus' })], [tilstand(v('2016-01-01T00:00:00.000Z'), 'Aktiv')], [])] });
  await client.ret('OrganisationEnhed', KORSBAEK.units.kontaktcenteret, { relationer: [rel('TilknyttedeItSystemer', v('2016-01-01T00:00:00.000Z'), FIX.itSystem)] });
  const funktion = (uuid: string, navn: string, gyldig: string, bruger: [string, string | null], enhed: [string, string | null], unit: string) => ({
    uuid,
    registreringer: [registrering(reg, AKTOER, [egenskab(v(gyldig), { BrugervendtNoegleTekst: navn, FunktionNavn: navn })], [tilstand(v(gyldig), 'Aktiv')], [
      rel('Funktionstype', v(gyldig), KLASSIFIKATION.FUNK_ENHEDSROLLE),
      rel('TilknyttedeBrugere', v(...bruger), KORSBAEK.brugere.KA),
      rel('TilknyttedeEnheder', v(...enhed), unit),
      rel('TilknyttedeOrganisationer', v(gyldig), KORSBAEK.organisation),
    ])],
  });
  await client.importer('OrganisationFunktion', funktion(FIX.staggered.uuid, 'Sagsbehandler', '2020-01-01T00:00:00.000Z',
    [FIX.staggered.start, '2030-01-01T00:00:00.000Z'], ['2019-01-01T00:00:00.000Z', FIX.staggered.slut], FIX.staggered.enhed));
  await client.importer('OrganisationFunktion', funktion(FIX.ended.uuid, 'Integrationsmedarbejder', '2016-01-01T00:00:00.000Z',
    [FIX.ended.start, null], ['2016-01-01T00:00:00.000Z', FIX.ended.slut], FIX.ended.enhed));
}
