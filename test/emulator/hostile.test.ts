/**
 * Hostile and broken input to the local SF1500 over real HTTP: each gets a SOAP 1.2 Fault (protocol level)
 * or StandardRetur 40 naming the field (contract level); nothing is written; the server keeps answering.
 * The answers that are not Faults are validated against KOMBIT's official XSDs (the requests are broken on
 * purpose and are checked to be XSD-invalid where the XSD can tell).
 */
import * as http from 'http';
import { randomUUID } from 'crypto';
import { korsbaekSeed, KORSBAEK } from '../../src/emulator/seed';
import { NS, OBJECT_TYPES, objectType } from '../../src/model';
import { envelope, HDR, invalidMessages, pathOf, readAnswer, SD, SOAP11, SOAP12, startTestEmulator, type SoapAnswer, type TestEmulator } from '../support/soap';
import { requireOfficialContract, validateMany } from '../support/xsd';

const contract = requireOfficialContract();
const OE = objectType('OrganisationEnhed');
const OE_PATH = pathOf('OrganisationEnhed');
const UNIT = KORSBAEK.units.borgerservice;
const MAX_BODY = 64 * 1024;
const MAX_ELEMENTS = 5000;

let em: TestEmulator;
/** Requests that must be rejected by the XSD too (checked in one batch at the end). */
const xsdInvalid: string[] = [];

beforeAll(async () => {
  em = await startTestEmulator({ seed: korsbaekSeed, http: { maxBodyBytes: MAX_BODY, maxElements: MAX_ELEMENTS } });
});
afterAll(async () => {
  await em?.close();
});

/** Total number of registrations in the store (every type, every object). */
async function registrations(): Promise<number> {
  let n = 0;
  for (const spec of OBJECT_TYPES) {
    const uuids = await em.sf.store.listUuids(spec.name, Infinity, 0, 1e6);
    for (const o of (await em.sf.store.getMany(spec.name, uuids)).values()) n += o.registreringer.length;
  }
  return n;
}

/** Runs a hostile exchange: nothing may be written, and a good Laes still works afterwards. */
async function hostile(fn: () => Promise<SoapAnswer>): Promise<SoapAnswer> {
  const before = await registrations();
  const res = await em.hostile(fn);
  expect(await registrations()).toBe(before);
  expect((await em.client.laes('OrganisationEnhed', UNIT))?.uuid).toBe(UNIT);
  return res;
}

const raw = (text: string, path = OE_PATH, contentType?: string): Promise<SoapAnswer> => hostile(async () => readAnswer(await em.post(path, text, contentType)));
const body = (xml: string, { path = OE_PATH, xsd = true } = {}): Promise<SoapAnswer> => {
  const env = envelope(xml);
  if (xsd) xsdInvalid.push(env);
  return hostile(async () => readAnswer(await em.post(path, env)));
};

const expectFault = (res: SoapAnswer, status: number, reason: RegExp): void => {
  expect(res.status).toBe(status);
  expect(res.fault?.code).toBe('soap:Sender');
  expect(res.fault?.reason).toMatch(reason);
};
const expect40 = (res: SoapAnswer, field: string): void => {
  expect(res.fault).toBeUndefined();
  expect(res.status).toBe(200);
  expect(res.retur?.statusKode).toBe(40);
  expect(res.retur?.fejlbeskedTekst).toContain(field);
};

