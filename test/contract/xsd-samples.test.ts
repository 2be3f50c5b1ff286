/**
 * Proves the XSD helper against KOMBIT's official SF1500 v6 contract: the Korsbæk sample messages must
 * validate, and deliberately broken messages must not (a validator that never fails proves nothing).
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  expectValid,
  requireOfficialContract,
  validateBody,
  validateMany,
  type ValidationResult,
} from '../support/xsd';

const contractDir = requireOfficialContract();
const describeWithContract = contractDir ? describe : describe.skip;

const SAMPLES_DIR = path.resolve(__dirname, '..', '..', '..', 'shared', 'sf1500', 'samples', 'korsbaek', 'messages');

function listXmlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((rel) => rel.endsWith('.xml'))
    .map((rel) => rel.split(path.sep).join('/'))
    .sort();
}

const sampleFiles = contractDir ? listXmlFiles(SAMPLES_DIR) : [];

const SD = 'urn:oio:sagdok:3.0.0';
const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';
const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const HDR = 'http://kombit.dk/xml/schemas/RequestHeader/1/';
const ns = (service: string): string => `http://stoettesystemerne.dk/organisation/${service}/6/`;
const ENHED = ns('organisationenhed');
const UUID = 'b9e45b18-b6ba-4434-bce4-844214aaaae8';

const listInput = (uuid: string, namespace = ENHED, uuidNamespace = SD): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n` +
  `<x:ListInput xmlns:x="${namespace}" xmlns:sd="${SD}" xmlns:u="${uuidNamespace}">\n` +
  `  <u:UUIDIdentifikator>${uuid}</u:UUIDIdentifikator>\n` +
  `</x:ListInput>\n`;

const standardRetur = '<sd:StandardRetur><sd:StatusKode>20</sd:StatusKode><sd:FejlbeskedTekst>OK</sd:FejlbeskedTekst></sd:StandardRetur>';
const billede = `<oe:FiltreretOejebliksbillede><oe:ObjektType><sd:UUIDIdentifikator>${UUID}</sd:UUIDIdentifikator></oe:ObjektType></oe:FiltreretOejebliksbillede>`;
const laesOutput = (...children: string[]): string =>
  `<oe:LaesOutput xmlns:oe="${ENHED}" xmlns:sd="${SD}">\n  ${children.join('\n  ')}\n</oe:LaesOutput>`;

/** A SOAP envelope whose prefixes are declared on the Envelope only, as real clients do. */
const envelope = (opts: { soapNs?: string; header?: string | null; body?: string } = {}): string =>
  [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<soap:Envelope xmlns:soap="${opts.soapNs ?? SOAP12}" xmlns:hdr="${HDR}" xmlns:sd="${SD}" xmlns="${ENHED}">`,
    `  <soap:Header>`,
    opts.header === null
      ? ''
      : `    <hdr:RequestHeader><hdr:TransactionUUID>${opts.header ?? UUID}</hdr:TransactionUUID></hdr:RequestHeader>`,
    `  </soap:Header>`,
    `  <soap:Body>`,
    opts.body ?? `    <ListInput>\n      <sd:UUIDIdentifikator>${UUID}</sd:UUIDIdentifikator>\n    </ListInput>`,
    `  </soap:Body>`,
    `</soap:Envelope>`,
  ].join('\n');

const allErrors = (r: ValidationResult): string => r.errors.join('\n');

describeWithContract('official SF1500 v6 XSDs accept the Korsbæk sample messages', () => {
  // One batched run for all samples (one wasm call per schema), then one assertion per file.
  const results = new Map<string, ValidationResult>();
  beforeAll(async () => {
    const xmls = sampleFiles.map((rel) => fs.readFileSync(path.join(SAMPLES_DIR, rel), 'utf8'));
    const validated = await validateMany(xmls);
    sampleFiles.forEach((rel, i) => results.set(rel, validated[i]));
  });

  it('finds sample messages, including the SOAP 1.2 envelope', () => {
    expect(sampleFiles.length).toBeGreaterThan(10);
    expect(sampleFiles).toContain('soap12-envelope.FremsoegObjekthierarki.xml');
  });

  if (sampleFiles.length > 0) {
    it.each(sampleFiles)('%s', (rel) => {
      expect(results.get(rel)).toEqual({ valid: true, errors: [] });
    });
  }

  it('gives the same verdict for a single envelope as in the batch', async () => {
    const rel = 'soap12-envelope.FremsoegObjekthierarki.xml';
    await expectValid(fs.readFileSync(path.join(SAMPLES_DIR, rel), 'utf8'));
  });
});

describeWithContract('XSD validator', () => {
  it('compiles every mapped Operationer.xsd and accepts a minimal request for each (one batch)', async () => {
    const objectServices = [
      'organisation', 'organisationenhed', 'organisationfunktion', 'bruger', 'person', 'adresse',
      'itsystem', 'interessefaellesskab', 'virksomhed', 'myndighed',
    ];
    const xmls = [
      ...objectServices.map((s) => listInput(UUID, ns(s))),
      listInput(UUID, 'http://stoettesystemerne.dk/klassifikation/klasse/6/'), // SF1514
      `<s:FremsoegObjekthierarkiInput xmlns:s="${ns('organisationsystem')}" xmlns:sd="${SD}">` +
        `<sd:FoersteResultatReference>0</sd:FoersteResultatReference></s:FremsoegObjekthierarkiInput>`,
      `<a:FysiskSletInput xmlns:a="${ns('organisationadministration')}">` +
        `<a:OrganisationUUID>${UUID}</a:OrganisationUUID><a:OrganisationEnhedUUID>${UUID}</a:OrganisationEnhedUUID></a:FysiskSletInput>`,
    ];
    const results = await validateMany(xmls);
    results.forEach((r, i) => expect({ xml: xmls[i], ...r }).toEqual({ xml: xmls[i], valid: true, errors: [] }));
  });

  it('keeps batch results in input order', async () => {
    const results = await validateMany([listInput('bad'), listInput(UUID), envelope({ header: null }), envelope()]);
    expect(results.map((r) => r.valid)).toEqual([false, true, false, true]);
  });

  describe('rejects', () => {
    it('a LaesOutput with its elements in the wrong order', async () => {
      await expectValid(laesOutput(standardRetur, billede)); // control: correct order passes
      const r = await validateBody(laesOutput(billede, standardRetur));
      expect(r.valid).toBe(false);
      expect(allErrors(r)).toMatch(/body:2: .*FiltreretOejebliksbillede'?: This element is not expected/);
    });

    it('a ListInput with a malformed UUID', async () => {
      const r = await validateBody(listInput('b9e45b18-b6ba-4434-bce4-84421'));
      expect(r.valid).toBe(false);
      expect(allErrors(r)).toMatch(/body:3: .*UUIDIdentifikator'.*\[facet 'pattern'\]/);
    });

    it('a body whose namespace is not an SF1500 v6 service (v5)', async () => {
      const r = await validateBody(listInput(UUID, 'http://stoettesystemerne.dk/organisation/organisationenhed/5/'));
      expect(r).toEqual({ valid: false, errors: [expect.stringMatching(/no SF1500 v6 Operationer\.xsd .*organisationenhed\/5\//)] });
    });

    it('a body whose children are in the wrong namespace', async () => {
      const r = await validateBody(listInput(UUID, ENHED, ENHED));
      expect(r.valid).toBe(false);
      expect(allErrors(r)).toMatch(/organisationenhed\/6\/\}UUIDIdentifikator'?: This element is not expected/);
    });

    it('a SOAP 1.1 envelope', async () => {
      await expectValid(envelope()); // control: the same message as SOAP 1.2 passes
      const r = await validateBody(envelope({ soapNs: SOAP11 }));
      expect(r).toEqual({ valid: false, errors: [expect.stringMatching(/SOAP 1\.1 envelope/)] });
    });

    it('an envelope without a RequestHeader, still validating its body', async () => {
      expect(await validateBody(envelope({ header: null }))).toEqual({
        valid: false,
        errors: [expect.stringMatching(/missing RequestHeader/)],
      });
      const both = await validateBody(envelope({ header: null, body: listInput('nope').replace(/^<\?xml[^>]*>\n/, '') }));
      expect(both.errors).toEqual([expect.stringMatching(/missing RequestHeader/), expect.stringMatching(/^body:\d+: .*pattern/)]);
    });

    it('an invalid RequestHeader, reporting the line in the original envelope', async () => {
      const r = await validateBody(envelope({ header: '' }));
      expect(r.valid).toBe(false);
      expect(allErrors(r)).toMatch(/^RequestHeader:4: .*TransactionUUID.*minLength/m);
    });

    it('an invalid envelope body, reporting the line in the original envelope', async () => {
      const r = await validateBody(envelope({ body: `    <ListInput>\n      <sd:UUIDIdentifikator>x</sd:UUIDIdentifikator>\n    </ListInput>` }));
      expect(r.valid).toBe(false);
      expect(allErrors(r)).toMatch(/^body:8: .*pattern/m);
    });

    it('a soap:Body with more than one element', async () => {
      const body = `    <ListInput><sd:UUIDIdentifikator>${UUID}</sd:UUIDIdentifikator></ListInput>`;
      const r = await validateBody(envelope({ body: `${body}\n${body}` }));
      expect(r.errors).toEqual([expect.stringMatching(/exactly one child element, found 2/)]);
    });

    it('XML that is not well-formed', async () => {
      const r = await validateBody('<oe:ListInput xmlns:oe="x"><oops></oe:ListInput>');
      expect(r).toEqual({ valid: false, errors: [expect.stringMatching(/not well-formed/)] });
    });
  });

  it('expectValid throws with the errors and the start of the message', async () => {
    const xml = listInput('not-a-uuid') + `<!--${'x'.repeat(3000)}-->`;
    const thrown = await expectValid(xml).then(
      () => null,
      (err: unknown) => err,
    );
    expect(thrown).toBeInstanceOf(Error);
    const message = (thrown as Error).message;
    expect(message).toMatch(/not-a-uuid.*pattern/);
    expect(message).toContain(xml.slice(0, 2000));
    expect(message).not.toContain(xml.slice(0, 2001));
  });
});
