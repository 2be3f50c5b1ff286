import { NS } from './namespaces';

/**
 * The SOAP services as KOMBIT publishes them: the endpoint path and soapAction patterns, written
 * once and read by the client, the local SF1500 and the contract generator, and the two system
 * services, which are services but not object types.
 */

/** Endpoint path of a service (no leading slash), e.g. `organisation/organisationenhed/6/`. */
export const servicePath = (system: string, service: string): string => `${system}/${service}/6/`;

/** KOMBIT's soapAction of an operation. Its WSDL spells the system service "organisationssystem" here. */
export function soapAction(system: string, service: string, op: string): string {
  return `http://kombit.dk/sts/${system}/${service === 'organisationsystem' ? 'organisationssystem' : service}/${op}`;
}

/** The operations that only read: safe to send again (retries, a token renewed mid-call); writes never are. */
export const READ_OPERATIONS: ReadonlySet<string> = new Set(['laes', 'list', 'soeg', 'fremsoegobjekthierarki']);

export interface ServiceOperationSpec {
  /** WSDL operation name, e.g. `fremsoegobjekthierarki`. */
  op: string;
  /** Body element local names, in the service's namespace. */
  input: string;
  output: string;
}

export interface SystemServiceSpec {
  /** WSDL file, binding and port name, e.g. `OrganisationSystem`. */
  name: string;
  /** Lower-case service name as in paths and soapActions. */
  service: string;
  system: 'organisation';
  namespace: string;
  prefix: string;
  operations: readonly ServiceOperationSpec[];
}

/** OrganisationSystem: the paged hierarchy search, bulk import and anonymisation. */
export const ORGANISATION_SYSTEM: SystemServiceSpec = {
  name: 'OrganisationSystem', service: 'organisationsystem', system: 'organisation', namespace: NS.orgsys, prefix: 'orgsys',
  operations: [
    { op: 'fremsoegobjekthierarki', input: 'FremsoegObjekthierarkiInput', output: 'FremsoegObjekthierarkiOutput' },
    { op: 'import', input: 'ImporterOrganisationSystemInput', output: 'ImporterOrganisationSystemOutput' },
    { op: 'anonymiser', input: 'AnonymiserInput', output: 'AnonymiserOutput' },
  ],
};

/** OrganisationAdministration: physical deletion. */
export const ORGANISATION_ADMINISTRATION: SystemServiceSpec = {
  name: 'OrganisationAdministration', service: 'organisationadministration', system: 'organisation', namespace: NS.orgadm, prefix: 'orgadm',
  operations: [{ op: 'fysiskslet', input: 'FysiskSletInput', output: 'FysiskSletOutput' }],
};

export const SYSTEM_SERVICES: readonly SystemServiceSpec[] = [ORGANISATION_SYSTEM, ORGANISATION_ADMINISTRATION];
