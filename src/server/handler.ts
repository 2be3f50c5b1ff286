import type { IncomingMessage, ServerResponse } from 'node:http';
import { json } from '../http/json';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { Config } from '../config';
import { readBody } from '../http/body';
import { createContext, type ContextDeps, type GraphQLContext } from '../context';
import { withCvr } from '../sf1500/idws/tenant';
import type { Sf1500Reader } from '../sf1500/reader';
import { CallRecorder } from '../sf1500/stats';
import { requestBudget } from '../execution/budget';
import { AENDRINGER_STREAM, serveStream } from '../changes';
import { ORGANISATIONHENT_PATH } from '../organisationhent/http';
import { nestingDepth, nestingLimit } from './limits';
import type { Metrics } from './metrics';
import { AuthError, type Authenticator } from './auth';
import type { WebRoutes } from './web';

/**
 * The subgraph's HTTP request handler: the routes (/health, /ready, /metrics, OrganisationHent, web
 * pages, the change stream) and the GraphQL path's checks before Apollo (auth, body size, nesting).
 * One phase of `startSubgraph`; the server it runs in is `listen.ts`'s.
 */

/** How long one SF1500 readiness probe answers /ready. */
export const READY_CACHE_MS = 1000;

/**
 * /ready is unauthenticated: concurrent and repeated probes share one SF1500 call per READY_CACHE_MS,
 * so hammering it cannot drive traffic to SF1500 (KOMBIT) in the subgraph's name.
 */
export function readiness(config: Config, client: Sf1500Reader): () => Promise<boolean> {
  // A probe has its own short deadline: an SF1500 that accepts connections but never answers must make
  // /ready say so in READY_TIMEOUT_MS, not after the 60 s SOAP deadline.
  const probe = async (): Promise<boolean> => {
    try {
      await client.soeg('Organisation', {}, { offset: 0, limit: 1 }, undefined, new CallRecorder(AbortSignal.timeout(config.readyTimeoutMs)));
      return true;
    } catch {
      return false;
    }
  };
  let lastProbe: { at: number; result: Promise<boolean> } | undefined;
  return () => {
    if (!lastProbe || Date.now() - lastProbe.at >= READY_CACHE_MS) lastProbe = { at: Date.now(), result: probe() };
    return lastProbe.result;
  };
}

/** Hit and miss counters of a cache, for /metrics. */
interface Counted { hits: number; misses: number }

export interface HandlerDeps {
  config: Config;
  apollo: ApolloServer<GraphQLContext>;
  auth: Authenticator;
  metrics: Metrics;
  depsFor: (cvr: string | undefined) => ContextDeps;
  ready: () => Promise<boolean>;
  /** The default municipality's caches, counted on /metrics. */
  caches: { objects: Counted; hierarchy: Counted };
  organisationHent: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** Browser pages (explorer with offline GraphiQL, /orgchart) answer before Apollo; Apollo's own landing page stays off. */
  web: WebRoutes;
}

export function requestHandler({ config, apollo, auth, metrics, depsFor, ready, caches, organisationHent, web }: HandlerDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/health') return json(res, 200, { status: 'ok' });
    if (url.pathname === '/ready') {
      const ok = await ready();
      return json(res, ok ? 200 : 503, { status: ok ? 'ready' : 'SF1500 unreachable' });
    }
    if (url.pathname === '/metrics') {
      metrics.cacheHits.reset();
      metrics.cacheMisses.reset();
      metrics.cacheHits.inc({ cache: 'objects' }, caches.objects.hits);
      metrics.cacheMisses.inc({ cache: 'objects' }, caches.objects.misses);
      metrics.cacheHits.inc({ cache: 'hierarchy' }, caches.hierarchy.hits);
      metrics.cacheMisses.inc({ cache: 'hierarchy' }, caches.hierarchy.misses);
      const text = await metrics.registry.metrics();
      res.writeHead(200, { 'content-type': metrics.registry.contentType });
      res.end(text);
      return;
    }
    if (url.pathname === ORGANISATIONHENT_PATH) return organisationHent(req, res);
    if (web.handle(req, res, url)) return;
    if (url.pathname !== '/graphql' && url.pathname !== '/' && url.pathname !== AENDRINGER_STREAM) return json(res, 404, { error: 'not found; the GraphQL endpoint is /graphql' });

    let caller;
    try {
      caller = await auth.authenticate(req.headers);
    } catch (e) {
      if (e instanceof AuthError) return json(res, 401, { errors: [{ message: e.message, extensions: { code: 'UNAUTHENTICATED' } }] }, { 'www-authenticate': 'Bearer' });
      throw e;
    }
    if (url.pathname === AENDRINGER_STREAM) return serveStream(depsFor(caller.cvr).changes, req, res, url, { maxStreams: config.changes.maxStreams, maxMs: config.changes.streamMaxMs });
    let bodyText = '';
    if (req.method === 'POST') {
      try {
        bodyText = await readBody(req, config.limits.maxQueryBytes);
      } catch {
        return json(res, 413, { errors: [{ message: `request body exceeds ${config.limits.maxQueryBytes} bytes (GRAPHQL_MAX_QUERY_BYTES)`, extensions: { code: 'QUERY_LIMIT', limit: 'GRAPHQL_MAX_QUERY_BYTES' } }] }, { connection: 'close' });
      }
    }
    if (req.method === 'GET' && (url.searchParams.get('query')?.length ?? 0) > config.limits.maxQueryBytes) {
      return json(res, 413, { errors: [{ message: `query exceeds ${config.limits.maxQueryBytes} bytes (GRAPHQL_MAX_QUERY_BYTES)`, extensions: { code: 'QUERY_LIMIT' } }] });
    }
    let body: unknown;
    const contentType = String(req.headers['content-type'] ?? '');
    if (bodyText && contentType.includes('json')) {
      try {
        body = JSON.parse(bodyText);
      } catch {
        return json(res, 400, { errors: [{ message: 'request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
      }
    } else body = bodyText;
    const queryText = req.method === 'GET' ? url.searchParams.get('query') : typeof body === 'object' && body !== null && 'query' in body ? (body as { query?: unknown }).query : undefined;
    if (typeof queryText === 'string') {
      const nesting = nestingDepth(queryText);
      const limit = nestingLimit(config.limits.maxDepth);
      if (nesting > limit) {
        return json(res, 400, { errors: [{ message: `the document nests ${nesting} levels deep; at most ${limit} (GRAPHQL_MAX_DEPTH)`, extensions: { code: 'QUERY_LIMIT', limit: 'GRAPHQL_MAX_DEPTH' } }] });
      }
    }
    const headers = new HeaderMap();
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
    // Apollo's inline trace (per-field timings) is for the router only: the router secret must be set and given.
    if (!config.auth.routerSecret) headers.delete('apollo-federation-include-trace');
    const requestStart = Date.now();
    // The request's work stops when its client leaves or its time budget ends: fields stop resolving and
    // its SOAP calls are cancelled (shared hierarchy loads go on for the others).
    const budget = requestBudget(config.limits, res);
    const deps = depsFor(caller.cvr);
    const execute = (): ReturnType<typeof apollo.executeHTTPGraphQLRequest> => apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: async () => createContext(deps, requestStart, caller, config.limits.budget ? budget : undefined, budget.signal),
    });
    // The SF1500 calls of this request run for the caller's municipality (its token).
    const result = await (caller.cvr ? withCvr(caller.cvr, execute) : execute());
    for (const [k, v] of result.headers) res.setHeader(k, v);
    res.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') {
      res.end(result.body.string);
    } else {
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    }
  };
}
