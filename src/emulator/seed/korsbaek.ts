import type { Objekt, Relation } from '../../model';
import { dynRel, egenskab, registrering, rel, tilstand, virkning } from './build';
import { KLASSIFIKATION as K, type KlassifikationKey } from './klasser';
import { kleKlasseUuid } from './kle';
import type { SeedData, SeedObject } from './types';

/**
 * Korsbæk Kommune: KOMBIT's fictional example municipality, as normalised by the project's sample
 * dataset (units, users and positions from OS2sync's Korsbæk test driver; the story of Borgerservice,
 * Ydelsescenteret, payout unit, Henvendelsessted and KLE responsibilities from KOMBIT's
 * "Anvisninger til anvendelse af STS-Organisation" v1.2.3). Facts are transcribed here; nothing
 * outside the project is read.
 *
 * Added by us (marked ADDED below) so that leader inheritance is testable: four leaders with their
 * users, persons and e-mail addresses (Kommunaldirektør, Direktør, Områdechef, Centerchef), one
 * vacant position, a move of Ungeteamet to Ungeområdet on 2023-01-01, and fictional CPR numbers.
 */

const SYSTEM = '855b7f64-48bc-4ec0-a747-9c8161570939';
const ORG = 'ac010a42-aa2e-49a3-a8ee-6cf9a7a4b981';
const VIRKSOMHED = '492bafd0-0972-45d7-ad97-b7838f1504f2';
const MYNDIGHED = 'c015addf-b509-4dfc-b107-057f42f603e4';

/** Registration time of the initial import and start of every virkning. */
const IMPORT = '2016-01-01T00:00:00.000+01:00';
const RENAME_FRA = '2019-03-01T00:00:00.000+01:00';
const RENAME_REG = '2019-03-13T09:45:47.986+01:00';
const MOVE_FRA = '2023-01-01T00:00:00.000+01:00';
const MOVE_REG = '2022-12-15T10:00:00.000+01:00';

const OE = {
  kommune: 'b9e45b18-b6ba-4434-bce4-844214aaaae8',
  socialSundhed: '9e491092-be32-4a74-a8b6-a3868386958d',
  beskaeftigelse: '6bbd954b-ef5f-426e-b387-aa92a0acc8ac',
  sundhedUdvikling: 'e0fb33b7-ee59-43f4-af5b-faf67de2c549',
  ungeomraadet: 'e5044026-9fc9-485a-a3bb-428a004c0483',
  jobcenter: 'e265f56e-031f-46b5-a403-6ded21e8d3e2',
  ydelseRaadighed: 'bd145a83-5386-40c8-b0e6-4fa5f6298c95',
  jobRessourcer: 'b1f926f5-47fd-4b3e-a4fc-01f21bc5d7e1',
  jobKompetencer: '03d0923b-fa25-4991-84ed-b060379c7a31',
  borgerservice: 'b7646f73-4072-4714-bf3a-e1498910eff1',
  ydelsescenteret: 'd9ebec1f-9329-425a-93e3-9321b7770e01',
  kontaktcenteret: 'a1e8cfd0-b008-43e7-ba16-02c0184e4a57',
  kontanthjaelp: 'd55cee6a-bfcf-4aa3-84b0-c7cf0b693801',
  ydelseskontoret: '505fbb5f-048b-494b-ba4a-01cef6d12f2e',
  integration: '1f2f31c7-7748-48a0-be2c-f4306b231c72',
  tvaerfaglig: '9ec8b1d6-dc50-4cb8-9e81-765ead2788cb',
  ungeteamet: 'e81d1394-d087-4006-9133-12af296e39f9',
  sygNord: 'c853f02a-9039-40d1-ac8e-bfc2d35be530',
  sygSyd: '5300624b-4bff-4677-bdf9-0d50a25118d0',
  sygVest: 'd011da6b-b336-454f-b377-b08f9c7e2c49',
} as const;

