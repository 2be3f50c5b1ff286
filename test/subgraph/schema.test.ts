import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { subgraphSchema } from '../../src/schema';
import { SCHEMA_FILE, schemaFileContent } from '../../src/tools/write-schema';
import { KORSBAEK, kleKlasseUuid, korsbaekSeed } from '../../src/emulator/seed';
import { egenskab, rel, tilstand, virkning } from '../../src/emulator/seed/build';
import type { ObjectTypeName } from '../../src/model';
import { testStack } from '../support/stack';
import { HR_SDL } from '../support/second-subgraph';

/**
 * The subgraph as the outside sees it: the checked-in SDL is current, it composes with another
 * subgraph, and the federation entry points (`_entities`, `_service`) answer over real HTTP.
 */

describe('schema/subgraph.graphql', () => {
  it('is up to date with the code', async () => {
    const expected = await schemaFileContent();
    let current: string | undefined;
    try {
      current = readFileSync(join(__dirname, '..', '..', SCHEMA_FILE), 'utf8');
    } catch {
      current = undefined;
    }
    if (current !== expected) {
      const a = (current ?? '').split('\n');
      const b = expected.split('\n');
      let line = 0;
      while (line < Math.max(a.length, b.length) && a[line] === b[line]) line++;
      throw new Error(
        `${SCHEMA_FILE} is ${current === undefined ? 'missing' : 'stale'}: run \`npm run schema\` and commit the result` +
        (current === undefined ? '' : ` (first difference at line ${line + 1}: file has ${JSON.stringify(a[line] ?? '<end>')}, code gives ${JSON.stringify(b[line] ?? '<end>')})`),
      );
    }
  });

  it('starts with the federation 2 @link and keys every entity by uuid', async () => {
    const { sdl } = await subgraphSchema();
    expect(sdl.split('\n')[0]).toMatch(/^extend schema @link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+"/);
    for (const type of ENTITY_TYPES) expect(sdl).toContain(`type ${type} @key(fields: "uuid") {`);
  });
});

const ENTITY_TYPES: readonly ObjectTypeName[] = [
  'Organisation', 'OrganisationEnhed', 'OrganisationFunktion', 'Bruger', 'Person', 'Adresse',
  'ItSystem', 'Interessefaellesskab', 'Virksomhed', 'Myndighed', 'Klasse',
];

describe('composition', () => {
  it('composes with a second subgraph that extends Bruger, without errors', async () => {
    const { sdl } = await subgraphSchema();
    const result = composeServices([
      { name: 'sf1500', url: 'http://sf1500.invalid/graphql', typeDefs: parse(sdl) },
      { name: 'hr', url: 'http://hr.invalid/graphql', typeDefs: parse(HR_SDL) },
    ]);
    if (result.errors) throw new Error(`composition failed:\n${result.errors.map((e) => `  ${e.message}`).join('\n')}`);
    if (result.hints.length > 0) {
      // Hints are not failures (e.g. a description that differs between subgraphs); show them.
      console.log(`composition hints (${result.hints.length}):\n${result.hints.map((h) => `  [${h.definition.code}] ${h.message}`).join('\n')}`);
    }
    const supergraph = result.supergraphSdl;
    /** The directives on a type of the supergraph (between its name and its body). */
    const header = (type: string): string => new RegExp(`\\ntype ${type}\\s([^{]*)\\{`).exec(supergraph)?.[1] ?? '';
    expect(header('Bruger')).toContain('@join__type(graph: HR, key: "uuid")');
    for (const type of ENTITY_TYPES) expect(header(type)).toContain('@join__type(graph: SF1500, key: "uuid")');
    expect(supergraph).toMatch(/ferieSaldo: Int @join__field\(graph: HR\)/);
    expect(supergraph).toMatch(/medarbejdereMedKompetence\(kompetence: String!\): \[Bruger!\]! @join__field\(graph: HR\)/);
  });
});

describe('federation entry points over HTTP', () => {
  let stack: Awaited<ReturnType<typeof testStack>>;
  /** Per entity type: a UUID in the local SF1500 and a fact about it. */
  const known = new Map<ObjectTypeName, { uuid: string; field: string; value: string }>();

  const seedUuid = (type: ObjectTypeName, bvn: string): string => {
    const o = korsbaekSeed().objects.find((x) => x.type === type && x.objekt.registreringer[0].egenskaber[0].values.BrugervendtNoegleTekst === bvn);
    if (!o) throw new Error(`no ${type} ${bvn} in the Korsbæk seed`);
    return o.objekt.uuid;
  };

  beforeAll(async () => {
    stack = await testStack();
    // Korsbæk has no IT system and no community of interest: create one of each through SF1500's Opret.
    const v = virkning(KORSBAEK.systemAktoer, KORSBAEK.virkningFra);
    const itSystem = await stack.client.opret('ItSystem', {
      egenskaber: [egenskab(v, { BrugervendtNoegleTekst: 'OS2rollekatalog', ItSystemNavn: 'OS2rollekatalog' })],
      tilstande: [tilstand(v, 'Aktiv')],
      relationer: [rel('Tilhoerer', v, KORSBAEK.organisation)],
    });
    const faellesskab = await stack.client.opret('Interessefaellesskab', {
      egenskaber: [egenskab(v, { BrugervendtNoegleTekst: 'Korsbæk Kommunes Personaleforening', InteressefaellesskabNavn: 'Korsbæk Kommunes Personaleforening' })],
      tilstande: [tilstand(v, 'Aktiv')],
      relationer: [rel('Tilhoerer', v, KORSBAEK.organisation)],
    });
    const entries: Array<[ObjectTypeName, string, string, string]> = [
      ['Organisation', KORSBAEK.organisation, 'navn', KORSBAEK.navn],
      ['OrganisationEnhed', KORSBAEK.renamed.unit, 'navn', KORSBAEK.renamed.newName],
      ['OrganisationFunktion', KORSBAEK.vacantPosition, 'navn', 'YM03 (ledig)'],
      ['Bruger', KORSBAEK.brugere.KA, 'navn', 'KA'],
      ['Person', seedUuid('Person', 'KA'), 'navn', 'Kjeld Andersen'],
      ['Adresse', seedUuid('Adresse', 'ka@korsbaek.dk'), 'adresseTekst', 'ka@korsbaek.dk'],
      ['ItSystem', itSystem, 'navn', 'OS2rollekatalog'],
      ['Interessefaellesskab', faellesskab, 'navn', 'Korsbæk Kommunes Personaleforening'],
      ['Virksomhed', KORSBAEK.virksomhed, 'cvrNummer', KORSBAEK.cvr],
      ['Myndighed', KORSBAEK.myndighed, 'myndighedsKode', KORSBAEK.myndighedsKode],
      ['Klasse', kleKlasseUuid('32.03'), 'titel', 'Sociale pensioner'],
    ];
    for (const [type, uuid, field, value] of entries) known.set(type, { uuid, field, value });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('covers every entity type', () => {
    expect([...known.keys()].sort()).toEqual([...ENTITY_TYPES].sort());
  });

  const entitiesQuery = (types: readonly ObjectTypeName[]): string =>
    `query ($representations: [_Any!]!) { _entities(representations: $representations) { __typename ${
      [...new Set(types)].map((t) => `... on ${t} { uuid ${known.get(t)!.field} }`).join(' ')} } }`;

  it.each(ENTITY_TYPES)('_entities resolves a %s, and null for an unknown UUID', async (type) => {
    const k = known.get(type)!;
    const unknown = '00000000-0000-4000-8000-000000000000';
    const res = await stack.gql(entitiesQuery([type]), {
      representations: [{ __typename: type, uuid: k.uuid }, { __typename: type, uuid: unknown }],
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([{ __typename: type, uuid: k.uuid, [k.field]: k.value }, null]);
  });

  it('_entities answers mixed types in the order asked, in one request', async () => {
    const representations = ENTITY_TYPES.flatMap((t) => [
      { __typename: t, uuid: known.get(t)!.uuid },
      { __typename: t, uuid: 'ffffffff-ffff-4fff-bfff-ffffffffffff' },
    ]);
    const res = await stack.gql(entitiesQuery(ENTITY_TYPES), { representations });
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual(ENTITY_TYPES.flatMap((t) => {
      const k = known.get(t)!;
      return [{ __typename: t, uuid: k.uuid, [k.field]: k.value }, null];
    }));
  });

  it('_entities accepts an upper-case UUID (a router may pass on what a client sent)', async () => {
    const res = await stack.gql(entitiesQuery(['Bruger']), {
      representations: [{ __typename: 'Bruger', uuid: KORSBAEK.brugere.KA.toUpperCase() }],
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([{ __typename: 'Bruger', uuid: KORSBAEK.brugere.KA, navn: 'KA' }]);
  });

  it('_entities gives null for a representation without a usable uuid', async () => {
    const res = await stack.gql(entitiesQuery(['Bruger']), { representations: [{ __typename: 'Bruger' }, { __typename: 'Bruger', uuid: 42 }] });
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([null, null]);
  });

  // KNOWN BUG (reported to the lead): resolveReference passes any string to SF1500's List, which
  // refuses the whole batch (status 40), so one malformed representation fails every entity of
  // that type in the request. Fix: `if (typeof rep.uuid !== 'string' || !isUuid(rep.uuid)) return null;`
  // in src/resolvers/entity.ts resolveReference. Drop `.failing` once fixed.
  it('_entities: a malformed uuid gives null and does not fail the other representations of its type', async () => {
    const res = await stack.gql(entitiesQuery(['Bruger']), {
      representations: [{ __typename: 'Bruger', uuid: KORSBAEK.brugere.KA }, { __typename: 'Bruger', uuid: 'not-a-uuid' }],
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([{ __typename: 'Bruger', uuid: KORSBAEK.brugere.KA, navn: 'KA' }, null]);
  });

  it('_service { sdl } answers with the subgraph SDL', async () => {
    const res = await stack.gql('{ _service { sdl } }');
    expect(res.errors).toBeUndefined();
    const served: string = res.data!._service.sdl;
    expect(served).toMatch(/@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+"/);
    for (const type of ENTITY_TYPES) expect(served).toMatch(new RegExp(`\\ntype ${type}\\s+@key\\(fields: "uuid"\\)`));
    // What a gateway introspects composes too.
    const result = composeServices([
      { name: 'sf1500', url: stack.subgraph.url, typeDefs: parse(served) },
      { name: 'hr', url: 'http://hr.invalid/graphql', typeDefs: parse(HR_SDL) },
    ]);
    expect(result.errors).toBeUndefined();
  });
});

describe('resolvers', () => {
  it('every field resolver and query comes from the one registry in define.ts, not from a type-graphql wrapper', async () => {
    const { schema } = await subgraphSchema();
    const { registeredResolvers } = await import('../../src/resolvers/define');
    const direct = registeredResolvers();
    const { getMetadataStorage } = await import('type-graphql');
    const storage = getMetadataStorage();
    const resolved: string[] = [];
    for (const f of storage.fieldResolvers) {
      const type = storage.objectTypes.find((o) => o.target === f.getObjectType?.())?.name;
      resolved.push(`${type}.${f.schemaName}`);
    }
    for (const q of storage.queries) resolved.push(`Query.${q.schemaName}`);
    expect(resolved.length).toBeGreaterThan(200);
    const missing = resolved.filter((k) => { const [t, f] = k.split('.'); return !direct.get(t)?.has(f); });
    expect(missing).toEqual([]);
    // the time arguments reach them as GraphQL's plain args (checked end to end by every time test)
    const navn = (schema.getType('OrganisationEnhed') as import('graphql').GraphQLObjectType).getFields().navn;
    expect(navn.args.map((a) => a.name)).toEqual(['virkning', 'registrering']);
  });
});
