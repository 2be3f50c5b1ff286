import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testStack } from '../support/stack';

/** The README's example query returns exactly the answer the README shows. */
it('README example answers as documented', async () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const m = /## Example\s+```graphql\n([\s\S]+?)```[\s\S]+?```json\n([\s\S]+?)```/.exec(readme);
  expect(m).not.toBeNull();
  const s = await testStack();
  try {
    const r = await s.gql(m![1]);
    expect({ data: r.data }).toEqual(JSON.parse(m![2]));
  } finally {
    await s.close();
  }
});
