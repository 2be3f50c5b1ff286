import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { KLASSIFIKATION, KORSBAEK } from '../../src/emulator/seed';
import type { Egenskab } from '../../src/model';
import { startSubgraph, type Subgraph } from '../../src/server/app';
import { Sf1500Client } from '../../src/sf1500/client';
import { testStack, type GqlResult } from '../support/stack';

/**
 * The change feed over the real stack: another system writes straight to the local SF1500 (Importer,
 * Ret, Passiver, a rename dated a few seconds ahead) and the feed gives the right events in order, on
 * after a restart of the subgraph on the same SUBGRAPH_STATE_DIR, through GraphQL and through SSE.
 */

jest.setTimeout(60_000);

const FEED = `query ($efter: String, $typer: [ObjektType!], $maks: Int) {
  aendringer(efter: $efter, typer: $typer, maks: $maks) { naesteEfter aendringer { cursor type uuid art registreringTidspunkt virkningFra felter } }
}`;
const REPLAY = `query ($filter: GenudsendFilter!, $maks: Int) {
  genudsend(filter: $filter, maks: $maks) { naesteEfter aendringer { cursor type uuid art felter } }
}`;

interface Aendring { cursor: string; type: string; uuid: string; art: string; registreringTidspunkt: string | null; virkningFra: string | null; felter: string[] | null }
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<GqlResult>;

