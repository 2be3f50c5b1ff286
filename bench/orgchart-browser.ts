/**
 * /orgchart at 2,000 units (the large seed), in headless chromium: time from navigation to the first
 * screen drawn (the root and its children), once the server is warm; then an expand and the changes view.
 * `npm run bench:orgchart`. Records, does not assert.
 */
import type { Page } from 'playwright-core';
import { browserScript } from '../test/browser/support';

const RUNS = 7;

async function timed(page: Page, action: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await action();
  await page.locator('#indhold[data-status="ready"]').waitFor({ timeout: 120_000 });
  return Math.round(performance.now() - t);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const started = performance.now();

browserScript({ SF1500_SEED: 'large', SF1500_HIERARCHY_CACHE_MS: '600000' }, async (run, stack) => {
  const seeded = Math.round(performance.now() - started);
  const units = await stack.gql('{ soegOrganisationer(first: 1) { nodes { rodEnhed { uuid antalUnderenheder efterkommere { uuid antalUnderenheder } } } } }');
  const root = units.data?.soegOrganisationer.nodes[0].rodEnhed as { uuid: string; antalUnderenheder: number; efterkommere: Array<{ uuid: string; antalUnderenheder: number }> };
  const page = await run.newPage();
  // The query above already loaded the hierarchy snapshot: this is the page's first visit, not a cold server.
  const firstVisit = await timed(page, () => page.goto(`${stack.origin}/orgchart`));
  const first: number[] = [];
  for (let i = 0; i < RUNS; i++) first.push(await timed(page, () => page.reload()));
  // An expand by a click: the first of the root's children (largestChildCount: the most children any unit has).
  const busiest = [...root.efterkommere].sort((a, b) => b.antalUnderenheder - a.antalUnderenheder)[0];
  await page.goto(`${stack.origin}/orgchart?enhed=${root.uuid}`);
  await page.locator('#indhold[data-status="ready"]').waitFor();
  const child = await page.locator('#trae [aria-level="2"] .fold').first();
  const expand = await timed(page, () => child.click());
  // Two dates, each the whole tree: a past virkning at today's registrering loads a hierarchy snapshot every time (not cached).
  const changes = await timed(page, () => page.goto(`${stack.origin}/orgchart?visning=aendringer&fra=2018-01-01`));
  const changesAgain = await timed(page, () => page.reload());
  console.log(JSON.stringify({
    units: root.efterkommere.length + 1, rootChildren: root.antalUnderenheder, largestChildCount: busiest.antalUnderenheder,
    seedAndStartMs: seeded, firstVisitMs: firstVisit, warmFirstScreenMs: { median: median(first), runs: first },
    expandMs: expand, changesViewMs: changes, changesViewAgainMs: changesAgain,
  }, null, 2));
});
