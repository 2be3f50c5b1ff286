/**
 * Regenerates the README's screenshots (docs/*.png) from the real stack with Korsbæk, offline:
 * `npm run screenshots`. The explorer shows GraphiQL, as it does without Apollo's CDN.
 */
import { join } from 'node:path';
import { packageRoot } from '../../src/server/web/files';
import { browserScript } from './support';

const OUT = join(packageRoot(__dirname), 'docs');
const YDELSESCENTERET = 'd9ebec1f-9329-425a-93e3-9321b7770e01';

browserScript({}, async (run, stack) => {
  const explorer = await run.newPage();
  await explorer.goto(`${stack.origin}/graphql`);
  await explorer.locator('#explorer[data-explorer="graphiql"]').waitFor({ timeout: 15_000 });
  await explorer.locator('.graphiql-execute-button').click();
  await explorer.locator('.graphiql-response .CodeMirror', { hasText: 'data' }).waitFor();
  await explorer.screenshot({ path: join(OUT, 'explorer.png') });

  const chart = await run.newPage();
  await chart.goto(`${stack.origin}/orgchart?virkning=2018-06-01&aaben=${YDELSESCENTERET}`);
  await chart.locator('#indhold[data-status="ready"]').waitFor();
  await chart.screenshot({ path: join(OUT, 'orgchart.png') });

  await chart.goto(`${stack.origin}/orgchart?visning=aendringer&fra=2018-06-01`);
  await chart.locator('#indhold[data-status="ready"]').waitFor();
  await chart.screenshot({ path: join(OUT, 'orgchart-changes.png') });
  console.log(`wrote explorer.png, orgchart.png, orgchart-changes.png to ${OUT}`);
});
