import { existsSync } from 'node:fs';
import { ORGANISATION_ENTITY_ID } from '../../wssec/ns';

/**
 * SF1500_SECURITY and the OIO IDWS settings, validated with the variable's name in every message.
 * Presets (SF1500_ENVIRONMENT) carry KOMBIT's endpoints and IDs (IDWS.md §2); pinned certificates
 * are always files the user supplies, because KOMBIT rotates them.
 */

export type SecurityMode = 'none' | 'tls' | 'basic' | 'idws';

export interface IdwsConfig {
  /** SF1500_CVR: the municipality of requests that name none. */
  cvr: string;
  /** SF1500_CVRS: further municipalities a caller's JWT may name. */
  cvrs: string[];
  /** SF1500_CVR_CLAIM: the JWT claim holding the CVR. */
  cvrClaim: string;
  entityId: string;
  environment?: 'exttest' | 'prod';
  stsUrl?: string;
  stsEntityId?: string;
  stsCertFile?: string;
  serviceCertFile?: string;
  wsc: { pfxFile?: string; passphrase?: string; certFile?: string; keyFile?: string };
  /** Local idws stack: STS port, where the test PKI lives, the administration module file. */
  stsPort: number;
  localDir: string;
  stsAdminFile?: string;
}

export interface SecurityConfig {
  mode: SecurityMode;
  traceDir?: string;
  /** Base URL from the SF1500_ENVIRONMENT preset (when SF1500_BASE_URL is unset). */
  presetBaseUrl?: string;
  idws?: IdwsConfig;
}

export const KOMBIT_ENVIRONMENTS = {
  exttest: {
    stsUrl: 'https://n2adgangsstyring.eksterntest-stoettesystemerne.dk/runtime/services/kombittrust/14/certificatemixed',
    stsEntityId: 'https://saml.n2adgangsstyring.eksterntest-stoettesystemerne.dk/runtime',
    baseUrl: 'https://organisation.eksterntest-stoettesystemerne.dk',
  },
  prod: {
    stsUrl: 'https://n2adgangsstyring.stoettesystemerne.dk/runtime/services/kombittrust/14/certificatemixed',
    stsEntityId: 'https://saml.n2adgangsstyring.stoettesystemerne.dk/runtime',
    baseUrl: 'https://organisation.stoettesystemerne.dk',
  },
} as const;

type Env = Record<string, string | undefined>;

