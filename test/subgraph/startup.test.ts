import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prettyLine, wantsPretty } from '../../src/log';

/**
 * Start-up as a user meets it: the built entry points (`npm start`, `npm run sf1500`) as child processes.
 * A bad setting is one line per problem naming the variable and what to do, exit code 2, before anything
 * starts (no database file created, nothing seeded, nothing logged on stdout).
 */

const root = join(__dirname, '..', '..');
const MAIN = join(root, 'dist', 'src', 'main.js');
const SF1500 = join(root, 'dist', 'src', 'emulator', 'main.js');
const built = existsSync(MAIN) && existsSync(SF1500);
const dir = mkdtempSync(join(tmpdir(), 'sf1500-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run { code: number | null; out: string; err: string }

/** Runs an entry point until it exits, or until `until` matches stdout (then stops it with SIGTERM). */
function run(entry: string, env: Record<string, string>, until?: RegExp): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry], {
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'development', PORT: '0', SF1500_PORT: '0', SF1500_DB: ':memory:', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`timed out; stdout: ${out}\nstderr: ${err}`)); }, 30_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (until?.test(out)) child.kill('SIGTERM');
    });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('exit', (code) => { clearTimeout(timer); resolve({ code, out, err }); });
  });
}

let busy: Server;
let busyPort: number;
beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
  busyPort = (busy.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => busy.close(() => r())));

const noStack = (text: string): void => expect(text).not.toMatch(/^\s+at /m);

(built ? describe : describe.skip)('npm start (dist/src/main.js)', () => {
  it('PORT in use: one line naming PORT, saying another instance may be running; exit 2', async () => {
    const r = await run(MAIN, { PORT: String(busyPort) });
    expect(r.code).toBe(2);
    expect(r.err).toBe(`sf1500-subgraph: PORT=${busyPort}: 127.0.0.1:${busyPort} is already in use; another instance of the subgraph (npm start) may be running; stop it or set PORT to a free port\n`);
    expect(r.out).toBe('');
  });

  it('SF1500_PORT in use: reported before the database is opened or seeded', async () => {
    const db = join(dir, 'never.db');
    const r = await run(MAIN, { SF1500_PORT: String(busyPort), SF1500_DB: db });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^sf1500-subgraph: SF1500_PORT=${busyPort}: 127\\.0\\.0\\.1:${busyPort} is already in use; another npm start or npm run sf1500 may be running; .*SF1500_BASE_URL.*\\n$`));
    expect(existsSync(db)).toBe(false);
    expect(r.out).toBe('');
  });

  it('missing and unreadable files, a bad HOST: every problem on its own line, exit 2, no stack trace', async () => {
    const garbage = join(dir, 'garbage.p12');
    writeFileSync(garbage, 'not a certificate');
    const notJson = join(dir, 'jwks.json');
    writeFileSync(notJson, 'keys: none');
    const notPem = join(dir, 'key.pem');
    writeFileSync(notPem, '-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n');
    const missing = await run(MAIN, { SF1500_TLS_PFX: join(dir, 'nope.p12'), AUTH_JWT_PUBLIC_KEY_FILE: join(dir, 'nope.pem'), HOST: 'not a host' });
    expect(missing.code).toBe(2);
    const lines = missing.err.trimEnd().split('\n');
    expect(lines).toEqual([
      `sf1500-subgraph: SF1500_TLS_PFX=${join(dir, 'nope.p12')}: no such file; set it to a PKCS#12 (.p12/.pfx) client certificate, or unset it`,
      `sf1500-subgraph: AUTH_JWT_PUBLIC_KEY_FILE=${join(dir, 'nope.pem')}: no such file; set it to a PEM public key (-----BEGIN PUBLIC KEY-----), or unset it`,
      'sf1500-subgraph: HOST=not a host: not an IP address or host name; use 127.0.0.1 (this machine only), 0.0.0.0 (all interfaces) or an address of this machine',
    ]);
    const bad = await run(MAIN, { SF1500_TLS_PFX: garbage, AUTH_JWKS_FILE: notJson });
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(new RegExp(`^sf1500-subgraph: SF1500_TLS_PFX=${garbage}: .*; check SF1500_TLS_PASSPHRASE and that the file is PKCS#12\\n`, 'm'));
    expect(bad.err).toMatch(/^sf1500-subgraph: AUTH_JWKS_FILE=.*: not JSON; give a JWKS file/m);
    const pem = await run(MAIN, { AUTH_JWT_PUBLIC_KEY_FILE: notPem });
    expect(pem.err).toMatch(/^sf1500-subgraph: AUTH_JWT_PUBLIC_KEY_FILE=.*: not a PEM public key .*\n$/);
    for (const r of [missing, bad, pem]) {
      noStack(r.err);
      expect(r.out).toBe('');
    }
  });

  it('a HOST that does not resolve is named, exit 2', async () => {
    const r = await run(MAIN, { HOST: 'no-such-host.invalid' });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^sf1500-subgraph: HOST=no-such-host\.invalid: no such host; /);
  });

  it('a bad value of another variable keeps its line and exit code 2', async () => {
    const r = await run(MAIN, { PORT: 'x', LOG_FORMAT: 'xml' });
    expect(r.code).toBe(2);
    expect(r.err).toBe('sf1500-subgraph: LOG_FORMAT=xml: must be auto, pretty or json\nsf1500-subgraph: PORT=x: must be an integer from 0 to 65535\n');
  });

  it('LOG_FORMAT=pretty: one readable line per entry, and no Apollo inline-tracing line', async () => {
    const r = await run(MAIN, { LOG_FORMAT: 'pretty', LOG_LEVEL: 'info' }, /subgraph started/);
    expect(r.out).toMatch(/^\d\d:\d\d:\d\d INFO  subgraph started \(Apollo Sandbox at the same URL\)  url=http:\/\/127\.0\.0\.1:\d+\/graphql sf1500=http:\/\/127\.0\.0\.1:\d+$/m);
    expect(r.out).toMatch(/^\d\d:\d\d:\d\d INFO  local SF1500 started  url=/m);
    expect(r.out).not.toMatch(/inline tracing/i);
    expect(r.out).not.toMatch(/^\{/m);
  });
});

