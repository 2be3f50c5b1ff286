/**
 * Bitemporal behaviour of the local SF1500 on the Korsbæk seed, over real HTTP: Laes/List at present and
 * past virkning and registration times (the rename of Kontanthjælpsteamet, the move of Ungeteamet, sliced
 * into one Registrering element per virkning slice), Soeg criteria and times, paging, the Ret merge rules,
 * and SF1514 Klasse (KLE). Every request and answer is validated against KOMBIT's official XSDs.
 */
import { randomUUID } from 'crypto';
import { KORSBAEK } from '../../src/emulator/seed';
import { kleKlasseUuid } from '../../src/emulator/seed/kle';
import { KLASSER, objectType, type Objekt, type Registrering, type Relation } from '../../src/model';
import { idListe, invalidMessages, iso, pathOf, SD, newest, refs, startTestEmulator, type TestEmulator } from '../support/soap';
import { requireOfficialContract } from '../support/xsd';

const contract = requireOfficialContract();
const { renamed, moved, organisation: ORG, units } = KORSBAEK;
const OE = objectType('OrganisationEnhed');
const OE_NS = OE.namespace;
const FAR_PAST = '2000-01-01T00:00:00.000Z';
const at = (t: string): { fra: string; til: string } => ({ fra: t, til: t });
const names = (r: Registrering): unknown[] => r.egenskaber.map((e) => e.values.EnhedNavn);
/** Distinct values (rows valid across several wire slices appear in each). */
const uniq = <T>(xs: T[]): T[] => [...new Map(xs.map((x) => [JSON.stringify(x), x])).values()];

let em: TestEmulator;
beforeAll(async () => {
  em = await startTestEmulator();
});
afterAll(async () => {
  await em?.close();
});

describe('Laes at present and past times: the rename of Kontanthjælpsteamet', () => {
  it('without filters: the registration in force now, with every virkning row', async () => {
    const o = (await em.client.laes('OrganisationEnhed', renamed.unit))!;
    expect(o.registreringer).toHaveLength(1);
    const r = o.registreringer[0];
    expect(iso(r.tidspunkt!)).toBe(iso(renamed.registreret));
    expect(r.egenskaber.map((e) => [e.values.EnhedNavn, e.virkning.fra && iso(e.virkning.fra), e.virkning.til && iso(e.virkning.til)])).toEqual([
      [renamed.oldName, iso(KORSBAEK.virkningFra), iso(renamed.virkningFra)],
      [renamed.newName, iso(renamed.virkningFra), null],
    ]);
  });

  it('a virkning instant picks the name in effect then', async () => {
    expect(names(newest((await em.client.laes('OrganisationEnhed', renamed.unit, { virkning: at('2019-02-01T00:00:00Z') }))!))).toEqual([renamed.oldName]);
    expect(names(newest((await em.client.laes('OrganisationEnhed', renamed.unit, { virkning: at('2019-04-01T00:00:00Z') }))!))).toEqual([renamed.newName]);
    // The virkning start is inclusive, the end exclusive.
    expect(names(newest((await em.client.laes('OrganisationEnhed', renamed.unit, { virkning: at(renamed.virkningFra) }))!))).toEqual([renamed.newName]);
  });

  it('a registration instant before the rename was registered sees the old name for all virkning', async () => {
    const o = (await em.client.laes('OrganisationEnhed', renamed.unit, { registrering: at('2019-03-10T00:00:00Z'), virkning: at('2019-04-01T00:00:00Z') }))!;
    expect(o.registreringer).toHaveLength(1);
    expect(iso(o.registreringer[0].tidspunkt!)).toBe(iso(KORSBAEK.importTidspunkt));
    expect(names(o.registreringer[0])).toEqual([renamed.oldName]);
  });

  it('a registration period returns every registration overlapping it, oldest first', async () => {
    const o = (await em.client.laes('OrganisationEnhed', renamed.unit, { registrering: { fra: FAR_PAST, til: null } }))!;
    expect(o.registreringer.map((r) => iso(r.tidspunkt!))).toEqual([iso(KORSBAEK.importTidspunkt), iso(renamed.registreret)]);
    const onlyFirst = (await em.client.laes('OrganisationEnhed', renamed.unit, { registrering: { fra: FAR_PAST, til: '2017-01-01T00:00:00Z' } }))!;
    expect(onlyFirst.registreringer).toHaveLength(1);
  });

  it('before the object was registered it is 44', async () => {
    expect(await em.client.laes('OrganisationEnhed', renamed.unit, { registrering: at('2015-06-01T00:00:00Z') })).toBeNull();
  });

  it('a virkning window with no rows still returns the registration, with empty lists', async () => {
    const o = (await em.client.laes('OrganisationEnhed', renamed.unit, { virkning: at('2010-01-01T00:00:00Z') }))!;
    expect(newest(o).egenskaber).toEqual([]);
    expect(newest(o).relationer).toEqual([]);
  });
});

