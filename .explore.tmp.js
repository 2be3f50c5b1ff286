require('reflect-metadata');
const { startSf1500 } = require('./dist/src/emulator');
const { seedFor } = require('./dist/src/stack');
const { Sf1500Client } = require('./dist/src/sf1500/client');
const { Transport } = require('./dist/src/sf1500/transport');
const { buildEnvelope, parseEnvelope } = require('./dist/src/oio/envelope');
const { NS } = require('./dist/src/model/namespaces');
const { textEl } = require('./dist/src/xml/writer');
const { parseXml } = require('./dist/src/xml/reader');
(async () => {
  const s = await startSf1500({ dbFile: ':memory:', seed: seedFor('large') });
  const c = new Sf1500Client({ baseUrl: s.url });
  const tr = new Transport({ maxSockets: 8, maxResponseBytes: 1e9 });
  const now = new Date().toISOString();
  for (const off of [0, 500, 20000]) {
    const body = buildEnvelope({ qname: 'orgsys:FremsoegObjekthierarkiInput', namespaces: { sd: NS.sd, orgsys: NS.orgsys }, content: textEl('sd:FoersteResultatReference', off) + textEl('sd:MaksimalAntalKvantitet', 500) });
    let t = performance.now();
    const r = await tr.post(c.endpoint('organisation', 'organisationsystem'), body, Sf1500Client.soapAction('organisation','organisationsystem','fremsoegobjekthierarki'), 600000);
    const tPost = performance.now() - t;
    t = performance.now(); const x = parseXml(r.text); const tParse = performance.now() - t;
    t = performance.now(); await c.fremsoeg({ offset: off, limit: 500 }); const tAll = performance.now() - t;
    console.log({ off, bytes: r.bytes, tPost, tParse, MBps: r.bytes / 1e6 / (tParse / 1000), tAll });
    if (off === 0) require('fs').writeFileSync('/tmp/fremsoeg-page.xml', r.text);
  }
  await s.close(); c.close(); tr.close();
})();
