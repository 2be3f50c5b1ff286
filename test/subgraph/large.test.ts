import { generateMunicipality, LARGE } from '../../src/emulator/seed';
import { KLASSER } from '../../src/model/objects';
import type { SeedData } from '../../src/emulator/seed';
import { testStack } from '../support/stack';

/**
 * The org chart of a large generated municipality (2,000 units, 25,000 users, 30,000 functions):
 * answers checked against the seeded data, SOAP calls counted on the SF1500 side.
 */
type Stack = Awaited<ReturnType<typeof testStack>>;
let s: Stack;
const data = generateMunicipality({ seed: 1, ...LARGE });
const PAGE = 500;

/** Expectations computed straight from the seed (an independent, simple reading of it). */
function expected(seed: SeedData): { parent: Map<string, string>; leader: Map<string, string>; employees: Map<string, number>; users: Set<string> } {
  const parent = new Map<string, string>();
  const own = new Map<string, string>();
  const staff = new Map<string, Set<string>>();
  const users = new Set<string>();
  const now = Date.now();
  const live = (v: { fra: string | null; til: string | null }): boolean => (v.fra === null || Date.parse(v.fra) <= now) && (v.til === null || Date.parse(v.til) > now);
  for (const { type, objekt } of seed.objects) {
    const reg = objekt.registreringer[objekt.registreringer.length - 1];
    const rel = (n: string): string[] => reg.relationer.filter((r) => r.name === n && live(r.virkning)).map((r) => r.ref.uuid!);
    if (type === 'OrganisationEnhed') {
      const p = rel('Overordnet')[0];
      if (p) parent.set(objekt.uuid, p);
    } else if (type === 'OrganisationFunktion') {
      const ft = rel('Funktionstype')[0];
      const unit = rel('TilknyttedeEnheder')[0];
      const brugere = rel('TilknyttedeBrugere');
      if (ft === KLASSER.FUNKTIONSTYPE_LEDERROLLE && brugere[0] && !own.has(unit)) own.set(unit, brugere[0]);
      if (ft === KLASSER.FUNKTIONSTYPE_ENHEDSROLLE) {
        const set = staff.get(unit) ?? new Set<string>();
        brugere.forEach((b) => set.add(b));
        staff.set(unit, set);
      }
    } else if (type === 'Bruger') users.add(objekt.uuid);
  }
  const leader = new Map<string, string>();
  const units = seed.objects.filter((o) => o.type === 'OrganisationEnhed').map((o) => o.objekt.uuid);
  for (const u of units) {
    let cur: string | undefined = u;
    while (cur && !own.has(cur)) cur = parent.get(cur);
    if (cur) leader.set(u, own.get(cur)!);
  }
  return { parent, leader, employees: new Map(units.map((u) => [u, staff.get(u)?.size ?? 0])), users };
}

beforeAll(async () => {
  s = await testStack({ SF1500_SEED: 'large', SF1500_HIERARCHY_PAGE_SIZE: String(PAGE) });
}, 240_000);
afterAll(async () => {
  await s?.close();
});

it('draws the full tree with every unit\'s leader (inherited) and employee count in one query, in pages not per unit', async () => {
  const exp = expected(data);
  let soap = 0;
  const count = (): void => { soap++; };
  s.sf1500!.server.on('request', count);
  const r = await s.gql(`{ organisation(uuid: "${data.facts.organisation}") { rodEnhed { uuid efterkommere { uuid navn overordnetUuid antalMedarbejdere leder { uuid } } } } }`);
  s.sf1500!.server.off('request', count);
  expect(r.errors).toBeUndefined();
  const units = r.data!.organisation.rodEnhed.efterkommere as Array<{ uuid: string; overordnetUuid: string; antalMedarbejdere: number; leder: { uuid: string } | null }>;
  expect(units).toHaveLength(LARGE.units - 1);
  for (const u of units) {
    expect(u.overordnetUuid).toBe(exp.parent.get(u.uuid));
    expect(u.leder?.uuid).toBe(exp.leader.get(u.uuid));
    expect(u.antalMedarbejdere).toBe(exp.employees.get(u.uuid));
  }
  // Pages of the hierarchy (the longest list, functions, decides their number) plus Organisation lists.
  const pages = Math.ceil((LARGE.functions + 1) / PAGE);
  const ops = r.extensions!.sf1500!.byOperation;
  expect(ops['organisationsystem.fremsoegobjekthierarki'].calls).toBeLessThanOrEqual(pages + 1);
  expect(soap).toBeLessThanOrEqual(pages + 1 + 2);
  expect(soap).toBeLessThan(LARGE.units / 10);
}, 240_000);

it('pages through all Brugere with no duplicates and no gaps', async () => {
  const exp = expected(data);
  const seen = new Set<string>();
  let after: string | null = null;
  let pages = 0;
  for (;;) {
    const r: any = await s.gql('query($after: String) { soegBrugere(first: 500, after: $after) { nodes { uuid } pageInfo { hasNextPage endCursor } } }', { after });
    expect(r.errors).toBeUndefined();
    for (const n of r.data.soegBrugere.nodes) {
      expect(seen.has(n.uuid)).toBe(false);
      seen.add(n.uuid);
    }
    pages++;
    if (!r.data.soegBrugere.pageInfo.hasNextPage) break;
    after = r.data.soegBrugere.pageInfo.endCursor;
  }
  expect(seen).toEqual(exp.users);
  expect(pages).toBe(Math.ceil(LARGE.users / 500));
}, 240_000);

it('a past virkning shows the old name and the old parent', async () => {
  const { renamed, moved } = data.facts;
  const r = await s.gql(`{ a: organisationEnhed(uuid: "${renamed!.unit}", virkning: { tidspunkt: "2017-01-01T00:00:00Z" }) { navn }
    b: organisationEnhed(uuid: "${moved!.unit}", virkning: { tidspunkt: "2020-01-01T00:00:00Z" }) { overordnet { uuid } } }`);
  expect(r.errors).toBeUndefined();
  expect(r.data!.a.navn).toBe(renamed!.oldName);
  expect(r.data!.b.overordnet.uuid).toBe(moved!.oldParent);
}, 60_000);