describe('List over the move of Ungeteamet (a 0..1 relation with two rows)', () => {
  it('an interval spanning the move gives one Registrering element per virkning slice', async () => {
    const res = await em.call(pathOf('OrganisationEnhed'), `<o:ListInput xmlns:o="${OE_NS}" xmlns:sd="${SD}">`
      + `<sd:UUIDIdentifikator>${moved.unit}</sd:UUIDIdentifikator><sd:UUIDIdentifikator>${units.jobcenter}</sd:UUIDIdentifikator>`
      + `<sd:VirkningFraFilter><sd:TidsstempelDatoTid>2022-06-01T00:00:00Z</sd:TidsstempelDatoTid></sd:VirkningFraFilter>`
      + `<sd:VirkningTilFilter><sd:TidsstempelDatoTid>2023-06-01T00:00:00Z</sd:TidsstempelDatoTid></sd:VirkningTilFilter></o:ListInput>`);
    expect(res.retur?.statusKode).toBe(20);
    expect(res.text.match(/<orgenhed:Registrering>/g)).toHaveLength(3); // two slices + Jobcenter's one
    // The project's client reads it as the same object with two registrations, one Overordnet each.
    const [ungeteamet, jobcenter] = await em.client.list('OrganisationEnhed', [moved.unit, units.jobcenter], { virkning: { fra: '2022-06-01T00:00:00Z', til: '2023-06-01T00:00:00Z' } });
    expect(jobcenter.registreringer).toHaveLength(1);
    expect(ungeteamet.registreringer).toHaveLength(2);
    expect(ungeteamet.registreringer.map((r) => refs(r, 'Overordnet'))).toEqual([[moved.oldParent], [moved.newParent]]);
    // Rows valid across the whole window (the name, Tilhoerer) are in both slices.
    expect(ungeteamet.registreringer.map((r) => refs(r, 'Tilhoerer'))).toEqual([[ORG], [ORG]]);
    expect(ungeteamet.registreringer.map((r) => iso(r.tidspunkt!))).toEqual([iso(moved.registreret), iso(moved.registreret)]);
  });

  it('at a virkning instant there is one Registrering with the parent of that time', async () => {
    const before = await em.client.list('OrganisationEnhed', [moved.unit], { virkning: at('2022-12-31T00:00:00Z') });
    expect(before[0].registreringer.map((r) => refs(r, 'Overordnet'))).toEqual([[moved.oldParent]]);
    const after = await em.client.list('OrganisationEnhed', [moved.unit], { virkning: at(moved.virkningFra) });
    expect(after[0].registreringer.map((r) => refs(r, 'Overordnet'))).toEqual([[moved.newParent]]);
  });

  it('registered 2022-12-15: a registration instant before it does not know of the move', async () => {
    const o = await em.client.list('OrganisationEnhed', [moved.unit], { registrering: at('2022-12-01T00:00:00Z'), virkning: at('2023-06-01T00:00:00Z') });
    expect(o[0].registreringer.map((r) => refs(r, 'Overordnet'))).toEqual([[moved.oldParent]]);
    const known = await em.client.list('OrganisationEnhed', [moved.unit], { registrering: at('2022-12-16T00:00:00Z'), virkning: at('2023-06-01T00:00:00Z') });
    expect(known[0].registreringer.map((r) => refs(r, 'Overordnet'))).toEqual([[moved.newParent]]);
  });

  it('without filters the whole registration is returned in two slices', async () => {
    const o = (await em.client.laes('OrganisationEnhed', moved.unit))!;
    expect(o.registreringer.map((r) => refs(r, 'Overordnet'))).toEqual([[moved.oldParent], [moved.newParent]]);
  });

  it('a registration period over both registrations gives the first one whole and the second one sliced', async () => {
    const o = (await em.client.laes('OrganisationEnhed', moved.unit, { registrering: { fra: FAR_PAST, til: null } }))!;
    expect(o.registreringer.map((r) => [iso(r.tidspunkt!), refs(r, 'Overordnet')])).toEqual([
      [iso(KORSBAEK.importTidspunkt), [moved.oldParent]],
      [iso(moved.registreret), [moved.oldParent]],
      [iso(moved.registreret), [moved.newParent]],
    ]);
  });
});

