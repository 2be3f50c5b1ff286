/**
 * OrganisationSystem (fremsoegobjekthierarki, import, anonymiser) and OrganisationAdministration (fysiskslet)
 * of the local SF1500 over real HTTP on the Korsbæk seed. Every request and answer is validated against
 * KOMBIT's official XSDs.
 */
import { randomUUID } from 'crypto';
import { KORSBAEK } from '../../src/emulator/seed';
import { HIERARCHY_LISTS, NS, objectType, type ObjectTypeName, type Objekt, type Registrering } from '../../src/model';
import { writeObjektElement } from '../../src/wire/codec';
import { childrenOf } from '../../src/xml/reader';
import { invalidMessages, iso, pathOf, SD, newest, refs, startTestEmulator, type TestEmulator } from '../support/soap';
import { requireOfficialContract } from '../support/xsd';

const contract = requireOfficialContract();
const { organisation: ORG, units, renamed, moved } = KORSBAEK;
const SYS = pathOf('organisationsystem');
const ADM = pathOf('organisationadministration');
const ORGSYS = NS.orgsys;
const ORGADM = NS.orgadm;
const FAR_PAST = '2000-01-01T00:00:00.000Z';
const at = (t: string): { fra: string; til: string } => ({ fra: t, til: t });

let em: TestEmulator;
beforeAll(async () => {
  em = await startTestEmulator();
});
afterAll(async () => {
  await em?.close();
});

/** Every object of every list, paging with `size` until a page has all six lists empty. */
async function allPages(size: number, f?: Parameters<TestEmulator['client']['fremsoeg']>[1]): Promise<{ pages: number; lists: Map<ObjectTypeName, Objekt[]> }> {
  const lists = new Map<ObjectTypeName, Objekt[]>(HIERARCHY_LISTS.map((l) => [l.type, []]));
  let pages = 0;
  for (let offset = 0; ; offset += size) {
    const page = await em.client.fremsoeg({ offset, limit: size }, f);
    let n = 0;
    for (const [type, objs] of page.lists) {
      expect(objs.length).toBeLessThanOrEqual(size);
      lists.get(type)!.push(...objs);
      n += objs.length;
    }
    if (n === 0) break;
    pages++;
  }
  return { pages, lists };
}