const BRUGER = {
  PIASTE: 'fb5281bd-2d00-4426-97ae-927f7eddf8aa',
  AMCATK: '18cddc45-ccb4-4753-8b42-6a9f62dc2d83',
  BEDOLG: '530d688e-ff9b-4437-8c9b-1dbb651e13e2',
  HENJAC: 'f8985e8f-f4da-413e-b819-febdd7767b94',
  SOFJDM: 'ba4710c3-0304-457a-9924-f80f8d8563eb',
  KA: '835b6ffc-d0eb-41e6-9856-eb8f15113556',
  HN: '0f0f9678-c7af-4e8e-b3fd-47a92842de94',
  IBOL: 'bb354bbb-7fc3-4d2b-8ef0-c6f47a0d8155',
  // ADDED leaders (UUIDs = nameUuid('korsbaek:bruger:<BVN>'))
  LEHO: 'dcbb6f28-e755-43d8-84f2-4d9329605a8c',
  MOBA: 'a1efcba7-1ace-4fdb-a97e-0c1bc037e906',
  JEKI: '52b438ee-84e1-4adf-bb87-8b4bcbf39632',
  GRMU: '67e7b3da-8656-4cd4-86de-1e5fb7137a9f',
} as const;

type Enhedstype = 'AFDELING' | 'TEAM';
/** [uuid, EnhedNavn (also the BVN), Overordnet at import (null: the root), Enhedstype]; parents first. */
const UNITS: ReadonlyArray<readonly [string, string, string | null, Enhedstype]> = [
  [OE.kommune, 'Korsbæk Kommune', null, 'AFDELING'],
  [OE.socialSundhed, 'Social og Sundhedsforvaltningen', OE.kommune, 'AFDELING'],
  [OE.beskaeftigelse, 'Beskæftigelsesområdet', OE.socialSundhed, 'AFDELING'],
  [OE.sundhedUdvikling, 'Sundhed, Udvikling, Service og Økonomi', OE.socialSundhed, 'AFDELING'],
  [OE.ungeomraadet, 'Ungeområdet', OE.beskaeftigelse, 'AFDELING'],
  [OE.jobcenter, 'Jobcenter', OE.beskaeftigelse, 'AFDELING'],
  [OE.ydelseRaadighed, 'Ydelse og Rådighed', OE.jobcenter, 'TEAM'],
  [OE.jobRessourcer, 'Job og Ressourcer', OE.jobcenter, 'TEAM'],
  [OE.jobKompetencer, 'Job og Kompetencer', OE.jobcenter, 'TEAM'],
  [OE.borgerservice, 'Borgerservice', OE.kommune, 'AFDELING'],
  [OE.ydelsescenteret, 'Ydelsescenteret', OE.kommune, 'AFDELING'],
  [OE.kontaktcenteret, 'Kontaktcenteret', OE.borgerservice, 'TEAM'],
  [OE.kontanthjaelp, 'Kontanthjælpsteamet', OE.ydelsescenteret, 'TEAM'],
  [OE.ydelseskontoret, 'Ydelseskontoret', OE.ydelsescenteret, 'AFDELING'],
  [OE.integration, 'Integration', OE.ydelsescenteret, 'TEAM'],
  [OE.tvaerfaglig, 'Tværfaglig Indsats', OE.ydelsescenteret, 'TEAM'],
  [OE.ungeteamet, 'Ungeteamet', OE.ydelsescenteret, 'TEAM'],
  [OE.sygNord, 'Sygedagpengeteam Nord', OE.beskaeftigelse, 'TEAM'],
  [OE.sygSyd, 'Sygedagpengeteam Syd', OE.beskaeftigelse, 'TEAM'],
  [OE.sygVest, 'Sygedagpengeteam Vest', OE.beskaeftigelse, 'TEAM'],
];

const RENAMED_NEW_NAME = 'Kontanthjælp og Integration';