describe('Soeg', () => {
  const soeg = (criteria: Parameters<TestEmulator['client']['soeg']>[1], f?: Parameters<TestEmulator['client']['soeg']>[3], page = { offset: 0, limit: 100 }): Promise<string[]> =>
    em.client.soeg('OrganisationEnhed', criteria, page, f);

  it('by name: the name in effect now; an old name only with an older SoegVirkning or SoegRegistrering', async () => {
    expect(await soeg({ egenskaber: { EnhedNavn: renamed.newName } })).toEqual([renamed.unit]);
    expect(await soeg({ egenskaber: { EnhedNavn: renamed.oldName } })).toEqual([]);
    expect(await soeg({ egenskaber: { EnhedNavn: renamed.oldName } }, { virkning: at('2018-01-01T00:00:00Z') })).toEqual([renamed.unit]);
    expect(await soeg({ egenskaber: { EnhedNavn: renamed.newName } }, { virkning: at('2018-01-01T00:00:00Z') })).toEqual([]);
    // In the registration before the rename the old name holds for all virkning.
    expect(await soeg({ egenskaber: { EnhedNavn: renamed.oldName } }, { registrering: { fra: '2019-03-10T00:00:00Z', til: null } })).toEqual([renamed.unit]);
    // A virkning period matches rows overlapping it: both names.
    expect(await soeg({ egenskaber: { EnhedNavn: 'kontant*' } }, { virkning: { fra: '2019-01-01T00:00:00Z', til: '2020-01-01T00:00:00Z' } })).toEqual([renamed.unit]);
  });

  it('attribute wildcards * and ? are case-insensitive', async () => {
    expect(await soeg({ egenskaber: { EnhedNavn: 'KONTANTHJÆLP*' } })).toEqual([renamed.unit]);
    expect(await soeg({ egenskaber: { EnhedNavn: '?ngeteamet' } })).toEqual([moved.unit]);
    expect((await soeg({ egenskaber: { EnhedNavn: 'Sygedagpengeteam *' } })).sort()).toEqual([units.sygNord, units.sygSyd, units.sygVest].sort());
    expect(await soeg({ egenskaber: { EnhedNavn: '*borger*' } })).toEqual([units.borgerservice]);
    expect(await soeg({ egenskaber: { EnhedNavn: 'Ungeteam' } })).toEqual([]);
  });

  it('by state and relations (AND), at the default (now) and an older virkning', async () => {
    const all = await soeg({ gyldighed: 'Aktiv', relationer: [{ name: 'Tilhoerer', uuid: ORG }] });
    expect(all).toHaveLength(KORSBAEK.counts.units);
    expect(all).toEqual([...all].sort());
    expect(await soeg({ gyldighed: 'Inaktiv' })).toEqual([]);
    const children = [units.kontanthjaelp, units.ydelseskontoret, units.integration, units.tvaerfaglig].sort();
    expect(await soeg({ relationer: [{ name: 'Overordnet', uuid: units.ydelsescenteret }] })).toEqual(children);
    expect(await soeg({ relationer: [{ name: 'Overordnet', uuid: units.ydelsescenteret }] }, { virkning: at('2022-06-01T00:00:00Z') })).toEqual([...children, moved.unit].sort());
    expect(await soeg({ relationer: [{ name: 'Overordnet', uuid: units.ungeomraadet }] })).toEqual([moved.unit]);
    expect(await soeg({ relationer: [{ name: 'Overordnet', uuid: units.ungeomraadet }, { name: 'Enhedstype', uuid: KLASSER.ENHEDSTYPE_TEAM }] })).toEqual([moved.unit]);
    expect(await soeg({ relationer: [{ name: 'Overordnet', uuid: units.ungeomraadet }, { name: 'Enhedstype', uuid: KLASSER.ENHEDSTYPE_AFDELING }] })).toEqual([]);
    // A dynamic relation (Opgaver) with Rolle and Type.
    expect(await soeg({ relationer: [{ name: 'Opgaver', uuid: kleKlasseUuid('32.03'), rolle: KLASSER.OPGAVE_ROLLE_ANSVARLIG, type: KLASSER.OPGAVE_TYPE_KLASSE }] })).toEqual([units.kontaktcenteret]);
  });

  it('a relation criterion without ReferenceID matches any reference', async () => {
    const res = await em.call(pathOf('OrganisationEnhed'), `<o:SoegInput xmlns:o="${OE_NS}" xmlns:sd="${SD}"><o:AttributListe/><o:TilstandListe/><o:RelationListe><sd:TilknyttedeFunktioner/></o:RelationListe></o:SoegInput>`);
    expect(res.retur?.statusKode).toBe(20);
    expect(idListe(res.body!).sort()).toEqual([units.integration, units.tvaerfaglig, units.ungeteamet, units.ydelseskontoret, units.sygNord, units.sygSyd, units.sygVest].sort());
  });

  it('SoegRegistrering LivscyklusKode selects registrations with that code', async () => {
    const body = (lc: string): string => `<o:SoegInput xmlns:o="${OE_NS}" xmlns:sd="${SD}"><sd:SoegRegistrering><sd:LivscyklusKode>${lc}</sd:LivscyklusKode></sd:SoegRegistrering>`
      + `<o:AttributListe><o:Egenskab><sd:EnhedNavn>Ungeteamet</sd:EnhedNavn></o:Egenskab></o:AttributListe><o:TilstandListe/><o:RelationListe/></o:SoegInput>`;
    expect(idListe((await em.call(pathOf('OrganisationEnhed'), body('Importeret'))).body!)).toEqual([moved.unit]);
    const opst = await em.call(pathOf('OrganisationEnhed'), body('Opstaaet'));
    expect(opst.retur?.statusKode).toBe(44);
    const pass = await em.call(pathOf('OrganisationEnhed'), body('Passiveret'));
    expect(pass.retur?.statusKode).toBe(44);
  });

  it('pages with FoersteResultatReference/MaksimalAntalKvantitet: stable UUID order, no duplicates, no gaps', async () => {
    const all = await soeg({ relationer: [{ name: 'Tilhoerer', uuid: ORG }] });
    for (const size of [1, 3, 7]) {
      const seen: string[] = [];
      for (let offset = 0; ; offset += size) {
        const page = await soeg({ relationer: [{ name: 'Tilhoerer', uuid: ORG }] }, undefined, { offset, limit: size });
        if (page.length === 0) break;
        expect(page.length).toBeLessThanOrEqual(size);
        seen.push(...page);
      }
      expect(seen).toEqual(all);
    }
    // Without criteria (a scan of the type) the order is the same.
    const res = await em.call(pathOf('OrganisationEnhed'), `<o:SoegInput xmlns:o="${OE_NS}" xmlns:sd="${SD}"><sd:FoersteResultatReference>5</sd:FoersteResultatReference><sd:MaksimalAntalKvantitet>4</sd:MaksimalAntalKvantitet><o:AttributListe/><o:TilstandListe/><o:RelationListe/></o:SoegInput>`);
    expect(idListe(res.body!)).toEqual(all.slice(5, 9));
    const beyond = await em.call(pathOf('OrganisationEnhed'), `<o:SoegInput xmlns:o="${OE_NS}" xmlns:sd="${SD}"><sd:FoersteResultatReference>500</sd:FoersteResultatReference><o:AttributListe/><o:TilstandListe/><o:RelationListe/></o:SoegInput>`);
    expect(beyond.retur?.statusKode).toBe(44);
  });

  it('a page size above the maximum is 40 naming MaksimalAntalKvantitet', async () => {
    const res = await em.call(pathOf('OrganisationEnhed'), `<o:SoegInput xmlns:o="${OE_NS}" xmlns:sd="${SD}"><sd:MaksimalAntalKvantitet>100000</sd:MaksimalAntalKvantitet><o:AttributListe/><o:TilstandListe/><o:RelationListe/></o:SoegInput>`);
    expect(res.retur?.statusKode).toBe(40);
    expect(res.retur?.fejlbeskedTekst).toContain('MaksimalAntalKvantitet');
  });

  it('OrganisationFunktion by Funktionstype and TilknyttedeEnheder', async () => {
    const hits = await em.client.soeg('OrganisationFunktion', { gyldighed: 'Aktiv', relationer: [
      { name: 'Funktionstype', uuid: KLASSER.FUNKTIONSTYPE_ENHEDSROLLE }, { name: 'TilknyttedeEnheder', uuid: units.kontanthjaelp },
    ] }, { offset: 0, limit: 50 });
    expect(hits.sort()).toEqual(['596db1d4-b40c-411a-963b-f04e78345788', '655fcb60-d0ff-44fe-ad08-d6163735e0d8', KORSBAEK.vacantPosition].sort());
  });

  it('Person by CPR and Bruger by name', async () => {
    expect(await em.client.soeg('Person', { egenskaber: { 'CPR-NummerTekst': '0808771234' } }, { offset: 0, limit: 5 })).toEqual(['486b0841-31b5-4e6b-bc5c-581e65b08a45']);
    expect(await em.client.soeg('Bruger', { egenskaber: { BrugerNavn: 'ibol' } }, { offset: 0, limit: 5 })).toEqual([KORSBAEK.brugere.IBOL]);
  });
});