const laes = (inner: string): string => `<o:LaesInput xmlns:o="${OE.namespace}" xmlns:sd="${SD}">${inner}</o:LaesInput>`;
const uuidEl = (u: string = UNIT): string => `<sd:UUIDIdentifikator>${u}</sd:UUIDIdentifikator>`;
const ts = (t: string): string => `<sd:TidsstempelDatoTid>${t}</sd:TidsstempelDatoTid>`;
const virkning = (fra: string, til: string): string => `<sd:Virkning><sd:FraTidspunkt>${ts(fra)}</sd:FraTidspunkt><sd:TilTidspunkt>${ts(til)}</sd:TilTidspunkt></sd:Virkning>`;
const V = virkning('2020-01-01T00:00:00Z', '2030-01-01T00:00:00Z');
const egenskab = (inner = `${V}<sd:BrugervendtNoegleTekst>X</sd:BrugervendtNoegleTekst><sd:EnhedNavn>X</sd:EnhedNavn>`): string => `<o:AttributListe><o:Egenskab>${inner}</o:Egenskab></o:AttributListe>`;
const tilstand = `<o:TilstandListe><fael:Gyldighed xmlns:fael="${NS.fael}">${V}<fael:GyldighedStatusKode>Aktiv</fael:GyldighedStatusKode></fael:Gyldighed></o:TilstandListe>`;
const relation = (name: string, u: string = randomUUID(), v = V): string => `<sd:${name}>${v}<sd:ReferenceID>${uuidEl(u)}</sd:ReferenceID></sd:${name}>`;
const opret = (lists: string): string => `<o:OpretInput xmlns:o="${OE.namespace}" xmlns:sd="${SD}">${lists}</o:OpretInput>`;
const ret = (lists: string): string => `<o:RetInput xmlns:o="${OE.namespace}" xmlns:sd="${SD}">${uuidEl()}${lists}</o:RetInput>`;