describe('fremsoegobjekthierarki', () => {
  it('returns the six lists in wire order, Person/Adresse never', async () => {
    const res = await em.call(SYS, `<s:FremsoegObjekthierarkiInput xmlns:s="${ORGSYS}" xmlns:sd="${SD}"><sd:FoersteResultatReference>0</sd:FoersteResultatReference><sd:MaksimalAntalKvantitet>500</sd:MaksimalAntalKvantitet></s:FremsoegObjekthierarkiInput>`);
    expect(res.retur?.statusKode).toBe(20);
    expect(res.body!.children.map((c) => c.name)).toEqual(['StandardRetur', ...HIERARCHY_LISTS.map((l) => l.element)]);
    const count = (element: string): number => childrenOf(res.body!.children.find((c) => c.name === element)!, ORGSYS, 'FiltreretOejebliksbillede').length;
    expect(count('Organisationer')).toBe(1);
    expect(count('OrganisationEnheder')).toBe(KORSBAEK.counts.units);
    expect(count('OrganisationFunktioner')).toBe(KORSBAEK.counts.functions);
    expect(count('Brugere')).toBe(KORSBAEK.counts.users);
    expect(count('Interessefaellesskaber')).toBe(0);
    expect(count('ItSystemer')).toBe(0);
  });

  it('pages each list with the same offset and size: stable UUID order, no duplicates, no gaps', async () => {
    const whole = await allPages(1000);
    expect(whole.pages).toBe(1);
    for (const size of [1, 4, 7]) {
      const paged = await allPages(size);
      expect(paged.pages).toBe(Math.ceil(KORSBAEK.counts.units / size));
      for (const l of HIERARCHY_LISTS) {
        const uuids = paged.lists.get(l.type)!.map((o) => o.uuid);
        expect(uuids).toEqual(whole.lists.get(l.type)!.map((o) => o.uuid));
        expect(uuids).toEqual([...uuids].sort());
        expect(new Set(uuids).size).toBe(uuids.length);
      }
    }
  });

  it('holds the registration and virkning of now by default; SoegVirkning and SoegRegistrering look back', async () => {
    const unit = (lists: Map<ObjectTypeName, Objekt[]>, uuid: string): Registrering[] => lists.get('OrganisationEnhed')!.find((o) => o.uuid === uuid)!.registreringer;
    const now = (await allPages(500)).lists;
    expect(unit(now, moved.unit).map((r) => refs(r, 'Overordnet'))).toEqual([[moved.newParent]]);
    expect(unit(now, renamed.unit).flatMap((r) => r.egenskaber.map((e) => e.values.EnhedNavn))).toEqual([renamed.newName]);
    const before = (await allPages(500, { virkning: at('2022-06-01T00:00:00Z') })).lists;
    expect(unit(before, moved.unit).map((r) => refs(r, 'Overordnet'))).toEqual([[moved.oldParent]]);
    const oldReg = (await allPages(500, { registrering: { fra: '2019-03-10T00:00:00Z', til: null }, virkning: at('2020-01-01T00:00:00Z') })).lists;
    const r = unit(oldReg, renamed.unit);
    expect(r.flatMap((x) => x.egenskaber.map((e) => e.values.EnhedNavn))).toEqual([renamed.oldName]);
    expect(iso(r[0].tidspunkt!)).toBe(iso(KORSBAEK.importTidspunkt));
    // Before the import nothing existed.
    const empty = await allPages(500, { registrering: { fra: '2015-01-01T00:00:00Z', til: null } });
    expect(empty.pages).toBe(0);
  });

  it('filters a list by its SoegEgenskab (with wildcards)', async () => {
    const res = await em.call(SYS, `<s:FremsoegObjekthierarkiInput xmlns:s="${ORGSYS}" xmlns:sd="${SD}"><s:OrganisationEnhedSoegEgenskab><sd:EnhedNavn>Sygedagpengeteam*</sd:EnhedNavn></s:OrganisationEnhedSoegEgenskab><s:BrugerSoegEgenskab><sd:BrugerNavn>IBOL</sd:BrugerNavn></s:BrugerSoegEgenskab></s:FremsoegObjekthierarkiInput>`);
    expect(res.retur?.statusKode).toBe(20);
    const uuids = (element: string): string[] => childrenOf(res.body!.children.find((c) => c.name === element)!, ORGSYS, 'FiltreretOejebliksbillede')
      .map((f) => f.children[0].children[0].text);
    expect(uuids('OrganisationEnheder').sort()).toEqual([units.sygNord, units.sygSyd, units.sygVest].sort());
    expect(uuids('Brugere')).toEqual([KORSBAEK.brugere.IBOL]);
  });

  it('leaves passivated objects out', async () => {
    const uuid = await em.client.opret('OrganisationEnhed', {
      egenskaber: [{ virkning: { fra: FAR_PAST, til: null }, values: { BrugervendtNoegleTekst: 'Midlertidig', EnhedNavn: 'Midlertidig' } }],
      tilstande: [{ virkning: { fra: FAR_PAST, til: null }, value: 'Aktiv' }],
      relationer: [{ name: 'Tilhoerer', virkning: { fra: FAR_PAST, til: null }, ref: { uuid: ORG } }],
    });
    expect((await allPages(500)).lists.get('OrganisationEnhed')!.map((o) => o.uuid)).toContain(uuid);
    expect((await em.client.passiver('OrganisationEnhed', uuid)).statusKode).toBe(20);
    expect((await allPages(500)).lists.get('OrganisationEnhed')!.map((o) => o.uuid)).not.toContain(uuid);
  });
});

