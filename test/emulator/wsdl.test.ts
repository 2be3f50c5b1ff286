import { createClientAsync } from 'soap';
import { startSf1500, type RunningSf1500 } from '../../src/emulator';
import { NS } from '../../src/model/namespaces';
import { parseXml, child } from '../../src/xml/reader';

/**
 * `?wsdl` over HTTP, with its schemas under /contract/, as a SOAP toolkit would load it; and why the
 * project does not send through node-soap: on these WSDLs it builds a SOAP 1.1 envelope and puts the body
 * into the RequestHeader part (checked on the wire here, as DESIGN.md warns).
 */
let sf: RunningSf1500;
beforeAll(async () => {
  sf = await startSf1500();
});
afterAll(async () => {
  await sf.close();
});

it('serves a WSDL per service whose schema imports resolve over HTTP (node-soap loads it)', async () => {
  const url = `${sf.url}/organisation/organisationenhed/6/?wsdl`;
  const text = await (await fetch(url)).text();
  expect(text).toContain(`location="${sf.url}/organisation/organisationenhed/6/"`);
  const xsd = await fetch(`${sf.url}/contract/xsd/common/SagDokObjekt.xsd`);
  expect(xsd.status).toBe(200);
  expect(await xsd.text()).toContain('targetNamespace="urn:oio:sagdok:3.0.0"');
  const client = await createClientAsync(url);
  const ops = Object.keys(Object.values(Object.values(client.describe())[0] as Record<string, Record<string, unknown>>)[0]);
  expect(ops.sort()).toEqual(['importer', 'laes', 'list', 'opret', 'passiver', 'ret', 'slet', 'soeg']);
  expect((await fetch(`${sf.url}/contract/../../etc/passwd`)).status).toBe(404);
});

it('node-soap on the contract WSDL sends SOAP 1.1 with the body in the header part: the local SF1500 refuses it', async () => {
  const client = await createClientAsync(`${sf.url}/organisation/organisationenhed/6/?wsdl`);
  let fault = '';
  try {
    await (client as unknown as { laesAsync(a: unknown): Promise<unknown> }).laesAsync({ UUIDIdentifikator: 'b9e45b18-b6ba-4434-bce4-844214aaaae8' });
  } catch (e) {
    fault = String((e as { body?: string }).body ?? (e as Error).message);
  }
  const sent = parseXml(client.lastRequest!);
  // Measured: a SOAP 1.1 envelope, and the Body holds the RequestHeader part with our UUID inside it.
  expect(sent.ns).toBe(NS.soap11);
  const bodyEl = child(sent, NS.soap11, 'Body')!;
  expect(bodyEl.children.map((c) => `{${c.ns}}${c.name}`)).toEqual([`{${NS.hdr}}RequestHeader`]);
  expect(bodyEl.children[0].children.map((c) => c.name)).toEqual(['UUIDIdentifikator']);
  expect(fault).toMatch(/SOAP 1\.1 envelopes are not accepted/);
});
