import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One operation from examples/, as the explorer preloads it (a GraphiQL tab, or Sandbox's first document). */
export interface ExampleOperation {
  name: string;
  query: string;
  /** The sibling .json file, as text ('' when there is none). */
  variables: string;
}

/** The tab the explorer opens on: time travel, what sets this API apart (the others follow by name). */
const FIRST = 'history';

/** Reads examples/*.graphql with their variables; the same files test/examples.test.ts runs. */
export function loadExamples(dir: string): ExampleOperation[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort((a, b) => Number(b === `${FIRST}.graphql`) - Number(a === `${FIRST}.graphql`) || a.localeCompare(b))
    .map((f) => {
      const base = f.slice(0, -'.graphql'.length);
      const json = join(dir, `${base}.json`);
      return { name: base, query: readFileSync(join(dir, f), 'utf8'), variables: existsSync(json) ? readFileSync(json, 'utf8').trim() : '' };
    });
}
