import { Sf1500Client } from '../../src/sf1500/client';
import { IdwsExchange, type IdwsOptions } from '../../src/sf1500/idws/idws';
import { startLocalIdws, LOCAL_STS_ENTITY_ID, SYNTHETIC_CVR, type LocalIdws } from '../../src/emulator/local-idws';
import { seedFor } from '../../src/emulator/seed/presets';
import type { AdminModule } from '../../src/emulator/sts/admin';
import { ORGANISATION_ENTITY_ID } from '../../src/wssec/ns';
import { pair, testPki } from './support';

/** Client ↔ local STS ↔ local SF1500 (idws) over loopback, plus every raw exchange the SF1500 saw. */
export interface IdwsWorld extends LocalIdws {
  client: Sf1500Client;
  exchange: IdwsExchange;
  exchanges: Array<{ path: string; request: string; response: string; httpStatus: number }>;
  clientFor(o?: { credentials?: keyof ReturnType<typeof testPki>; serviceCert?: keyof ReturnType<typeof testPki>; tokens?: IdwsOptions['tokens'] }): { client: Sf1500Client; exchange: IdwsExchange };
}

export async function idwsWorld(admin?: AdminModule): Promise<IdwsWorld> {
  const exchanges: IdwsWorld['exchanges'] = [];
  const local = await startLocalIdws({
    pki: testPki(), admin,
    sf1500: { seed: seedFor('korsbaek'), http: { onExchange: (x) => exchanges.push(x) } },
    others: [{ cvr: SYNTHETIC_CVR, seed: seedFor('small')! }],
  });
  const clients: Array<{ client: Sf1500Client; exchange: IdwsExchange }> = [];
  const clientFor: IdwsWorld['clientFor'] = (o = {}) => {
    const exchange = new IdwsExchange({
      sts: { url: local.sts.endpoint, entityId: LOCAL_STS_ENTITY_ID, cert: testPki().sts.cert, credentials: pair(o.credentials ?? 'wsc'), skewMs: 60_000 },
      entityId: ORGANISATION_ENTITY_ID, defaultCvr: '11111111', allowedCvrs: [SYNTHETIC_CVR], serviceCert: testPki()[o.serviceCert ?? 'sf1500'].cert, stsTimeoutMs: 10_000, tokens: o.tokens,
    });
    const client = new Sf1500Client({ baseUrl: local.sf1500.url, exchange, retries: 0 });
    clients.push({ client, exchange });
    return { client, exchange };
  };
  const main = clientFor();
  return {
    ...local, ...main, exchanges, clientFor,
    close: async () => {
      for (const c of clients) {
        c.client.close();
        c.exchange.close();
      }
      await local.close();
    },
  };
}