describe('XML and SOAP level: Faults', () => {
  it('malformed XML', async () => {
    expectFault(await raw(envelope(laes(uuidEl())).replace('</soap:Body>', '</soap:Bdy>')), 400, /malformed XML/);
    expectFault(await raw('not xml at all'), 400, /malformed XML|empty/);
    expectFault(await raw(''), 400, /malformed|empty/);
  });

  it('a DOCTYPE with entity expansion (billion laughs) is refused before any expansion', async () => {
    const lol = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
      + Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')
      + `]><soap:Envelope xmlns:soap="${SOAP12}"><soap:Body><x>&lol9;</x></soap:Body></soap:Envelope>`;
    const started = Date.now();
    expectFault(await raw(lol), 400, /DOCTYPE/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('an external entity (XXE) is refused and nothing of the file is echoed', async () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>`
      + envelope(laes(`<sd:UUIDIdentifikator>&xxe;</sd:UUIDIdentifikator>`)).replace(/^<\?xml[^>]*\?>/, '');
    const res = await raw(xxe);
    expectFault(res, 400, /DOCTYPE/);
    expect(res.text).not.toContain('root:');
  });

  it('a body over the size limit is 413 with a Fault (declared length)', async () => {
    const big = envelope(laes(uuidEl() + `<!--${'x'.repeat(MAX_BODY)}-->`));
    expectFault(await raw(big), 413, /exceeds/);
  });

  it('a body over the size limit is 413 with a Fault (chunked, no declared length)', async () => {
    const res = await hostile(() => new Promise<SoapAnswer>((resolve, reject) => {
      const req = http.request(em.url + OE_PATH, { method: 'POST', headers: { 'content-type': 'application/soap+xml', 'transfer-encoding': 'chunked' } }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => resolve(readAnswer({ status: r.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') })));
        r.on('error', reject);
      });
      req.on('error', reject);
      const chunk = 'x'.repeat(16 * 1024);
      let sent = 0;
      const write = (): void => {
        while (sent < MAX_BODY * 3) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', write);
        }
        req.end();
      };
      write();
    }));
    expectFault(res, 413, /exceeds/);
  });

  it('too deeply nested XML', async () => {
    const deep = '<a>'.repeat(200) + '</a>'.repeat(200);
    expectFault(await raw(envelope(laes(uuidEl() + deep))), 400, /too deep/);
  });

  it('too many elements', async () => {
    expectFault(await raw(envelope(laes(uuidEl() + '<a/>'.repeat(MAX_ELEMENTS + 10)))), 400, /too many elements/);
  });

  it('a body element in the wrong namespace (another service\'s, or none)', async () => {
    expectFault(await body(laes(uuidEl()).replace(OE.namespace, objectType('Bruger').namespace), { xsd: false }), 400, /namespace/);
    expectFault(await body(`<LaesInput>${uuidEl().replace('sd:', '').replace('sd:', '')}</LaesInput>`), 400, /namespace/);
  });

  it('an unknown operation element', async () => {
    expectFault(await body(`<o:SletAltInput xmlns:o="${OE.namespace}"/>`), 400, /SletAltInput/);
  });

  it('a SOAP 1.1 envelope', async () => {
    const soap11 = `<?xml version="1.0"?><s:Envelope xmlns:s="${SOAP11}"><s:Header><h:RequestHeader xmlns:h="${HDR}"><h:TransactionUUID>${randomUUID()}</h:TransactionUUID></h:RequestHeader></s:Header><s:Body>${laes(uuidEl())}</s:Body></s:Envelope>`;
    xsdInvalid.push(soap11);
    expectFault(await raw(soap11, OE_PATH, 'text/xml; charset=utf-8'), 400, /SOAP 1\.1/);
  });

  it('a missing RequestHeader or TransactionUUID', async () => {
    const noHeader = `<soap:Envelope xmlns:soap="${SOAP12}"><soap:Body>${laes(uuidEl())}</soap:Body></soap:Envelope>`;
    xsdInvalid.push(noHeader);
    expectFault(await raw(noHeader), 400, /RequestHeader/);
    const emptyHeader = `<soap:Envelope xmlns:soap="${SOAP12}" xmlns:hdr="${HDR}"><soap:Header><hdr:RequestHeader/></soap:Header><soap:Body>${laes(uuidEl())}</soap:Body></soap:Envelope>`;
    xsdInvalid.push(emptyHeader);
    expectFault(await raw(emptyHeader), 400, /TransactionUUID/);
  });

  it('an envelope without Body, or with two body elements', async () => {
    expectFault(await raw(`<soap:Envelope xmlns:soap="${SOAP12}"/>`), 400, /Body/);
    expectFault(await raw(envelope(laes(uuidEl()) + laes(uuidEl()))), 400, /exactly one/);
  });

  it('an unknown path and a wrong method', async () => {
    expectFault(await raw(envelope(laes(uuidEl())), '/organisation/findesikke/6/'), 404, /no SF1500 service/);
    const res = readAnswer(await (async () => {
      const r = await fetch(em.url + OE_PATH, { method: 'PUT', body: 'x' });
      return { status: r.status, text: await r.text() };
    })());
    expectFault(res, 405, /PUT/);
  });
});

describe('contract level: StandardRetur 40 naming the field', () => {
  it('LaesInput without UUIDIdentifikator', async () => {
    expect40(await body(laes('')), 'LaesInput/UUIDIdentifikator');
  });

  it('OpretInput without AttributListe', async () => {
    expect40(await body(opret(`${tilstand}<o:RelationListe/>`)), 'OpretInput/AttributListe');
  });

  it('bad UUIDs (Laes, List, a relation reference)', async () => {
    expect40(await body(laes(uuidEl('not-a-uuid'))), 'LaesInput/UUIDIdentifikator');
    expect40(await body(`<o:ListInput xmlns:o="${OE.namespace}" xmlns:sd="${SD}">${uuidEl()}${uuidEl('1234')}</o:ListInput>`), 'ListInput/UUIDIdentifikator[2]');
    expect40(await body(opret(egenskab() + tilstand + `<o:RelationListe>${relation('Overordnet', 'zz')}</o:RelationListe>`)), 'RelationListe/Overordnet/ReferenceID');
  });

  it('bad dates (not a date, a day the month lacks, an empty time)', async () => {
    expect40(await body(laes(uuidEl() + `<sd:VirkningFraFilter>${ts('i går')}</sd:VirkningFraFilter>`)), 'LaesInput/VirkningFraFilter');
    expect40(await body(opret(egenskab(`${virkning('2021-02-30T00:00:00Z', '2030-01-01T00:00:00Z')}<sd:EnhedNavn>X</sd:EnhedNavn>`) + tilstand + '<o:RelationListe/>')), 'Egenskab[1]/Virkning/FraTidspunkt');
    expect40(await body(laes(uuidEl() + '<sd:RegistreringFraFilter/>')), 'LaesInput/RegistreringFraFilter');
  });

  it('FraTidspunkt after TilTidspunkt (a Virkning, the Laes filters)', async () => {
    expect40(await body(opret(egenskab(`${virkning('2030-01-01T00:00:00Z', '2020-01-01T00:00:00Z')}<sd:EnhedNavn>X</sd:EnhedNavn>`) + tilstand + '<o:RelationListe/>'), { xsd: false }), 'Egenskab[1]/Virkning');
    expect40(await body(laes(uuidEl() + `<sd:VirkningFraFilter>${ts('2030-01-01T00:00:00Z')}</sd:VirkningFraFilter><sd:VirkningTilFilter>${ts('2020-01-01T00:00:00Z')}</sd:VirkningTilFilter>`), { xsd: false }), 'VirkningFraFilter');
    expect40(await body(laes(uuidEl() + `<sd:RegistreringFraFilter>${ts('2030-01-01T00:00:00Z')}</sd:RegistreringFraFilter><sd:RegistreringTilFilter>${ts('2020-01-01T00:00:00Z')}</sd:RegistreringTilFilter>`), { xsd: false }), 'RegistreringFraFilter');
  });

  it('a 0..1 relation twice (Opret and Ret), even with disjoint virkning', async () => {
    const two = `<o:RelationListe>${relation('Overordnet', randomUUID(), virkning('2020-01-01T00:00:00Z', '2021-01-01T00:00:00Z'))}${relation('Overordnet', randomUUID(), virkning('2021-01-01T00:00:00Z', '2030-01-01T00:00:00Z'))}</o:RelationListe>`;
    expect40(await body(opret(egenskab() + tilstand + two)), 'RelationListe/Overordnet');
    expect40(await body(ret(two)), 'RelationListe/Overordnet');
  });

  it('overlapping rows of a dynamic relation with the same Indeks', async () => {
    const adr = (i: string): string => `<sd:Adresser>${V}<sd:ReferenceID>${uuidEl(randomUUID())}</sd:ReferenceID><sd:Rolle>${uuidEl(randomUUID())}</sd:Rolle><sd:Type>${uuidEl(randomUUID())}</sd:Type><sd:Indeks>${i}</sd:Indeks></sd:Adresser>`;
    expect40(await body(ret(`<o:RelationListe>${adr('1')}${adr('1')}</o:RelationListe>`), { xsd: false }), 'Adresser/Indeks');
  });

  it('unknown elements: in the operation element, in an Egenskab, in a list, in a Registrering, in a Virkning', async () => {
    expect40(await body(laes(uuidEl() + '<sd:Hemmelig>1</sd:Hemmelig>')), 'LaesInput/Hemmelig');
    expect40(await body(laes(uuidEl() + uuidEl())), 'LaesInput/UUIDIdentifikator');
    expect40(await body(`<o:PassiverInput xmlns:o="${OE.namespace}" xmlns:sd="${SD}">${uuidEl()}<o:Ekstra/></o:PassiverInput>`), 'PassiverInput/Ekstra');
    expect40(await body(opret(egenskab(`${V}<sd:EnhedNavn>X</sd:EnhedNavn><sd:Farve>rød</sd:Farve>`) + tilstand + '<o:RelationListe/>')), 'Egenskab[1]/Farve');
    expect40(await body(opret(egenskab() + tilstand + '<o:RelationListe><sd:Leder/></o:RelationListe>')), 'RelationListe/Leder');
    expect40(await body(opret(`<o:AttributListe><o:Egenskab>${V.replace('</sd:Virkning>', '<sd:Hvem>x</sd:Hvem></sd:Virkning>')}</o:Egenskab></o:AttributListe>${tilstand}<o:RelationListe/>`)), 'Virkning/Hvem');
    const imp = `<o:ImportInput xmlns:o="${OE.namespace}" xmlns:sd="${SD}"><o:OrganisationEnhed>${uuidEl(randomUUID())}<o:Registrering><sd:Ukendt/>${egenskab()}${tilstand}<o:RelationListe/></o:Registrering></o:OrganisationEnhed></o:ImportInput>`;
    expect40(await body(imp), 'Registrering[1]/Ukendt');
    expect40(await body(`<o:SoegInput xmlns:o="${OE.namespace}" xmlns:sd="${SD}"><sd:SoegVirkning><sd:Fra/></sd:SoegVirkning><o:AttributListe/><o:TilstandListe/><o:RelationListe/></o:SoegInput>`), 'SoegVirkning/Fra');
  });

  it('a wrong enumeration value and a too long text', async () => {
    expect40(await body(opret(egenskab() + tilstand.replace('>Aktiv<', '>Måske<') + '<o:RelationListe/>')), 'GyldighedStatusKode');
    expect40(await body(opret(egenskab(`${V}<sd:EnhedNavn>${'x'.repeat(201)}</sd:EnhedNavn>`) + tilstand + '<o:RelationListe/>')), 'EnhedNavn');
  });

  it('SoegInput without its lists, negative paging', async () => {
    expect40(await body(`<o:SoegInput xmlns:o="${OE.namespace}" xmlns:sd="${SD}"><o:AttributListe/></o:SoegInput>`), 'SoegInput/TilstandListe');
    expect40(await body(`<o:SoegInput xmlns:o="${OE.namespace}" xmlns:sd="${SD}"><sd:FoersteResultatReference>-1</sd:FoersteResultatReference><o:AttributListe/><o:TilstandListe/><o:RelationListe/></o:SoegInput>`, { xsd: false }), 'FoersteResultatReference');
  });

  it('system services: an unknown element, neither PersonUUID nor PersonCPR, both', async () => {
    const sys = pathOf('organisationsystem');
    expect40(await body(`<s:FremsoegObjekthierarkiInput xmlns:s="${NS.orgsys}" xmlns:sd="${SD}"><s:PersonSoegEgenskab/></s:FremsoegObjekthierarkiInput>`, { path: sys }), 'PersonSoegEgenskab');
    expect40(await body(`<s:AnonymiserInput xmlns:s="${NS.orgsys}"/>`, { path: sys }), 'AnonymiserInput');
    expect40(await body(`<s:AnonymiserInput xmlns:s="${NS.orgsys}"><s:PersonUUID>${randomUUID()}</s:PersonUUID><s:PersonCPR>0101701234</s:PersonCPR></s:AnonymiserInput>`, { path: sys }), 'AnonymiserInput');
    expect40(await body(`<a:FysiskSletInput xmlns:a="${NS.orgadm}"><a:OrganisationUUID>${KORSBAEK.organisation}</a:OrganisationUUID></a:FysiskSletInput>`, { path: pathOf('organisationadministration') }), 'FysiskSletInput/OrganisationEnhedUUID');
  });
});

describe('afterwards', () => {
  it('the server still answers good requests, and writes work', async () => {
    const res = await em.call(OE_PATH, laes(uuidEl()));
    expect(res.retur?.statusKode).toBe(20);
    expect((await em.client.ret('OrganisationEnhed', UNIT, { egenskaber: [] })).statusKode).toBe(20);
  });
});

(contract ? describe : describe.skip)('wire', () => {
  it('the hostile requests are XSD-invalid too (so the tests are really hostile)', async () => {
    const results = await validateMany(xsdInvalid);
    const accepted = xsdInvalid.filter((_, i) => results[i].valid).map((x) => x.slice(0, 600));
    expect(accepted).toEqual([]);
  });

  it('every answer that is not a Fault, and every good request, validates against the official XSDs', async () => {
    expect(await invalidMessages(em.exchanges)).toEqual([]);
  });
});
