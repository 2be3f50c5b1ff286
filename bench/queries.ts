import type { Fixture } from './fixture';

/** The benchmark operations, as GraphQL documents with their variables and answer checks. */

export type OpId = 'Q1' | 'Q2' | 'Q3' | 'Q4' | 'Q5' | 'Q6';

export interface Operation {
  id: OpId;
  title: string;
  query: string;
  variables: Record<string, unknown>;
  /** Uses the hierarchy snapshot (a cold run pays for all of its pages). */
  hierarchy: boolean;
  /** Throws when the answer is wrong or incomplete. */
  check(data: Record<string, any>): string;
}

const UNIT = `
fragment U on OrganisationEnhed {
  uuid navn
  stillinger { uuid navn tilknyttedeBrugere { uuid navn tilknyttedePersoner { navn } } }
  adresser { adresse { adresseTekst } rolle { titel } }
  opgaver { klasse { brugervendtNoegle titel } }
}`;

function q2(args: string): string {
  return `query Department($uuid: UUID!${args ? ', $v: DateTime!, $r: DateTime!' : ''}) {
  organisationEnhed(uuid: $uuid${args}) { ...U underenheder { ...U underenheder { ...U underenheder { ...U } } } }
}${UNIT}`;
}

type Unit = { uuid: string; stillinger: Array<{ tilknyttedeBrugere: unknown[] }>; underenheder?: Unit[] };

function checkDepartment(f: Fixture, data: Record<string, any>, exactLevels: boolean): string {
  const root = data.organisationEnhed as Unit | null;
  if (!root) throw new Error('department not found');
  const levels: number[] = [];
  let positions = 0;
  let level: Unit[] = [root];
  while (level.length > 0) {
    levels.push(level.length);
    positions += level.reduce((a, u) => a + u.stillinger.length, 0);
    level = level.flatMap((u) => u.underenheder ?? []);
  }
  if (exactLevels && levels.join(',') !== f.department.levels.join(',')) {
    throw new Error(`department levels ${levels.join(',')}, expected ${f.department.levels.join(',')}`);
  }
  return `${levels.reduce((a, b) => a + b, 0)} units (${levels.join('+')}), ${positions} positions`;
}

export function operations(f: Fixture, opts: { search: boolean }): Operation[] {
  const reps = f.brugere.map((uuid) => ({ __typename: 'Bruger', uuid }));
  const ops: Operation[] = [
    {
      id: 'Q1', title: 'full org chart', hierarchy: true,
      query: `query OrgChart($org: UUID!) {
  organisation(uuid: $org) { rodEnhed { uuid navn efterkommere { uuid navn overordnetUuid leder { navn } antalMedarbejdere } } }
}`,
      variables: { org: f.facts.organisation },
      check: (d) => {
        const units = d.organisation?.rodEnhed?.efterkommere as Array<{ navn: string | null; leder: { navn: string | null } | null }> | undefined;
        if (!units || units.length !== f.size.units - 1) throw new Error(`org chart has ${units?.length} units below the root, expected ${f.size.units - 1}`);
        if (units.some((u) => !u.navn)) throw new Error('a unit without navn');
        return `${units.length + 1} units, ${units.filter((u) => u.leder?.navn).length} with a leader`;
      },
    },
    {
      id: 'Q2', title: 'department, 3 levels deep', hierarchy: true,
      query: q2(''), variables: { uuid: f.department.uuid },
      check: (d) => checkDepartment(f, d, true),
    },
    {
      id: 'Q3', title: `_entities × ${reps.length} Bruger`, hierarchy: false,
      query: `query Entities($reps: [_Any!]!) { _entities(representations: $reps) { ... on Bruger { uuid navn tilknyttedePersoner { navn } } } }`,
      variables: { reps },
      check: (d) => {
        const l = d._entities as Array<{ navn: string | null; tilknyttedePersoner: Array<{ navn: string | null }> } | null>;
        const ok = l.filter((b) => b?.navn && b.tilknyttedePersoner?.[0]?.navn).length;
        if (ok !== reps.length) throw new Error(`${ok} of ${reps.length} Brugere resolved with a person name`);
        return `${ok} Brugere with person names`;
      },
    },
    {
      id: 'Q4', title: 'Q2 at a past virkning + registrering', hierarchy: true,
      query: q2(', virkning: { tidspunkt: $v }, registrering: { tidspunkt: $r }'),
      variables: { uuid: f.department.uuid, v: f.past.virkning, r: f.past.registrering },
      check: (d) => checkDepartment(f, d, false),
    },
    opts.search
      ? {
        id: 'Q5', title: 'search page: 100 Brugere + units', hierarchy: true,
        query: `query SearchPage($org: UUID!) {
  soegBrugere(first: 100, filter: { tilhoerer: $org, gyldighed: Aktiv }) { pageInfo { hasNextPage endCursor } nodes { uuid navn enheder { uuid navn } } }
}`,
        variables: { org: f.facts.organisation },
        check: (d) => {
          const nodes = d.soegBrugere?.nodes as Array<{ navn: string | null; enheder: unknown[] }> | undefined;
          const expect = Math.min(100, f.size.users);
          if (!nodes || nodes.length !== expect) throw new Error(`search page has ${nodes?.length} Brugere, expected ${expect}`);
          return `${nodes.length} Brugere, ${nodes.filter((n) => n.enheder.length > 0).length} with units`;
        },
      }
      : {
        id: 'Q5', title: '100 Brugere by UUID + units (no search yet)', hierarchy: true,
        query: `query Staff($uuids: [UUID!]!) { brugere(uuids: $uuids) { uuid navn enheder { uuid navn } } }`,
        variables: { uuids: f.staff },
        check: (d) => {
          const l = d.brugere as Array<{ navn: string | null; enheder: unknown[] } | null>;
          if (l.some((b) => !b?.navn)) throw new Error('a Bruger without navn');
          return `${l.length} Brugere, ${l.filter((b) => b!.enheder.length > 0).length} with units`;
        },
      },
    {
      // The first screen of a chart that expands on click (the os2orgviewer pattern): the planner's case.
      id: 'Q6', title: 'first screen: root\'s children', hierarchy: false,
      query: `query FirstScreen($org: UUID!) {
  organisation(uuid: $org) { rodEnhed { uuid navn underenheder { uuid navn harUnderenheder antalMedarbejdere leder { navn } } } }
}`,
      variables: { org: f.facts.organisation },
      check: (d) => {
        const l = d.organisation?.rodEnhed?.underenheder as Array<{ navn: string | null; harUnderenheder: boolean; leder: { navn: string | null } | null }> | undefined;
        if (!l || l.length === 0) throw new Error('the root has no children');
        if (l.some((u) => !u.navn)) throw new Error('a unit without navn');
        return `${l.length} units, ${l.filter((u) => u.harUnderenheder).length} with children, ${l.filter((u) => u.leder?.navn).length} with a leader`;
      },
    },
  ];
  return ops;
}

/** One unit with its parent's uuid: one List, nothing else (the simplest read). */
export function unitWithParent(f: Fixture): { query: string; variables: Record<string, unknown> } {
  return { query: 'query Unit($uuid: UUID!) { organisationEnhed(uuid: $uuid) { navn overordnet { uuid } } }', variables: { uuid: f.department.uuid } };
}
