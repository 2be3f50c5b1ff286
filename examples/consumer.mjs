#!/usr/bin/env node
// A consumer of the change feed: mirrors the units of FK Organisation (uuid -> name) and keeps
// its place in a cursor file. First run: genudsend (every unit now), then the feed from where the
// replay began. Later runs: the feed after the saved cursor. The cursor is saved only after the
// events before it are applied, so a crash repeats events (at least once) and never skips one;
// applying by uuid makes a repeat harmless.
//
//   SUBGRAPH_URL=http://127.0.0.1:4001/graphql node examples/consumer.mjs [state.json] [--follow]
//
// Without --follow it stops at the first empty page and prints the mirror as JSON.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

const url = process.env.SUBGRAPH_URL ?? 'http://127.0.0.1:4001/graphql';
const stateFile = process.argv.find((a, i) => i > 1 && !a.startsWith('--')) ?? 'consumer-state.json';
const follow = process.argv.includes('--follow');

const state = existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8')) : { efter: null, enheder: {} };
const save = () => {
  writeFileSync(`${stateFile}.tmp`, JSON.stringify(state, null, 1));
  renameSync(`${stateFile}.tmp`, stateFile); // atomic: the old state or the new one
};

async function gql(query, variables) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = await res.json();
  if (body.errors) throw Object.assign(new Error(body.errors[0].message), { code: body.errors[0].extensions?.code });
  return body.data;
}

const FIELDS = 'naesteEfter aendringer { type uuid art }';
const NAMES = 'query ($uuids: [UUID!]!) { organisationEnheder(uuids: $uuids) { uuid navn } }';

/** Applies a page: removed units go, the others are read again now (the feed says what, not the new values). */
async function apply(side) {
  const gone = side.aendringer.filter((e) => e.art === 'FJERNET' || e.art === 'OPHOERER').map((e) => e.uuid);
  const read = [...new Set(side.aendringer.filter((e) => !gone.includes(e.uuid)).map((e) => e.uuid))];
  for (const u of gone) delete state.enheder[u];
  if (read.length > 0) {
    const { organisationEnheder } = await gql(NAMES, { uuids: read });
    for (const u of organisationEnheder) if (u) state.enheder[u.uuid] = u.navn;
  }
  state.efter = side.naesteEfter;
  save();
}

for (;;) {
  let side;
  try {
    side = state.efter === null
      ? (await gql(`query { genudsend(filter: { typer: [OrganisationEnhed] }, maks: 100) { ${FIELDS} } }`)).genudsend
      : (await gql(`query ($efter: String) { aendringer(efter: $efter, typer: [OrganisationEnhed], maks: 100) { ${FIELDS} } }`, { efter: state.efter })).aendringer;
  } catch (e) {
    if (e.code !== 'CURSOR_EXPIRED') throw e;
    // Events after our cursor are gone (retention, or a reset log): start over from the current state.
    Object.assign(state, { efter: null, enheder: {} });
    continue;
  }
  await apply(side);
  if (side.aendringer.length === 0) {
    if (!follow) break;
    await new Promise((r) => setTimeout(r, 5000));
  }
}
console.log(JSON.stringify(state.enheder));
