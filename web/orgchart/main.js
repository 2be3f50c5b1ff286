// @ts-check
// /orgchart: wires the URL state, the GraphQL calls, the tree, the changes view and the exports.
import * as api from './api.js';
import { diff } from './changes.js';
import { download, toCsv, toPng, toSvg } from './export.js';
import { readState, writeState } from './state.js';
import { addChildren, newModel, renderTree, visibleRows } from './tree.js';

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
const input = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ (document.getElementById(id));

let state = readState(location.search);
/** @type {import('./tree.js').Model | null} */
let model = null;
/** @type {import('./changes.js').Change[]} */
let changes = [];
// Answers of a load that a newer one has replaced (a quick second date change) are dropped.
let generation = 0;

function setUrl(/** @type {boolean} */ push) {
  const url = location.pathname + writeState(state);
  // The same view twice (an input's input and change events) is one history entry.
  if (push && url !== location.pathname + location.search) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
}

function navigate(/** @type {Partial<import('./state.js').ViewState>} */ change) {
  state = { ...state, ...change };
  setUrl(true);
  void show();
}

function status(/** @type {'loading' | 'ready' | 'error'} */ kind, message = '') {
  $('indhold').dataset.status = kind;
  $('status').textContent = message;
}

const when = (/** @type {string} */ v) => v || 'nu';