type FunktionKey = 'FUNK_ENHEDSROLLE' | 'FUNK_LEDERROLLE' | 'FUNK_UDBETALENDE_ENHED' | 'FUNK_HENVENDELSESSTED';
/** [uuid, BVN, FunktionNavn, Funktionstype, TilknyttedeEnheder, TilknyttedeBrugere (null: vacant), TilknyttedeOpgaver (KLE)]. */
const FUNCTIONS: ReadonlyArray<readonly [string, string, string, FunktionKey, string, string | null, readonly string[]]> = [
  ['0b9dcfc6-fcbe-4856-a4ac-de0c979ec47a', 'YR. Medarb. 01', 'YR. Medarb. 01', 'FUNK_ENHEDSROLLE', OE.ydelseRaadighed, BRUGER.PIASTE, []],
  ['a3a1a3c8-7519-43c1-ad49-2cbb284632ad', 'YR. Medarb. 02', 'YR. Medarb. 02', 'FUNK_ENHEDSROLLE', OE.ydelseRaadighed, BRUGER.AMCATK, []],
  ['99d0d6be-1ca9-4367-8fe6-6ec761dfe3a5', 'YR. Medarb. 03', 'YR. Medarb. 03', 'FUNK_ENHEDSROLLE', OE.ydelseRaadighed, BRUGER.BEDOLG, []],
  ['8a82772e-ac4e-438e-8a95-d495a6cbc90d', 'JR. Medarb. 01', 'JR. Medarb. 01', 'FUNK_ENHEDSROLLE', OE.jobRessourcer, BRUGER.HENJAC, []],
  ['7b0ace17-d54e-47bf-9c44-1353b134252d', 'JR. Medarb. 02', 'JR. Medarb. 02', 'FUNK_ENHEDSROLLE', OE.jobRessourcer, BRUGER.SOFJDM, []],
  ['596db1d4-b40c-411a-963b-f04e78345788', 'YM01', 'YM01', 'FUNK_ENHEDSROLLE', OE.kontanthjaelp, BRUGER.KA, []],
  ['655fcb60-d0ff-44fe-ad08-d6163735e0d8', 'YM02', 'YM02', 'FUNK_ENHEDSROLLE', OE.kontanthjaelp, BRUGER.HN, []],
  ['0b2f5cd5-e0ab-4ef6-948d-468c03c85384', 'Kontorchef', 'Kontorchef', 'FUNK_LEDERROLLE', OE.jobcenter, BRUGER.IBOL, []],
  ['352a3312-f1ce-4839-813e-19e006d5ee42', 'Udbetalende enhed Ydelseskontoret', 'Udbetalende enhed', 'FUNK_UDBETALENDE_ENHED', OE.ydelseskontoret, null, []],
  ['d08459d6-0aa3-4577-a613-466cefbfb1d3', 'Henvendelsessted Jobcenter', 'Henvendelsessted', 'FUNK_HENVENDELSESSTED', OE.jobcenter, null, ['32.00']],
  // ADDED (UUIDs = nameUuid('korsbaek:funktion:<BVN>'))
  ['b3930181-e39b-4e97-8c67-0824af86a0fa', 'Kommunaldirektør', 'Kommunaldirektør', 'FUNK_LEDERROLLE', OE.kommune, BRUGER.LEHO, []],
  ['f45f600e-3b9a-4080-8860-2abb13a065c3', 'Direktør', 'Direktør', 'FUNK_LEDERROLLE', OE.socialSundhed, BRUGER.MOBA, []],
  ['7b1205af-61d1-4e7d-9682-8c9e1f9ca429', 'Områdechef', 'Områdechef', 'FUNK_LEDERROLLE', OE.beskaeftigelse, BRUGER.JEKI, []],
  ['3a538047-b054-42a3-8663-da59c7f60f93', 'Centerchef', 'Centerchef', 'FUNK_LEDERROLLE', OE.ydelsescenteret, BRUGER.GRMU, []],
  ['0153dd26-e2c6-4136-9375-6ab84f64b9e4', 'YM03', 'YM03 (ledig)', 'FUNK_ENHEDSROLLE', OE.kontanthjaelp, null, []],
];

/**
 * [Bruger uuid, BVN (= BrugerNavn = Person BVN), Person uuid, NavnTekst, CPR, e-mail Adresse uuid, e-mail].
 * The dataset has no CPR numbers: the CPR values below are FICTIONAL (DDMMYY + 1234), for tests only.
 */
