import { NS } from '../../model/namespaces';
import { HIERARCHY_LISTS, objectType } from '../../model/objects';
import type { Egenskab, Registrering } from '../../model/domain';
import type { ObjectTypeName } from '../../model/types';
import { child, childrenOf, childText, type XmlElement } from '../../xml/reader';
import { el, textEl } from '../../xml/writer';
import { readEgenskab, readObjekt, readUuid, rootNamespaces, writeFiltreret, writeStandardRetur } from '../../wire/codec';
import { WireError } from '../../wire/errors';
import type { EnvelopeBody } from '../../wire/envelope';
import { checkIntegrity, newestImported } from '../bitemporal';
import { checkShape, excludedLivscyklus, objektShape, readPaging, readSoegTid, registrationTime, SOEG_SHAPE } from './common';
import type { ServiceContext } from './context';
import type { Handler } from './objects';
import { criteriaOf, snapshot } from './objects';
import { body, ok, retur, STATUS } from './respond';

function systemNamespaces(): Record<string, string> {
  const ns: Record<string, string> = { ...rootNamespaces(), orgsys: NS.orgsys };
  for (const l of HIERARCHY_LISTS) {
    const spec = objectType(l.type);
    ns[spec.prefix] = spec.namespace;
  }
  return ns;
}

/**
 * FremsoegObjekthierarki: each of the six lists is paged on its own with the same offset and page
 * size (objects ordered by UUID), holding the registration in force at SoegRegistrering (default: the
 * current one) with rows overlapping SoegVirkning (default now). Passivated and deleted objects are left
 * out. A SoegEgenskab filters its own list only.
 */
const fremsoeg: Handler = async (input, ctx) => {
  const path = 'FremsoegObjekthierarkiInput';
  checkShape(input, [...SOEG_SHAPE, ...HIERARCHY_LISTS.map((l) => [NS.orgsys, `${l.type}SoegEgenskab`, 1] as const)], path);
  const paging = readPaging(input, path, ctx);
  const tid = readSoegTid(input, path, ctx);
  const lists: string[] = [];
  for (const l of HIERARCHY_LISTS) {
    const spec = objectType(l.type);
    const filterEl = child(input, NS.orgsys, `${l.type}SoegEgenskab`);
    const egenskaber: Egenskab[] = filterEl ? [readEgenskab(spec, filterEl, `${path}/${l.type}SoegEgenskab`)] : [];
    const { uuids } = await ctx.store.search({
      type: l.type, criteria: criteriaOf(spec, { egenskaber, tilstande: [], relationer: [] }),
      registreringAt: tid.registreringAt, virkning: tid.virkning, excludeLivscyklus: excludedLivscyklus(tid),
      offset: paging.offset, limit: paging.limit,
    });
    const objs = await ctx.store.getMany(l.type, uuids);
    const parts: string[] = [];
    const regWindow = Number.isFinite(tid.registreringAt) ? { fra: tid.registreringAt, til: tid.registreringAt } : undefined;
    for (const uuid of uuids) {
      const o = objs.get(uuid);
      const snap = o && snapshot(spec, o, { virkning: tid.virkning, registrering: regWindow });
      if (snap) parts.push(writeFiltreret(spec, snap, 'orgsys:FiltreretOejebliksbillede'));
    }
    lists.push(el(`orgsys:${l.element}`, ...parts));
  }
  return body('orgsys:FremsoegObjekthierarkiOutput', systemNamespaces(), writeStandardRetur(ok()), ...lists);
};

function unikRetur(code: number, text: string, type: string, uuid: string): string {
  return el('sd:UnikRetur', textEl('sd:StatusKode', code), textEl('sd:FejlbeskedTekst', text), textEl('sd:Type', type), textEl('sd:UUIDIdentifikator', uuid));
}

/** Import: the Organisation and its units, each created or given a new registration with the imported content. */
const importSystem: Handler = async (input, ctx) => {
  const path = 'ImporterOrganisationSystemInput';
  const orgSpec = objectType('Organisation');
  const oeSpec = objectType('OrganisationEnhed');
  checkShape(input, [[orgSpec.namespace, 'Organisation', 1], [NS.orgsys, 'OrganisationEnhederInput', 1]], path);
  const orgEl = child(input, orgSpec.namespace, 'Organisation');
  if (!orgEl) throw new WireError(`${path}/Organisation`, 'required element is missing');
  const oeWrap = child(input, NS.orgsys, 'OrganisationEnhederInput');
  if (!oeWrap) throw new WireError(`${path}/OrganisationEnhederInput`, 'required element is missing');
  checkShape(orgEl, objektShape(orgSpec.namespace), `${path}/Organisation`);
  checkShape(oeWrap, [[oeSpec.namespace, 'OrganisationEnhed', Infinity]], `${path}/OrganisationEnhederInput`);
  const items: Array<{ type: ObjectTypeName; uuid: string; reg: Registrering }> = [];
  const org = readObjekt(orgSpec, orgEl, `${path}/Organisation`);
  // The XSD requires Registrering[1..n]; without one there would be nothing to import.
  if (org.registreringer.length === 0) throw new WireError(`${path}/Organisation/Registrering`, 'at least one Registrering is required');
  items.push({ type: 'Organisation', uuid: org.uuid, reg: newestImported(org.registreringer) });
  childrenOf(oeWrap, oeSpec.namespace, 'OrganisationEnhed').forEach((e, i) => {
    checkShape(e, objektShape(oeSpec.namespace), `${path}/OrganisationEnhederInput/OrganisationEnhed[${i + 1}]`);
    const o = readObjekt(oeSpec, e, `${path}/OrganisationEnhederInput/OrganisationEnhed[${i + 1}]`);
    if (o.registreringer.length === 0) throw new WireError(`${path}/OrganisationEnhederInput/OrganisationEnhed[${i + 1}]`, 'needs a Registrering');
    items.push({ type: 'OrganisationEnhed', uuid: o.uuid, reg: newestImported(o.registreringer) });
  });
  const results = await ctx.store.transaction(async (tx) => {
    const parts: string[] = [];
    for (const it of items) {
      checkIntegrity(objectType(it.type), it.reg);
      await tx.lock(it.type, it.uuid);
      const at = registrationTime(ctx, await tx.get(it.type, it.uuid));
      await tx.appendRegistrering(it.type, it.uuid, { ...it.reg, livscyklus: 'Importeret', tidspunkt: new Date(at).toISOString() }, at);
      parts.push(unikRetur(STATUS.OK, 'OK', it.type, it.uuid));
    }
    return parts;
  });
  return body('orgsys:ImporterOrganisationSystemOutput', systemNamespaces(), ...results);
};

