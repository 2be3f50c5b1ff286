import { createPrivateKey, generateKeyPairSync, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';

/**
 * The local test PKI: a "Local OCES Test CA" with the local STS, the local SF1500 and caller
 * certificates (one expired, one from a foreign CA, one never registered). Made on first start or
 * in tests — never real keys, never KOMBIT's.
 */

export interface Issued {
  cert: X509Certificate;
  key: KeyObject;
  certPem: string;
  keyPem: string;
}

export const PKI_NAMES = ['ca', 'sts', 'sf1500', 'wsc', 'wsc2', 'expired', 'foreignCa', 'foreign', 'unregistered'] as const;
export type PkiName = (typeof PKI_NAMES)[number];
export type TestPki = Record<PkiName, Issued>;

const YEAR = 365 * 24 * 3600_000;

function issue(cn: string, issuer: Issued | undefined, opts: { ca?: boolean; from?: number; to?: number } = {}): Issued {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const c = forge.pki.createCertificate();
  c.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  c.serialNumber = `01${randomBytes(8).toString('hex')}`;
  c.validity.notBefore = new Date(opts.from ?? Date.now() - 24 * 3600_000);
  c.validity.notAfter = new Date(opts.to ?? Date.now() + 50 * YEAR);
  const subject = [{ name: 'countryName', value: 'DK' }, { name: 'organizationName', value: 'Lokal test // CVR:12345678' }, { name: 'commonName', value: cn }];
  c.setSubject(subject);
  c.setIssuer(issuer ? forge.pki.certificateFromPem(issuer.certPem).subject.attributes : subject);
  c.setExtensions([
    { name: 'basicConstraints', cA: !!opts.ca },
    { name: 'keyUsage', digitalSignature: true, keyCertSign: !!opts.ca, cRLSign: !!opts.ca },
    { name: 'subjectKeyIdentifier' },
  ]);
  c.sign(forge.pki.privateKeyFromPem(issuer?.keyPem ?? keyPem), forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(c);
  return { cert: new X509Certificate(certPem), key: privateKey, certPem, keyPem };
}

export function createTestPki(): TestPki {
  const ca = issue('Local OCES Test CA', undefined, { ca: true });
  const foreignCa = issue('Foreign Test CA', undefined, { ca: true });
  return {
    ca, foreignCa,
    sts: issue('ADG_LOCAL_Adgangsstyring_1 (funktionscertifikat)', ca),
    sf1500: issue('ORG_LOCAL_Organisation_1 (funktionscertifikat)', ca),
    wsc: issue('Lokal anvendersystem (funktionscertifikat)', ca),
    wsc2: issue('Lokal anvendersystem 2 (funktionscertifikat)', ca),
    expired: issue('Udloebet anvendersystem (funktionscertifikat)', ca, { from: Date.now() - 2 * YEAR, to: Date.now() - YEAR }),
    foreign: issue('Fremmed anvendersystem (funktionscertifikat)', foreignCa),
    unregistered: issue('Uregistreret anvendersystem (funktionscertifikat)', ca),
  };
}

/** The PKI under `dir` (`<name>.crt` / `<name>.key`), made there on first use. */
export function loadOrCreateTestPki(dir: string): TestPki {
  if (PKI_NAMES.every((n) => existsSync(join(dir, `${n}.crt`)) && existsSync(join(dir, `${n}.key`)))) {
    const read = (n: PkiName): Issued => {
      const certPem = readFileSync(join(dir, `${n}.crt`), 'utf8');
      const keyPem = readFileSync(join(dir, `${n}.key`), 'utf8');
      return { cert: new X509Certificate(certPem), key: createPrivateKey(keyPem), certPem, keyPem };
    };
    return Object.fromEntries(PKI_NAMES.map((n) => [n, read(n)])) as TestPki;
  }
  const pki = createTestPki();
  mkdirSync(dir, { recursive: true });
  for (const n of PKI_NAMES) {
    writeFileSync(join(dir, `${n}.crt`), pki[n].certPem);
    writeFileSync(join(dir, `${n}.key`), pki[n].keyPem, { mode: 0o600 });
  }
  return pki;
}