export function loadSecurityConfig(env: Env, problems: string[], external: boolean): SecurityConfig {
  const str = (k: string): string | undefined => (env[k] === undefined || env[k] === '' ? undefined : env[k]);
  const file = (k: string): string | undefined => {
    const v = str(k);
    if (v !== undefined && !existsSync(v)) problems.push(`${k}=${v}: no such file`);
    return v;
  };
  const modeText = str('SF1500_SECURITY');
  const inferred: SecurityMode = str('SF1500_CLIENT_BASIC_AUTH') ? 'basic' : str('SF1500_TLS_PFX') || str('SF1500_TLS_CERT') ? 'tls' : 'none';
  if (modeText !== undefined && !['none', 'tls', 'basic', 'idws'].includes(modeText)) problems.push(`SF1500_SECURITY=${modeText}: must be none, tls, basic or idws`);
  const mode = (modeText && ['none', 'tls', 'basic', 'idws'].includes(modeText) ? modeText : inferred) as SecurityMode;
  if (mode === 'tls' && !str('SF1500_TLS_PFX') && !(str('SF1500_TLS_CERT') && str('SF1500_TLS_KEY'))) problems.push('SF1500_SECURITY=tls: set SF1500_TLS_PFX (+ SF1500_TLS_PASSPHRASE) or SF1500_TLS_CERT and SF1500_TLS_KEY');
  if (mode === 'basic' && external && !str('SF1500_CLIENT_BASIC_AUTH')) problems.push('SF1500_SECURITY=basic: set SF1500_CLIENT_BASIC_AUTH=user:password');
  const envText = str('SF1500_ENVIRONMENT');
  if (envText !== undefined && envText !== 'exttest' && envText !== 'prod') problems.push(`SF1500_ENVIRONMENT=${envText}: must be exttest or prod`);
  const preset = envText === 'exttest' || envText === 'prod' ? KOMBIT_ENVIRONMENTS[envText] : undefined;
  const out: SecurityConfig = { mode, traceDir: str('SF1500_TRACE_DIR'), presetBaseUrl: preset?.baseUrl };
  if (mode !== 'idws') return out;

  const cvr = str('SF1500_CVR') ?? (external ? undefined : '11111111');
  if (!cvr || !/^\d{8}$/.test(cvr)) problems.push(`SF1500_CVR${cvr ? `=${cvr}` : ''}: the municipality's CVR (8 digits) is required with SF1500_SECURITY=idws`);
  const cvrs = (str('SF1500_CVRS') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const c of cvrs) if (!/^\d{8}$/.test(c)) problems.push(`SF1500_CVRS: ${c} is not a CVR (8 digits)`);
  const stsPortText = str('SF1500_STS_PORT') ?? '4020';
  const stsPort = Number(stsPortText);
  if (!Number.isInteger(stsPort) || stsPort < 0 || stsPort > 65535) problems.push(`SF1500_STS_PORT=${stsPortText}: must be a port number`);
  const idws: IdwsConfig = {
    cvr: cvr ?? '', cvrs, cvrClaim: str('SF1500_CVR_CLAIM') ?? 'cvr',
    entityId: str('SF1500_ENTITY_ID') ?? ORGANISATION_ENTITY_ID,
    environment: preset ? (envText as 'exttest' | 'prod') : undefined,
    stsUrl: str('SF1500_STS_URL') ?? preset?.stsUrl,
    stsEntityId: str('SF1500_STS_ENTITY_ID') ?? preset?.stsEntityId,
    stsCertFile: file('SF1500_STS_CERT'),
    serviceCertFile: file('SF1500_SERVICE_CERT'),
    wsc: { pfxFile: file('SF1500_WSC_PFX'), passphrase: str('SF1500_WSC_PASSPHRASE'), certFile: file('SF1500_WSC_CERT'), keyFile: file('SF1500_WSC_KEY') },
    stsPort, localDir: str('SF1500_IDWS_DIR') ?? './data/idws', stsAdminFile: file('SF1500_STS_ADMIN'),
  };
  if (external) {
    if (!idws.wsc.pfxFile && !(idws.wsc.certFile && idws.wsc.keyFile)) problems.push('SF1500_SECURITY=idws: set SF1500_WSC_PFX (+ SF1500_WSC_PASSPHRASE) or SF1500_WSC_CERT and SF1500_WSC_KEY (the certificate registered with KOMBIT)');
    if (idws.wsc.pfxFile && (idws.wsc.certFile || idws.wsc.keyFile)) problems.push('SF1500_WSC_PFX and SF1500_WSC_CERT/SF1500_WSC_KEY: set one, not both');
    if (!idws.stsUrl) problems.push('SF1500_STS_URL: required with SF1500_SECURITY=idws (or SF1500_ENVIRONMENT=exttest|prod)');
    if (!idws.stsEntityId) problems.push('SF1500_STS_ENTITY_ID: required with SF1500_SECURITY=idws (or SF1500_ENVIRONMENT=exttest|prod)');
    if (!idws.stsCertFile) problems.push('SF1500_STS_CERT: the STS signing certificate to pin (a file) is required with SF1500_SECURITY=idws');
    if (!idws.serviceCertFile) problems.push('SF1500_SERVICE_CERT: the SF1500 response-signing certificate to pin (a file) is required with SF1500_SECURITY=idws');
    if (idws.stsUrl && !/^https?:\/\//.test(idws.stsUrl)) problems.push(`SF1500_STS_URL=${idws.stsUrl}: must be an http(s) URL`);
  }
  out.idws = idws;
  return out;
}
