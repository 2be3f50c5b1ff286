import pino from 'pino';
import { Redis } from 'ioredis';
import { KORSBAEK } from '../../src/emulator/seed';
import type { Egenskab } from '../../src/model';
import { startSubgraph, type Subgraph } from '../../src/server/app';
import { Sf1500Client } from '../../src/sf1500/client';
import { testStack, type GqlResult } from '../support/stack';
import { describeWithRedis, startRedis, type RedisServer } from '../support/redis';

/**
 * The change log on Redis, shared by two replicas: one log id, one sequence of cursors; a cursor given
 * by one replica reads on at the other, and both give the same events for a write to SF1500.
 */

jest.setTimeout(60_000);

const FEED = `query ($efter: String) { aendringer(efter: $efter, maks: 50) { naesteEfter aendringer { cursor type uuid art felter } } }`;
const ENV = { SF1500_HIERARCHY_REFRESH_MS: '200', SUBGRAPH_CHANGES: 'on', SUBGRAPH_CHANGES_POLL_MS: '25', SF1500_PLANNER: 'snapshot', SUBGRAPH_REDIS_LEASE_MS: '2000' };
const U = KORSBAEK.units;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Aendring { cursor: string; type: string; uuid: string; art: string; felter: string[] | null }

async function feed(g: Subgraph, efter: string | null): Promise<{ naesteEfter: string; aendringer: Aendring[] }> {
  const res = await fetch(g.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: FEED, variables: { efter } }) });
  const r = (await res.json()) as GqlResult;
  expect(r.errors).toBeUndefined();
  return r.data!.aendringer as { naesteEfter: string; aendringer: Aendring[] };
}

describeWithRedis()('the change log on Redis', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('two replicas share one log: the same events under the same cursors, a cursor of one read on at the other', async () => {
    const s = await testStack({ ...ENV, SUBGRAPH_REDIS_URL: redis.url });
    const b = await startSubgraph({ ...s.config, port: 0 }, s.client, pino({ level: 'silent' }));
    const a = s.subgraph;
    const raw = new Redis(redis.url);
    try {
      for (let i = 0; i < 400 && !(a.changes!.started && b.changes!.started && a.changes!.logId === b.changes!.logId); i++) await sleep(25);
      expect(a.changes!.logId).toBe(b.changes!.logId);
      expect(await raw.keys('sf1500-subgraph:changes-*')).toEqual(expect.arrayContaining([expect.stringMatching(/:state$/), expect.stringMatching(/:version$/)]));
      const start = (await feed(a, null)).naesteEfter;

      const writer = new Sf1500Client({ baseUrl: s.sf1500!.url }); // another system, on the wire
      const o = await writer.laes('OrganisationEnhed', U.kontaktcenteret);
      const row = o!.registreringer[o!.registreringer.length - 1].egenskaber.find((e) => e.virkning.til === null)!;
      const egenskaber: Egenskab[] = [{ virkning: { ...row.virkning, fra: new Date().toISOString(), til: null }, values: { ...row.values, EnhedNavn: 'Kontaktcenter Nord' } }];
      expect((await writer.ret('OrganisationEnhed', U.kontaktcenteret, { egenskaber })).statusKode).toBe(20);

      const seen = async (g: Subgraph): Promise<Aendring[]> => {
        for (let i = 0; i < 400; i++) {
          const got = (await feed(g, start)).aendringer;
          if (got.some((e) => e.uuid === U.kontaktcenteret)) return got;
          await sleep(50);
        }
        return [];
      };
      const [fromA, fromB] = [await seen(a), await seen(b)];
      expect(fromA.find((e) => e.uuid === U.kontaktcenteret)).toMatchObject({ art: 'AENDRET', felter: ['EnhedNavn'] });
      expect(fromB).toEqual(fromA);
      expect(a.changes!.head).toBe(b.changes!.head);
    } finally {
      raw.disconnect();
      await b.close();
      await s.close();
    }
  });
});
