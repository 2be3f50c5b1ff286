/**
 * Every operation of every object service of the local SF1500 (the ten SF1500 services and SF1514 Klasse)
 * over real HTTP with the project's client: opret, laes, list, soeg, ret, importer, passiver, slet, with
 * their status codes; every request and answer is validated against KOMBIT's official XSDs.
 */
import { randomUUID } from 'crypto';
import { OBJECT_TYPES, type Egenskab, type ObjectTypeSpec, type Objekt, type Registrering, type Relation, type Tilstand } from '../../src/model';
import { Sf1500Error } from '../../src/sf1500/errors';
import { idListe, invalidMessages, pathOf, SD, startTestEmulator, type TestEmulator } from '../support/soap';
import { requireOfficialContract } from '../support/xsd';

const contract = requireOfficialContract();
const FRA = '2020-01-01T00:00:00.000Z';
const v = { fra: FRA, til: null };

/** A value for every attribute of a type (patterns and structured values respected). */
function values(spec: ObjectTypeSpec, tag: string): Egenskab['values'] {
  const out: Egenskab['values'] = {};
  for (const a of spec.attributes) {
    if (a.children) out[a.element] = [JSON.stringify({ SoegeordIdentifikator: `s-${tag}`, BeskrivelseTekst: 'b', SoegeordKategoriTekst: 'k' })];
    else if (a.pattern) out[a.element] = { 'CPR-NummerTekst': '0101701234', 'CVR-NummerTekst': '12345678', 'SE-NummerTekst': '87654321', 'P-NummerTekst': '1234567890', MyndighedsKode: '101' }[a.element]!;
    else if (a.element === 'BrugervendtNoegleTekst') out[a.element] = `bvn-${tag}`;
    else if (a.repeats) out[a.element] = [`${a.element} ${tag} 1`, `${a.element} ${tag} 2`];
    else out[a.element] = `${a.element} ${tag}`.length > (a.maxLength ?? Infinity) ? `T ${tag}` : `${a.element} ${tag}`;
  }
  return out;
}

/** One row of every relation the type has (dynamic ones with Rolle/Type/Indeks). */
function relationer(spec: ObjectTypeSpec): Relation[] {
  return spec.relations.map((r) => (r.dynamic
    ? { name: r.element, virkning: v, ref: { uuid: randomUUID() }, rolle: { uuid: randomUUID() }, type: { uuid: randomUUID() }, indeks: '1' }
    : { name: r.element, virkning: v, ref: { uuid: randomUUID() } }));
}

function lists(spec: ObjectTypeSpec, tag: string): { egenskaber: Egenskab[]; tilstande: Tilstand[]; relationer: Relation[] } {
  return {
    egenskaber: [{ virkning: v, values: values(spec, tag) }],
    tilstande: spec.state ? [{ virkning: v, value: spec.state.values[0] }] : [],
    relationer: relationer(spec),
  };
}

const norm = (r: Relation): string => JSON.stringify([r.name, r.ref.uuid, r.rolle?.uuid, r.type?.uuid, r.indeks ?? null]);
const newest = (o: Objekt): Registrering => o.registreringer[o.registreringer.length - 1];
const status = async (p: Promise<{ statusKode: number }>): Promise<number> => (await p).statusKode;

let em: TestEmulator;
beforeAll(async () => {
  em = await startTestEmulator({ seed: undefined });
});
afterAll(async () => {
  await em?.close();
});

