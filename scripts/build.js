#!/usr/bin/env node
'use strict';
/**
 * The build (tsc), once per change instead of on every command: `npm start`, `npm run sf1500`,
 * `npm run cli` and `npx sf1500` call it with --if-stale and skip it while dist/ is newer than every
 * source file. `npm run build` (and so `npm test`) always type-checks and builds.
 * Plain JavaScript: it must run before anything is compiled.
 */
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const STAMP = join(ROOT, 'dist', '.build-stamp');
/** What the build compiles or checks, and what changes the compiler's view of it. */
const INPUTS = ['src', 'bench', 'test', 'web', 'tsconfig.json', 'tsconfig.web.json', 'package-lock.json'];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

function isStale() {
  if (!existsSync(STAMP)) return true;
  const built = statSync(STAMP).mtimeMs;
  return INPUTS.some((p) => newestMtime(join(ROOT, p)) > built);
}

/**
 * Runs tsc: the project (emits dist/), then the type-check of the browser pages (served as they are).
 * The stamp is written only when both succeed (tsc emits even with type errors).
 */
function build() {
  const tsc = require.resolve('typescript/bin/tsc', { paths: [ROOT] });
  for (const project of ['tsconfig.json', 'tsconfig.web.json']) {
    if (!existsSync(join(ROOT, project))) continue;
    const r = spawnSync(process.execPath, [tsc, '-p', join(ROOT, project)], { stdio: 'inherit', cwd: ROOT });
    if (r.status !== 0) return false;
  }
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  return true;
}

/** Builds when dist/ is older than the sources; exits the process when the build fails. */
function ensureBuilt() {
  if (!isStale()) return;
  process.stderr.write('building (tsc, about 10 s; once after each change to the sources)\n');
  if (!build()) {
    process.stderr.write('build failed: fix the type errors above, then run the command again\n');
    process.exit(1);
  }
}

module.exports = { ensureBuilt, isStale };

if (require.main === module) {
  if (process.argv.includes('--if-stale')) ensureBuilt();
  else if (!build()) process.exit(1);
}
