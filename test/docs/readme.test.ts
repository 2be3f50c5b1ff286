import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testStack } from '../support/stack';

const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

/** The query and answer after a README heading (a literal string): the first ```graphql block and the ```json block after it. */
function exampleAfter(heading: string): { query: string; answer: unknown } {
  const m = new RegExp(`${heading}[\\s\\S]+?\`\`\`graphql\\n([\\s\\S]+?)\`\`\`[\\s\\S]+?\`\`\`json\\n([\\s\\S]+?)\`\`\``).exec(readme);
  expect(m).not.toBeNull();
  return { query: m![1], answer: JSON.parse(m![2]) };
}

let s: Awaited<ReturnType<typeof testStack>>;
beforeAll(async () => { s = await testStack(); });
afterAll(async () => { await s.close(); });

/** The README's example query returns exactly the answer the README shows. */
it('README example answers as documented', async () => {
  const { query, answer } = exampleAfter('## Example');
  const r = await s.gql(query);
  expect({ data: r.data }).toEqual(answer);
});

it('README historik example answers as documented', async () => {
  const { query, answer } = exampleAfter('### History: the shape of `historik`');
  const r = await s.gql(query);
  expect({ data: r.data }).toEqual(answer);
});

/** The curl recipe: the same request body, byte for byte the answer in its comment; a bare GET is refused (CSRF). */
it('README curl recipe answers as its comment says', async () => {
  const m = /```sh\ncurl -s http:\/\/127\.0\.0\.1:4001\/graphql -H 'content-type: application\/json' \\\n {2}-d '(.+)'\n# (.+)\n```/.exec(readme);
  expect(m).not.toBeNull();
  const post = await fetch(s.subgraph.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: m![1] });
  expect((await post.text()).trimEnd()).toBe(m![2]);
  const query = encodeURIComponent((JSON.parse(m![1]) as { query: string }).query);
  const bare = await fetch(`${s.subgraph.url}?query=${query}`);
  expect(bare.status).toBe(400);
  const preflight = await fetch(`${s.subgraph.url}?query=${query}`, { headers: { 'apollo-require-preflight': 'true' } });
  expect((await preflight.text()).trimEnd()).toBe(m![2]);
});
