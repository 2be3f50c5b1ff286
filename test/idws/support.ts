import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compact, elements, parseDom } from '../../src/wssec/dom';
import { createTestPki, type TestPki } from '../../src/emulator/sts/pki';
import type { KeyPair } from '../../src/wssec/certs';

/** Shared by the OIO IDWS tests: KOMBIT's captures, one test PKI per test file, raw SOAP posts. */

const DIR = join(__dirname, '../../../shared/sf1500/security/vectors');
export const vector = (name: string): string => compact(readFileSync(join(DIR, name), 'utf8'));
export const vectorPath = (name: string): string => join(DIR, name);

let pki: TestPki | undefined;
export const testPki = (): TestPki => (pki ??= createTestPki());
export const pair = (name: keyof TestPki): KeyPair => ({ cert: testPki()[name].cert, key: testPki()[name].key });

export async function postSoap(url: string, body: string, action = ''): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': `application/soap+xml; charset=utf-8; action="${action}"` } });
  return { status: res.status, text: await res.text() };
}

/** Element names in document order with their namespace, for comparing structure with a capture. */
export function shape(xml: string, skip: (ns: string, local: string) => boolean = () => false): string[] {
  const out: string[] = [];
  const walk = (e: Element, depth: number): void => {
    if (skip(e.namespaceURI ?? '', e.localName)) return;
    out.push(`${'  '.repeat(depth)}{${e.namespaceURI}}${e.localName}`);
    for (const c of elements(e)) walk(c, depth + 1);
  };
  walk(parseDom(xml).documentElement, 0);
  return out;
}