async function show() {
  const gen = ++generation;
  status('loading');
  input('virkning').value = state.virkning.slice(0, 10);
  input('registrering').value = state.registrering.slice(0, 10);
  const changesView = state.visning === 'aendringer';
  $('visning').setAttribute('aria-pressed', String(changesView));
  $('aendringer').hidden = !changesView;
  $('trae').hidden = changesView;
  for (const id of ['eksport-svg', 'eksport-png']) /** @type {HTMLButtonElement} */ ($(id)).disabled = changesView;
  try {
    const top = state.enhed || (await api.rootUnit(state));
    if (!top) throw new Error('Ingen organisation fundet.');
    if (changesView) await showChanges(gen, top);
    else await showTree(gen, top);
    if (gen === generation) status('ready');
  } catch (e) {
    if (gen === generation) status('error', `Fejl: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function showTree(/** @type {number} */ gen, /** @type {string} */ top) {
  const unit = await api.unitWithChildren(top, state);
  if (!unit) throw new Error(`Enheden ${top} findes ikke på dette tidspunkt.`);
  const m = newModel(unit);
  // Open the units the URL names, one request per level of the tree.
  const wanted = new Set(state.aaben);
  for (;;) {
    const next = [...wanted].filter((u) => m.units.has(u) && !m.children.has(u));
    if (!next.length) break;
    for (const [parent, kids] of await api.childrenOf(next, state)) addChildren(m, parent, kids);
    for (const u of next) if (!m.children.has(u)) m.children.set(u, []);
  }
  for (const u of wanted) if (m.children.has(u) && u !== unit.uuid) m.open.add(u);
  if (gen !== generation) return;
  model = m;
  document.title = `Organisationsdiagram – ${unit.navn ?? ''}`;
  drawTree();
}

function drawTree() {
  if (!model) return;
  const m = model;
  const sti = $('sti');
  sti.replaceChildren();
  if (m.sti.length > 1) {
    sti.append('Sti: ');
    m.sti.forEach((s, i) => {
      if (i === m.sti.length - 1) return void sti.append(s.navn ?? '');
      const a = document.createElement('a');
      a.href = hrefFor(s.uuid);
      a.textContent = s.navn ?? s.uuid;
      sti.append(a, '› ');
    });
  }
  renderTree($('trae'), m, { toggle, href: hrefFor });
}

const hrefFor = (/** @type {string} */ uuid) => location.pathname + writeState({ ...state, enhed: uuid, aaben: [], visning: 'trae' });

async function toggle(/** @type {string} */ uuid) {
  if (!model) return;
  const m = model;
  if (m.open.has(uuid)) m.open.delete(uuid);
  else {
    if (!m.children.has(uuid)) {
      status('loading');
      const kids = await api.childrenOf([uuid], state);
      addChildren(m, uuid, kids.get(uuid) ?? []);
      status('ready');
    }
    m.open.add(uuid);
  }
  state = { ...state, aaben: [...m.open] };
  setUrl(false);
  drawTree();
  /** @type {HTMLElement | null} */ (document.querySelector(`[data-uuid="${uuid}"] .fold`))?.focus();
}

async function showChanges(/** @type {number} */ gen, /** @type {string} */ top) {
  if (!state.fra) state = { ...state, fra: new Date(Date.now() - 365 * 86400_000).toISOString().slice(0, 10) };
  setUrl(false);
  input('fra').value = state.fra.slice(0, 10);
  input('til').value = state.til.slice(0, 10);
  const [before, after] = await Promise.all([
    api.subtree(top, { virkning: state.fra, registrering: state.registrering }),
    api.subtree(top, { virkning: state.til, registrering: state.registrering }),
  ]);
  if (gen !== generation) return;
  changes = diff(before, after);
  const counts = new Map();
  for (const c of changes) counts.set(c.type, (counts.get(c.type) ?? 0) + 1);
  $('aendringer-resume').textContent = changes.length
    ? `${changes.length} ændringer fra ${state.fra} til ${when(state.til)}: ${[...counts].map(([t, n]) => `${n} ${t}`).join(', ')}.`
    : `Ingen ændringer fra ${state.fra} til ${when(state.til)}.`;
  const body = /** @type {HTMLElement} */ (document.querySelector('#aendringer-tabel tbody'));
  body.replaceChildren(...changes.map((c) => {
    const tr = document.createElement('tr');
    tr.dataset.uuid = c.uuid;
    tr.dataset.type = c.type;
    for (const v of [c.type, c.navn, c.foer, c.efter]) {
      const td = document.createElement('td');
      td.textContent = v;
      tr.append(td);
    }
    return tr;
  }));
}

function fileName(/** @type {string} */ ext) {
  const part = state.visning === 'aendringer' ? `aendringer-${state.fra}-${when(state.til)}` : `organisation-${when(state.virkning)}`;
  return `${part}.${ext}`.replace(/[^A-Za-z0-9._-]/g, '_');
}

function exportTitle() {
  return `${model?.top.navn ?? ''} – virkning ${when(state.virkning)}, registrering ${when(state.registrering)}`;
}

function exportCsv() {
  if (state.visning === 'aendringer') {
    const csv = toCsv(['aendring', 'uuid', 'enhed', 'foer', 'efter', 'fra', 'til'], changes.map((c) => [c.type, c.uuid, c.navn, c.foer, c.efter, state.fra, when(state.til)]));
    return download(fileName('csv'), new Blob([csv], { type: 'text/csv' }));
  }
  if (!model) return;
  const rows = visibleRows(model).map((r) => [r.niveau, r.uuid, r.navn, r.overordnet, r.leder, r.arvetLeder ? 'ja' : 'nej', r.medarbejdere, when(state.virkning), when(state.registrering)]);
  download(fileName('csv'), new Blob([toCsv(['niveau', 'uuid', 'navn', 'overordnet', 'leder', 'arvet_leder', 'medarbejdere', 'virkning', 'registrering'], rows)], { type: 'text/csv' }));
}

// Links inside the page (the tree, the path) change the view without a reload.
document.addEventListener('click', (ev) => {
  const a = ev.target instanceof Element ? ev.target.closest('a') : null;
  if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey) return;
  const url = new URL(a.href);
  if (url.origin !== location.origin || url.pathname !== location.pathname) return;
  ev.preventDefault();
  navigate(readState(url.search));
});
window.addEventListener('popstate', () => { state = readState(location.search); void show(); });

input('virkning').addEventListener('change', (e) => navigate({ virkning: /** @type {HTMLInputElement} */ (e.target).value }));
input('registrering').addEventListener('change', (e) => navigate({ registrering: /** @type {HTMLInputElement} */ (e.target).value }));
input('fra').addEventListener('change', (e) => navigate({ fra: /** @type {HTMLInputElement} */ (e.target).value }));
input('til').addEventListener('change', (e) => navigate({ til: /** @type {HTMLInputElement} */ (e.target).value }));
$('nu').addEventListener('click', () => navigate({ virkning: '', registrering: '' }));
$('visning').addEventListener('click', () => navigate({ visning: state.visning === 'aendringer' ? 'trae' : 'aendringer' }));
$('eksport-csv').addEventListener('click', exportCsv);
$('eksport-svg').addEventListener('click', () => { if (model) download(fileName('svg'), new Blob([toSvg(visibleRows(model), exportTitle())], { type: 'image/svg+xml' })); });
$('eksport-png').addEventListener('click', async () => {
  if (!model) return;
  try {
    download(fileName('png'), await toPng(toSvg(visibleRows(model), exportTitle())));
  } catch (e) {
    status('error', `Fejl: ${e instanceof Error ? e.message : String(e)}`);
  }
});

// Search by name: SF1500 soeg with wildcards, at the page's times.
let searchTimer = 0;
input('soeg').addEventListener('input', (e) => {
  const text = /** @type {HTMLInputElement} */ (e.target).value.trim();
  clearTimeout(searchTimer);
  const list = $('soegeresultater');
  if (text.length < 2) return void (list.hidden = true);
  searchTimer = window.setTimeout(async () => {
    try {
      const hits = await api.search(text, state);
      if (input('soeg').value.trim() !== text) return;
      list.replaceChildren(...hits.nodes.map((n) => {
        const li = document.createElement('li');
        const b = document.createElement('button');
        b.type = 'button';
        b.textContent = `${n.navn ?? n.uuid}${n.sti.length > 1 ? ` (${n.sti.slice(0, -1).map((s) => s.navn).join(' › ')})` : ''}`;
        b.dataset.uuid = n.uuid;
        b.addEventListener('click', () => { list.hidden = true; input('soeg').value = ''; navigate({ enhed: n.uuid, aaben: [], visning: 'trae' }); });
        li.append(b);
        return li;
      }));
      if (!hits.nodes.length) list.replaceChildren(Object.assign(document.createElement('li'), { textContent: 'Ingen enheder fundet.' }));
      list.hidden = false;
    } catch (err) {
      status('error', `Fejl: ${err instanceof Error ? err.message : String(err)}`);
    }
  }, 250);
});

void show();
