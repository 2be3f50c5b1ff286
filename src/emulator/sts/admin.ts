import { readFileSync } from 'node:fs';
import type { X509Certificate } from 'node:crypto';
import { ORGANISATION_ENTITY_ID } from '../../wssec/ns';

/**
 * The local "Administrationsmodul": which caller systems (certificate thumbprints) may get tokens for
 * which municipalities (CVR), under which service agreements (entity ID, roles, data restrictions).
 */

export type Role = 'Udstil' | 'Rediger organisation';
export type DataRestriction = 'secpr-nummer' | 'senavn';

export interface ServiceAgreement {
  entityId: string;
  roles: Role[];
  restrictions: DataRestriction[];
}

export interface RegisteredCaller {
  name?: string;
  /** SHA-256 thumbprint of the caller's certificate, hex (colons allowed). */
  thumbprint: string;
  /** CVR → agreements. */
  cvrs: Record<string, ServiceAgreement[]>;
}

export interface AdminModule {
  callers: RegisteredCaller[];
}

/** Privilege URIs the local STS writes into Privileges_intermediate (KOMBIT's real URIs are not public). */
export const PRIVILEGE_BASE = 'http://sts.local.test/privilege/organisation/6/';
export const privilegeUri = (name: Role | DataRestriction): string => PRIVILEGE_BASE + encodeURIComponent(name);

export const normaliseThumbprint = (t: string): string => t.replace(/[:\s]/g, '').toUpperCase();
export const thumbprintOf = (cert: X509Certificate): string => normaliseThumbprint(cert.fingerprint256);

export function findAgreement(admin: AdminModule, cert: X509Certificate): RegisteredCaller | undefined {
  const t = thumbprintOf(cert);
  return admin.callers.find((c) => normaliseThumbprint(c.thumbprint) === t);
}

const ROLES: readonly string[] = ['Udstil', 'Rediger organisation'];
const RESTRICTIONS: readonly string[] = ['secpr-nummer', 'senavn'];

/** Reads and validates an administration module file (JSON). */
export function loadAdminModule(file: string): AdminModule {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  const bad = (why: string): never => {
    throw new Error(`${file}: ${why}`);
  };
  if (typeof raw !== 'object' || raw === null || !Array.isArray((raw as AdminModule).callers)) return bad('expected {"callers": [...]}');
  for (const c of (raw as AdminModule).callers) {
    if (typeof c.thumbprint !== 'string' || !/^[0-9A-F]{64}$/.test(normaliseThumbprint(c.thumbprint))) bad('every caller needs a SHA-256 thumbprint');
    for (const [cvr, agreements] of Object.entries(c.cvrs ?? {})) {
      if (!/^\d{8}$/.test(cvr)) bad(`CVR ${cvr} is not 8 digits`);
      for (const a of agreements) {
        if (typeof a.entityId !== 'string') bad(`CVR ${cvr}: agreement without entityId`);
        if (!a.roles?.every((r) => ROLES.includes(r))) bad(`CVR ${cvr}: roles must be ${ROLES.join(' or ')}`);
        if (!(a.restrictions ?? []).every((r) => RESTRICTIONS.includes(r))) bad(`CVR ${cvr}: restrictions must be ${RESTRICTIONS.join(' or ')}`);
        a.restrictions ??= [];
      }
    }
  }
  return raw as AdminModule;
}

/** One caller registered for several municipalities with the Organisation agreement. */
export function adminFor(callers: Array<{ cert: X509Certificate; name?: string; cvrs: Record<string, Omit<ServiceAgreement, 'entityId'> & { entityId?: string }> }>): AdminModule {
  return {
    callers: callers.map((c) => ({
      name: c.name,
      thumbprint: thumbprintOf(c.cert),
      cvrs: Object.fromEntries(Object.entries(c.cvrs).map(([cvr, a]) => [cvr, [{ entityId: a.entityId ?? ORGANISATION_ENTITY_ID, roles: a.roles, restrictions: a.restrictions }]])),
    })),
  };
}