const ANONYM = 'Anonymiseret';

/** Anonymiser: the person's name, CPR and business key are replaced in every registration. */
const anonymiser: Handler = async (input, ctx) => {
  const path = 'AnonymiserInput';
  checkShape(input, [[NS.orgsys, 'PersonUUID', 1], [NS.orgsys, 'PersonCPR', 1]], path);
  if (input.children.length !== 1) throw new WireError(path, 'needs exactly one of PersonUUID and PersonCPR');
  const byUuid = child(input, NS.orgsys, 'PersonUUID');
  const cpr = childText(input, NS.orgsys, 'PersonCPR');
  let uuids: string[];
  if (byUuid) uuids = [readUuid(byUuid, `${path}/PersonUUID`)];
  else if (cpr !== undefined) {
    if (!/^[0-9]{10}$/.test(cpr)) throw new WireError(`${path}/PersonCPR`, 'must be 10 digits');
    uuids = (await ctx.store.search({
      type: 'Person', criteria: [{ kind: 'attribute', element: 'CPR-NummerTekst', value: cpr }],
      registreringAt: Infinity, virkning: { fra: -Infinity, til: Infinity }, excludeLivscyklus: [], offset: 0, limit: 1000,
    })).uuids;
  } else throw new WireError(path, 'needs exactly one of PersonUUID and PersonCPR');
  const ns = { ...rootNamespaces(), orgsys: NS.orgsys };
  return ctx.store.transaction(async (tx) => {
    let touched = 0;
    for (const uuid of uuids) {
      await tx.lock('Person', uuid);
      const obj = await tx.get('Person', uuid);
      if (!obj) continue;
      for (const r of obj.registreringer) {
        const egenskaber = r.registrering.egenskaber.map((e) => {
          const values = { ...e.values };
          delete values['CPR-NummerTekst'];
          if (values.NavnTekst !== undefined) values.NavnTekst = ANONYM;
          if (values.BrugervendtNoegleTekst !== undefined) values.BrugervendtNoegleTekst = ANONYM;
          return { ...e, values };
        });
        await tx.rewriteRegistrering('Person', r.id, { ...r.registrering, egenskaber });
      }
      touched++;
    }
    if (touched === 0) return body('orgsys:AnonymiserOutput', ns, writeStandardRetur(retur(STATUS.NOT_FOUND, 'Personen findes ikke')));
    return body('orgsys:AnonymiserOutput', ns, writeStandardRetur(ok()));
  });
};

/** FysiskSlet: physically removes a unit (all registrations) that belongs to the given organisation. */
const fysiskSlet: Handler = async (input, ctx) => {
  const path = 'FysiskSletInput';
  checkShape(input, [[NS.orgadm, 'OrganisationUUID', 1], [NS.orgadm, 'OrganisationEnhedUUID', 1]], path);
  const orgUuid = readUuid(child(input, NS.orgadm, 'OrganisationUUID'), `${path}/OrganisationUUID`);
  const oeUuid = readUuid(child(input, NS.orgadm, 'OrganisationEnhedUUID'), `${path}/OrganisationEnhedUUID`);
  const ns = { ...rootNamespaces(), orgadm: NS.orgadm };
  const outp = (code: number, text: string): EnvelopeBody => body('orgadm:FysiskSletOutput', ns, writeStandardRetur(retur(code, text)));
  return ctx.store.transaction(async (tx) => {
    await tx.lock('OrganisationEnhed', oeUuid);
    const oe = await tx.get('OrganisationEnhed', oeUuid);
    if (!oe) return outp(STATUS.NOT_FOUND, `OrganisationEnhed ${oeUuid} findes ikke`);
    const belongs = oe.registreringer.some((r) => r.registrering.relationer.some((rel) => rel.name === 'Tilhoerer' && rel.ref.uuid === orgUuid));
    if (!belongs) return outp(STATUS.INVALID, `OrganisationEnhedUUID: enheden tilhører ikke organisationen ${orgUuid}`);
    await tx.physicalDelete('OrganisationEnhed', oeUuid);
    return outp(STATUS.OK, 'OK');
  });
};

export function systemHandlers(): Map<string, Handler> {
  return new Map([
    ['FremsoegObjekthierarkiInput', fremsoeg],
    ['ImporterOrganisationSystemInput', importSystem],
    ['AnonymiserInput', anonymiser],
  ]);
}

export function administrationHandlers(): Map<string, Handler> {
  return new Map([['FysiskSletInput', fysiskSlet]]);
}