const ENV = { SF1500_HIERARCHY_REFRESH_MS: '100', SUBGRAPH_CHANGES: 'on', SUBGRAPH_CHANGES_POLL_MS: '25', SF1500_PLANNER: 'snapshot' };
const V = (fra: string | null, til: string | null = null) => ({ fra, til, aktoerRef: KORSBAEK.systemAktoer, aktoerTypeKode: 'Organisation' as const });
const U = KORSBAEK.units;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function gqlOf(g: Subgraph): Gql {
  return async (query, variables) => {
    const res = await fetch(g.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    return (await res.json()) as GqlResult;
  };
}

/** Reads the feed after `efter` (pages of `maks`) until `done` holds for what came, or the deadline. */
async function follow(gql: Gql, efter: string, done: (got: Aendring[]) => boolean, maks = 3, ms = 20_000): Promise<{ got: Aendring[]; next: string }> {
  const got: Aendring[] = [];
  let next = efter;
  for (const end = Date.now() + ms; !done(got) && Date.now() < end;) {
    const r = await gql(FEED, { efter: next, maks });
    expect(r.errors).toBeUndefined();
    const side = r.data!.aendringer as { naesteEfter: string; aendringer: Aendring[] };
    got.push(...side.aendringer);
    next = side.naesteEfter;
    if (side.aendringer.length === 0) await sleep(30);
  }
  return { got, next };
}

/** The newest position, once the feed has its first baseline. */
async function newest(g: Subgraph, gql: Gql): Promise<string> {
  for (let i = 0; i < 400 && !g.changes!.started; i++) await sleep(25);
  expect(g.changes!.started).toBe(true);
  const r = await gql(FEED, { efter: null });
  expect(r.errors).toBeUndefined();
  expect(r.data!.aendringer.aendringer).toEqual([]);
  return r.data!.aendringer.naesteEfter as string;
}

/** The current name row of a unit, with a new name from `fra` on (what another system would send in a Ret). */
async function renamed(writer: Sf1500Client, unit: string, navn: string, fra: string): Promise<Egenskab[]> {
  const o = await writer.laes('OrganisationEnhed', unit);
  const now = o!.registreringer[o!.registreringer.length - 1].egenskaber.find((e) => e.virkning.til === null)!;
  return [{ virkning: V(fra), values: { ...now.values, EnhedNavn: navn } }];
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the change feed', () => {
  it('gives Importer, Ret, Passiver and a rename dated ahead as events in order, on across a restart, via GraphQL and SSE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sf1500-changes-'));
    dirs.push(dir);
    const s = await testStack({ ...ENV, SUBGRAPH_STATE_DIR: dir });
    const writer = new Sf1500Client({ baseUrl: s.sf1500!.url }); // another system, on the wire
    let second: Subgraph | undefined;
    let firstClosed = false;
    try {
      const start = await newest(s.subgraph, s.gql);

      // A Ret renaming Kontaktcenteret now; an Importer of a new team; a Passiver of Sygedagpenge Vest.
      expect((await writer.ret('OrganisationEnhed', U.kontaktcenteret, { egenskaber: await renamed(writer, U.kontaktcenteret, 'Kontaktcenter Nord', new Date().toISOString()) })).statusKode).toBe(20);
      const ny = randomUUID();
      const v = V(new Date(Date.now() - 60_000).toISOString());
      expect((await writer.importer('OrganisationEnhed', { uuid: ny, registreringer: [{
        livscyklus: 'Importeret',
        egenskaber: [{ virkning: v, values: { EnhedNavn: 'Nyt team', BrugervendtNoegleTekst: 'Nyt team' } }],
        tilstande: [{ virkning: v, value: 'Aktiv' }],
        relationer: [
          { name: 'Overordnet', virkning: v, ref: { uuid: U.borgerservice } },
          { name: 'Tilhoerer', virkning: v, ref: { uuid: KORSBAEK.organisation } },
          { name: 'Enhedstype', virkning: v, ref: { uuid: KLASSIFIKATION.ENHEDSTYPE_TEAM } },
        ],
      }] })).statusKode).toBe(20);
      expect((await writer.passiver('OrganisationEnhed', U.sygVest)).statusKode).toBe(20);
      // A rename of Jobcenter registered now, in virkning three seconds from now.
      const ahead = new Date(Date.now() + 3000);
      expect((await writer.ret('OrganisationEnhed', U.jobcenter, { egenskaber: await renamed(writer, U.jobcenter, 'Jobcenter Korsbæk', ahead.toISOString()) })).statusKode).toBe(20);

      const expected = [
        { uuid: U.kontaktcenteret, art: 'AENDRET' },
        { uuid: ny, art: 'OPRETTET' },
        { uuid: U.sygVest, art: 'FJERNET' },
        { uuid: U.jobcenter, art: 'AENDRET' },
      ];
      const a = await follow(s.gql, start, (got) => got.length >= expected.length);
      expect(a.got.map(({ uuid, art }) => ({ uuid, art }))).toEqual(expected);
      expect(a.got.every((e) => e.type === 'OrganisationEnhed')).toBe(true);
      expect(a.got[0].felter).toEqual(['EnhedNavn']);
      // The name now ends at `ahead`; the Ret resent BrugervendtNoegleTekst from then on too, so it is named as well.
      expect(a.got[3].felter).toEqual(['BrugervendtNoegleTekst', 'EnhedNavn']);
      expect(a.got[1].felter).toBeNull();
      const regs = a.got.map((e) => Date.parse(e.registreringTidspunkt!));
      expect(regs).toEqual([...regs].sort((x, y) => x - y));
      expect(new Set(a.got.map((e) => e.cursor)).size).toBe(a.got.length);

      // The org chart agrees: the rename is in virkning, Jobcenter keeps its name until `ahead`.
      const names = await s.gql(`{ a: organisationEnhed(uuid: "${U.kontaktcenteret}") { navn } b: organisationEnhed(uuid: "${U.jobcenter}") { navn } }`);
      expect(names.data).toEqual({ a: { navn: 'Kontaktcenter Nord' }, b: { navn: 'Jobcenter' } });

      // Restart: the subgraph goes away; a write lands while it is down; the new one resumes the same log.
      await s.subgraph.close();
      firstClosed = true;
      expect((await writer.ret('OrganisationEnhed', U.ydelseskontoret, { egenskaber: await renamed(writer, U.ydelseskontoret, 'Ydelseskontoret Syd', new Date().toISOString()) })).statusKode).toBe(20);
      second = await startSubgraph({ ...s.config, port: 0 }, s.client, pino({ level: 'silent' }));
      const gql2 = gqlOf(second);
      const b = await follow(gql2, a.next, (got) => got.length >= 2, 3, 20_000);
      expect(b.got.map(({ uuid, art, virkningFra, felter }) => ({ uuid, art, virkningFra: virkningFra && Date.parse(virkningFra), felter }))).toEqual([
        { uuid: U.ydelseskontoret, art: 'AENDRET', virkningFra: null, felter: ['EnhedNavn'] },
        { uuid: U.jobcenter, art: 'TRAEDER_I_KRAFT', virkningFra: ahead.getTime(), felter: ['BrugervendtNoegleTekst', 'EnhedNavn'] },
      ]);
      // The boundary event came when the moment passed, not a refresh later (well under a second here).
      expect(Date.now() - ahead.getTime()).toBeLessThan(15_000);
      // No duplicates: from the start the feed holds each event once, in the same order.
      const all = await follow(gql2, start, (got) => got.length >= 6, 100, 5000);
      expect(all.got.map((e) => e.cursor)).toEqual([...a.got, ...b.got].map((e) => e.cursor));
      const quiet = await gql2(FEED, { efter: b.next });
      expect(quiet.data!.aendringer.aendringer).toEqual([]);

      // SSE: the same feed from the same cursor.
      const ctrl = new AbortController();
      const res = await fetch(second.url.replace('/graphql', `/aendringer/stream?efter=${start}`), { signal: ctrl.signal });
      expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
      const reader = res.body!.getReader();
      let text = '';
      while ((text.match(/event: aendring/g) ?? []).length < 6) text += new TextDecoder().decode((await reader.read()).value);
      ctrl.abort();
      const streamed = text.split('\n\n').filter((b) => b.startsWith('event: aendring')).map((b) => JSON.parse(b.split('\n').find((l) => l.startsWith('data: '))!.slice(6)) as Aendring);
      expect(streamed).toEqual(all.got);
      const ids = text.split('\n').filter((l) => l.startsWith('id: ')).map((l) => l.slice(4));
      expect(ids).toEqual(all.got.map((e) => e.cursor));

      // genudsend: every unit in the hierarchy now, in pages, then the feed from where the replay began.
      const units: string[] = [];
      let r = await gql2(REPLAY, { filter: { typer: ['OrganisationEnhed'] }, maks: 7 });
      for (let i = 0; i < 20; i++) {
        expect(r.errors).toBeUndefined();
        const side = (r.data!.genudsend ?? r.data!.aendringer) as { naesteEfter: string; aendringer: Aendring[] };
        expect(side.aendringer.every((e) => e.art === 'OPRETTET' && e.type === 'OrganisationEnhed')).toBe(true);
        units.push(...side.aendringer.map((e) => e.uuid));
        if (side.aendringer.length === 0) break;
        r = await gql2(FEED, { efter: side.naesteEfter, maks: 7 });
      }
      const expectedUnits = [...Object.values(U).filter((u) => u !== U.sygVest), ny].sort();
      expect(units).toEqual(expectedUnits);
      // By UUID: the objects named, whatever their type, at once.
      const one = await gql2(REPLAY, { filter: { uuids: [U.jobcenter, KORSBAEK.brugere.KA, U.sygVest] } });
      expect(one.data!.genudsend.aendringer.map((e: Aendring) => [e.type, e.uuid])).toEqual([['Bruger', KORSBAEK.brugere.KA], ['OrganisationEnhed', U.jobcenter]]);
      expect(one.data!.genudsend.naesteEfter).toBe(b.next);
    } finally {
      if (!firstClosed) await s.subgraph.close();
      await second?.close();
      writer.close();
      s.client.close();
      await s.sf1500!.close();
    }
  });

  it('starts at the newest position, refuses cursors it never gave, and costs a page by maks', async () => {
    const s = await testStack({ ...ENV, GRAPHQL_MAX_COST: '5000' });
    try {
      const start = await newest(s.subgraph, s.gql);
      expect(start).toMatch(/^[A-Za-z0-9_-]+$/);
      const bad = await s.gql(FEED, { efter: 'bm90LWEtY3Vyc29y' });
      expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
      const foreign = Buffer.from('a.0123456789ab.0').toString('base64url');
      expect((await s.gql(FEED, { efter: foreign })).errors![0].extensions).toMatchObject({ code: 'CURSOR_EXPIRED' });
      expect((await s.gql(FEED, { efter: start, maks: 0 })).errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'maks' });
      // 100 events of 7 fields fit; 1,000 do not (GRAPHQL_MAX_COST=5000).
      expect((await s.gql(FEED, { efter: start, maks: 100 })).errors).toBeUndefined();
      const dear = await s.gql(FEED, { efter: start, maks: 1000 });
      expect(dear.errors![0].extensions).toMatchObject({ code: 'QUERY_LIMIT' });
      const stream = await fetch(s.subgraph.url.replace('/graphql', `/aendringer/stream?efter=${foreign}`));
      expect(stream.status).toBe(410);
    } finally {
      await s.close();
    }
  });

  it('keeps at most SUBGRAPH_CHANGES_MAX_STREAMS streams open and ends each after SUBGRAPH_CHANGES_STREAM_MAX_MS', async () => {
    const s = await testStack({ ...ENV, SUBGRAPH_CHANGES_MAX_STREAMS: '1', SUBGRAPH_CHANGES_STREAM_MAX_MS: '3000' });
    try {
      const start = await newest(s.subgraph, s.gql);
      const url = s.subgraph.url.replace('/graphql', `/aendringer/stream?efter=${start}`);
      const opened = Date.now();
      const first = await fetch(url);
      expect(first.status).toBe(200);
      // the headers came at once, before any event (resuming with nothing new)
      expect(Date.now() - opened).toBeLessThan(2000);
      const second = await fetch(url);
      expect(second.status).toBe(503);
      expect(second.headers.get('retry-after')).toBe('30');
      expect(((await second.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0].extensions.code).toBe('TOO_MANY_STREAMS');
      // GraphQL is not held up by the stream
      expect((await s.gql(FEED, { efter: start })).errors).toBeUndefined();
      // the first stream ends by itself after its lifetime (an EventSource reconnects from its last id)
      await first.text();
      expect(Date.now() - opened).toBeGreaterThanOrEqual(2900);
      // and its place is free again
      const third = await fetch(url);
      expect(third.status).toBe(200);
      await third.body!.cancel();
    } finally {
      await s.close();
    }
  });

  it('is off without a refresh interval, and says so', async () => {
    const s = await testStack({ SUBGRAPH_CHANGES: 'on' });
    try {
      expect(s.subgraph.changes).toBeUndefined();
      expect((await s.gql(FEED, { efter: null })).errors![0].extensions).toMatchObject({ code: 'CHANGE_FEED_OFF' });
    } finally {
      await s.close();
    }
  });
});
