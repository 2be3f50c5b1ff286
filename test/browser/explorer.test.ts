import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launch, webStack, type BrowserRun } from './support';
import { SANDBOX_SCRIPT } from '../../src/server/web/landing';
import type { GqlResult } from '../support/stack';
import { ConfigError, loadConfig } from '../../src/config';

let run: BrowserRun;
beforeAll(async () => { run = await launch(); });
afterAll(async () => { await run?.close(); });

const RESPONSE = "document.querySelector('.graphiql-response .CodeMirror').CodeMirror.getValue()";

/** Runs the active GraphiQL tab and returns the answer shown in the result pane, parsed. */
async function runInGraphiQL(page: Page): Promise<GqlResult> {
  // The pane is empty before: an answer left from an earlier run would not pass the wait.
  await page.evaluate(`document.querySelector('.graphiql-response .CodeMirror').CodeMirror.setValue('')`);
  await page.locator('.graphiql-execute-button').click();
  // CodeMirror draws only the lines in view, so read its value, not the DOM (tests run without the DOM lib, hence strings).
  // (Polled with evaluate: waitForFunction with a string needs 'unsafe-eval', which the page's CSP refuses.)
  for (const until = Date.now() + 30_000; !((await page.evaluate(RESPONSE)) as string).includes('"data"'); ) {
    if (Date.now() > until) throw new Error('GraphiQL showed no answer');
    await page.waitForTimeout(100);
  }
  return JSON.parse((await page.evaluate(RESPONSE)) as string) as GqlResult;
}

describe('the explorer at /graphql', () => {
  it('GRAPHQL_LANDING: auto by default, off in production or with GRAPHQL_SANDBOX=false, anything else is refused', () => {
    expect(loadConfig({}).landing).toBe('auto');
    expect(loadConfig({ NODE_ENV: 'production' }).landing).toBe('off');
    expect(loadConfig({ NODE_ENV: 'production' }).orgchart).toBe(false);
    expect(loadConfig({ GRAPHQL_SANDBOX: 'false' }).landing).toBe('off');
    expect(loadConfig({ NODE_ENV: 'production', GRAPHQL_LANDING: 'graphiql' }).landing).toBe('graphiql');
    expect(() => loadConfig({ GRAPHQL_LANDING: 'apollo' })).toThrow(ConfigError);
  });

  it('falls back to GraphiQL from our package when Apollo CDN is unreachable, preloads examples/ and runs a query', async () => {
    const stack = await webStack();
    try {
      const page = await run.newPage();
      await page.goto(`${stack.origin}/graphql`);
      await page.locator('#explorer[data-explorer="graphiql"]').waitFor({ timeout: 15_000 });
      expect(await page.locator('#explorer').getAttribute('data-fallback-reason')).toBe('script failed');
      expect(run.blocked).toContain(SANDBOX_SCRIPT);
      // One tab per operation in examples/, the first one active: history.graphql.
      const examples = readdirSync(join(__dirname, '../../examples')).filter((f) => f.endsWith('.graphql'));
      expect(await page.locator('.graphiql-tab').count()).toBe(examples.length);
      await page.locator('.graphiql-query-editor .CodeMirror').filter({ hasText: 'query' }).waitFor();
      const answer = await runInGraphiQL(page);
      // history.graphql with its variables from history.json: the rename, answered by the local SF1500.
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.foerOmdoebning).toEqual({ navn: 'Kontanthjælpsteamet' });
      expect(answer.data?.efterOmdoebning).toEqual({ navn: 'Kontanthjælp og Integration' });
      // The preset header asks for the SOAP calls in extensions.
      expect(answer.extensions?.sf1500?.calls).toBeGreaterThan(0);
      // Type a query of our own: the answer comes from the local SF1500, at a time in the past.
      await page.locator('.graphiql-tab-add').click();
      await page.locator('.graphiql-query-editor .CodeMirror').first().click();
      const query = '{ organisationEnhed(uuid: "d55cee6a-bfcf-4aa3-84b0-c7cf0b693801") { navn foer: navn(virkning: { tidspunkt: "2018-06-01T00:00:00Z" }) } }';
      // insertText types it as one input (CodeMirror's bracket closing would garble key-by-key typing).
      await page.keyboard.press('Control+A');
      await page.keyboard.insertText(query);
      const own = await runInGraphiQL(page);
      expect(own.data).toEqual({ organisationEnhed: { navn: 'Kontanthjælp og Integration', foer: 'Kontanthjælpsteamet' } });
    } finally {
      await stack.close();
    }
  });

  it('shows Apollo Sandbox when its script answers (auto), and GRAPHQL_LANDING forces one or the other or nothing', async () => {
    const auto = await webStack();
    const graphiql = await webStack({ GRAPHQL_LANDING: 'graphiql' });
    const off = await webStack({ GRAPHQL_LANDING: 'off' });
    const sandbox = await webStack({ GRAPHQL_LANDING: 'sandbox' });
    try {
      // A stand-in for Apollo's CDN script records the options our page passes it.
      const fakeSandbox = 'window.EmbeddedSandbox = function (o) { window.sandboxOptions = o; document.querySelector(o.target).dataset.sandbox = "started"; };';
      const page = await run.newPage();
      await page.route(SANDBOX_SCRIPT, (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: fakeSandbox }));
      await page.goto(`${auto.origin}/graphql`);
      await page.locator('#explorer[data-explorer="sandbox"][data-sandbox="started"]').waitFor();
      const options = (await page.evaluate('window.sandboxOptions')) as { initialEndpoint: string; initialState: { document: string; headers: Record<string, string> } };
      expect(options.initialEndpoint).toBe(`${auto.origin}/graphql`);
      expect(options.initialState.headers).toEqual({ 'x-sf1500-calls': '1' });
      expect(options.initialState.document).toMatch(/^#|query|\{/);

      // graphiql: no attempt at Apollo's CDN at all.
      const before = run.blocked.length;
      const p2 = await run.newPage();
      await p2.goto(`${graphiql.origin}/graphql`);
      await p2.locator('#explorer[data-explorer="graphiql"]').waitFor();
      expect(await p2.locator('#explorer').getAttribute('data-fallback-reason')).toBeNull();
      expect(run.blocked.slice(before)).toEqual([]);

      // sandbox forced and unreachable: a message, not GraphiQL.
      const p3 = await run.newPage();
      await p3.goto(`${sandbox.origin}/graphql`);
      await p3.locator('#explorer[data-explorer="failed"]').waitFor();
      expect(await p3.locator('#explorer').innerText()).toContain('GRAPHQL_LANDING=graphiql');

      // off: no page, and none of the explorer's files.
      const html = await fetch(`${off.origin}/graphql`, { headers: { accept: 'text/html' } });
      expect(await html.text()).not.toContain('explorer');
      expect((await fetch(`${off.origin}/explorer/graphiql.min.js`)).status).toBe(404);
      // The API itself still answers on every setting.
      expect((await off.gql('{ __typename }')).data).toEqual({ __typename: 'Query' });
    } finally {
      await Promise.all([auto.close(), graphiql.close(), off.close(), sandbox.close()]);
    }
  });
});