const USERS: ReadonlyArray<readonly [string, string, string, string, string, string, string]> = [
  [BRUGER.PIASTE, 'PIASTE', '984af002-d54e-4f55-a502-ab082dde1405', 'Pia Stenberg', '0101701234', '835e8a84-d42d-4452-9616-68e154f71d10', 'piaste@korsbaek.dk'],
  [BRUGER.AMCATK, 'AMCATK', '1893ad8e-0dfc-454d-86be-0f459009330a', 'Catrine Kristensen', '0202711234', '786fe762-1036-425a-85c2-f8d53a7eb2a2', 'amcatk@korsbaek.dk'],
  [BRUGER.BEDOLG, 'BEDOLG', '94f75661-bf3d-4ab4-9648-e29d4625f993', 'Dorthe Langager', '0303721234', 'c5c3342b-583d-45c4-9351-48be09e119bf', 'bedolg@korsbaek.dk'],
  [BRUGER.HENJAC, 'HENJAC', '76569de2-ce05-4029-9800-402d4189c8c4', 'Henrik Jacobsen', '0404731234', '69e5936e-9fb2-4bb0-b477-884708a5978a', 'henjac@korsbaek.dk'],
  [BRUGER.SOFJDM, 'SOFJDM', 'd351fee6-5f24-4b64-b6f7-c9d2d4a5f892', 'Sofie Damager', '0505741234', '12c67966-542a-4e8a-8ca3-7cfb081c29bb', 'sofjdm@korsbaek.dk'],
  [BRUGER.KA, 'KA', '04f9a81f-ffa1-45f2-9a4f-1afd7bef52b5', 'Kjeld Andersen', '0606751234', '771fba7f-36c6-4258-b866-5af861a84493', 'ka@korsbaek.dk'],
  [BRUGER.HN, 'HN', '14a47118-40b4-4235-94a5-58da4fb4cf29', 'Hanne Nielsen', '0707761234', '88395eec-c0e2-4efe-8591-b816c372b4eb', 'hn@korsbaek.dk'],
  [BRUGER.IBOL, 'IBOL', '486b0841-31b5-4e6b-bc5c-581e65b08a45', 'Ib Olsen', '0808771234', '6acd984b-046e-4ee7-a902-1d458fc13cfe', 'ibol@korsbaek.dk'],
  // ADDED leaders (person/adresse UUIDs = nameUuid('korsbaek:person:<BVN>') / nameUuid('korsbaek:adresse:<BVN>'))
  [BRUGER.LEHO, 'LEHO', '35412432-33b5-4d18-8dfe-49b69df8763b', 'Lene Holm', '0909781234', 'b5a6b506-ccf6-4cd2-a4f8-58f9d57292ff', 'leho@korsbaek.dk'],
  [BRUGER.MOBA, 'MOBA', '2a1f4960-2164-4564-90e9-5e7ec1da0b73', 'Morten Bach', '1010791234', 'c3b6542e-e9e2-4894-8629-5462d75bb391', 'moba@korsbaek.dk'],
  [BRUGER.JEKI, 'JEKI', '54d534bf-b2c7-4531-921c-33bddc2d32d4', 'Jens Kirk', '1111801234', 'dec129a3-6cc9-40f1-b875-2f096ee74061', 'jeki@korsbaek.dk'],
  [BRUGER.GRMU, 'GRMU', 'a7b5cd14-88a8-41bc-bffb-44b0f4e7847f', 'Grethe Munk', '1212811234', '230b9816-c57b-4e48-8ae1-4e7a445ac33e', 'grmu@korsbaek.dk'],
];

