import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { KORSBAEK } from '../../src/emulator/seed/korsbaek';
import { testStack } from '../support/stack';

type Stack = Awaited<ReturnType<typeof testStack>>;
let s: Stack;
beforeAll(async () => {
  s = await testStack();
});
afterAll(async () => {
  await s.close();
});

const base = (): string => s.subgraph.url.replace(/\/graphql$/, '');

function metric(text: string, name: string, labels: Record<string, string>): number {
  const sel = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && sel.every((x) => l.includes(x)));
  return line ? Number(line.split(' ').pop()) : 0;
}

it('answers /health and /ready', async () => {
  const h = await fetch(`${base()}/health`);
  expect(h.status).toBe(200);
  expect(await h.json()).toEqual({ status: 'ok' });
  const r = await fetch(`${base()}/ready`);
  expect(r.status).toBe(200);
});

it('marks GraphQL answers uncacheable (Cache-Control: no-store), errors included', async () => {
  for (const query of [`{ organisationEnhed(uuid: "${KORSBAEK.rootUnit}") { navn } }`, '{ organisationEnhed(uuid: "nope") { navn } }']) {
    const r = await fetch(s.subgraph.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    expect(r.headers.get('cache-control')).toBe('no-store');
  }
});

it('moves the Prometheus metrics when queries run', async () => {
  const before = await (await fetch(`${base()}/metrics`)).text();
  const q = `query Kort { organisationEnhed(uuid: "${KORSBAEK.rootUnit}") { navn efterkommere(maksDybde: 1) { navn } } }`;
  await s.gql(q);
  await s.gql(q);
  const after = await (await fetch(`${base()}/metrics`)).text();
  expect(metric(after, 'graphql_requests_total', { operation: 'Kort', outcome: 'ok' }) - metric(before, 'graphql_requests_total', { operation: 'Kort', outcome: 'ok' })).toBe(2);
  expect(metric(after, 'graphql_request_duration_seconds_count', { operation: 'Kort' })).toBeGreaterThanOrEqual(2);
  expect(metric(after, 'sf1500_calls_total', { service: 'organisationenhed', operation: 'list', outcome: 'ok' }))
    .toBeGreaterThan(metric(before, 'sf1500_calls_total', { service: 'organisationenhed', operation: 'list', outcome: 'ok' }));
  expect(metric(after, 'sf1500_call_duration_seconds_count', { service: 'organisationsystem', operation: 'fremsoegobjekthierarki' })).toBeGreaterThanOrEqual(1);
  expect(after).toMatch(/cache_hits_total\{cache="objects"\}/);
});

it('/ready answers 503 when the SF1500 is unreachable, /health stays 200', async () => {
  const down = await testStack({ SF1500_BASE_URL: 'http://127.0.0.1:9', SF1500_RETRIES: '0', SF1500_TIMEOUT_MS: '1000' });
  try {
    const b = down.subgraph.url.replace(/\/graphql$/, '');
    expect((await fetch(`${b}/ready`)).status).toBe(503);
    expect((await fetch(`${b}/health`)).status).toBe(200);
    const r = await down.gql(`{ organisationEnhed(uuid: "${KORSBAEK.rootUnit}") { navn } }`);
    expect(r.errors![0].extensions!.code).toBe('SF1500_UNAVAILABLE');
  } finally {
    await down.close();
  }
});

const main = join(__dirname, '..', '..', 'dist', 'src', 'main.js');
(existsSync(main) ? it : it.skip)('npm start\'s entry point starts both parts and shuts down gracefully on SIGTERM (sent twice)', async () => {
  const child = spawn(process.execPath, [main], {
    // NODE_ENV as in production use: under 'test' (jest's) Apollo installs no signal handlers of its own
    env: { ...process.env, NODE_ENV: 'development', PORT: '0', SF1500_PORT: '0', SF1500_DB: ':memory:', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start: ${out}`)), 30_000);
    child.stdout.on('data', () => {
      const m = /"url":"(http:\/\/[^"]+\/graphql)"/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ organisation(uuid: "${KORSBAEK.organisation}") { navn } }` }) });
  expect(((await r.json()) as { data: { organisation: { navn: string } } }).data.organisation.navn).toBe('Korsbæk Kommune');
  let sentTwice = false;
  const code = await new Promise<number | null>((resolve) => {
    child.on('exit', (c) => resolve(c));
    // twice, as when npm and a process manager both forward the signal: one clean shutdown, exit 0
    child.stdout.on('data', () => {
      if (/shutting down/.test(out) && !sentTwice) {
        sentTwice = true;
        child.kill('SIGTERM');
      }
    });
    child.kill('SIGTERM');
  });
  expect(code).toBe(0);
  expect(out.match(/shutting down/g)).toHaveLength(1);
  // Logs are JSON lines and carry no personal data at info level.
  for (const line of out.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
}, 60_000);

it('rejects bad configuration with every problem named', async () => {
  const { loadConfig, ConfigError } = await import('../../src/config');
  try {
    loadConfig({ PORT: 'x', SF1500_BASE_URL: 'ftp://nope', SF1500_BATCHING: 'maybe', SF1500_SEED: 'huge' });
    throw new Error('no error');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    const msg = (e as Error).message;
    for (const k of ['PORT=x', 'SF1500_BASE_URL=ftp://nope', 'SF1500_BATCHING=maybe', 'SF1500_SEED=huge']) expect(msg).toContain(k);
  }
});

it('switches introspection and the Sandbox landing page off for production, and names each query limit', async () => {
  const prod = await testStack({ GRAPHQL_INTROSPECTION: 'false', GRAPHQL_SANDBOX: 'false', GRAPHQL_MAX_DEPTH: '4', GRAPHQL_MAX_ALIASES: '2' });
  try {
    const intro = await prod.gql('{ __schema { types { name } } }');
    expect(intro.errors?.[0].message).toMatch(/introspection/i);
    const page = await fetch(prod.subgraph.url, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toMatch(/embeddable-sandbox|apollo-server-landing-page/);
    const deep = await prod.gql(`{ organisationEnhed(uuid: "${KORSBAEK.rootUnit}") { overordnet { overordnet { overordnet { overordnet { navn } } } } } }`);
    expect(deep.errors?.[0].message).toMatch(/depth 6 exceeds the limit of 4 \(GRAPHQL_MAX_DEPTH\)/);
    const aliases = await prod.gql(`{ a: organisation(uuid: "${KORSBAEK.organisation}") { navn } b: organisation(uuid: "${KORSBAEK.organisation}") { navn } c: organisation(uuid: "${KORSBAEK.organisation}") { navn } }`);
    expect(aliases.errors?.[0].message).toMatch(/GRAPHQL_MAX_ALIASES/);
    const ok = await prod.gql(`{ organisation(uuid: "${KORSBAEK.organisation}") { navn } }`);
    expect(ok.data!.organisation.navn).toBe('Korsbæk Kommune');
  } finally {
    await prod.close();
  }
});
