import { createHash } from 'node:crypto';
import { SYNTHETIC_CVR } from '../../src/emulator/local-idws';
import { withCvr } from '../../src/sf1500/idws/tenant';
import { canonical } from '../../src/wssec/dsig';
import { kid, parseDom } from '../../src/wssec/dom';
import { WS } from '../../src/wssec/ns';
import { digestBody } from '../../src/wssec/stream-c14n';
import { idwsWorld } from './harness';
import { vector } from './support';

/** The streaming Body digest must equal xml-crypto's exclusive c14n over xmldom, byte for byte. */

const library = (xml: string): string => {
  const body = kid(parseDom(xml).documentElement, WS.soap, 'Body')!;
  return createHash('sha256').update(canonical(body), 'utf8').digest('base64');
};
const same = (xml: string): void => {
  expect(digestBody(xml).bodyDigest).toBe(library(xml));
};
const env = (header: string, body: string, rootNs = ''): string =>
  `<s:Envelope xmlns:s="${WS.soap}" xmlns:u="${WS.wsu}"${rootNs}><s:Header>${header}</s:Header>${body}</s:Envelope>`;

// (sts-official-*.xml are SOAP 1.1 examples from the STS documentation: not the profile's wire.)
test.each(['sts-request.xml', 'sts-response.xml', 'service-request-signed.xml', 'service-response-signed.xml'])('KOMBIT capture %s', (name) => {
  same(vector(name));
});

test.each<[string, string]>([
  ['default namespace changes and is undeclared', env('', '<s:Body u:Id="b"><a xmlns="urn:a"><b xmlns=""><c xmlns="urn:c"/></b><a2/></a></s:Body>')],
  ['a prefix rebound inside the Body', env('', '<s:Body><p:x xmlns:p="urn:1"><p:y xmlns:p="urn:2"><p:z/></p:y><p:w/></p:x></s:Body>')],
  ['namespaces declared on the Envelope, used and unused', env('', '<s:Body><q:x r:a="1">t</q:x></s:Body>', ' xmlns:q="urn:q" xmlns:r="urn:r" xmlns:unused="urn:u"')],
  ['attribute escaping and sorting', env('', '<s:Body><x xmlns="urn:x" xmlns:b="urn:b" xmlns:a="urn:a" z="&amp;&lt;&quot;&#9;&#10;&#13;>" b:k="1" a:k="2" a="3" xml:lang="da"/></s:Body>')],
  ['text escaping, CDATA and comments', env('', '<s:Body><x>a &amp; b &lt; c &gt; d &#13; e\r\nf ]]&gt; <![CDATA[<&>]]><!-- weg --></x></s:Body>')],
  ['non-ASCII and astral characters, in header and body', env('<h xmlns="urn:h">Ærø 😀</h>', '<s:Body><x xmlns="urn:x" n="Korsbæk 😀">Ølstykke 😀</x></s:Body>')],
  ['whitespace between elements', env('', '<s:Body>\n  <x xmlns="urn:x">\n    <y/>\n  </x>\n</s:Body>')],
  ['no Header', `<s:Envelope xmlns:s="${WS.soap}"><s:Body><x xmlns="urn:x"/></s:Body></s:Envelope>`],
])('%s', (_name, xml) => {
  same(xml);
  expect(parseDom(digestBody(xml).headerXml).documentElement.localName).toBe('Envelope');
});

test('every request and answer of the local SF1500 in idws mode', async () => {
  const w = await idwsWorld();
  try {
    const users = await w.client.soeg('Bruger', {}, { offset: 0, limit: 50 });
    await w.client.list('Bruger', users);
    await w.client.list('Person', await w.client.soeg('Person', {}, { offset: 0, limit: 20 }));
    await w.client.fremsoeg({ offset: 0, limit: 100 });
    await withCvr(SYNTHETIC_CVR, () => w.client.fremsoeg({ offset: 0, limit: 100 }));
    await w.client.laes('OrganisationEnhed', '00000000-0000-0000-0000-000000000000');
    expect(w.exchanges.length).toBeGreaterThan(5);
    for (const x of w.exchanges) {
      same(x.request);
      same(x.response);
    }
  } finally {
    await w.close();
  }
}, 60_000);

test.each<[string, string]>([
  ['a second Body', env('', '<s:Body/><s:Body/>')],
  ['something after the Body', env('', '<s:Body/><x/>')],
  ['a Header after the Body', `<s:Envelope xmlns:s="${WS.soap}"><s:Body/><s:Header/></s:Envelope>`],
  ['SOAP 1.1', '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body/></s:Envelope>'],
  ['a DOCTYPE', `<!DOCTYPE x [<!ENTITY a "b">]><s:Envelope xmlns:s="${WS.soap}"><s:Body/></s:Envelope>`],
  ['malformed', env('', '<s:Body><x></s:Body>')],
  ['a processing instruction in the Body (xml-crypto cannot canonicalise it either)', env('', '<s:Body><?pi data?></s:Body>')],
])('refuses %s', (_name, xml) => {
  expect(() => digestBody(xml)).toThrow();
});

test('Ids inside the Body are reported (a duplicate of a header Id is wrapping)', () => {
  const s = digestBody(env('<h u:Id="a"/>', '<s:Body u:Id="body"><x u:Id="a"/><y ID="b"/></s:Body>'));
  expect(s.bodyId).toBe('body');
  expect(s.bodyIds).toEqual(['a', 'b']);
});