/** Unit addresses: [Adresse uuid, AdresseTekst (also the BVN), Rolle, unit]; Type is always Enhedsadresse. Indeks runs per unit in this order. */
const UNIT_ADDRESSES: ReadonlyArray<readonly [string, string, KlassifikationKey, string]> = [
  ['2742d83e-88f5-4002-9ea1-20c5f415cb14', 'Skyttemarksvej 17, 4260 Korsbæk', 'ROLE_OU_POST', OE.borgerservice],
  ['6512544e-5f9c-4927-a97a-0696be144f28', 'bs@korsbaek.dk', 'ROLE_OU_EMAIL', OE.borgerservice],
  ['92442d4d-9bbe-4d6a-8f94-b714646cc248', '55771842', 'ROLE_OU_PHONE', OE.borgerservice],
  ['5ac9d113-155f-4254-9740-e9943186e897', 'www.korsbaek.dk/borgerservice', 'ROLE_OU_URL', OE.borgerservice],
  ['d742e543-0201-4045-9bb9-62787b5df5a8', 'Mandag 10.00-12.00, Onsdag 12.00-17.00', 'ROLE_OU_PHONE_OPEN_HOURS', OE.borgerservice],
  ['47763973-2cb2-429d-9a04-b320342eae35', 'Hjulmagervej 29, 4260 Korsbæk', 'ROLE_OU_CONTACT_ADDRESS', OE.jobcenter],
  ['3ff9d090-6089-41e0-9c26-c458aabc1f48', '+45 3334 9400', 'ROLE_OU_PHONE', OE.jobcenter],
  ['7907138c-630e-49d6-bb38-1b089a5416f2', 'SOCVIRKADM', 'ROLE_OU_LOSSHORTNAME', OE.ydelseskontoret],
  ['a0e37308-e568-4070-b6f6-319785406aeb', '5790001969370', 'ROLE_OU_EAN', OE.kommune],
];

/** Units using another unit's function (payout unit, Henvendelsessted): unit → TilknyttedeFunktioner. */
const UNIT_FUNCTIONS: Readonly<Record<string, readonly string[]>> = {
  [OE.integration]: ['352a3312-f1ce-4839-813e-19e006d5ee42'],
  [OE.tvaerfaglig]: ['352a3312-f1ce-4839-813e-19e006d5ee42'],
  [OE.ungeteamet]: ['352a3312-f1ce-4839-813e-19e006d5ee42'],
  [OE.ydelseskontoret]: ['352a3312-f1ce-4839-813e-19e006d5ee42'],
  [OE.sygNord]: ['d08459d6-0aa3-4577-a613-466cefbfb1d3'],
  [OE.sygSyd]: ['d08459d6-0aa3-4577-a613-466cefbfb1d3'],
  [OE.sygVest]: ['d08459d6-0aa3-4577-a613-466cefbfb1d3'],
};

/** KLE numbers a unit is responsible for (Opgaver, Rolle Ansvarlig, Type Klasse). */
const UNIT_OPGAVER: Readonly<Record<string, readonly string[]>> = {
  [OE.kontaktcenteret]: ['32.03', '32.06'],
  [OE.ydelsescenteret]: ['32'],
};

