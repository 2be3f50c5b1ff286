import { ORGANISATION_ENTITY_ID } from '../wssec/ns';
import { startSf1500, type RunningSf1500, type Sf1500Options } from './index';
import { adminFor, type AdminModule } from './sts/admin';
import { DEFAULT_STS_LIFETIME_MS } from './sts/issue';
import type { TestPki } from './sts/pki';
import { startLocalSts, type RunningSts } from './sts/server';
import type { SeedData } from './seed/types';

/** The local STS and the local SF1500 in idws mode, wired to one test PKI. */

export const LOCAL_STS_ENTITY_ID = 'https://saml.sts.local.test/runtime';
/** Korsbæk, KOMBIT's test municipality. */
export const KORSBAEK_CVR = '11111111';
/** The synthetic second municipality of the local idws stack. */
export const SYNTHETIC_CVR = '22222222';

export interface LocalIdwsOptions {
  pki: TestPki;
  /** Default: the caller `wsc` may read and write Korsbæk (names, no CPR) and read the synthetic municipality. */
  admin?: AdminModule;
  stsPort?: number;
  sf1500: Partial<Sf1500Options>;
  others?: Array<{ cvr: string; seed: () => SeedData }>;
  now?: () => number;
  stsLifetimeMs?: number;
}

export interface LocalIdws {
  sts: RunningSts;
  sf1500: RunningSf1500;
  close(): Promise<void>;
}

export function defaultAdmin(pki: TestPki): AdminModule {
  return adminFor([{
    name: 'lokalt anvendersystem', cert: pki.wsc.cert,
    cvrs: { [KORSBAEK_CVR]: { roles: ['Udstil', 'Rediger organisation'], restrictions: ['senavn'] }, [SYNTHETIC_CVR]: { roles: ['Udstil'], restrictions: [] } },
  }]);
}

export async function startLocalIdws(o: LocalIdwsOptions): Promise<LocalIdws> {
  const now = o.now ?? Date.now;
  const sts = await startLocalSts({
    entityId: LOCAL_STS_ENTITY_ID, signer: o.pki.sts, ca: o.pki.ca.cert, admin: o.admin ?? defaultAdmin(o.pki), now, skewMs: 60_000,
    maxLifetimeMs: o.stsLifetimeMs ?? DEFAULT_STS_LIFETIME_MS,
  }, o.stsPort ?? 0);
  try {
    const sf1500 = await startSf1500({
      ...o.sf1500,
      idws: {
        guard: { stsCert: o.pki.sts.cert, stsEntityId: LOCAL_STS_ENTITY_ID, entityId: ORGANISATION_ENTITY_ID, signer: o.pki.sf1500, now, skewMs: 60_000 },
        cvr: KORSBAEK_CVR, others: o.others ?? [],
      },
    });
    return { sts, sf1500, close: async () => { await sf1500.close(); await sts.close(); } };
  } catch (e) {
    await sts.close();
    throw e;
  }
}
