import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../../config';
import { loadExamples } from './examples';
import { packageFile, packageRoot, StaticFiles } from './files';
import { landingPage, SANDBOX_SCRIPT } from './landing';

/** The browser-facing pages: the explorer at /graphql and the org chart at /orgchart. */
export interface WebRoutes {
  /** Answers the request when it is one of ours; false leaves it to the GraphQL handler. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean;
}

/** The explorer's files: ours, and GraphiQL 3 with React 18 as the UMD builds their packages ship. */
function explorerFiles(web: string): Map<string, string> {
  return new Map([
    ['/explorer/explorer.js', join(web, 'explorer/explorer.js')],
    ['/explorer/explorer.css', join(web, 'explorer/explorer.css')],
    ['/explorer/react.production.min.js', packageFile('react', 'umd/react.production.min.js')],
    ['/explorer/react-dom.production.min.js', packageFile('react-dom', 'umd/react-dom.production.min.js')],
    ['/explorer/graphiql.min.js', packageFile('graphiql', 'graphiql.min.js')],
    ['/explorer/graphiql.min.css', packageFile('graphiql', 'graphiql.min.css')],
    ['/explorer/plugin-explorer.umd.js', packageFile('@graphiql/plugin-explorer', 'dist/index.umd.js')],
    ['/explorer/plugin-explorer.css', packageFile('@graphiql/plugin-explorer', 'dist/style.css')],
  ]);
}

/** Every file in web/orgchart/, listed once at start: nothing else under /orgchart/ is served. */
function orgchartFiles(web: string): Map<string, string> {
  const dir = join(web, 'orgchart');
  const files = new Map<string, string>();
  for (const f of readdirSync(dir)) if (/^[a-z0-9-]+\.(js|css|html)$/.test(f)) files.set(`/orgchart/${f}`, join(dir, f));
  files.set('/orgchart', join(dir, 'index.html'));
  files.set('/orgchart/', join(dir, 'index.html'));
  return files;
}

const ORGCHART_CSP = "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; connect-src 'self'; frame-ancestors *";

function wantsHtml(req: IncomingMessage, url: URL): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (url.searchParams.has('query')) return false;
  const accept = String(req.headers.accept ?? '');
  // As Apollo decides for its landing page: a browser asks for HTML before JSON.
  return accept.includes('text/html');
}

export function webRoutes(config: Config, graphqlPaths: readonly string[] = ['/graphql', '/']): WebRoutes {
  const root = packageRoot();
  const web = join(root, 'web');
  const landing = config.landing;
  const explorer = new StaticFiles(landing === 'off' ? new Map() : explorerFiles(web), 'public, max-age=3600');
  const orgchart = new StaticFiles(config.orgchart ? orgchartFiles(web) : new Map(), 'no-cache');
  let page: ReturnType<typeof landingPage> | undefined;

  return {
    handle(req, res, url) {
      const path = url.pathname;
      if (landing !== 'off' && graphqlPaths.includes(path) && wantsHtml(req, url)) {
        // Built on first use: examples/ is read then, not at every request.
        page ??= landingPage({ mode: landing, sandboxScript: SANDBOX_SCRIPT, sandboxTimeoutMs: 4000, examples: loadExamples(join(root, 'examples')), headers: JSON.stringify({ 'x-sf1500-calls': '1' }, null, 2) });
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': page.csp, 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : page.html);
        return true;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      if (explorer.has(path)) {
        explorer.serve(path, req, res);
        return true;
      }
      if (orgchart.has(path)) {
        orgchart.serve(path, req, res, path.endsWith('.js') || path.endsWith('.css') ? {} : { 'content-security-policy': ORGCHART_CSP });
        return true;
      }
      return false;
    },
  };
}
