import { KORSBAEK } from '../../src/emulator/seed/korsbaek';
import { testStack } from '../support/stack';

const U = KORSBAEK.units;

it.each(['snapshot', 'targeted'])('a cycle in Overordnet (bad data) ends with an error on the affected fields, not a hang (%s path)', async (mode) => {
  const s = await testStack({ SF1500_PLANNER: mode });
  try {
    // Ydelsescenteret's parent becomes its own child Kontanthjælpsteamet: a cycle of two units.
    const r0 = await s.client.ret('OrganisationEnhed', U.ydelsescenteret, {
      relationer: [{ name: 'Overordnet', virkning: { fra: '2024-01-01T00:00:00Z', til: null }, ref: { uuid: U.kontanthjaelp } }],
    });
    expect(r0.statusKode).toBe(20);
    const r = await s.gql(`{ organisationEnhed(uuid: "${U.kontanthjaelp}") { navn overordnet { uuid } forfaedre { uuid } leder { uuid } rod { uuid } sti { uuid } efterkommere { uuid } } }`);
    const e = r.data!.organisationEnhed;
    expect(e.navn).toBe(KORSBAEK.renamed.newName);
    expect(e.overordnet.uuid).toBe(U.ydelsescenteret);
    expect(e.efterkommere.map((x: { uuid: string }) => x.uuid)).toEqual([U.ydelsescenteret, ...e.efterkommere.slice(1).map((x: { uuid: string }) => x.uuid)]);
    for (const field of ['forfaedre', 'rod', 'sti']) {
      expect(e[field]).toBeNull();
      const err = r.errors!.find((x) => x.path?.[1] === field)!;
      expect(err.extensions!.code).toBe('SF1500_DATA_CYCLE');
      expect(err.message).toMatch(/cycle in Overordnet/);
    }
    // The leader is found before the walk meets the cycle (Ydelsescenteret has one).
    expect(e.leder.uuid).toBe(KORSBAEK.leaderless.leaderBruger);
    // The rest of the tree is unharmed.
    const ok = await s.gql(`{ organisationEnhed(uuid: "${U.kommune}") { efterkommere { uuid } } }`);
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.organisationEnhed.efterkommere.map((x: { uuid: string }) => x.uuid)).not.toContain(U.ydelsescenteret);
  } finally {
    await s.close();
  }
});