describe.each(OBJECT_TYPES.map((s) => [s.name, s] as const))('%s service', (_name, spec) => {
  const type = spec.name;
  const tag = spec.service;
  let uuid = '';

  it('opret creates an object with a server-chosen UUID (Opstaaet), laes returns every list as written', async () => {
    const input = lists(spec, tag);
    uuid = await em.client.opret(type, input, 'oprettet af test');
    expect(uuid).toMatch(/^[0-9a-f-]{36}$/);
    const obj = await em.client.laes(type, uuid);
    expect(obj?.uuid).toBe(uuid);
    expect(obj!.registreringer).toHaveLength(1);
    const reg = obj!.registreringer[0];
    expect(reg.livscyklus).toBe('Opstaaet');
    expect(reg.noteTekst).toBe('oprettet af test');
    expect(reg.tidspunkt).toBeDefined();
    expect(reg.egenskaber).toHaveLength(1);
    expect(reg.egenskaber[0].values).toEqual(input.egenskaber[0].values);
    expect(reg.egenskaber[0].virkning).toMatchObject({ fra: FRA, til: null });
    expect(reg.tilstande.map((t) => t.value)).toEqual(input.tilstande.map((t) => t.value));
    expect(reg.relationer.map(norm).sort()).toEqual(input.relationer.map(norm).sort());
  });

  it('laes of an unknown UUID is 44 (the client maps it to null)', async () => {
    expect(await em.client.laes(type, randomUUID())).toBeNull();
    const raw = await em.call(pathOf(type), `<x:LaesInput xmlns:x="${spec.namespace}" xmlns:sd="${SD}"><sd:UUIDIdentifikator>${randomUUID()}</sd:UUIDIdentifikator></x:LaesInput>`);
    expect(raw.retur?.statusKode).toBe(44);
  });

  it('list returns the known objects and leaves unknown UUIDs out; only unknown UUIDs is 44', async () => {
    const other = await em.client.opret(type, lists(spec, `${tag}-2`));
    const found = await em.client.list(type, [uuid, randomUUID(), other, uuid]);
    expect(found.map((o) => o.uuid)).toEqual([uuid, other]);
    const raw = await em.call(pathOf(type), `<x:ListInput xmlns:x="${spec.namespace}" xmlns:sd="${SD}"><sd:UUIDIdentifikator>${randomUUID()}</sd:UUIDIdentifikator></x:ListInput>`);
    expect(raw.retur?.statusKode).toBe(44);
  });

  it('soeg finds by business key (exact, wildcard, case-insensitive) and by a relation; no hit is 44', async () => {
    expect(await em.client.soeg(type, { egenskaber: { BrugervendtNoegleTekst: `bvn-${tag}` } }, { offset: 0, limit: 10 })).toEqual([uuid]);
    const wild = await em.client.soeg(type, { egenskaber: { BrugervendtNoegleTekst: `BVN-${tag}*` } }, { offset: 0, limit: 10 });
    expect(wild).toContain(uuid);
    expect(wild).toHaveLength(2);
    const byName = await em.client.soeg(type, { egenskaber: { [spec.nameAttribute]: `*${tag}` } }, { offset: 0, limit: 10 });
    expect(byName).toEqual([uuid]);
    if (spec.state) {
      expect(await em.client.soeg(type, { egenskaber: { BrugervendtNoegleTekst: `bvn-${tag}` }, gyldighed: spec.state.values[0] as 'Aktiv' }, { offset: 0, limit: 10 })).toEqual([uuid]);
      expect(await em.client.soeg(type, { egenskaber: { BrugervendtNoegleTekst: `bvn-${tag}` }, gyldighed: spec.state.values[1] as 'Inaktiv' }, { offset: 0, limit: 10 })).toEqual([]);
    }
    const plain = (await em.client.laes(type, uuid))!.registreringer[0].relationer.find((r) => !r.rolle);
    if (plain) expect(await em.client.soeg(type, { relationer: [{ name: plain.name, uuid: plain.ref.uuid! }] }, { offset: 0, limit: 10 })).toEqual([uuid]);
    const dyn = (await em.client.laes(type, uuid))!.registreringer[0].relationer.find((r) => r.rolle);
    if (dyn) {
      expect(await em.client.soeg(type, { relationer: [{ name: dyn.name, uuid: dyn.ref.uuid!, rolle: dyn.rolle!.uuid, type: dyn.type!.uuid }] }, { offset: 0, limit: 10 })).toEqual([uuid]);
    }
    const none = await em.call(pathOf(type), `<x:SoegInput xmlns:x="${spec.namespace}" xmlns:sd="${SD}"><x:AttributListe><x:Egenskab><sd:BrugervendtNoegleTekst>findes-ikke</sd:BrugervendtNoegleTekst></x:Egenskab></x:AttributListe><x:TilstandListe/><x:RelationListe/></x:SoegInput>`);
    expect(none.retur?.statusKode).toBe(44);
    expect(idListe(none.body!)).toEqual([]);
  });

  it('ret adds a registration, keeps the old one, and merges only the lists it is given', async () => {
    const before = (await em.client.laes(type, uuid))!;
    const t0 = new Date(Date.parse(newest(before).tidspunkt!) + 1).toISOString();
    const renamed = { ...values(spec, tag), [spec.nameAttribute]: `Nyt navn ${tag}` };
    const cut = '2024-01-01T00:00:00.000Z';
    expect(await status(em.client.ret(type, uuid, { egenskaber: [{ virkning: { fra: cut, til: null }, values: renamed }] }, 'omdøbt'))).toBe(20);
    const after = (await em.client.laes(type, uuid))!;
    const reg = newest(after);
    expect(after.registreringer).toHaveLength(1);
    expect(reg.noteTekst).toBe('omdøbt');
    // The old name holds until the cut, the new one from it; tilstande and relationer are untouched.
    const rows = reg.egenskaber.map((e) => [e.virkning.fra, e.virkning.til, e.values[spec.nameAttribute]]);
    expect(rows).toEqual(expect.arrayContaining([[FRA, cut, `${spec.nameAttribute} ${tag}`], [cut, null, `Nyt navn ${tag}`]]));
    expect(reg.relationer.map(norm).sort()).toEqual(newest(before).relationer.map(norm).sort());
    expect(reg.tilstande).toEqual(newest(before).tilstande);
    // The first registration is still there, read by registration time.
    const old = (await em.client.laes(type, uuid, { registrering: { fra: t0, til: t0 } }))!;
    expect(old.registreringer).toHaveLength(1);
    expect(old.registreringer[0].noteTekst).toBe('oprettet af test');
    const all = (await em.client.laes(type, uuid, { registrering: { fra: '2000-01-01T00:00:00Z', til: null } }))!;
    expect(all.registreringer.map((r) => r.noteTekst)).toEqual(['oprettet af test', 'omdøbt']);
    // Virkning filter: the name at an instant before and after the cut.
    const early = (await em.client.laes(type, uuid, { virkning: { fra: '2022-01-01T00:00:00Z', til: '2022-01-01T00:00:00Z' } }))!;
    expect(newest(early).egenskaber.map((e) => e.values[spec.nameAttribute])).toEqual([`${spec.nameAttribute} ${tag}`]);
    const late = (await em.client.laes(type, uuid, { virkning: { fra: '2025-01-01T00:00:00Z', til: '2025-01-01T00:00:00Z' } }))!;
    expect(newest(late).egenskaber.map((e) => e.values[spec.nameAttribute])).toEqual([`Nyt navn ${tag}`]);
  });

  it('ret of an unknown UUID is 44', async () => {
    expect(await status(em.client.ret(type, randomUUID(), { egenskaber: [{ virkning: v, values: { BrugervendtNoegleTekst: 'x' } }] }))).toBe(44);
  });

  it('importer creates with the caller\'s UUID (Importeret); again is 49', async () => {
    const id = randomUUID();
    const reg: Registrering = { ...lists(spec, `${tag}-imp`), livscyklus: 'Importeret', tidspunkt: '2019-01-01T00:00:00.000Z' };
    expect(await status(em.client.importer(type, { uuid: id, registreringer: [reg] }))).toBe(20);
    const got = (await em.client.laes(type, id))!;
    expect(newest(got).livscyklus).toBe('Importeret');
    expect(newest(got).egenskaber[0].values).toEqual(reg.egenskaber[0].values);
    expect(await status(em.client.importer(type, { uuid: id, registreringer: [reg] }))).toBe(49);
  });

  it('passiver marks the object Passiveret: ret is then 49, passiver again 49, soeg leaves it out, importer is allowed again', async () => {
    expect(await status(em.client.passiver(type, uuid, 'fejl'))).toBe(20);
    const p = (await em.client.laes(type, uuid))!;
    expect(newest(p).livscyklus).toBe('Passiveret');
    expect(newest(p).noteTekst).toBe('fejl');
    expect(await status(em.client.ret(type, uuid, { egenskaber: [{ virkning: v, values: { BrugervendtNoegleTekst: 'x' } }] }))).toBe(49);
    expect(await status(em.client.passiver(type, uuid))).toBe(49);
    expect(await em.client.soeg(type, { egenskaber: { BrugervendtNoegleTekst: `bvn-${tag}` } }, { offset: 0, limit: 10 })).toEqual([]);
    const reg: Registrering = { ...lists(spec, `${tag}-re`), livscyklus: 'Importeret' };
    expect(await status(em.client.importer(type, { uuid, registreringer: [reg] }))).toBe(20);
    const back = (await em.client.laes(type, uuid))!;
    expect(newest(back).livscyklus).toBe('Importeret');
    expect(newest(back).egenskaber[0].values.BrugervendtNoegleTekst).toBe(`bvn-${tag}-re`);
    expect(await em.client.soeg(type, { egenskaber: { BrugervendtNoegleTekst: `bvn-${tag}-re` } }, { offset: 0, limit: 10 })).toEqual([uuid]);
  });

  it('slet marks the object Slettet; slet again and passiver are 44; soeg leaves it out', async () => {
    expect(await status(em.client.slet(type, uuid, 'væk'))).toBe(20);
    const s = (await em.client.laes(type, uuid))!;
    expect(newest(s).livscyklus).toBe('Slettet');
    expect(await status(em.client.slet(type, uuid))).toBe(44);
    expect(await status(em.client.passiver(type, uuid))).toBe(44);
    expect(await status(em.client.ret(type, uuid, { egenskaber: [] }))).toBe(49);
    expect(await em.client.soeg(type, { egenskaber: { BrugervendtNoegleTekst: `bvn-${tag}-re` } }, { offset: 0, limit: 10 })).toEqual([]);
    expect(await status(em.client.slet(type, randomUUID()))).toBe(44);
  });

  if (spec.opretListsOptional) {
    it('opret without any list is allowed for this type', async () => {
      const raw = await em.call(pathOf(type), `<x:OpretInput xmlns:x="${spec.namespace}" xmlns:sd="${SD}"><sd:NoteTekst>tom</sd:NoteTekst></x:OpretInput>`);
      expect(raw.retur?.statusKode).toBe(20);
    });
  } else {
    it('opret without AttributListe is 40 naming the field', async () => {
      const raw = await em.hostile(() => em.call(pathOf(type), `<x:OpretInput xmlns:x="${spec.namespace}" xmlns:sd="${SD}"><x:TilstandListe/><x:RelationListe/></x:OpretInput>`));
      expect(raw.retur?.statusKode).toBe(40);
      expect(raw.retur?.fejlbeskedTekst).toContain('AttributListe');
    });
  }
});

describe('client errors', () => {
  it('opret answering 40 surfaces as an Sf1500Error with the status', async () => {
    const spec = OBJECT_TYPES.find((s) => s.name === 'OrganisationEnhed')!;
    const bad = lists(spec, 'bad');
    bad.relationer.push({ name: 'Overordnet', virkning: v, ref: { uuid: randomUUID() } });
    await expect(em.hostile(() => em.client.opret('OrganisationEnhed', bad))).rejects.toMatchObject({ statusKode: 40 } as Partial<Sf1500Error>);
  });
});

(contract ? describe : describe.skip)('wire', () => {
  it('every request and answer of this file validates against the official XSDs', async () => {
    expect(em.exchanges.length).toBeGreaterThan(200);
    const invalid = await invalidMessages(em.exchanges);
    expect(invalid).toEqual([]);
  });
});