describe('Ret merge rules (each Ret is a new registration; the old ones stay)', () => {
  let uuid = '';
  const v0 = { fra: '2020-01-01T00:00:00.000Z', til: null };
  const CUT = '2025-01-01T00:00:00.000Z';
  const history = async (): Promise<Registrering[]> => (await em.client.laes('OrganisationEnhed', uuid, { registrering: { fra: FAR_PAST, til: null }, virkning: { fra: null, til: null } }))!.registreringer;
  const current = async (): Promise<Registrering[]> => (await em.client.laes('OrganisationEnhed', uuid))!.registreringer;
  const rows = (regs: Registrering[], name: string): Array<[string | undefined, string | null, string | null]> => {
    const seen = new Map<string, [string | undefined, string | null, string | null]>();
    for (const r of regs) for (const x of r.relationer.filter((y) => y.name === name)) seen.set(JSON.stringify([x.ref.uuid, x.indeks, x.virkning.fra, x.virkning.til]), [x.ref.uuid, x.virkning.fra, x.virkning.til]);
    return [...seen.values()];
  };

  beforeAll(async () => {
    uuid = await em.client.opret('OrganisationEnhed', {
      egenskaber: [{ virkning: v0, values: { BrugervendtNoegleTekst: 'Merge', EnhedNavn: 'Merge' } }],
      tilstande: [{ virkning: v0, value: 'Aktiv' }],
      relationer: [
        { name: 'Overordnet', virkning: v0, ref: { uuid: units.kommune } },
        { name: 'Tilhoerer', virkning: v0, ref: { uuid: ORG } },
        { name: 'TilknyttedeFunktioner', virkning: v0, ref: { uuid: KORSBAEK.udbetalendeEnhed.funktion } },
        { name: 'Adresser', virkning: v0, ref: { uuid: randomUUID() }, rolle: { uuid: randomUUID() }, type: { uuid: randomUUID() }, indeks: 'a' },
      ],
    });
  });

  it('a 0..1 relation from a date: the old row is clipped, the new row starts; the wire slices the registration', async () => {
    expect((await em.client.ret('OrganisationEnhed', uuid, { relationer: [{ name: 'Overordnet', virkning: { fra: CUT, til: null }, ref: { uuid: units.borgerservice } }] })).statusKode).toBe(20);
    const regs = await current();
    expect(regs).toHaveLength(2);
    expect(rows(regs, 'Overordnet')).toEqual([[units.kommune, v0.fra, CUT], [units.borgerservice, CUT, null]]);
    expect(rows(regs, 'Tilhoerer')).toEqual([[ORG, v0.fra, null]]);
  });

  it('a 0..n relation resent with TilTidspunkt is ended; a new reference is added', async () => {
    const other = randomUUID();
    expect((await em.client.ret('OrganisationEnhed', uuid, { relationer: [
      { name: 'TilknyttedeFunktioner', virkning: { fra: v0.fra, til: CUT }, ref: { uuid: KORSBAEK.udbetalendeEnhed.funktion } },
      { name: 'TilknyttedeFunktioner', virkning: { fra: CUT, til: null }, ref: { uuid: other } },
    ] })).statusKode).toBe(20);
    const regs = await current();
    expect(rows(regs, 'TilknyttedeFunktioner')).toEqual([[KORSBAEK.udbetalendeEnhed.funktion, v0.fra, CUT], [other, CUT, null]]);
    // Overordnet (not sent) is unchanged.
    expect(rows(regs, 'Overordnet')).toEqual([[units.kommune, v0.fra, CUT], [units.borgerservice, CUT, null]]);
    // Searching at a virkning after the cut finds it by the new function only.
    expect(await em.client.soeg('OrganisationEnhed', { relationer: [{ name: 'TilknyttedeFunktioner', uuid: other }] }, { offset: 0, limit: 5 }, { virkning: at('2026-01-01T00:00:00Z') })).toEqual([uuid]);
  });

  it('a dynamic relation with the same reference and Indeks is replaced, another Indeks is added', async () => {
    const adr = (await current())[0].relationer.find((r) => r.name === 'Adresser')!;
    const replaced: Relation = { ...adr, virkning: { fra: v0.fra, til: CUT } };
    const added: Relation = { ...adr, indeks: 'b', virkning: { fra: CUT, til: null } };
    expect((await em.client.ret('OrganisationEnhed', uuid, { relationer: [replaced, added] })).statusKode).toBe(20);
    const got = (await current()).flatMap((r) => r.relationer).filter((r) => r.name === 'Adresser');
    expect([...new Set(got.map((r) => JSON.stringify([r.indeks, r.virkning.fra, r.virkning.til])))]).toEqual([JSON.stringify(['a', v0.fra, CUT]), JSON.stringify(['b', CUT, null])]);
  });

  it('Tilstand: Inaktiv from a date clips Aktiv', async () => {
    expect((await em.client.ret('OrganisationEnhed', uuid, { tilstande: [{ virkning: { fra: CUT, til: null }, value: 'Inaktiv' }] })).statusKode).toBe(20);
    const t = uniq((await current()).flatMap((r) => r.tilstande).map((x) => [x.value, x.virkning.fra, x.virkning.til]));
    expect(t).toEqual([['Aktiv', v0.fra, CUT], ['Inaktiv', CUT, null]]);
    expect(await em.client.soeg('OrganisationEnhed', { egenskaber: { EnhedNavn: 'Merge' }, gyldighed: 'Inaktiv' }, { offset: 0, limit: 5 }, { virkning: at('2026-01-01T00:00:00Z') })).toEqual([uuid]);
    expect(await em.client.soeg('OrganisationEnhed', { egenskaber: { EnhedNavn: 'Merge' }, gyldighed: 'Aktiv' }, { offset: 0, limit: 5 }, { virkning: at('2026-01-01T00:00:00Z') })).toEqual([]);
  });

  it('Egenskab inside an older row: the row is split around it', async () => {
    expect((await em.client.ret('OrganisationEnhed', uuid, { egenskaber: [{ virkning: { fra: '2021-01-01T00:00:00.000Z', til: '2022-01-01T00:00:00.000Z' }, values: { BrugervendtNoegleTekst: 'Merge', EnhedNavn: 'Midlertidig' } }] })).statusKode).toBe(20);
    const e = uniq((await current()).flatMap((r) => r.egenskaber).map((x) => [x.values.EnhedNavn, x.virkning.fra, x.virkning.til]));
    expect(e).toEqual([['Merge', v0.fra, '2021-01-01T00:00:00.000Z'], ['Merge', '2022-01-01T00:00:00.000Z', null], ['Midlertidig', '2021-01-01T00:00:00.000Z', '2022-01-01T00:00:00.000Z']]);
  });

  it('every Ret made a registration and kept the older ones (read by registration time)', async () => {
    const h = await history();
    // opret + 5 ret; the second one (Overordnet moved) is sliced in two on the wire.
    const times = [...new Set(h.map((r) => r.tidspunkt))];
    expect(times).toHaveLength(6);
    expect(times).toEqual([...times].sort((a, b) => Date.parse(a!) - Date.parse(b!)));
    const first = (await em.client.laes('OrganisationEnhed', uuid, { registrering: at(times[0]!) }))!;
    expect(rows(first.registreringer, 'Overordnet')).toEqual([[units.kommune, v0.fra, null]]);
    expect(first.registreringer[0].livscyklus).toBe('Opstaaet');
    // The time between two registrations reads the older one.
    const mid = new Date(Date.parse(times[3]!) - 1).toISOString();
    const third = (await em.client.laes('OrganisationEnhed', uuid, { registrering: at(mid) }))!;
    expect(third.registreringer.every((r) => r.tidspunkt === times[2])).toBe(true);
  });

  it('two rows of a 0..1 relation in one Ret are 40; nothing is written', async () => {
    const before = (await history()).length;
    const res = await em.hostile(() => em.client.ret('OrganisationEnhed', uuid, { relationer: [
      { name: 'Tilhoerer', virkning: { fra: v0.fra, til: CUT }, ref: { uuid: ORG } },
      { name: 'Tilhoerer', virkning: { fra: CUT, til: null }, ref: { uuid: randomUUID() } },
    ] }));
    expect(res.statusKode).toBe(40);
    expect(res.fejlbeskedTekst).toContain('Tilhoerer');
    expect((await history()).length).toBe(before);
  });

  it('an unknown relation target type is fine, but a relation this type lacks is 40', async () => {
    const res = await em.hostile(() => em.call(pathOf('OrganisationEnhed'), `<o:RetInput xmlns:o="${OE_NS}" xmlns:sd="${SD}"><sd:UUIDIdentifikator>${uuid}</sd:UUIDIdentifikator>`
      + `<o:RelationListe><sd:Funktionstype><sd:ReferenceID><sd:UUIDIdentifikator>${randomUUID()}</sd:UUIDIdentifikator></sd:ReferenceID></sd:Funktionstype></o:RelationListe></o:RetInput>`));
    expect(res.retur?.statusKode).toBe(40);
    expect(res.retur?.fejlbeskedTekst).toContain('Funktionstype');
  });
});

