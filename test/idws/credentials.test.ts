import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certFromFile, keyPairFromPem, keyPairFromPkcs12, subjectKeyIdentifier } from '../../src/wssec/certs';
import { loadConfig, ConfigError } from '../../src/config';
import { testPki, vectorPath } from './support';

/** The caller's certificate and key as users hold them: PKCS#12 from OpenSSL 3 (modern and -legacy), PEM. */

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'idws-cred-'));
  const pki = testPki();
  writeFileSync(join(dir, 'c.pem'), pki.wsc.certPem);
  writeFileSync(join(dir, 'k.pem'), pki.wsc.keyPem);
  writeFileSync(join(dir, 'ca.pem'), pki.ca.certPem);
  const p12 = (out: string, extra: string[]): void => {
    execFileSync('openssl', ['pkcs12', '-export', ...extra, '-in', join(dir, 'c.pem'), '-inkey', join(dir, 'k.pem'), '-certfile', join(dir, 'ca.pem'), '-out', join(dir, out), '-passout', 'pass:hemmelig']);
  };
  p12('modern.p12', []);
  p12('legacy.p12', ['-legacy']);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test.each(['modern.p12', 'legacy.p12'])('%s: key and the certificate that matches it (not the CA in the file)', (name) => {
  const kp = keyPairFromPkcs12(readFileSync(join(dir, name)), 'hemmelig');
  expect(kp.cert.raw.equals(testPki().wsc.cert.raw)).toBe(true);
  expect(kp.cert.checkPrivateKey(kp.key)).toBe(true);
});

test('a wrong passphrase is a clear error', () => {
  expect(() => keyPairFromPkcs12(readFileSync(join(dir, 'modern.p12')), 'forkert')).toThrow(/wrong passphrase|PKCS#12/);
});

test('PEM certificate and key; a key of another certificate is refused', () => {
  expect(keyPairFromPem(testPki().wsc.certPem, testPki().wsc.keyPem).cert.subject).toMatch(/anvendersystem/);
  expect(() => keyPairFromPem(testPki().wsc.certPem, testPki().wsc2.keyPem)).toThrow(/does not belong/);
});

test('KOMBIT\'s published certificates read as files (DER or PEM), with their SubjectKeyIdentifier', () => {
  const cert = certFromFile(readFileSync(vectorPath('../kombit-certs/test-sts.cer')));
  expect(cert.subject).toMatch(/ADG_EXTTEST_Adgangsstyring/);
  expect(subjectKeyIdentifier(cert)).toBeTruthy();
});

describe('configuration', () => {
  const base = { SF1500_SECURITY: 'idws', SF1500_ENVIRONMENT: 'exttest' };
  test('idws against KOMBIT names every missing setting', () => {
    const e = (() => {
      try {
        loadConfig(base);
      } catch (x) {
        return x as ConfigError;
      }
      throw new Error('no error');
    })();
    expect(e).toBeInstanceOf(ConfigError);
    const text = e.problems.join('\n');
    for (const v of ['SF1500_CVR', 'SF1500_WSC_PFX', 'SF1500_STS_CERT', 'SF1500_SERVICE_CERT']) expect(text).toContain(v);
    expect(text).not.toContain('SF1500_STS_URL');
  });

  test('the exttest preset fills KOMBIT\'s endpoints; pinned certificates are the user\'s files', () => {
    const cfg = loadConfig({
      ...base, SF1500_CVR: '11111111', SF1500_WSC_PFX: join(dir, 'modern.p12'), SF1500_WSC_PASSPHRASE: 'hemmelig',
      SF1500_STS_CERT: vectorPath('../kombit-certs/test-sts.cer'), SF1500_SERVICE_CERT: vectorPath('../kombit-certs/test-sf1500.cer'),
    });
    expect(cfg.sf1500BaseUrl).toBe('https://organisation.eksterntest-stoettesystemerne.dk');
    expect(cfg.security.idws!.stsUrl).toBe('https://n2adgangsstyring.eksterntest-stoettesystemerne.dk/runtime/services/kombittrust/14/certificatemixed');
    expect(cfg.security.idws!.stsEntityId).toBe('https://saml.n2adgangsstyring.eksterntest-stoettesystemerne.dk/runtime');
    expect(cfg.security.idws!.entityId).toBe('http://stoettesystemerne.dk/service/organisation/3');
  });

  test('bad values are named', () => {
    expect(() => loadConfig({ SF1500_SECURITY: 'saml' })).toThrow(/SF1500_SECURITY=saml/);
    expect(() => loadConfig({ SF1500_SECURITY: 'idws', SF1500_CVR: '123' })).toThrow(/SF1500_CVR=123/);
    expect(() => loadConfig({ SF1500_SECURITY: 'idws', SF1500_WSC_PFX: '/nope.p12', SF1500_BASE_URL: 'https://x' })).toThrow(/SF1500_WSC_PFX=\/nope.p12: no such file/);
  });
});