describe('import (ImporterOrganisationSystemInput)', () => {
  const orgSpec = objectType('Organisation');
  const oeSpec = objectType('OrganisationEnhed');
  const v = { fra: '2024-01-01T00:00:00.000Z', til: null };
  const newOrg = randomUUID();
  const root = randomUUID();
  const child = randomUUID();
  const orgObj = (navn: string): Objekt => ({ uuid: newOrg, registreringer: [{ livscyklus: 'Importeret', egenskaber: [{ virkning: v, values: { BrugervendtNoegleTekst: navn, OrganisationNavn: navn } }], tilstande: [{ virkning: v, value: 'Aktiv' }], relationer: [{ name: 'Overordnet', virkning: v, ref: { uuid: root } }] }] });
  const oeObj = (uuid: string, navn: string, parent?: string): Objekt => ({ uuid, registreringer: [{ livscyklus: 'Importeret', egenskaber: [{ virkning: v, values: { BrugervendtNoegleTekst: navn, EnhedNavn: navn } }], tilstande: [{ virkning: v, value: 'Aktiv' }],
    relationer: [...(parent ? [{ name: 'Overordnet', virkning: v, ref: { uuid: parent } }] : []), { name: 'Tilhoerer', virkning: v, ref: { uuid: newOrg } }] }] });
  const importInput = (org: Objekt, oes: Objekt[]): string => `<s:ImporterOrganisationSystemInput xmlns:s="${ORGSYS}" xmlns:sd="${SD}" xmlns:fael="${NS.fael}" xmlns:sts="${NS.sts}" xmlns:org="${orgSpec.namespace}" xmlns:orgenhed="${oeSpec.namespace}">`
    + writeObjektElement(orgSpec, org) + `<s:OrganisationEnhederInput>${oes.map((o) => writeObjektElement(oeSpec, o)).join('')}</s:OrganisationEnhederInput></s:ImporterOrganisationSystemInput>`;

  it('imports an organisation and its units, answering one UnikRetur per object', async () => {
    const res = await em.call(SYS, importInput(orgObj('Testkommune'), [oeObj(root, 'Rod'), oeObj(child, 'Barn', root)]));
    expect(res.fault).toBeUndefined();
    const unik = childrenOf(res.body!, SD, 'UnikRetur').map((u) => u.children.map((c) => c.text));
    expect(unik).toEqual([['20', 'OK', 'Organisation', newOrg], ['20', 'OK', 'OrganisationEnhed', root], ['20', 'OK', 'OrganisationEnhed', child]]);
    const o = (await em.client.laes('Organisation', newOrg))!;
    expect(newest(o).livscyklus).toBe('Importeret');
    expect(refs(newest(o), 'Overordnet')).toEqual([root]);
    expect(refs(newest((await em.client.laes('OrganisationEnhed', child))!), 'Overordnet')).toEqual([root]);
    expect((await em.client.soeg('OrganisationEnhed', { relationer: [{ name: 'Tilhoerer', uuid: newOrg }] }, { offset: 0, limit: 10 })).sort()).toEqual([root, child].sort());
  });

  it('importing again gives existing objects a new registration with the imported content', async () => {
    const res = await em.call(SYS, importInput(orgObj('Testkommune 2'), [oeObj(child, 'Barn 2', root)]));
    expect(childrenOf(res.body!, SD, 'UnikRetur').map((u) => u.children[0].text)).toEqual(['20', '20']);
    const hist = (await em.client.laes('OrganisationEnhed', child, { registrering: { fra: FAR_PAST, til: null } }))!;
    expect(hist.registreringer.map((r) => r.egenskaber[0].values.EnhedNavn)).toEqual(['Barn', 'Barn 2']);
  });

  it('a broken unit rejects the whole import (40, nothing written)', async () => {
    const before = await em.sf.store.count('OrganisationEnhed');
    const other = randomUUID();
    const bad = oeObj(randomUUID(), 'Dobbelt', root);
    bad.registreringer[0].relationer.push({ name: 'Overordnet', virkning: { fra: '2025-01-01T00:00:00.000Z', til: null }, ref: { uuid: child } });
    const res = await em.hostile(() => em.call(SYS, importInput(orgObj('Ny'), [oeObj(other, 'God', root), bad])));
    expect(res.retur?.statusKode ?? childrenOf(res.body!, SD, 'StandardRetur')[0]?.children[0].text).toBeDefined();
    expect(res.text).toContain('<sd:StatusKode>40</sd:StatusKode>');
    expect(res.text).toContain('Overordnet');
    expect(await em.sf.store.count('OrganisationEnhed')).toBe(before);
    expect(await em.client.laes('OrganisationEnhed', other)).toBeNull();
    expect(newest((await em.client.laes('Organisation', newOrg))!).egenskaber[0].values.OrganisationNavn).toBe('Testkommune 2');
  });

  it('an Organisation without Registrering is 40', async () => {
    const res = await em.hostile(() => em.call(SYS, `<s:ImporterOrganisationSystemInput xmlns:s="${ORGSYS}" xmlns:sd="${SD}" xmlns:org="${orgSpec.namespace}"><org:Organisation><sd:UUIDIdentifikator>${randomUUID()}</sd:UUIDIdentifikator></org:Organisation><s:OrganisationEnhederInput/></s:ImporterOrganisationSystemInput>`));
    expect(res.text).toContain('<sd:StatusKode>40</sd:StatusKode>');
    expect(res.text).toContain('Registrering');
  });
});

