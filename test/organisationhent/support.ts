import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type OperationDefinitionNode } from 'graphql';
import type { Stack } from '../../src/stack';

/** Posts to the OrganisationHent endpoint with KOMBIT's required headers (overridable). */
export async function hent(s: Stack, query: string, variables?: Record<string, unknown>, headers: Record<string, string | undefined> = {}): Promise<{ status: number; body: any }> {
  const url = s.subgraph.url.replace(/\/graphql$/, '/organisation/organisationhent/1');
  const h: Record<string, string> = { 'content-type': 'application/json', 'x-transaktionsid': randomUUID(), 'x-transaktionstid': '2023-10-10T17:10:11.3441152+02:00[Europe/Berlin]' };
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) delete h[k.toLowerCase()];
    else h[k.toLowerCase()] = v;
  }
  const res = await fetch(url, { method: 'POST', headers: h, body: JSON.stringify({ query, variables }) });
  return { status: res.status, body: await res.json() };
}

/** KOMBIT's published files (tests only read them). */
export const KOMBIT_DIR = join(__dirname, '../../../shared/kombit-org-graphql');

/** The README's sample operations (fenced blocks that parse as GraphQL queries). */
export function readmeQueries(): Array<{ name: string; text: string }> {
  const md = readFileSync(join(KOMBIT_DIR, 'README.md'), 'utf8');
  const out: Array<{ name: string; text: string }> = [];
  for (const m of md.matchAll(/```(?:graphql)?\s*\n([\s\S]*?)```/g)) {
    const text = m[1].trim();
    if (!/^(query\b|\{)/.test(text)) continue;
    try {
      const op = parse(text).definitions[0] as OperationDefinitionNode;
      out.push({ name: `${op.name?.value ?? 'anonymous'} #${out.length + 1}`, text });
    } catch {
      // A block that is a schema excerpt, not a query.
    }
  }
  return out;
}