describe('edges of slicing, merging and importing', () => {
  const v = (fra: string | null, til: string | null = null): { fra: string | null; til: string | null } => ({ fra, til });
  const Y = (y: number): string => `${y}-01-01T00:00:00.000Z`;
  const navn = (n: string, fra: string | null, til: string | null = null) => ({ virkning: v(fra, til), values: { BrugervendtNoegleTekst: n, EnhedNavn: n } });

  it('the wire slices keep rows outside the span of the moving 0..1 relation, and stay inside a virkning window', async () => {
    const uuid = await em.client.opret('OrganisationEnhed', {
      egenskaber: [navn('Gammel', Y(2010), Y(2015)), navn('Ny', Y(2015))],
      tilstande: [{ virkning: v(Y(2010)), value: 'Aktiv' }],
      relationer: [{ name: 'Overordnet', virkning: v(Y(2016)), ref: { uuid: units.kommune } }],
    });
    expect((await em.client.ret('OrganisationEnhed', uuid, { relationer: [{ name: 'Overordnet', virkning: v(Y(2023)), ref: { uuid: units.borgerservice } }] })).statusKode).toBe(20);
    const all = (await em.client.laes('OrganisationEnhed', uuid))!;
    expect(uniq(all.registreringer.flatMap((r) => r.egenskaber.map((e) => e.values.EnhedNavn)))).toEqual(['Gammel', 'Ny']);
    expect(all.registreringer.map((r) => refs(r, 'Overordnet'))).toEqual([[], [units.kommune], [units.borgerservice]]);
    const window = (await em.client.laes('OrganisationEnhed', uuid, { virkning: { fra: Y(2022), til: Y(2024) } }))!;
    expect(window.registreringer.map((r) => refs(r, 'Overordnet'))).toEqual([[units.kommune], [units.borgerservice]]);
  });

  it('resending a 0..n relation\'s rows unchanged keeps them; a row overlapping one of them replaces only that one', async () => {
    const F = randomUUID();
    const uuid = await em.client.opret('OrganisationEnhed', {
      egenskaber: [navn('Fler', Y(2020))], tilstande: [],
      relationer: [{ name: 'TilknyttedeFunktioner', virkning: v(Y(2020), Y(2022)), ref: { uuid: F } }, { name: 'TilknyttedeFunktioner', virkning: v(Y(2024)), ref: { uuid: F } }],
    });
    const rowsOf = async (): Promise<unknown[]> => (await em.client.laes('OrganisationEnhed', uuid))!.registreringer[0].relationer.map((r) => [r.ref.uuid, r.virkning.fra, r.virkning.til]);
    const before = await rowsOf();
    expect(before).toEqual([[F, Y(2020), Y(2022)], [F, Y(2024), null]]);
    const sent = (await em.client.laes('OrganisationEnhed', uuid))!.registreringer[0].relationer;
    expect((await em.client.ret('OrganisationEnhed', uuid, { relationer: sent })).statusKode).toBe(20);
    expect(await rowsOf()).toEqual(before);
    expect((await em.client.ret('OrganisationEnhed', uuid, { relationer: [{ name: 'TilknyttedeFunktioner', virkning: v(Y(2024), Y(2026)), ref: { uuid: F } }] })).statusKode).toBe(20);
    expect(await rowsOf()).toEqual([[F, Y(2020), Y(2022)], [F, Y(2024), Y(2026)]]);
  });

  it('importer of an object with history imports its newest registration (given as wire slices)', async () => {
    const uuid = randomUUID();
    const base = { tilstande: [{ virkning: v(Y(2016)), value: 'Aktiv' }], livscyklus: 'Importeret' as const };
    const old: Registrering = { ...base, tidspunkt: Y(2019), egenskaber: [navn('Gammel', Y(2016))], relationer: [{ name: 'Overordnet', virkning: v(Y(2016)), ref: { uuid: units.kommune } }] };
    const slice1: Registrering = { ...base, tidspunkt: Y(2022), egenskaber: [navn('Ny', Y(2016))], relationer: [{ name: 'Overordnet', virkning: v(Y(2016), Y(2023)), ref: { uuid: units.kommune } }] };
    const slice2: Registrering = { ...slice1, relationer: [{ name: 'Overordnet', virkning: v(Y(2023)), ref: { uuid: units.borgerservice } }] };
    expect((await em.client.importer('OrganisationEnhed', { uuid, registreringer: [old, slice1, slice2] })).statusKode).toBe(20);
    const got = (await em.client.laes('OrganisationEnhed', uuid))!;
    expect(got.registreringer.map((r) => refs(r, 'Overordnet'))).toEqual([[units.kommune], [units.borgerservice]]);
    expect(uniq(got.registreringer.flatMap((r) => r.egenskaber.map((e) => e.values.EnhedNavn)))).toEqual(['Ny']);
  });

  it('an attribute criterion starting with { is a criterion like any other', async () => {
    expect(await em.client.soeg('OrganisationEnhed', { egenskaber: { EnhedNavn: '{findes ikke}' } }, { offset: 0, limit: 5 })).toEqual([]);
  });
});