(built ? describe : describe.skip)('npm run sf1500 (dist/src/emulator/main.js)', () => {
  it('logs as npm start does (pino JSON lines when not on a terminal)', async () => {
    const r = await run(SF1500, { LOG_LEVEL: 'info' }, /local SF1500 started/);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ level: 30, msg: expect.stringMatching(/^seeding the local SF1500 with Korsbæk Kommune/) });
    expect(lines.find((l) => l.msg === 'local SF1500 started')).toMatchObject({ level: 30, url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), seeded: expect.any(Number), time: expect.any(Number) });
  });

  it('SF1500_PORT in use: the same one line and exit code 2', async () => {
    const r = await run(SF1500, { SF1500_PORT: String(busyPort) });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^sf1500 \\(local SF1500\\): SF1500_PORT=${busyPort}: 127\\.0\\.0\\.1:${busyPort} is already in use; another npm start or npm run sf1500 may be running`));
    expect(r.out).toBe('');
  });
});

describe('log format', () => {
  it('is pretty on a terminal and JSON otherwise, unless chosen', () => {
    expect(wantsPretty('auto', true)).toBe(true);
    expect(wantsPretty('auto', false)).toBe(false);
    expect(wantsPretty('auto', undefined)).toBe(false);
    expect(wantsPretty('json', true)).toBe(false);
    expect(wantsPretty('pretty', false)).toBe(true);
  });

  it('a pretty line: time, level, message, then the fields as key=value', () => {
    const time = new Date(2026, 0, 2, 13, 4, 5).getTime();
    const line = prettyLine(JSON.stringify({ level: 40, time, pid: 1, hostname: 'h', msg: 'slow', ms: 12, url: 'http://x/y', note: 'two words', err: { message: 'boom' } }));
    expect(line).toBe('13:04:05 WARN  slow  ms=12 url=http://x/y note="two words" err="boom"\n');
    expect(prettyLine('not json')).toBe('not json');
  });
});
