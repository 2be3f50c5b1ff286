import { createHash, createSign, type KeyObject } from 'node:crypto';
import { ExclusiveCanonicalization, SignedXml } from 'xml-crypto';
import { elements, idIndex, kid, kids, only, parseDom, textOf, XmlSecurityError, type El } from './dom';
import { ALG, WS } from './ns';

/**
 * XML signatures as OIO IDWS uses them: RSA-SHA256, SHA-256 digests, exclusive c14n, and for the
 * holder-of-key call a reference to the token's SecurityTokenReference through the STR-Transform.
 *
 * Verifying uses xml-crypto. Signing builds SignedInfo by hand: xml-crypto 6.3.2 cannot emit the
 * `wsse:TransformationParameters` child the STR-Transform requires (its references take only a list
 * of transform URIs), so the digests are computed here with xml-crypto's ExclusiveCanonicalization
 * and the signature is spliced into the message text (the assertion's bytes stay untouched).
 */

const c14n = new ExclusiveCanonicalization();

export function canonical(node: El): string {
  return c14n.process(node, {}).toString();
}

export function digest(node: El): string {
  return createHash('sha256').update(canonical(node), 'utf8').digest('base64');
}

export interface SignedRef {
  /** wsu:Id (or ID) of the referenced element, without '#'. */
  id: string;
  /** Reference the STR with the STR-Transform: the digest is over the dereferenced token. */
  strTransform?: boolean;
  /** An enveloped signature (the SAML assertion's own): enveloped-signature, then exc-c14n. */
  enveloped?: boolean;
}

const TRANSFORM_EXC = `<Transform Algorithm="${ALG.excC14n}"/>`;
const TRANSFORM_ENVELOPED = `<Transform Algorithm="${ALG.enveloped}"/>${TRANSFORM_EXC}`;
// The prefix is declared on TransformationParameters itself, so SignedInfo canonicalises the same alone and in context.
const TRANSFORM_STR = `<Transform Algorithm="${ALG.strTransform}"><o:TransformationParameters xmlns:o="${WS.wsse}"><CanonicalizationMethod Algorithm="${ALG.excC14n}"/></o:TransformationParameters></Transform>`;

/**
 * The Signature element over `refs` in `xml` (which must hold each referenced element exactly once),
 * signed with `key`; `keyInfo` is the KeyInfo's content. The caller splices it into the message.
 */
export function buildSignature(xml: string, refs: readonly SignedRef[], key: KeyObject | string, keyInfo: string): string {
  const signedInfo = buildSignedInfo(xml, refs);
  const alone = parseDom(`<Signature xmlns="${WS.ds}">${signedInfo}</Signature>`).documentElement;
  const value = createSign('RSA-SHA256').update(canonical(elements(alone)[0]), 'utf8').sign(key, 'base64');
  return `<Signature xmlns="${WS.ds}">${signedInfo}<SignatureValue>${value}</SignatureValue><KeyInfo>${keyInfo}</KeyInfo></Signature>`;
}

/** SignedInfo (in the ds default namespace of its Signature) with the digests of `refs` in `xml`. */
export function buildSignedInfo(xml: string, refs: readonly SignedRef[]): string {
  const doc = parseDom(xml);
  const ids = idIndex(doc);
  const references = refs.map((r) => {
    const found = ids.get(r.id) ?? [];
    if (found.length !== 1) throw new XmlSecurityError(`cannot sign #${r.id}: ${found.length} elements carry that Id`);
    const value = r.strTransform ? digest(strTarget(found[0])) : digest(found[0]);
    return `<Reference URI="#${r.id}"><Transforms>${r.strTransform ? TRANSFORM_STR : r.enveloped ? TRANSFORM_ENVELOPED : TRANSFORM_EXC}</Transforms>`
      + `<DigestMethod Algorithm="${ALG.sha256}"/><DigestValue>${value}</DigestValue></Reference>`;
  }).join('');
  return `<SignedInfo><CanonicalizationMethod Algorithm="${ALG.excC14n}"/><SignatureMethod Algorithm="${ALG.rsaSha256}"/>${references}</SignedInfo>`;
}

/** The SAML assertion a SecurityTokenReference points at by SAMLID (exactly one in the document). */
export function strTarget(str: El): El {
  const keyId = textOf(only(str, WS.wsse, 'KeyIdentifier', 'SecurityTokenReference/KeyIdentifier'));
  const doc = str.ownerDocument;
  const found: El[] = [];
  const walk = (e: El): void => {
    if (e.namespaceURI === WS.saml && e.localName === 'Assertion' && e.getAttribute('ID') === keyId) found.push(e);
    for (const c of elements(e)) walk(c);
  };
  walk(doc.documentElement);
  if (found.length !== 1) throw new XmlSecurityError(`SecurityTokenReference ${keyId} matches ${found.length} assertions`);
  return found[0];
}

