import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { XmlSecurityError } from './dom';

/** Certificates and keys: PEM, DER, base64 as it travels in BinarySecurityToken / X509Certificate, PKCS#12. */

export function pemFromBase64(b64: string): string {
  const body = b64.replace(/\s+/g, '');
  return `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END CERTIFICATE-----\n`;
}

/** Reads a certificate file in PEM or DER (KOMBIT publishes .cer files in either form). */
export function certFromFile(data: Buffer): X509Certificate {
  const text = data.toString('latin1');
  if (text.includes('-----BEGIN CERTIFICATE-----')) return new X509Certificate(text);
  if (/^[A-Za-z0-9+/=\s]+$/.test(text)) return new X509Certificate(pemFromBase64(text));
  return new X509Certificate(data);
}

export function base64Of(cert: X509Certificate): string {
  return cert.raw.toString('base64');
}

export function certFromBase64(b64: string): X509Certificate {
  try {
    return new X509Certificate(Buffer.from(b64.replace(/\s+/g, ''), 'base64'));
  } catch {
    throw new XmlSecurityError('unreadable X.509 certificate');
  }
}

/** Same certificate, byte for byte. */
export function sameCert(a: X509Certificate, b: X509Certificate): boolean {
  return a.raw.equals(b.raw);
}

/** The SubjectKeyIdentifier extension's value, base64 (what KeyIdentifier #X509SubjectKeyIdentifier carries). */
export function subjectKeyIdentifier(cert: X509Certificate): string | undefined {
  const c = forge.pki.certificateFromPem(cert.toString());
  const ext = c.getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier?: string } | undefined;
  return ext?.subjectKeyIdentifier ? Buffer.from(ext.subjectKeyIdentifier, 'hex').toString('base64') : undefined;
}

export interface KeyPair {
  cert: X509Certificate;
  key: KeyObject;
}

/**
 * The key and certificate in a PKCS#12 file, in the modern encoding (PBES2, PBKDF2-HMAC-SHA256,
 * AES-256-CBC; OpenSSL 3's default) or the legacy one (3DES/RC2, SHA-1 MAC) MitID Erhverv and older
 * tools still write. Node's crypto reads PKCS#12 only for TLS, so node-forge parses it.
 */
export function keyPairFromPkcs12(data: Buffer, passphrase: string): KeyPair {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(data.toString('binary'))), false, passphrase);
  } catch (e) {
    throw new XmlSecurityError(`cannot read the PKCS#12 file (wrong passphrase or not PKCS#12): ${(e as Error).message}`);
  }
  const keyBags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? []),
  ];
  const certBags = p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [];
  const keyBag = keyBags.find((b) => b.key);
  if (!keyBag?.key) throw new XmlSecurityError('the PKCS#12 file holds no private key');
  const key = createPrivateKey(forge.pki.privateKeyToPem(keyBag.key as forge.pki.rsa.PrivateKey));
  // The certificate whose public key matches the private key (the file may also hold the CA chain).
  for (const bag of certBags) {
    if (!bag.cert) continue;
    const cert = new X509Certificate(forge.pki.certificateToPem(bag.cert));
    if (cert.checkPrivateKey(key)) return { cert, key };
  }
  throw new XmlSecurityError('the PKCS#12 file holds no certificate for its private key');
}

export function keyPairFromPem(certPem: string, keyPem: string, passphrase?: string): KeyPair {
  const cert = new X509Certificate(certPem);
  const key = createPrivateKey({ key: keyPem, passphrase });
  if (!cert.checkPrivateKey(key)) throw new XmlSecurityError('the certificate does not belong to the private key');
  return { cert, key };
}

const KEYS = new WeakMap<X509Certificate, KeyObject>();
/** A pinned certificate's public key, parsed once (verifying parsed the PEM again on every call). */
export function publicKeyOf(cert: X509Certificate): KeyObject {
  let key = KEYS.get(cert);
  if (!key) KEYS.set(cert, (key = cert.publicKey));
  return key;
}
