import { testStack } from '../support/stack';
import { KORSBAEK } from '../../src/emulator/seed/korsbaek';
it('probe', async () => {
  const s = await testStack();
  const url = s.subgraph.url;
  const cases: Array<[string, RequestInit]> = [
    ['no ct', { method: 'POST', body: '{"query":"{ __typename }"}' }],
    ['text/plain', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"query":"{ __typename }"}' }],
    ['bad json', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":' }],
    ['json array', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[1,2]' }],
    ['json null', { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'null' }],
    ['json number', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '5' }],
    ['json string', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '"x"' }],
    ['query num', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":5}' }],
    ['empty obj', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }],
    ['empty body', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '' }],
    ['vars str', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }","variables":"x"}' }],
    ['syntax', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ organisationEnhed(uuid: "}' }],
    ['unknown field', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ nope }"}' }],
    ['bad uuid', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'query($u: UUID!) { organisationEnhed(uuid: $u) { navn } }', variables: { u: 'xyz' } }) }],
    ['bad uuid lit', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ organisationEnhed(uuid: "xyz") { navn } }' }) }],
    ['bad dt', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'query($t: DateTime) { organisationEnhed(uuid: "' + KORSBAEK.rootUnit + '", virkning: {tidspunkt: $t}) { navn } }', variables: { t: '2020-13-45' } }) }],
    ['first 0', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ soegOrganisationEnheder(first: 0) { totalCount } }' }) }],
    ['first big', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ soegOrganisationEnheder(first: 100000) { totalCount } }' }) }],
    ['first neg', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ soegOrganisationEnheder(first: -3) { totalCount } }' }) }],
    ['first huge int', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ soegOrganisationEnheder(first: 99999999999) { totalCount } }' }) }],
    ['bad cursor', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ soegOrganisationEnheder(after: "zzz") { totalCount } }' }) }],
    ['GET no query', { method: 'GET' }],
    ['PUT', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }],
    ['DELETE', { method: 'DELETE' }],
    ['mutation', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'mutation { x }' }) }],
    ['subscription', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'subscription { x }' }) }],
    ['two ops no name', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'query a { __typename } query b { __typename }' }) }],
    ['opname wrong', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'query a { __typename }', operationName: 'zz' }) }],
    ['too big', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' + ' '.repeat(200000) }) }],
    ['aliases', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ ' + Array.from({length: 100}, (_, i) => `a${i}: __typename`).join(' ') + ' }' }) }],
    ['deep', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ organisationEnhed(uuid: "' + KORSBAEK.rootUnit + '") ' + '{ overordnet '.repeat(20) + '{ navn }' + ' }'.repeat(21) }) }],
    ['multipart', { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: '--x\r\n' }],
    ['batch', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[{"query":"{ __typename }"}]' }],
    ['accept xml', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/xml' }, body: '{"query":"{ __typename }"}' }],
    ['cost', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ soegOrganisationEnheder(first: 500) { nodes { underenheder { underenheder { navn tilknyttedeBrugere { navn } } } } } }' }) }],
  ];
  for (const [name, init] of cases) {
    const res = await fetch(url, init);
    const t = await res.text();
    console.log(name, res.status, res.headers.get('content-type'), t.slice(0, 300));
  }
  await s.close();
});