describe('SF1514 Klasse (KLE)', () => {
  const kle = (n: string): string => kleKlasseUuid(n);

  it('laes returns the class with its title, BVN, facet and parent', async () => {
    const o = (await em.client.laes('Klasse', kle('32.00')))!;
    const r = newest(o);
    expect(r.egenskaber[0].values.BrugervendtNoegleTekst).toBe('32.00');
    expect(typeof r.egenskaber[0].values.TitelTekst).toBe('string');
    expect(refs(r, 'OverordnetKlasse')).toEqual([kle('32')]);
    expect(r.tilstande.map((t) => t.value)).toEqual(['true']);
  });

  it('list returns several classes, unknown UUIDs left out', async () => {
    const got = await em.client.list('Klasse', [kle('32'), randomUUID(), kle('32.03'), kle('32.06')]);
    expect(got.map((o) => newest(o).egenskaber[0].values.BrugervendtNoegleTekst)).toEqual(['32', '32.03', '32.06']);
  });

  it('soeg by BVN wildcard and by OverordnetKlasse, paged', async () => {
    const children = await em.client.soeg('Klasse', { relationer: [{ name: 'OverordnetKlasse', uuid: kle('32') }] }, { offset: 0, limit: 1000 });
    expect(children).toContain(kle('32.00'));
    const wild = await em.client.soeg('Klasse', { egenskaber: { BrugervendtNoegleTekst: '32.??' } }, { offset: 0, limit: 1000 });
    expect(wild.sort()).toEqual(children.sort());
    const p1 = await em.client.soeg('Klasse', { egenskaber: { BrugervendtNoegleTekst: '32.??' } }, { offset: 0, limit: 2 });
    const p2 = await em.client.soeg('Klasse', { egenskaber: { BrugervendtNoegleTekst: '32.??' } }, { offset: 2, limit: 2 });
    expect([...p1, ...p2]).toEqual(wild.sort().slice(0, 4));
  });

  it('importer of an existing class is 49, of a new one 20', async () => {
    const existing = (await em.client.laes('Klasse', kle('32.03')))!;
    expect((await em.client.importer('Klasse', existing)).statusKode).toBe(49);
    const fresh: Objekt = { uuid: randomUUID(), registreringer: [{ ...newest(existing), egenskaber: [{ virkning: { fra: FAR_PAST, til: null }, values: { BrugervendtNoegleTekst: '99.99.99', TitelTekst: 'Testklasse' } }] }] };
    expect((await em.client.importer('Klasse', fresh)).statusKode).toBe(20);
    expect(await em.client.soeg('Klasse', { egenskaber: { TitelTekst: 'testklasse' } }, { offset: 0, limit: 5 })).toEqual([fresh.uuid]);
  });
});

(contract ? describe : describe.skip)('wire', () => {
  it('every request and answer of this file validates against the official XSDs', async () => {
    expect(em.exchanges.length).toBeGreaterThan(50);
    expect(await invalidMessages(em.exchanges)).toEqual([]);
  });
});
