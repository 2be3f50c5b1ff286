import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { Config } from './config';
import { defaultAdmin, KORSBAEK_CVR, LOCAL_STS_ENTITY_ID, startLocalIdws, SYNTHETIC_CVR, type LocalIdws } from './emulator/local-idws';
import { seedFor } from './emulator/seed/presets';
import { loadAdminModule } from './emulator/sts/admin';
import { loadOrCreateTestPki } from './emulator/sts/pki';
import type { SoapExchange } from './sf1500/exchange';
import { IdwsExchange } from './sf1500/idws/idws';
import { SoapTracer, TraceExchange } from './sf1500/trace';
import { certFromFile, keyPairFromPem, keyPairFromPkcs12, type KeyPair } from './wssec/certs';

/**
 * Start-up for SF1500_SECURITY=idws (and SF1500_TRACE_DIR): against KOMBIT, the exchange built from
 * the user's certificate and pinned certificates; locally, the local STS and the local SF1500 in idws
 * mode on the test PKI under SF1500_IDWS_DIR (made on first start), wired to the same exchange.
 */

export interface SecuritySide {
  exchange?: SoapExchange & { close?(): void };
  local?: LocalIdws;
}

function credentials(c: NonNullable<Config['security']['idws']>['wsc']): KeyPair {
  if (c.pfxFile) return keyPairFromPkcs12(readFileSync(c.pfxFile), c.passphrase ?? '');
  return keyPairFromPem(readFileSync(c.certFile!, 'utf8'), readFileSync(c.keyFile!, 'utf8'), c.passphrase);
}

export async function startSecuritySide(config: Config, logger: Logger): Promise<SecuritySide> {
  const sec = config.security;
  const tracer = sec.traceDir ? new SoapTracer(sec.traceDir) : undefined;
  if (sec.mode !== 'idws' || !sec.idws) return { exchange: tracer ? new TraceExchange(tracer) : undefined };
  const i = sec.idws;
  if (config.sf1500BaseUrl) {
    const exchange = new IdwsExchange({
      sts: { url: i.stsUrl!, entityId: i.stsEntityId!, cert: certFromFile(readFileSync(i.stsCertFile!)), credentials: credentials(i.wsc), skewMs: 60_000 },
      entityId: i.entityId, defaultCvr: i.cvr, allowedCvrs: i.cvrs, serviceCert: certFromFile(readFileSync(i.serviceCertFile!)),
      stsTimeoutMs: config.timeoutMs, tracer,
    });
    logger.info({ sts: i.stsUrl, cvr: i.cvr, cvrs: i.cvrs, entityId: i.entityId }, 'OIO IDWS: tokens from the STS, every SF1500 call signed');
    return { exchange };
  }
  const pki = loadOrCreateTestPki(i.localDir);
  const local = await startLocalIdws({
    pki, admin: i.stsAdminFile ? loadAdminModule(i.stsAdminFile) : defaultAdmin(pki), stsPort: i.stsPort,
    sf1500: { port: config.local.port, dbFile: config.local.dbFile, seed: seedFor(config.local.seed), http: { basicAuth: config.local.basicAuth } },
    others: [{ cvr: SYNTHETIC_CVR, seed: seedFor('small')! }],
  });
  const exchange = new IdwsExchange({
    sts: { url: local.sts.endpoint, entityId: LOCAL_STS_ENTITY_ID, cert: pki.sts.cert, credentials: { cert: pki.wsc.cert, key: pki.wsc.key }, skewMs: 60_000 },
    entityId: i.entityId, defaultCvr: i.cvr, allowedCvrs: [...new Set([...i.cvrs, KORSBAEK_CVR, SYNTHETIC_CVR])].filter((c) => c !== i.cvr),
    serviceCert: pki.sf1500.cert, stsTimeoutMs: config.timeoutMs, tracer,
  });
  logger.info({ sts: local.sts.endpoint, sf1500: local.sf1500.url, pki: i.localDir, municipalities: [KORSBAEK_CVR, SYNTHETIC_CVR] }, 'local STS and local SF1500 (idws) started');
  return { exchange, local };
}
