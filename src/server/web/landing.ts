import type { LandingMode } from '../../config';
import type { ExampleOperation } from './examples';

/** Where Apollo's own landing page plugin loads Sandbox from (@apollo/server 5, DEFAULT_EMBEDDED_SANDBOX_VERSION v2). */
export const SANDBOX_SCRIPT = 'https://embeddable-sandbox.cdn.apollographql.com/v2/embeddable-sandbox.umd.production.min.js';
const SANDBOX_ORIGINS = 'https://embeddable-sandbox.cdn.apollographql.com';
const SANDBOX_FRAMES = 'https://sandbox.embed.apollographql.com';

/** What explorer.js reads from the page: which explorer, what to preload. */
export interface ExplorerPageConfig {
  mode: Exclude<LandingMode, 'off'>;
  sandboxScript: string;
  /** How long `auto` waits for Sandbox's script before it gives up and shows GraphiQL. */
  sandboxTimeoutMs: number;
  examples: ExampleOperation[];
  /** Preset request headers (JSON text), shown in the headers editor. */
  headers: string;
}

/** JSON safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/** The page served at /graphql to browsers: a shell; explorer.js picks Sandbox or GraphiQL. */
export function landingPage(config: ExplorerPageConfig): { html: string; csp: string } {
  const sandbox = config.mode !== 'graphiql';
  const csp = [
    "default-src 'self'",
    `script-src 'self'${sandbox ? ` ${SANDBOX_ORIGINS}` : ''}`,
    // GraphiQL and Sandbox set inline styles; fonts and icons are data: URLs inside graphiql.min.css.
    `style-src 'self' 'unsafe-inline'${sandbox ? ` ${SANDBOX_ORIGINS}` : ''}`,
    "img-src 'self' data:",
    "font-src 'self' data:",
    `frame-src ${sandbox ? SANDBOX_FRAMES : "'none'"}`,
    "connect-src 'self'",
  ].join('; ');
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>SF1500 subgraph – GraphQL explorer</title>
<link rel="stylesheet" href="/explorer/explorer.css">
</head>
<body>
<div id="explorer" data-explorer="loading"><p class="explorer-loading">Loading the GraphQL explorer…</p></div>
<script type="application/json" id="explorer-config">${scriptJson(config)}</script>
<script src="/explorer/explorer.js"></script>
</body>
</html>
`;
  return { html, csp };
}
