/**
 * Namespaces, algorithm and value-type URIs of OIO IDWS (WS-Security 1.0/1.1, WS-Addressing 1.0,
 * WS-Trust 1.3, SAML 2.0) exactly as KOMBIT's captured messages spell them
 * (../shared/sf1500/security/IDWS.md §3–§5).
 */
export const WS = {
  soap: 'http://www.w3.org/2003/05/soap-envelope',
  wsa: 'http://www.w3.org/2005/08/addressing',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  wsse11: 'http://docs.oasis-open.org/wss/oasis-wss-wssecurity-secext-1.1.xsd',
  wsu: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  trust: 'http://docs.oasis-open.org/ws-sx/ws-trust/200512',
  wsp: 'http://schemas.xmlsoap.org/ws/2004/09/policy',
  auth: 'http://docs.oasis-open.org/wsfed/authorization/200706',
  saml: 'urn:oasis:names:tc:SAML:2.0:assertion',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
} as const;

export const ALG = {
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  enveloped: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
  strTransform: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#STR-Transform',
} as const;

export const VALUE_TYPE = {
  x509v3: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3',
  base64: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary',
  ski: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509SubjectKeyIdentifier',
  samlId: 'http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLID',
  samlToken: 'http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV2.0',
} as const;

export const TRUST = {
  issueAction: 'http://docs.oasis-open.org/ws-sx/ws-trust/200512/RST/Issue',
  issueFinalAction: 'http://docs.oasis-open.org/ws-sx/ws-trust/200512/RSTRC/IssueFinal',
  faultAction: 'http://www.w3.org/2005/08/addressing/soap/fault',
  requestIssue: 'http://docs.oasis-open.org/ws-sx/ws-trust/200512/Issue',
  keyTypePublic: 'http://docs.oasis-open.org/ws-sx/ws-trust/200512/PublicKey',
  claimsDialect: 'http://docs.oasis-open.org/wsfed/authorization/200706/authclaims',
  anonymous: 'http://www.w3.org/2005/08/addressing/anonymous',
} as const;

export const SAML = {
  cvr: 'dk:gov:saml:attribute:CvrNumberIdentifier',
  privileges: 'dk:gov:saml:attribute:Privileges_intermediate',
  holderOfKey: 'urn:oasis:names:tc:SAML:2.0:cm:holder-of-key',
  entityFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity',
  basicAttr: 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic',
} as const;

/** The one AppliesTo / audience KOMBIT uses for every Organisation v6 service (IDWS.md §0 #1). */
export const ORGANISATION_ENTITY_ID = 'http://stoettesystemerne.dk/service/organisation/3';

/** The local names of the attributes an Id reference may name (wsu:Id, SAML's ID, plain Id/id): one rule for every reader. */
export const isIdName = (local: string): boolean => local === 'Id' || local === 'ID' || local === 'id';
