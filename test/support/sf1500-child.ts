/**
 * The local SF1500 as a child process (`src/emulator/main.ts`), for crash tests: SIGKILL it, start it
 * again on the same database file.
 *
 * It runs `dist/src/emulator/main.js` when dist is at least as new as every file under src/ (`npm test`
 * builds first). Otherwise the sources are transpiled (no type check, about a second) into a temporary
 * directory and run from there, so a stale dist never hides a change (SF1500_CHILD_FROM=transpiled forces that).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..');
const SRC = path.join(ROOT, 'src');

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(path.join(dir, d.name)) : [path.join(dir, d.name)]));
}

let entry: { file: string; env: Record<string, string>; from: 'dist' | 'transpiled' } | undefined;

/** The runnable main.js of the local SF1500 (see the module comment). */
export function emulatorEntry(): { file: string; env: Record<string, string>; from: 'dist' | 'transpiled' } {
  if (entry) return entry;
  const dist = path.join(ROOT, 'dist', 'src', 'emulator', 'main.js');
  const sources = files(SRC);
  if (fs.existsSync(dist) && process.env.SF1500_CHILD_FROM !== 'transpiled') {
    const built = fs.statSync(dist).mtimeMs;
    if (sources.every((f) => !f.endsWith('.ts') || fs.statSync(f).mtimeMs <= built)) {
      entry = { file: dist, env: {}, from: 'dist' };
      return entry;
    }
  }
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'sf1500-child-'));
  const compilerOptions: ts.CompilerOptions = {
    module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, experimentalDecorators: true,
    emitDecoratorMetadata: true, resolveJsonModule: true, isolatedModules: true,
  };
  for (const f of sources) {
    const rel = path.relative(ROOT, f);
    const target = path.join(out, rel.replace(/\.ts$/, '.js'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (f.endsWith('.ts')) fs.writeFileSync(target, ts.transpileModule(fs.readFileSync(f, 'utf8'), { compilerOptions, fileName: f }).outputText);
    else fs.copyFileSync(f, target);
  }
  entry = { file: path.join(out, 'src', 'emulator', 'main.js'), env: { NODE_PATH: path.join(ROOT, 'node_modules') }, from: 'transpiled' };
  return entry;
}

export interface ChildSf1500 {
  url: string;
  seeded: number;
  child: ChildProcess;
  /** Resolves with the exit signal/code once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

/** Starts the local SF1500 on a free port with `dbFile`; resolves once it listens. */
export function startChildSf1500(dbFile: string, env: Record<string, string> = {}, startTimeoutMs = 60_000): Promise<ChildSf1500> {
  const e = emulatorEntry();
  const child = spawn(process.execPath, [e.file], {
    cwd: ROOT,
    env: { ...process.env, ...e.env, SF1500_PORT: '0', SF1500_DB: dbFile, SF1500_SEED: 'korsbaek', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  child.stderr!.on('data', (c: Buffer) => {
    err += c.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the SF1500 child did not start within ${startTimeoutMs} ms: ${err}`));
    }, startTimeoutMs);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.includes('"url"'));
      if (!line) return;
      clearTimeout(timer);
      const info = JSON.parse(line) as { url: string; seeded: number };
      resolve({ url: info.url, seeded: info.seeded, child, exited, stderr: () => err });
    });
    void exited.then((x) => {
      clearTimeout(timer);
      reject(new Error(`the SF1500 child exited before listening (${x.code ?? x.signal}): ${err}`));
    });
  });
}

/** Another entry point of the same tree as {@link emulatorEntry} (dist or transpiled), e.g. 'gateway/main.js'. */
export function srcEntry(rel: string): { file: string; env: Record<string, string> } {
  const e = emulatorEntry();
  return { file: path.join(path.dirname(e.file), '..', rel), env: e.env };
}
