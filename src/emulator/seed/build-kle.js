#!/usr/bin/env node
/**
 * One-off generator of kle-data.json from KL's KLE Emneplan index CSV (2015-08-01).
 *
 *   node src/emulator/seed/build-kle.js <path/to/kle-emneplan-2015-08-01-index.csv>
 *
 * Input columns: nummer,niveau,overordnet_nummer,titel,oprettet_dato,rettet_dato,udgaaet_dato.
 * Output: a JSON array of [nummer, titel, overordnet] tuples (overordnet '' for a hovedgruppe),
 * in plan order (every parent precedes its children). The CSV is read only here, never at runtime.
 * If all rows make the JSON larger than 400 KB, only hovedgrupper, grupper and the emner of
 * hovedgrupper 00, 13, 14, 27 and 32 are kept.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const src = process.argv[2];
if (!src) {
  console.error('usage: node build-kle.js <kle-emneplan-index.csv>');
  process.exit(2);
}

/** RFC 4180 lines: fields may be quoted, quotes doubled inside quotes. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); field = '';
      rows.push(row); row = [];
    } else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

const [header, ...rows] = parseCsv(fs.readFileSync(src, 'utf8').replace(/^\uFEFF/, ''));
const col = (name) => {
  const i = header.indexOf(name);
  if (i < 0) throw new Error(`column ${name} missing`);
  return i;
};
const N = col('nummer'), L = col('niveau'), P = col('overordnet_nummer'), T = col('titel');

const all = rows.filter((r) => r.length > 1).map((r) => ({ nummer: r[N], niveau: r[L], parent: r[P], titel: r[T].trim() }));
const seen = new Set();
for (const r of all) {
  if (seen.has(r.nummer)) throw new Error(`duplicate ${r.nummer}`);
  if (r.parent && !seen.has(r.parent)) throw new Error(`${r.nummer}: parent ${r.parent} not before it`);
  seen.add(r.nummer);
}

const tuples = (list) => list.map((r) => [r.nummer, r.titel, r.parent]);
let out = JSON.stringify(tuples(all));
if (Buffer.byteLength(out) > 400 * 1024) {
  const keep = new Set(['00', '13', '14', '27', '32']);
  out = JSON.stringify(tuples(all.filter((r) => r.niveau !== 'emne' || keep.has(r.nummer.slice(0, 2)))));
}
// one tuple per line: readable diffs, still compact
out = out.replace(/\],\[/g, '],\n[');
const dest = path.join(__dirname, 'kle-data.json');
fs.writeFileSync(dest, out + '\n');
const count = (lvl) => all.filter((r) => r.niveau === lvl).length;
console.log(`${dest}: ${JSON.parse(out).length} rows of ${all.length} (hovedgrupper ${count('hovedgruppe')}, grupper ${count('gruppe')}, emner ${count('emne')}), ${Buffer.byteLength(out)} bytes`);
