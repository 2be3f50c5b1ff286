#!/usr/bin/env node
'use strict';
// `npx sf1500 ...` (and `npm run cli -- ...`): builds first when the sources changed, then runs the CLI.
require('../scripts/build').ensureBuilt();
const { runCli } = require('../dist/src/cli/main.js');

runCli(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e) => {
    process.stderr.write(`sf1500: ${(e && e.message) || String(e)}\n`);
    process.exitCode = 1;
  },
);