/**
 * The STR-Transform for xml-crypto's verifier (OASIS WSS 1.0 §8.3): replaces the STR by the
 * exclusive canonical form of the token it references. xml-crypto has no such transform; its
 * pluggable transforms receive a clone that keeps ownerDocument, which is all the lookup needs.
 */
class StrTransform {
  includeComments = false;
  process(node: Node): string {
    return canonical(strTarget(node as El));
  }
  getAlgorithmName(): string {
    return ALG.strTransform;
  }
}

export interface VerifiedSignature {
  /** Referenced Ids (without '#'), in SignedInfo order. */
  ids: string[];
  /** Of those, the ones referenced through the STR-Transform. */
  strIds: string[];
}

/**
 * Verifies `signature` (an element of `xml`'s document) with the given certificate only — never a
 * key the message itself offers — and insists on RSA-SHA256, SHA-256 and exc-c14n / STR-Transform.
 */
export function verifySignature(xml: string, signature: El, certPem: string): VerifiedSignature {
  const signedInfo = only(signature, WS.ds, 'SignedInfo');
  const algo = (e: El | undefined): string => e?.getAttribute('Algorithm') ?? '';
  if (algo(kid(signedInfo, WS.ds, 'CanonicalizationMethod')) !== ALG.excC14n) throw new XmlSecurityError('SignedInfo must be canonicalised with exclusive c14n');
  if (algo(kid(signedInfo, WS.ds, 'SignatureMethod')) !== ALG.rsaSha256) throw new XmlSecurityError('signature method must be rsa-sha256');
  const ids: string[] = [];
  const strIds: string[] = [];
  for (const ref of kids(signedInfo, WS.ds, 'Reference')) {
    const uri = ref.getAttribute('URI') ?? '';
    if (!uri.startsWith('#') || uri.length < 2) throw new XmlSecurityError(`reference URI ${uri || '(empty)'} is not a same-document Id`);
    if (algo(kid(ref, WS.ds, 'DigestMethod')) !== ALG.sha256) throw new XmlSecurityError(`reference ${uri}: digest must be sha256`);
    const transforms = kids(kid(ref, WS.ds, 'Transforms') ?? ref, WS.ds, 'Transform').map(algo);
    const ok = (transforms.length === 1 && (transforms[0] === ALG.excC14n || transforms[0] === ALG.strTransform))
      || (transforms.length === 2 && transforms[0] === ALG.enveloped && transforms[1] === ALG.excC14n);
    if (!ok) throw new XmlSecurityError(`reference ${uri}: unexpected transforms ${transforms.join(', ') || '(none)'}`);
    ids.push(uri.slice(1));
    if (transforms[0] === ALG.strTransform) strIds.push(uri.slice(1));
  }
  if (ids.length === 0) throw new XmlSecurityError('signature has no references');
  const sig = new SignedXml({ publicCert: certPem, getCertFromKeyInfo: () => null });
  (sig.CanonicalizationAlgorithms as Record<string, unknown>)[ALG.strTransform] = StrTransform;
  sig.loadSignature(signature);
  let valid: boolean;
  try {
    valid = sig.checkSignature(xml);
  } catch (e) {
    throw new XmlSecurityError(`signature does not verify: ${(e as Error).message}`);
  }
  if (!valid) {
    // xml-crypto answers false for a bad digest and keeps the reason on the reference.
    const why = sig.getReferences().map((r) => r.validationError?.message).find((m) => m);
    throw new XmlSecurityError(`signature does not verify${why ? `: ${why}` : ''}`);
  }
  return { ids, strIds };
}

/**
 * Checks that each required element is signed: it carries an Id no other element carries, and the
 * signature references it. Callers pass the genuine elements (found by position: Envelope/Body,
 * direct Header children), so a signed copy elsewhere (wrapping) does not count.
 */
export function requireSigned(doc: Document, verified: VerifiedSignature, required: ReadonlyArray<[string, El | undefined]>): void {
  const index = idIndex(doc);
  for (const [name, e] of required) {
    if (!e) throw new XmlSecurityError(`${name} is missing`);
    const id = e.getAttribute('wsu:Id') || e.getAttributeNS(WS.wsu, 'Id') || e.getAttribute('ID') || e.getAttribute('Id') || '';
    if (!id || !verified.ids.includes(id)) throw new XmlSecurityError(`${name} is not signed`);
    if ((index.get(id) ?? []).length !== 1) throw new XmlSecurityError(`${name}: Id ${id} is not unique`);
  }
}

/** The envelope's Header and Body; anything but one of each is refused. */
export function envelopeParts(doc: Document): { header: El; body: El } {
  const root = doc.documentElement;
  if (root.namespaceURI !== WS.soap || root.localName !== 'Envelope') throw new XmlSecurityError('not a SOAP 1.2 envelope');
  const header = only(root, WS.soap, 'Header', 'SOAP Header');
  const body = only(root, WS.soap, 'Body', 'SOAP Body');
  if (elements(root).length !== 2) throw new XmlSecurityError('SOAP Envelope must hold exactly a Header and a Body');
  return { header, body };
}
