import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { testStack } from '../support/stack';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Loopback only: the tests prove the pages work with no internet, whatever this machine can reach. */
export function isLoopback(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'data:' || protocol === 'blob:') return true;
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}

export interface BrowserRun {
  browser: Browser;
  /** A fresh context (no storage) whose requests off loopback are aborted and recorded in `blocked`. */
  newPage(): Promise<Page>;
  blocked: string[];
  close(): Promise<void>;
}

/** Debian's chromium with the flags this machine needs (no background networking, fresh profile). */
export async function launch(): Promise<BrowserRun> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`);
  // playwright's launch gives every run a new empty profile of its own (it refuses --user-data-dir).
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const blocked: string[] = [];
  const contexts: BrowserContext[] = [];
  return {
    browser,
    blocked,
    async newPage() {
      // Danish locale: date inputs show dd.mm.åååå as the page's users see them.
      const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 }, locale: 'da-DK' });
      contexts.push(context);
      await context.route('**/*', (route) => {
        const url = route.request().url();
        if (isLoopback(url)) return route.continue();
        blocked.push(url);
        return route.abort('internetdisconnected');
      });
      return context.newPage();
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
    },
  };
}

/** The real stack (local SF1500 with Korsbæk + subgraph) and the page origin it serves. */
export async function webStack(env: Record<string, string> = {}): Promise<Awaited<ReturnType<typeof testStack>> & { origin: string }> {
  const stack = await testStack(env);
  return { ...stack, origin: new URL(stack.subgraph.url).origin };
}

/** A script's body with a browser and the stack (closed after it); exits 1 when it fails. */
export function browserScript(env: Record<string, string>, body: (run: BrowserRun, stack: Awaited<ReturnType<typeof webStack>>) => Promise<void>): void {
  (async () => {
    const [run, stack] = await Promise.all([launch(), webStack(env)]);
    try {
      await body(run, stack);
    } finally {
      await run.close();
      await stack.close();
    }
  })().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
