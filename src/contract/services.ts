import { NS } from '../model/namespaces';
import { OBJECT_OPERATIONS, OBJECT_TYPES } from '../model/objects';
import { servicePath, soapAction, SYSTEM_SERVICES } from '../model/services';
import type { ObjectTypeSpec } from '../model/types';
import { FILES, operationerFile } from './layout';

/** Every service of the contract, with its path, namespaces, body elements and soapActions (from the model). */

/** WSDL targetNamespace per system (the object services share one; SF1514 uses its own). */
const WSDL_NAMESPACE: Readonly<Record<ObjectTypeSpec['system'], string>> = {
  organisation: NS.fael,
  klassifikation: 'http://stoettesystemerne.dk/klassifikation',
};

/** SF1514 services carry a version suffix in their wsdl:service name (`KlasseService_6`). */
const SERVICE_NAME_SUFFIX: Readonly<Record<ObjectTypeSpec['system'], string>> = { organisation: 'Service', klassifikation: 'Service_6' };

export interface ContractOperation {
  /** WSDL operation name, e.g. `laes`, `fremsoegobjekthierarki`. */
  name: string;
  /** Body element local names (in the service's body namespace). */
  input: string;
  output: string;
  soapAction: string;
}

export interface ContractService {
  /** WSDL file, binding and port name, e.g. `OrganisationEnhed`. */
  name: string;
  /** Lower-case key as in URLs, e.g. `organisationenhed`. */
  key: string;
  /** Endpoint path as at KOMBIT, e.g. `organisation/organisationenhed/6/`. */
  path: string;
  serviceName: string;
  wsdlNamespace: string;
  /** Namespace of the body elements. */
  namespace: string;
  prefix: string;
  /** Relative path of the schema that declares the body elements. */
  schema: string;
  operations: readonly ContractOperation[];
}

function buildServices(): ContractService[] {
  const objectServices = OBJECT_TYPES.map((t): ContractService => ({
    name: t.name,
    key: t.service,
    path: servicePath(t.system, t.service),
    serviceName: `${t.name}${SERVICE_NAME_SUFFIX[t.system]}`,
    wsdlNamespace: WSDL_NAMESPACE[t.system],
    namespace: t.namespace,
    prefix: t.prefix,
    schema: operationerFile(t),
    operations: OBJECT_OPERATIONS.map((o) => ({ name: o.op, input: o.input, output: o.output, soapAction: soapAction(t.system, t.service, o.op) })),
  }));
  const schemaOf: Record<string, string> = { orgsys: FILES.orgsys, orgadm: FILES.orgadm };
  const systemServices = SYSTEM_SERVICES.map((s): ContractService => ({
    name: s.name, key: s.service, path: servicePath(s.system, s.service), serviceName: `${s.name}Service`, wsdlNamespace: NS.fael,
    namespace: s.namespace, prefix: s.prefix, schema: schemaOf[s.prefix],
    operations: s.operations.map((o) => ({ name: o.op, input: o.input, output: o.output, soapAction: soapAction(s.system, s.service, o.op) })),
  }));
  return [...objectServices, ...systemServices];
}

/** Every service of the local SF1500 with its operations, body elements and soapActions. */
export const CONTRACT_SERVICES: readonly ContractService[] = buildServices();

export function contractService(service: string): ContractService | undefined {
  const k = service.toLowerCase();
  return CONTRACT_SERVICES.find((s) => s.key === k || s.name.toLowerCase() === k);
}

/** The schema (relative path in the contract) that declares the body elements of a namespace. */
export function operationerSchemaFor(namespace: string): string | undefined {
  return CONTRACT_SERVICES.find((s) => s.namespace === namespace)?.schema;
}
