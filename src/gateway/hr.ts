import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { KORSBAEK } from '../emulator';

/**
 * A small, real second subgraph ("hr") for the gateway (`npm run gateway`) and its tests: it owns HR facts
 * about the users our subgraph serves. It extends our `Bruger` entity (same key, same key type:
 * our `uuid` is the `UUID` scalar, so it declares `scalar UUID` too; a key field of type `ID!`
 * would not compose) with fields only it resolves, and has a root query returning Bruger
 * references, so that the gateway must join back into our subgraph for everything else.
 */

export const HR_SDL = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

"""
A field whose value is a generic Universally Unique Identifier: https://en.wikipedia.org/wiki/Universally_unique_identifier.
"""
scalar UUID

type Bruger @key(fields: "uuid") {
  uuid: UUID!
  "Remaining holiday (days) this year; null when HR has no record of the user."
  ferieSaldo: Int
  "Skills registered in HR; null when HR has no record of the user."
  kompetencer: [String!]
}

type Query {
  "Users with a skill, in HR's order."
  medarbejdereMedKompetence(kompetence: String!): [Bruger!]!
}
`;

const B = KORSBAEK.brugere;

/** A user HR still knows but SF1500 does not (e.g. left before the import): our fields answer null for it. */
export const HR_UNKNOWN_TO_SF1500 = '00000000-0000-4000-8000-00000000beef';

/** HR's records, keyed by Korsbæk Bruger UUIDs, in HR's order. */
export const HR_DATA: ReadonlyArray<{ uuid: string; ferieSaldo: number; kompetencer: readonly string[] }> = [
  { uuid: B.KA, ferieSaldo: 18, kompetencer: ['Kontanthjælp', 'Integration'] },
  { uuid: B.HN, ferieSaldo: 25, kompetencer: ['Kontanthjælp', 'Sygedagpenge'] },
  { uuid: B.PIASTE, ferieSaldo: 12, kompetencer: ['Jobsøgning', 'Rådighed'] },
  { uuid: B.HENJAC, ferieSaldo: 20, kompetencer: ['Jobsøgning', 'Virksomhedskontakt'] },
  { uuid: B.GRMU, ferieSaldo: 30, kompetencer: ['Ledelse'] },
  { uuid: B.IBOL, ferieSaldo: 5, kompetencer: ['Ledelse'] },
  { uuid: HR_UNKNOWN_TO_SF1500, ferieSaldo: 0, kompetencer: ['Arkiv'] },
];

const silent = { debug() {}, info() {}, warn() {}, error() {} };

const byUuid = new Map(HR_DATA.map((r) => [r.uuid, r]));

export interface SecondSubgraph {
  name: string;
  url: string;
  sdl: string;
  /** Every operation the subgraph received (the gateway's fetches), oldest first. */
  received: string[];
  close(): Promise<void>;
}

/** Starts the hr subgraph on loopback (port 0: a free one). */
export async function startSecondSubgraph(port = 0): Promise<SecondSubgraph> {
  const resolvers = {
    Query: {
      medarbejdereMedKompetence: (_: unknown, args: { kompetence: string }) =>
        HR_DATA.filter((r) => r.kompetencer.includes(args.kompetence)).map((r) => ({ uuid: r.uuid })),
    },
    Bruger: {
      __resolveReference: (ref: { uuid: string }) => ({ uuid: ref.uuid }),
      ferieSaldo: (b: { uuid: string }) => byUuid.get(b.uuid)?.ferieSaldo ?? null,
      kompetencer: (b: { uuid: string }) => byUuid.get(b.uuid)?.kompetencer ?? null,
    },
  };
  const received: string[] = [];
  const record: ApolloServerPlugin = {
    async requestDidStart(rc) {
      received.push(rc.request.query ?? '');
    },
  };
  const server = new ApolloServer({ schema: buildSubgraphSchema([{ typeDefs: parse(HR_SDL), resolvers: resolvers as never }]), plugins: [record], logger: silent });
  const { url } = await startStandaloneServer(server, { listen: { port, host: '127.0.0.1' } });
  return { name: 'hr', url, sdl: HR_SDL, received, close: () => server.stop() };
}
