// @ts-check
// Everything the page knows comes from the subgraph's public GraphQL API.
import { toInstant } from './state.js';

/**
 * @typedef {object} Unit
 * @property {string} uuid
 * @property {string | null} navn
 * @property {boolean | null} harUnderenheder
 * @property {number | null} antalMedarbejdere
 * @property {{ titel: string | null } | null} enhedstype
 * @property {{ uuid: string, navn: string | null, tilknyttedePersoner: { navn: string | null }[] | null } | null} leder
 * @property {{ uuid: string } | null} egenLeder
 */

const UNIT = `fragment Unit on OrganisationEnhed {
  uuid navn harUnderenheder antalMedarbejdere
  enhedstype { titel }
  leder { uuid navn tilknyttedePersoner { navn } }
  egenLeder: leder(arv: false) { uuid }
}`;

// The endpoint beside the page, so the page also works behind a path prefix.
const ENDPOINT = location.pathname.replace(/\/orgchart\/?$/, '') + '/graphql';

/**
 * @param {string} query
 * @param {Record<string, unknown>} variables
 * @returns {Promise<any>}
 */
export async function gql(query, variables) {
  const res = await fetch(ENDPOINT, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = await res.json();
  if (body.errors?.length) throw new Error(body.errors.map((/** @type {{ message: string }} */ e) => e.message).join('; '));
  return body.data;
}

/** @param {{ virkning: string, registrering: string }} t */
function times(t) {
  const v = toInstant(t.virkning);
  const r = toInstant(t.registrering);
  return { v: v ? { tidspunkt: v } : null, r: r ? { tidspunkt: r } : null };
}

/** The root unit of the (first) organisation. @returns {Promise<string | null>} */
export async function rootUnit(/** @type {{ virkning: string, registrering: string }} */ t) {
  const d = await gql('query Rod($v: VirkningInput, $r: RegistreringInput) { soegOrganisationer(first: 1, virkning: $v, registrering: $r) { nodes { navn rodEnhed { uuid } } } }', times(t));
  return d.soegOrganisationer.nodes[0]?.rodEnhed?.uuid ?? null;
}

/**
 * A unit with its path from the root and its children.
 * @returns {Promise<(Unit & { sti: { uuid: string, navn: string | null }[], underenheder: Unit[] }) | null>}
 */
export async function unitWithChildren(/** @type {string} */ uuid, /** @type {{ virkning: string, registrering: string }} */ t) {
  const d = await gql(`query Enhed($u: UUID!, $v: VirkningInput, $r: RegistreringInput) {
    organisationEnhed(uuid: $u, virkning: $v, registrering: $r) { ...Unit sti { uuid navn } underenheder { ...Unit } }
  } ${UNIT}`, { u: uuid, ...times(t) });
  return d.organisationEnhed;
}

/** Children of several units in one request (the batching loaders make it one List per level). */
export async function childrenOf(/** @type {string[]} */ uuids, /** @type {{ virkning: string, registrering: string }} */ t) {
  if (!uuids.length) return new Map();
  const d = await gql(`query Underenheder($u: [UUID!]!, $v: VirkningInput, $r: RegistreringInput) {
    organisationEnheder(uuids: $u, virkning: $v, registrering: $r) { uuid underenheder { ...Unit } }
  } ${UNIT}`, { u: uuids, ...times(t) });
  /** @type {Map<string, Unit[]>} */
  const out = new Map();
  for (const e of d.organisationEnheder) if (e) out.set(e.uuid, e.underenheder ?? []);
  return out;
}

/** Units whose name contains the text (SF1500 soeg with wildcards). */
export async function search(/** @type {string} */ text, /** @type {{ virkning: string, registrering: string }} */ t) {
  const d = await gql(`query Soeg($f: OrganisationEnhedFilter, $v: VirkningInput, $r: RegistreringInput) {
    soegOrganisationEnheder(filter: $f, first: 20, virkning: $v, registrering: $r) { totalCount nodes { uuid navn sti { navn } } }
  }`, { f: { navn: `*${text.replace(/[*?]/g, '')}*` }, ...times(t) });
  return /** @type {{ totalCount: number | null, nodes: { uuid: string, navn: string | null, sti: { navn: string | null }[] }[] }} */ (d.soegOrganisationEnheder);
}

/**
 * @typedef {object} FlatUnit
 * @property {string} uuid
 * @property {string | null} navn
 * @property {string | null} overordnetUuid
 * @property {{ uuid: string, navn: string | null, tilknyttedePersoner: { navn: string | null }[] | null } | null} egenLeder
 */

/** The unit and everything below it, flat, at one time (for the changes view). @returns {Promise<FlatUnit[]>} */
export async function subtree(/** @type {string} */ uuid, /** @type {{ virkning: string, registrering: string }} */ t) {
  const d = await gql(`query Undertrae($u: UUID!, $v: VirkningInput, $r: RegistreringInput) {
    organisationEnhed(uuid: $u, virkning: $v, registrering: $r) { ...Flat efterkommere { ...Flat } }
  } fragment Flat on OrganisationEnhed { uuid navn overordnetUuid egenLeder: leder(arv: false) { uuid navn tilknyttedePersoner { navn } } }`, { u: uuid, ...times(t) });
  const e = d.organisationEnhed;
  if (!e) return [];
  const { efterkommere, ...self } = e;
  return [self, ...(efterkommere ?? [])];
}

/** A leader's display name: the person's name, else the user's. */
export function leaderName(/** @type {Unit['leder']} */ l) {
  if (!l) return '';
  return l.tilknyttedePersoner?.find((p) => p.navn)?.navn ?? l.navn ?? '';
}
