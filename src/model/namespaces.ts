/** XML namespaces of the SF1500 v6 contract (SPEC §2). */
export const NS = {
  soap12: 'http://www.w3.org/2003/05/soap-envelope',
  soap11: 'http://schemas.xmlsoap.org/soap/envelope/',
  sd: 'urn:oio:sagdok:3.0.0',
  fael: 'http://stoettesystemerne.dk/organisation/6/',
  part: 'urn:oio:sts:part:6',
  sts: 'urn:oio:sts:6',
  hdr: 'http://kombit.dk/xml/schemas/RequestHeader/1/',
  orgsys: 'http://stoettesystemerne.dk/organisation/organisationsystem/6/',
  orgadm: 'http://stoettesystemerne.dk/organisation/organisationadministration/6/',
  xsd: 'http://www.w3.org/2001/XMLSchema',
  wsdl: 'http://schemas.xmlsoap.org/wsdl/',
  soap12wsdl: 'http://schemas.xmlsoap.org/wsdl/soap12/',
} as const;

export const organisationNs = (service: string): string => `http://stoettesystemerne.dk/organisation/${service}/6/`;
export const klassifikationNs = (service: string): string => `http://stoettesystemerne.dk/klassifikation/${service}/6/`;
