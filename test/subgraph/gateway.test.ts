import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KORSBAEK } from '../../src/emulator/seed';
import { startBalancer, type Balancer } from '../support/balancer';
import { HR_DATA, startSecondSubgraph, type SecondSubgraph } from '../support/second-subgraph';
import { srcEntry } from '../support/sf1500-child';
import { testStack, type GqlResult } from '../support/stack';

/**
 * `npm run gateway` as a user runs it: the gateway process (Hive Gateway over a supergraph composed by
 * @apollo/composition) in front of two replicas of our subgraph behind a round-robin balancer, both
 * reading one local SF1500, and the hr subgraph. Answers are checked against the Korsbæk seed facts.
 */

const B = KORSBAEK.brugere;
const ROOT = path.resolve(__dirname, '..', '..');

interface GatewayProcess {
  child: ChildProcess;
  lines: Array<Record<string, unknown>>;
  exited: Promise<number | null>;
  stderr(): string;
}

function spawnGateway(env: Record<string, string>, args: string[] = []): GatewayProcess {
  const e = srcEntry('gateway/main.js');
  const child = spawn(process.execPath, [e.file, ...args], {
    cwd: ROOT, env: { ...process.env, ...e.env, GATEWAY_PORT: '0', HR_PORT: '0', GATEWAY_LOG_LEVEL: process.env.GW_DEBUG ? 'debug' : 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<Record<string, unknown>> = [];
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => {
    out += c.toString();
    const parts = out.split('\n');
    out = parts.pop()!;
    for (const p of parts) if (p.startsWith('{')) lines.push(JSON.parse(p) as Record<string, unknown>);
  });
  child.stderr!.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  return { child, lines, exited, stderr: () => err };
}

async function waitForLine(g: GatewayProcess, msg: string, timeoutMs = 60_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = g.lines.find((l) => l.msg === msg);
    if (found) return found;
    if (g.child.exitCode !== null) throw new Error(`gateway exited (${g.child.exitCode}) before '${msg}': ${g.stderr()}`);
    if (Date.now() > deadline) throw new Error(`no '${msg}' from the gateway within ${timeoutMs} ms: ${g.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('npm run gateway: Hive Gateway in front of two subgraph replicas', () => {
  let first: Awaited<ReturnType<typeof testStack>>;
  let second: Awaited<ReturnType<typeof testStack>>;
  let hr: SecondSubgraph;
  let balancer: Balancer;
  let gateway: GatewayProcess;
  let gatewayUrl: string;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-'));
  const supergraphFile = path.join(dir, 'supergraph.graphql');

  const query = async (q: string, variables?: Record<string, unknown>): Promise<GqlResult> => {
    const res = await fetch(gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: q, variables }) });
    expect(res.status).toBe(200);
    return (await res.json()) as GqlResult;
  };

  beforeAll(async () => {
    // Two replicas of the subgraph on one local SF1500 (the first one's), as replicas share one SF1500.
    first = await testStack();
    [second, hr] = await Promise.all([testStack({ SF1500_BASE_URL: first.sf1500!.url }), startSecondSubgraph()]);
    balancer = await startBalancer([first.subgraph.url, second.subgraph.url]);
    gateway = spawnGateway({ SUBGRAPH_URL: `${balancer.url}/graphql`, HR_SUBGRAPH_URL: hr.url, SUPERGRAPH_FILE: supergraphFile });
    gatewayUrl = String((await waitForLine(gateway, 'gateway listening')).url);
    if (process.env.GW_DEBUG) gateway.child.stderr!.pipe(process.stderr);
  });

  afterAll(async () => {
    if (gateway && gateway.child.exitCode === null) {
      gateway.child.kill('SIGTERM');
      await gateway.exited;
    }
    await balancer?.close();
    await hr?.close();
    await second?.close();
    await first?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes the composed supergraph: both subgraphs with their routing URLs', () => {
    const sdl = fs.readFileSync(supergraphFile, 'utf8');
    expect(sdl).toMatch(/enum join__Graph \{[^}]*HR @join__graph\(name: "hr", url: "[^"]+"\)[^}]*SF1500 @join__graph\(name: "sf1500", url: "http:\/\/127\.0\.0\.1:\d+\/graphql"\)/s);
    expect(sdl).toContain(`url: "${balancer.url}/graphql"`);
    expect(sdl).toContain('medarbejdereMedKompetence');
    expect(sdl).toContain('organisationEnhed');
  });

  it('joins across the subgraphs, with the same answer from either replica', async () => {
    const q = `query ($enhed: UUID!) {
      organisationEnhed(uuid: $enhed) { navn medarbejdere { uuid navn ferieSaldo } leder { navn ferieSaldo } }
    }`;
    const before = [...balancer.counts];
    const answers: unknown[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await query(q, { enhed: KORSBAEK.renamed.unit });
      expect(res.errors).toBeUndefined();
      answers.push(res.data);
    }
    const unit = (answers[0] as { organisationEnhed: { navn: string; medarbejdere: Array<{ navn: string; uuid: string; ferieSaldo: number }>; leder: unknown } }).organisationEnhed;
    expect(unit.navn).toBe(KORSBAEK.renamed.newName);
    expect([...unit.medarbejdere].sort((a, b) => a.navn.localeCompare(b.navn))).toEqual([
      { uuid: B.HN, navn: 'HN', ferieSaldo: HR_DATA.find((r) => r.uuid === B.HN)!.ferieSaldo },
      { uuid: B.KA, navn: 'KA', ferieSaldo: HR_DATA.find((r) => r.uuid === B.KA)!.ferieSaldo },
    ]);
    expect(unit.leder).toEqual({ navn: 'GRMU', ferieSaldo: 30 });
    for (const a of answers) expect(a).toEqual(answers[0]);
    // Both replicas served part of it.
    expect(balancer.counts[0]).toBeGreaterThan(before[0]);
    expect(balancer.counts[1]).toBeGreaterThan(before[1]);
  });

  it('starts in the hr subgraph and resolves our fields through _entities', async () => {
    hr.received.length = 0;
    const res = await query('{ medarbejdereMedKompetence(kompetence: "Jobsøgning") { uuid ferieSaldo navn enheder { navn } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data!.medarbejdereMedKompetence).toEqual([
      { uuid: B.PIASTE, ferieSaldo: 12, navn: 'PIASTE', enheder: [{ navn: 'Ydelse og Rådighed' }] },
      { uuid: B.HENJAC, ferieSaldo: 20, navn: 'HENJAC', enheder: [{ navn: 'Job og Ressourcer' }] },
    ]);
    expect(hr.received.some((q) => q.includes('medarbejdereMedKompetence'))).toBe(true);
  });

  it('passes x-sf1500-calls through to our subgraph and its count back as a header', async () => {
    const res = await fetch(gatewayUrl, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-sf1500-calls': '1' },
      body: JSON.stringify({ query: `{ organisationEnhed(uuid: "${KORSBAEK.renamed.unit}") { navn } }` }),
    });
    const body = (await res.json()) as GqlResult;
    expect(body.data!.organisationEnhed).toEqual({ navn: KORSBAEK.renamed.newName });
    // One fetch from our subgraph, whose SOAP calls come back as a header (a laes or list of the unit).
    expect(res.headers.get('x-sf1500-calls')).toMatch(/^[1-9]\d*$/);
    const quiet = await fetch(gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(quiet.headers.get('x-sf1500-calls')).toBeNull();
  });

  it('--compose-only with the demo hr subgraph started by the gateway itself writes the file and exits 0', async () => {
    const file = path.join(dir, 'only.graphql');
    const g = spawnGateway({ SUBGRAPH_URL: first.subgraph.url, SUPERGRAPH_FILE: file }, ['--compose-only']);
    expect(await g.exited).toBe(0);
    expect(g.lines.map((l) => l.msg)).toEqual(['supergraph composed']);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/join__graph\(name: "hr", url: "http:\/\/127\.0\.0\.1:\d+\/"\)/);
  });

  it('a subgraph that never answers: the gateway says so and exits 1', async () => {
    const g = spawnGateway({ SUBGRAPH_URL: 'http://127.0.0.1:9/graphql', GATEWAY_WAIT_MS: '500', SUPERGRAPH_FILE: path.join(dir, 'none.graphql') });
    expect(await g.exited).toBe(1);
    expect(g.stderr()).toMatch(/subgraph http:\/\/127\.0\.0\.1:9\/graphql gave no SDL within 500 ms/);
  });
});
