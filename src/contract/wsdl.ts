import { NS } from '../model/namespaces';
import { ADDRESS_PLACEHOLDER_BASE, FILES, GENERATED } from './layout';
import { contractService, type ContractOperation, type ContractService } from './services';
import { relativeTo } from './xsd-kit';
import { renderDocument, text, x, type KidInput, type XNode } from './xmltree';

/** The WSDL of each service, rendered for a location (the server's own URL, or the checked-in placeholder). */

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

export interface WsdlOptions {
  /**
   * Absolute base URL under which the contract's `xsd/` folder is served (e.g. `http://host:port/contract/`).
   * Default: the relative `../xsd/...` locations of the checked-in files.
   */
  xsdBaseUrl?: string;
}

const wsdl = (tag: string, attrs: Record<string, string | undefined> = {}, ...kids: KidInput[]): XNode => x(`wsdl:${tag}`, attrs, ...kids);
const soap12 = (tag: string, attrs: Record<string, string | undefined> = {}, ...kids: KidInput[]): XNode => x(`soap12:${tag}`, attrs, ...kids);

const SECURITY_NOTE =
  'Security: KOMBIT binds these services with WS-Policy OIOIDWS (SAML 2.0 holder-of-key token from\n'
  + 'the STS, signed WS-Addressing headers, Basic256Sha256). The local SF1500 does not implement\n'
  + 'OIOIDWS, so this contract has no policy; run it on a trusted network only.';

export function renderWsdl(s: ContractService, location: string, options: WsdlOptions = {}): string {
  const wsdlFile = `wsdl/${s.name}.wsdl`;
  const schemaLocation = (file: string): string =>
    options.xsdBaseUrl ? new URL(file, options.xsdBaseUrl.endsWith('/') ? options.xsdBaseUrl : `${options.xsdBaseUrl}/`).href : relativeTo(wsdlFile, file);
  const msg = (o: ContractOperation, dir: 'Request' | 'Response'): string => `${s.name}${cap(o.name)}${dir}Message`;
  const body = (o: ContractOperation, dir: 'Request' | 'Response'): string => `${s.prefix}:${dir === 'Request' ? o.input : o.output}`;
  const root = wsdl('definitions', {
    name: s.serviceName, targetNamespace: s.wsdlNamespace,
    'xmlns:wsdl': NS.wsdl, 'xmlns:soap12': NS.soap12wsdl, 'xmlns:xs': NS.xsd, 'xmlns:tns': s.wsdlNamespace,
    'xmlns:hdr': NS.hdr, [`xmlns:${s.prefix}`]: s.namespace,
  },
  wsdl('documentation', {}, text(`${s.name} service of the local SF1500 (SOAP 1.2, document/literal). soapActions: ${s.operations[0].soapAction.replace(/[^/]+$/, '<operation>')}.`)),
  { comment: SECURITY_NOTE },
  wsdl('types', {}, x('xs:schema', {},
    x('xs:import', { namespace: s.namespace, schemaLocation: schemaLocation(s.schema) }),
    x('xs:import', { namespace: NS.hdr, schemaLocation: schemaLocation(FILES.header) }))),
  s.operations.flatMap((o) => (['Request', 'Response'] as const).map((dir) => wsdl('message', { name: msg(o, dir) },
    wsdl('part', { name: 'header', element: 'hdr:RequestHeader' }),
    wsdl('part', { name: dir === 'Request' ? 'request' : 'response', element: body(o, dir) })))),
  wsdl('portType', { name: `${s.name}PortType` }, s.operations.map((o) => wsdl('operation', { name: o.name },
    wsdl('input', { message: `tns:${msg(o, 'Request')}` }),
    wsdl('output', { message: `tns:${msg(o, 'Response')}` })))),
  wsdl('binding', { name: s.name, type: `tns:${s.name}PortType` },
    soap12('binding', { style: 'document', transport: 'http://schemas.xmlsoap.org/soap/http' }),
    s.operations.map((o) => wsdl('operation', { name: o.name },
      soap12('operation', { soapAction: o.soapAction, soapActionRequired: 'false' }),
      (['Request', 'Response'] as const).map((dir) => wsdl(dir === 'Request' ? 'input' : 'output', {},
        soap12('header', { message: `tns:${msg(o, dir)}`, part: 'header', use: 'literal' }),
        soap12('body', { parts: dir === 'Request' ? 'request' : 'response', use: 'literal' })))))),
  wsdl('service', { name: s.serviceName },
    wsdl('port', { name: s.name, binding: `tns:${s.name}` }, soap12('address', { location }))));
  return renderDocument(root, GENERATED);
}

/** Placeholder endpoint of a service in the checked-in WSDL. */
export const placeholderLocation = (s: ContractService): string => `${ADDRESS_PLACEHOLDER_BASE}${s.path}`;

/** The WSDL of a service (key `organisationenhed` or name `OrganisationEnhed`) with its real endpoint URL. */
export function wsdlFor(service: string, location: string, options?: WsdlOptions): string {
  const s = contractService(service);
  if (!s) throw new Error(`unknown SF1500 service ${service}`);
  return renderWsdl(s, location, options);
}
