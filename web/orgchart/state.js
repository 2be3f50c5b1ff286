// @ts-check
// The page's state lives in the URL, so a link or an iframe shows exactly this view:
// ?enhed=<uuid>&virkning=<iso>&registrering=<iso>[&aaben=<uuid>,…][&visning=aendringer&fra=<iso>&til=<iso>]

/**
 * @typedef {object} ViewState
 * @property {string} enhed        top unit of the tree ('' = the organisation's root unit)
 * @property {string} virkning     valid time, ISO date or instant ('' = now)
 * @property {string} registrering transaction time ('' = now)
 * @property {string[]} aaben      expanded units below the top one
 * @property {string} visning      'trae' (tree) or 'aendringer' (changes)
 * @property {string} fra          changes view: from
 * @property {string} til          changes view: to
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIME = /^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

/** @param {string} search @returns {ViewState} */
export function readState(search) {
  const p = new URLSearchParams(search);
  const time = (/** @type {string} */ k) => { const v = p.get(k) ?? ''; return TIME.test(v) ? v : ''; };
  const enhed = p.get('enhed') ?? '';
  return {
    enhed: UUID.test(enhed) ? enhed.toLowerCase() : '',
    virkning: time('virkning'),
    registrering: time('registrering'),
    aaben: (p.get('aaben') ?? '').split(',').filter((u) => UUID.test(u)).map((u) => u.toLowerCase()),
    visning: p.get('visning') === 'aendringer' ? 'aendringer' : 'trae',
    fra: time('fra'),
    til: time('til'),
  };
}

/** Only what differs from the defaults, in a fixed order. @param {ViewState} s */
export function writeState(s) {
  const p = new URLSearchParams();
  if (s.enhed) p.set('enhed', s.enhed);
  if (s.virkning) p.set('virkning', s.virkning);
  if (s.registrering) p.set('registrering', s.registrering);
  if (s.aaben.length) p.set('aaben', s.aaben.join(','));
  if (s.visning === 'aendringer') {
    p.set('visning', 'aendringer');
    if (s.fra) p.set('fra', s.fra);
    if (s.til) p.set('til', s.til);
  }
  const q = p.toString();
  return q ? `?${q}` : '';
}

/** A date alone means the start of that day (UTC). @param {string} v @returns {string | null} */
export function toInstant(v) {
  if (!v) return null;
  return /^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v;
}
