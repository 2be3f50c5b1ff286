import type { BenchResult, OpResult } from './core';

/**
 * What the quick mode asserts: SOAP call counts only (never times, which depend on the machine).
 * Batching must show on the wire: at most one List per object type per unit level of a query,
 * no Laes, and the hierarchy read in pages; the unbatched mode must need more calls.
 */

const LIST_PAGE = 500; // SF1500_BATCH_SIZE default: most UUIDs in one List

function calls(r: OpResult | undefined, which: 'cold' | 'warm' = 'cold'): Record<string, { calls: number }> {
  return r?.[which][0]?.byOperation ?? {};
}

const sum = (o: Record<string, { calls: number }>, pred: (k: string) => boolean): number =>
  Object.entries(o).filter(([k]) => pred(k)).reduce((a, [, v]) => a + v.calls, 0);

export function expectedHierarchyPages(size: { units: number; users: number; functions: number }, pageSize = 500): number {
  // every list is paged with the same offset; the last page is the first one with no full list
  return Math.floor(Math.max(size.units, size.users, size.functions) / pageSize) + 1;
}

export function checkCallCounts(res: BenchResult): string[] {
  const problems: string[] = [];
  const get = (mode: string, id: string): OpResult | undefined => res.results.find((r) => r.mode === mode && r.id === id);
  const expect = (cond: boolean, msg: string): void => { if (!cond) problems.push(msg); };
  const pages = expectedHierarchyPages(res.fixture.size);
  const unitLevels = res.fixture.department.levels.length; // Q2/Q4 ask for the department and 3 levels below

  for (const id of ['Q1', 'Q2', 'Q3', 'Q4', 'Q5', 'Q6']) {
    for (const mode of ['batched', 'unbatched']) expect(!!get(mode, id)?.cold.length, `${mode} ${id}: no completed run`);
  }

  // Q1: the whole chart from the hierarchy pages alone (plus the root field's Organisation), then only that List
  const q1 = calls(get('batched', 'Q1'));
  const notHierarchy = (k: string): boolean => !k.endsWith('.fremsoegobjekthierarki') && k !== 'organisation.list';
  // SF1500_HIERARCHY_PARALLEL (default 2) asks for the next page before the last one shows it is the last: one page more at most
  const q1Pages = sum(q1, (k) => k.endsWith('.fremsoegobjekthierarki'));
  expect(q1Pages >= pages && q1Pages <= pages + 1, `batched Q1: ${q1Pages} hierarchy pages, expected ${pages} (+1 asked past the end)`);
  expect((q1['organisation.list']?.calls ?? 0) <= 1 && sum(q1, notHierarchy) === 0, `batched Q1: ${JSON.stringify(q1)} has calls besides the hierarchy pages and the root Organisation`);
  const q1w = get('batched', 'Q1')?.warm[0];
  expect(q1w !== undefined && q1w.calls <= 1 && sum(q1w.byOperation, (k) => k !== 'organisation.list') === 0, `batched Q1 warm: ${JSON.stringify(q1w?.byOperation)}, expected only the root Organisation (snapshot cached)`);

  // Q2 / Q4: at most one List per object type per unit level, no Laes
  for (const id of ['Q2', 'Q4']) {
    for (const which of ['cold', 'warm'] as const) {
      const c = calls(get('batched', id), which);
      for (const [k, v] of Object.entries(c)) {
        if (k.endsWith('.list')) expect(v.calls <= unitLevels, `batched ${id} ${which}: ${k} ${v.calls} calls for ${unitLevels} unit levels (more than one per level)`);
      }
      expect(sum(c, (k) => k.endsWith('.laes')) === 0, `batched ${id} ${which}: Laes calls ${JSON.stringify(c)}`);
    }
    const b = get('batched', id)?.cold[0];
    const u = get('unbatched', id)?.cold[0];
    expect(!!b && !!u && sum(u.byOperation, (k) => k.endsWith('.list')) === 0, `unbatched ${id}: List calls in the unbatched mode`);
    expect(!!b && !!u && u.calls > b.calls, `unbatched ${id}: ${u?.calls} calls, not more than batched ${b?.calls}`);
  }
  // Q4 at a past registration: warm runs are answered from the immutable caches
  const q4w = get('batched', 'Q4')?.warm[0];
  expect(q4w !== undefined && q4w.calls === 0, `batched Q4 warm: ${q4w?.calls} SOAP calls, expected 0 (past registration: immutable, cached)`);

  // Q3: one List per type per 500 representations
  const n = Math.min(1000, res.fixture.size.users);
  const q3 = calls(get('batched', 'Q3'));
  const perType = Math.ceil(n / LIST_PAGE);
  expect((q3['bruger.list']?.calls ?? 0) <= perType && (q3['person.list']?.calls ?? 0) <= perType, `batched Q3: ${JSON.stringify(q3)}, expected ≤ ${perType} List per type`);
  expect(sum(q3, () => true) <= 2 * perType, `batched Q3: ${sum(q3, () => true)} calls, expected ≤ ${2 * perType}`);
  const u3 = get('unbatched', 'Q3')?.cold[0];
  expect(!!u3 && sum(u3.byOperation, (k) => k.endsWith('.laes')) >= 2 * n, `unbatched Q3: ${u3 && sum(u3.byOperation, (k) => k.endsWith('.laes'))} Laes, expected ≥ ${2 * n} (a Bruger and a Person each)`);

  // Q5: a page of Brugere and their units: one search call (if any), one List of Brugere, units from the snapshot
  const q5 = calls(get('batched', 'Q5'));
  expect((q5['bruger.list']?.calls ?? 0) <= 1, `batched Q5: ${q5['bruger.list']?.calls} Bruger Lists, expected ≤ 1`);
  expect(sum(q5, (k) => k.endsWith('.laes')) === 0, `batched Q5: Laes calls ${JSON.stringify(q5)}`);
  const u5 = get('unbatched', 'Q5')?.cold[0];
  const b5 = get('batched', 'Q5')?.cold[0];
  expect(!!u5 && !!b5 && u5.calls > b5.calls, `unbatched Q5: ${u5?.calls} calls, not more than batched ${b5?.calls}`);

  // Q6 (first screen): the planner answers it with targeted Soeg + List, no hierarchy page
  const q6 = calls(get('batched', 'Q6'));
  expect(sum(q6, (k) => k.endsWith('.fremsoegobjekthierarki')) === 0, `batched Q6 cold: hierarchy pages ${JSON.stringify(q6)}, expected targeted calls only`);
  expect(sum(q6, (k) => k.endsWith('.laes')) === 0, `batched Q6: Laes calls ${JSON.stringify(q6)}`);
  const cp = res.coldPaths;
  if (cp) {
    const unit = cp.rows.find((r) => r.label.startsWith('one unit'));
    expect(unit?.calls === 1, `one unit with navn and overordnet { uuid }: ${unit?.calls} SOAP calls, expected 1`);
    expect(!!cp.restart && sum(cp.restart.byOperation, (k) => k.endsWith('.fremsoegobjekthierarki')) === 0, `Q1 after a restart: ${JSON.stringify(cp.restart?.byOperation)}, expected no hierarchy page (persisted snapshot)`);
  }

  return problems;
}
