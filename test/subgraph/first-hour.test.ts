import { Writable } from 'node:stream';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { KORSBAEK } from '../../src/emulator/seed';
import { startStack } from '../../src/stack';
import { testStack } from '../support/stack';

/** What a new user meets first: dates as people write them, history without a period, errors that say what to do. */

const { renamed } = KORSBAEK;
let s: Awaited<ReturnType<typeof testStack>>;
beforeAll(async () => { s = await testStack(); });
afterAll(async () => { await s.close(); });

describe('a date alone is midnight Copenhagen time, wherever a time is taken', () => {
  it('in literals of virkning and registrering, as the same instant written in full', async () => {
    // The rename is in effect from 2019-03-01 00:00 Danish time (2019-02-28T23:00Z), registered 2019-03-13.
    const r = await s.gql(`{ organisationEnhed(uuid: "${renamed.unit}") {
      foer: navn(virkning: { tidspunkt: "2019-02-28" })
      fra: navn(virkning: { tidspunkt: "2019-03-01" })
      fuld: navn(virkning: { tidspunkt: "2019-02-28T23:00:00Z" })
      lige_foer: navn(virkning: { tidspunkt: "2019-02-28T22:59:59.999Z" })
      somRegistreret: navn(virkning: { tidspunkt: "2019-06-01" }, registrering: { tidspunkt: "2019-03-05" })
      periode: historik(virkning: { fra: "2019-03-01", til: "2020-01-01" }) { egenskaber { navn virkning { fra } } }
    } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data!.organisationEnhed).toEqual({
      foer: renamed.oldName, fra: renamed.newName, fuld: renamed.newName, lige_foer: renamed.oldName, somRegistreret: renamed.oldName,
      periode: { egenskaber: [{ navn: renamed.newName, virkning: { fra: '2019-02-28T23:00:00.000Z' } }] },
    });
  });

  it('in variables', async () => {
    const r = await s.gql('query($t: DateTime!) { organisationEnhed(uuid: "' + renamed.unit + '") { navn(virkning: { tidspunkt: $t }) } }', { t: '2018-06-01' });
    expect(r.errors).toBeUndefined();
    expect(r.data!.organisationEnhed.navn).toBe(renamed.oldName);
  });

  it('a day the month lacks is refused, naming the value', async () => {
    const lit = await s.gql(`{ organisationEnhed(uuid: "${renamed.unit}") { navn(virkning: { tidspunkt: "2019-02-30" }) } }`);
    expect(lit.errors?.[0].message).toMatch(/2019-02-30/);
    // A literal is checked when the document is validated (GraphQL's rule); a variable when it is coerced.
    expect(lit.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const variable = await s.gql('query($t: DateTime!) { organisationEnhed(uuid: "' + renamed.unit + '") { navn(virkning: { tidspunkt: $t }) } }', { t: '2019-02-30' });
    expect(variable.errors?.[0].message).toMatch(/2019-02-30/);
    expect(variable.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('the published scalar says which forms it takes', async () => {
    const r = await s.gql('{ __type(name: "DateTime") { description } }');
    expect(r.data!.__type.description).toMatch(/date alone \(2019-03-01\).*Europe\/Copenhagen/);
  });
});

describe('historik', () => {
  it('without its own virkning lists the whole history, not only the row in force now', async () => {
    const r = await s.gql(`{ organisationEnhed(uuid: "${renamed.unit}") { historik { egenskaber { navn } } } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data!.organisationEnhed.historik.egenskaber.map((e: { navn: string }) => e.navn)).toEqual([renamed.oldName, renamed.newName]);
  });

  it('below a field at a period keeps that period', async () => {
    const r = await s.gql(`{ organisationEnhed(uuid: "${renamed.unit}", virkning: { fra: "2020-01-01" }) { historik { egenskaber { navn } } } }`);
    expect(r.data!.organisationEnhed.historik.egenskaber.map((e: { navn: string }) => e.navn)).toEqual([renamed.newName]);
  });
});

it('a time before an object existed: its fields answer null, and extensions.hints says why', async () => {
  const r = await s.gql(`{ organisationEnhed(uuid: "${renamed.unit}", virkning: { tidspunkt: "2010-01-01" }) { navn brugervendtNoegle overordnet { navn } } }`);
  expect(r.data!.organisationEnhed).toEqual({ navn: null, brugervendtNoegle: null, overordnet: null });
  expect((r as { extensions?: { hints?: string[] } }).extensions?.hints).toEqual([
    `OrganisationEnhed ${renamed.unit} has no rows at virkning 2009-12-31T23:00:00.000Z: it did not exist then (or had ended), so its fields answer null; historik lists the times it has rows`,
  ]);
  // An answer with data at its time carries no hints.
  const now = await s.gql(`{ organisationEnhed(uuid: "${renamed.unit}") { navn } }`);
  expect((now as { extensions?: { hints?: string[] } }).extensions?.hints).toBeUndefined();
});

it('the CPR error names the two settings that grant CPR numbers', async () => {
  const r = await s.gql('{ soegPersoner(first: 1) { nodes { cprNummer } } }');
  expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  expect(r.errors?.[0].message).toMatch(/CPR_SCOPE \(default secpr-nummer\).*CPR_EXPOSE=true/);
});

it('logs the first hierarchy load (the org chart waits for it) and nothing of Apollo\'s inline tracing', async () => {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({ write(chunk: Buffer, _e, done) { for (const l of chunk.toString().split('\n')) if (l) lines.push(JSON.parse(l)); done(); } });
  const config = loadConfig({ PORT: '0', SF1500_PORT: '0', SF1500_DB: ':memory:', SF1500_SEED: 'korsbaek', SF1500_HIERARCHY_CACHE_MS: '0' });
  const stack = await startStack(config, pino({ level: 'info' }, sink));
  try {
    const q = (): Promise<Response> => fetch(stack.subgraph.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ organisationEnhed(uuid: "${KORSBAEK.rootUnit}") { efterkommere { uuid } } }` }) }); // a whole-tree field: it waits for the snapshot (antalUnderenheder may be answered by targeted calls)
    await q();
    await q();
    const msgs = lines.map((l) => l.msg as string);
    expect(msgs.some((m) => /seeding the local SF1500 with Korsbæk Kommune/.test(m))).toBe(true);
    expect(msgs.filter((m) => /^loading the hierarchy snapshot \(/.test(m))).toHaveLength(1);
    const loaded = lines.filter((l) => l.msg === 'hierarchy snapshot loaded');
    // Later loads (the cache window is 0 here) log at debug only.
    expect(loaded).toHaveLength(1);
    expect(loaded[0]).toMatchObject({ pages: expect.any(Number), objects: expect.any(Number), ms: expect.any(Number) });
    expect(loaded[0].objects as number).toBeGreaterThan(20);
    expect(msgs.some((m) => /inline tracing/i.test(m))).toBe(false);
  } finally {
    await stack.close();
  }
});
