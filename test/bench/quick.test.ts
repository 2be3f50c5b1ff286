import { runQuick } from '../../bench/run';

/**
 * Smoke test of the benchmark (`npm run bench -- --quick`, trimmed): the small municipality, every
 * operation in both modes, asserting SOAP call counts only — never times.
 */
it('runs every benchmark operation in both modes with the expected SOAP call counts', async () => {
  // smaller than --quick's 100 units / 800 users, and fewer runs, to stay well under a minute on 2 busy cores
  const { result, problems } = await runQuick(undefined, {
    size: { units: 60, users: 300, functions: 400 },
    coldRuns: 1, warmRuns: 1, hierarchyColdRuns: 1,
    unbatched: { coldRuns: 1, warmRuns: 0, budgetMs: 20_000, throughputBudgetMs: 0 },
    throughput: false, parser: false, floorMaxDistinct: 40,
  });
  expect(problems).toEqual([]);
  expect(result.results).toHaveLength(12);
  for (const r of result.results) {
    expect(r.cold.length).toBeGreaterThan(0);
    expect(r.floor?.calls).toBe(r.cold[0].calls);
  }
}, 120_000);
