// @ts-check
// The tree model (units loaded so far, which are open) and its DOM: a WAI-ARIA tree of buttons and links.
import { leaderName } from './api.js';

/**
 * @typedef {object} Model
 * @property {import('./api.js').Unit} top
 * @property {{ uuid: string, navn: string | null }[]} sti       path from the root to top
 * @property {Map<string, import('./api.js').Unit>} units
 * @property {Map<string, string[]>} children                   loaded children, by parent
 * @property {Set<string>} open                                  expanded units (top is always open)
 */

/** @param {import('./api.js').Unit & { sti: { uuid: string, navn: string | null }[], underenheder: import('./api.js').Unit[] }} top @returns {Model} */
export function newModel(top) {
  const model = { top, sti: top.sti, units: new Map([[top.uuid, top]]), children: new Map(), open: new Set() };
  addChildren(model, top.uuid, top.underenheder);
  return model;
}

/** @param {Model} model @param {string} parent @param {import('./api.js').Unit[]} kids */
export function addChildren(model, parent, kids) {
  const sorted = [...kids].sort((a, b) => (a.navn ?? '').localeCompare(b.navn ?? '', 'da'));
  for (const k of sorted) model.units.set(k.uuid, k);
  model.children.set(parent, sorted.map((k) => k.uuid));
}

/**
 * What is shown, in display order (for exports and for drawing).
 * @param {Model} model
 * @returns {import('./export.js').Row[]}
 */
export function visibleRows(model) {
  /** @type {import('./export.js').Row[]} */
  const rows = [];
  const walk = (/** @type {string} */ uuid, /** @type {number} */ niveau, /** @type {string} */ overordnet) => {
    const u = model.units.get(uuid);
    if (!u) return;
    rows.push({ niveau, uuid, navn: u.navn ?? '', overordnet, leder: leaderName(u.leder), arvetLeder: Boolean(u.leder && !u.egenLeder), medarbejdere: u.antalMedarbejdere });
    if (uuid === model.top.uuid || model.open.has(uuid)) for (const c of model.children.get(uuid) ?? []) walk(c, niveau + 1, u.navn ?? '');
  };
  const parent = model.sti.length > 1 ? model.sti[model.sti.length - 2].navn ?? '' : '';
  walk(model.top.uuid, 0, parent);
  return rows;
}

/**
 * @typedef {object} Handlers
 * @property {(uuid: string) => void} toggle
 * @property {(uuid: string) => string} href   link that makes a unit the top of the tree
 */

/** @param {HTMLElement} into @param {Model} model @param {Handlers} h */
export function renderTree(into, model, h) {
  const ul = document.createElement('ul');
  ul.setAttribute('role', 'tree');
  ul.setAttribute('aria-label', 'Organisationsdiagram');
  ul.append(item(model, model.top.uuid, 1, h));
  into.replaceChildren(ul);
}

/** @param {Model} model @param {string} uuid @param {number} level @param {Handlers} h @returns {HTMLLIElement} */
function item(model, uuid, level, h) {
  const u = /** @type {import('./api.js').Unit} */ (model.units.get(uuid));
  const li = document.createElement('li');
  li.setAttribute('role', 'treeitem');
  li.setAttribute('aria-level', String(level));
  li.dataset.uuid = uuid;
  const isOpen = uuid === model.top.uuid || model.open.has(uuid);
  const card = document.createElement('div');
  card.className = 'enhed';
  if (u.harUnderenheder && uuid !== model.top.uuid) {
    li.setAttribute('aria-expanded', String(isOpen));
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'fold';
    b.textContent = isOpen ? '▾' : '▸';
    b.setAttribute('aria-label', `${isOpen ? 'Fold sammen' : 'Fold ud'}: ${u.navn ?? uuid}`);
    b.addEventListener('click', () => h.toggle(uuid));
    card.append(b);
  } else {
    const s = document.createElement('span');
    s.className = 'fold';
    card.append(s);
  }
  const a = document.createElement('a');
  a.className = 'navn';
  a.href = h.href(uuid);
  a.textContent = u.navn ?? '(uden navn)';
  a.title = 'Vis herfra';
  const meta = document.createElement('span');
  meta.className = 'meta';
  const leader = leaderName(u.leder);
  meta.textContent = [u.enhedstype?.titel, leader && `Leder: ${leader}${u.egenLeder ? '' : ' (arvet)'}`, u.antalMedarbejdere !== null && `${u.antalMedarbejdere} medarbejdere`].filter(Boolean).join(' · ');
  card.append(a, meta);
  li.append(card);
  const kids = model.children.get(uuid);
  if (isOpen && kids?.length) {
    const group = document.createElement('ul');
    group.setAttribute('role', 'group');
    for (const k of kids) group.append(item(model, k, level + 1, h));
    li.append(group);
  }
  return li;
}