/** UUIDs and facts for tests. */
export const KORSBAEK = {
  systemAktoer: SYSTEM,
  organisation: ORG,
  virksomhed: VIRKSOMHED,
  myndighed: MYNDIGHED,
  rootUnit: OE.kommune,
  units: OE,
  brugere: BRUGER,
  importTidspunkt: IMPORT,
  virkningFra: IMPORT,
  navn: 'Korsbæk Kommune',
  cvr: '11111111',
  myndighedsKode: '999',
  renamed: {
    unit: OE.kontanthjaelp, oldName: 'Kontanthjælpsteamet', newName: RENAMED_NEW_NAME,
    virkningFra: RENAME_FRA, registreret: RENAME_REG, firstRegistreret: IMPORT,
  },
  moved: {
    unit: OE.ungeteamet, oldParent: OE.ydelsescenteret, newParent: OE.ungeomraadet,
    virkningFra: MOVE_FRA, registreret: MOVE_REG,
  },
  /** Units with a Lederrolle of their own → the leader's Bruger. */
  leaders: {
    [OE.kommune]: BRUGER.LEHO,
    [OE.socialSundhed]: BRUGER.MOBA,
    [OE.beskaeftigelse]: BRUGER.JEKI,
    [OE.jobcenter]: BRUGER.IBOL,
    [OE.ydelsescenteret]: BRUGER.GRMU,
  } as Readonly<Record<string, string>>,
  /** A unit without its own leader; the nearest ancestor with one is its parent. */
  leaderless: { unit: OE.kontanthjaelp, leaderUnit: OE.ydelsescenteret, leaderBruger: BRUGER.GRMU },
  /** Leader two levels up: Kontaktcenteret → Borgerservice (no leader) → Korsbæk Kommune. */
  leaderlessTwoUp: { unit: OE.kontaktcenteret, leaderUnit: OE.kommune, leaderBruger: BRUGER.LEHO },
  /** The moved unit's inherited leader changes with the move: Centerchef before, Områdechef after (Ungeområdet has none). */
  movedLeader: { before: BRUGER.GRMU, after: BRUGER.JEKI },
  vacantPosition: '0153dd26-e2c6-4136-9375-6ab84f64b9e4',
  udbetalendeEnhed: { funktion: '352a3312-f1ce-4839-813e-19e006d5ee42', unit: OE.ydelseskontoret },
  henvendelsessted: { funktion: 'd08459d6-0aa3-4577-a613-466cefbfb1d3', unit: OE.jobcenter, kle: '32.00' },
  opgaver: UNIT_OPGAVER,
  counts: {
    units: UNITS.length, // 20
    functions: FUNCTIONS.length, // 10 from the dataset + 5 added
    leaders: FUNCTIONS.filter((f) => f[3] === 'FUNK_LEDERROLLE').length, // 5
    positions: FUNCTIONS.filter((f) => f[3] === 'FUNK_ENHEDSROLLE').length, // 8 (one vacant)
    users: USERS.length, // 8 from the dataset + 4 added leaders
    persons: USERS.length,
    addresses: UNIT_ADDRESSES.length + USERS.length, // 17 from the dataset + 4 added
  },
} as const;