describe('anonymiser', () => {
  const IBOL = { person: '486b0841-31b5-4e6b-bc5c-581e65b08a45', cpr: '0808771234', navn: 'Ib Olsen' };
  const LEHO = { person: '35412432-33b5-4d18-8dfe-49b69df8763b', cpr: '0909781234', navn: 'Lene Holm' };
  const history = async (uuid: string): Promise<Registrering[]> => (await em.client.laes('Person', uuid, { registrering: { fra: FAR_PAST, til: null } }))!.registreringer;
  const anon = (choice: string): Promise<Awaited<ReturnType<TestEmulator['call']>>> => em.call(SYS, `<s:AnonymiserInput xmlns:s="${ORGSYS}">${choice}</s:AnonymiserInput>`);

  beforeAll(async () => {
    // Give both persons a second registration (a new name from 2024), so "every registration" is tested.
    for (const p of [IBOL, LEHO]) {
      const r = await em.client.ret('Person', p.person, { egenskaber: [{ virkning: { fra: '2024-01-01T00:00:00.000Z', til: null }, values: { BrugervendtNoegleTekst: 'X', 'CPR-NummerTekst': p.cpr, NavnTekst: `${p.navn} Jr.` } }] });
      expect(r.statusKode).toBe(20);
    }
  });

  const expectAnonymised = async (p: typeof IBOL): Promise<void> => {
    const regs = await history(p.person);
    expect(regs).toHaveLength(2);
    for (const r of regs) {
      for (const e of r.egenskaber) {
        expect(e.values['CPR-NummerTekst']).toBeUndefined();
        expect(e.values.NavnTekst).toBe('Anonymiseret');
        expect(JSON.stringify(e)).not.toContain(p.navn);
      }
    }
    expect(await em.client.soeg('Person', { egenskaber: { 'CPR-NummerTekst': p.cpr } }, { offset: 0, limit: 5 })).toEqual([]);
    expect(await em.client.soeg('Person', { egenskaber: { NavnTekst: `${p.navn}*` } }, { offset: 0, limit: 5 }, { virkning: { fra: null, til: null } })).toEqual([]);
  };

  it('by PersonUUID: name and CPR are replaced in every registration', async () => {
    expect(await em.client.soeg('Person', { egenskaber: { 'CPR-NummerTekst': IBOL.cpr } }, { offset: 0, limit: 5 })).toEqual([IBOL.person]);
    const res = await anon(`<s:PersonUUID>${IBOL.person}</s:PersonUUID>`);
    expect(res.retur?.statusKode).toBe(20);
    await expectAnonymised(IBOL);
  });

  it('by PersonCPR', async () => {
    const res = await anon(`<s:PersonCPR>${LEHO.cpr}</s:PersonCPR>`);
    expect(res.retur?.statusKode).toBe(20);
    await expectAnonymised(LEHO);
    // Other persons are untouched.
    expect(await em.client.soeg('Person', { egenskaber: { 'CPR-NummerTekst': '1010791234' } }, { offset: 0, limit: 5 })).toEqual(['2a1f4960-2164-4564-90e9-5e7ec1da0b73']);
  });

  it('an unknown person is 44, by UUID or CPR', async () => {
    expect((await anon(`<s:PersonUUID>${randomUUID()}</s:PersonUUID>`)).retur?.statusKode).toBe(44);
    expect((await anon(`<s:PersonCPR>${LEHO.cpr}</s:PersonCPR>`)).retur?.statusKode).toBe(44);
  });

  it('a malformed CPR is 40 naming PersonCPR', async () => {
    const res = await em.hostile(() => anon('<s:PersonCPR>12345</s:PersonCPR>'));
    expect(res.retur?.statusKode).toBe(40);
    expect(res.retur?.fejlbeskedTekst).toContain('PersonCPR');
  });
});

describe('fysiskslet (OrganisationAdministration)', () => {
  const slet = (org: string, oe: string): Promise<Awaited<ReturnType<TestEmulator['call']>>> =>
    em.call(ADM, `<a:FysiskSletInput xmlns:a="${ORGADM}"><a:OrganisationUUID>${org}</a:OrganisationUUID><a:OrganisationEnhedUUID>${oe}</a:OrganisationEnhedUUID></a:FysiskSletInput>`);

  it('removes a unit of the organisation with all its registrations', async () => {
    const before = await em.sf.store.count('OrganisationEnhed');
    const res = await slet(ORG, units.sygVest);
    expect(res.retur?.statusKode).toBe(20);
    expect(await em.sf.store.count('OrganisationEnhed')).toBe(before - 1);
    expect(await em.client.laes('OrganisationEnhed', units.sygVest, { registrering: { fra: FAR_PAST, til: null } })).toBeNull();
    expect(await em.client.soeg('OrganisationEnhed', { egenskaber: { EnhedNavn: 'Sygedagpengeteam Vest' } }, { offset: 0, limit: 5 })).toEqual([]);
    expect((await allPages(500)).lists.get('OrganisationEnhed')!.map((o) => o.uuid)).not.toContain(units.sygVest);
  });

  it('a unit of another organisation is 40 and stays', async () => {
    const res = await slet(randomUUID(), units.sygSyd);
    expect(res.retur?.statusKode).toBe(40);
    expect(res.retur?.fejlbeskedTekst).toContain('OrganisationEnhedUUID');
    expect(await em.client.laes('OrganisationEnhed', units.sygSyd)).not.toBeNull();
  });

  it('an unknown unit is 44', async () => {
    expect((await slet(ORG, randomUUID())).retur?.statusKode).toBe(44);
    expect((await slet(ORG, units.sygVest)).retur?.statusKode).toBe(44);
  });
});

(contract ? describe : describe.skip)('wire', () => {
  it('every request and answer of this file validates against the official XSDs', async () => {
    expect(em.exchanges.length).toBeGreaterThan(40);
    expect(await invalidMessages(em.exchanges)).toEqual([]);
  });
});