export function korsbaekSeed(): SeedData {
  const v = virkning(SYSTEM, IMPORT);
  const aktiv = () => [tilstand(v, 'Aktiv')];
  const reg = (egenskaber: Parameters<typeof registrering>[2], tilstande: Parameters<typeof registrering>[3], relationer: Relation[], at = IMPORT) =>
    registrering(at, SYSTEM, egenskaber, tilstande, relationer);
  const one = (uuid: string, r: ReturnType<typeof reg>): Objekt => ({ uuid, registreringer: [r] });
  const objects: SeedObject[] = [];

  objects.push({ type: 'Virksomhed', objekt: one(VIRKSOMHED, reg([egenskab(v, {
    BrugervendtNoegleTekst: '11111111', 'CVR-NummerTekst': '11111111', NavnTekst: 'Korsbæk Kommune',
  })], [], [])) });
  objects.push({ type: 'Myndighed', objekt: one(MYNDIGHED, reg([egenskab(v, {
    BrugervendtNoegleTekst: '999', NavnTekst: 'Korsbæk Kommune', MyndighedsKode: '999',
  })], [], [])) });

  for (const [uuid, tekst] of UNIT_ADDRESSES) {
    objects.push({ type: 'Adresse', objekt: one(uuid, reg([egenskab(v, { BrugervendtNoegleTekst: tekst, AdresseTekst: tekst })], [], [])) });
  }
  for (const [, , , , , uuid, email] of USERS) {
    objects.push({ type: 'Adresse', objekt: one(uuid, reg([egenskab(v, { BrugervendtNoegleTekst: email, AdresseTekst: email })], [], [])) });
  }
  for (const [, bvn, person, navn, cpr] of USERS) {
    objects.push({ type: 'Person', objekt: one(person, reg([egenskab(v, {
      BrugervendtNoegleTekst: bvn, 'CPR-NummerTekst': cpr, NavnTekst: navn,
    })], [], [])) });
  }

  objects.push({ type: 'Organisation', objekt: one(ORG, reg(
    [egenskab(v, { BrugervendtNoegleTekst: 'Korsbæk Kommune', OrganisationNavn: 'Korsbæk Kommune' })], aktiv(),
    [rel('Myndighed', v, MYNDIGHED), rel('Overordnet', v, OE.kommune), rel('Virksomhed', v, VIRKSOMHED)])) });

  for (const [uuid, navn, parent, type] of UNITS) {
    const relationer = (overordnet: Relation[]): Relation[] => {
      const r: Relation[] = [];
      UNIT_ADDRESSES.filter((a) => a[3] === uuid)
        .forEach(([adr, , rolle], i) => r.push(dynRel('Adresser', v, adr, K[rolle], K.ADDR_TYPE_ORGUNIT, i + 1)));
      r.push(rel('Enhedstype', v, type === 'TEAM' ? K.ENHEDSTYPE_TEAM : K.ENHEDSTYPE_AFDELING));
      (UNIT_OPGAVER[uuid] ?? [])
        .forEach((kle, i) => r.push(dynRel('Opgaver', v, kleKlasseUuid(kle), K.OPGAVE_ROLLE_ANSVARLIG, K.OPGAVE_TYPE_KLASSE, i + 1)));
      r.push(...overordnet);
      r.push(rel('Tilhoerer', v, ORG));
      for (const f of UNIT_FUNCTIONS[uuid] ?? []) r.push(rel('TilknyttedeFunktioner', v, f));
      return r;
    };
    const navnRow = (name: string, vv = v) => egenskab(vv, { BrugervendtNoegleTekst: name, EnhedNavn: name });
    const parentRows = parent ? [rel('Overordnet', v, parent)] : [];
    const first = reg([navnRow(navn)], aktiv(), relationer(parentRows));
    const registreringer = [first];
    if (uuid === KORSBAEK.renamed.unit) {
      // Rename registered 2019-03-13 with virkning from 2019-03-01: the old name is closed, the new one opens.
      registreringer.push(reg([
        navnRow(navn, virkning(SYSTEM, IMPORT, RENAME_FRA)),
        navnRow(RENAMED_NEW_NAME, virkning(SYSTEM, RENAME_FRA, null, 'Navneændring')),
      ], aktiv(), relationer(parentRows), RENAME_REG));
    }
    if (uuid === KORSBAEK.moved.unit) {
      // Move registered 2022-12-15, in force from 2023-01-01: two Overordnet rows with disjoint virkning.
      registreringer.push(reg([navnRow(navn)], aktiv(), relationer([
        rel('Overordnet', virkning(SYSTEM, IMPORT, MOVE_FRA), KORSBAEK.moved.oldParent),
        rel('Overordnet', virkning(SYSTEM, MOVE_FRA, null, 'Flyttet til Ungeområdet'), KORSBAEK.moved.newParent),
      ]), MOVE_REG));
    }
    objects.push({ type: 'OrganisationEnhed', objekt: { uuid, registreringer } });
  }

  for (const [uuid, bvn, person, , , adresse] of USERS) {
    objects.push({ type: 'Bruger', objekt: one(uuid, reg([egenskab(v, { BrugervendtNoegleTekst: bvn, BrugerNavn: bvn })], aktiv(), [
      dynRel('Adresser', v, adresse, K.ROLE_USER_EMAIL, K.ADDR_TYPE_USER, 1),
      rel('Tilhoerer', v, ORG),
      rel('TilknyttedePersoner', v, person),
    ])) });
  }

  for (const [uuid, bvn, navn, type, unit, bruger, opgaver] of FUNCTIONS) {
    const relationer: Relation[] = [rel('Funktionstype', v, K[type])];
    for (const kle of opgaver) relationer.push(rel('TilknyttedeOpgaver', v, kleKlasseUuid(kle)));
    if (bruger) relationer.push(rel('TilknyttedeBrugere', v, bruger));
    relationer.push(rel('TilknyttedeEnheder', v, unit), rel('TilknyttedeOrganisationer', v, ORG));
    objects.push({ type: 'OrganisationFunktion', objekt: one(uuid, reg([egenskab(v, { BrugervendtNoegleTekst: bvn, FunktionNavn: navn })], aktiv(), relationer)) });
  }

  return { objects };
}

