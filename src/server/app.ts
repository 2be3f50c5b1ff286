import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginInlineTrace } from '@apollo/server/plugin/inlineTrace';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { readBody } from '../http/body';
import { createContext, type ContextDeps, type GraphQLContext } from '../context';
import { subgraphSchema } from '../schema';
import { HierarchyCache, LruCache, type HierarchySnapshot } from '../loaders';
import { withCvr } from '../sf1500/idws/tenant';
import type { Objekt } from '../model/domain';
import type { Sf1500Reader } from '../sf1500/reader';
import { Sf1500Error } from '../sf1500/errors';
import { CallRecorder } from '../sf1500/stats';
import { TimeArgumentError } from '../temporal';
import { aliasLimit, costLimitError, depthLimit, nestingDepth, nestingLimit, queryOnly } from './limits';
import { queryCost } from '../execution/cost';
import { fanOutFrom } from '../execution/fanout';
import { instrumentBudget, requestBudget } from '../execution/budget';
import { preferTargeted, targetedCalls } from '../execution/plan';
import type { SnapshotStore } from '../loaders/persist';
import { stateStores } from '../state';
import { AENDRINGER_STREAM, serveStream, startChangeFeed, type ChangeFeed, type ChangeLog } from '../changes';
import { Metrics } from './metrics';
import { AuthError, Authenticator } from './auth';
import { webRoutes } from './web';
import { ORGANISATIONHENT_PATH, organisationHentHandler } from '../organisationhent/http';

export interface Subgraph {
  url: string;
  server: Server;
  metrics: Metrics;
  hierarchy: HierarchyCache;
  /** The change feed's log, when the feed is on. */
  changes?: ChangeLog;
  close(): Promise<void>;
}

/** How long one SF1500 readiness probe answers /ready. */
export const READY_CACHE_MS = 1000;

/** Distinct operation names kept as metric labels; later ones are counted as `other`. */
export const MAX_OPERATION_LABELS = 200;

/** Maps failures to GraphQL error codes, keeping the field path; SF1500 details go in extensions. */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const e = unwrapResolverError(error);
  if (e instanceof Sf1500Error) {
    return { ...formatted, message: e.message, extensions: { ...formatted.extensions, code: e.code, service: e.service, operation: e.operation, statusKode: e.statusKode } };
  }
  if (e instanceof TimeArgumentError) {
    return { ...formatted, message: e.message, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT', argument: e.argument } };
  }
  if (typeof formatted.extensions?.limit === 'string') {
    // Limits reported during validation: Apollo labels them GRAPHQL_VALIDATION_FAILED; every limit is QUERY_LIMIT.
    return { ...formatted, extensions: { ...formatted.extensions, code: 'QUERY_LIMIT' } };
  }
  if (formatted.message.startsWith('Variable "$')) {
    // Variable coercion (bad UUID or DateTime in variables) is the caller's error, whatever the scalar threw.
    return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' } };
  }
  if (e instanceof GraphQLError) return formatted;
  if (formatted.extensions?.code === 'INTERNAL_SERVER_ERROR') {
    // Never leak internals (stack traces, personal data in messages) to callers.
    return { message: 'Internal error', path: formatted.path, locations: formatted.locations, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  }
  return formatted;
}


function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Starts the subgraph HTTP server: /graphql (Apollo, Sandbox landing page), /health, /ready, /metrics. */
export async function startSubgraph(config: Config, client: Sf1500Reader, logger: Logger, metrics = new Metrics()): Promise<Subgraph> {
  const schema = instrumentBudget((await subgraphSchema()).schema);
  const hierarchySizes = (): ReturnType<HierarchyCache['latestStats']> => hierarchy.latestStats();
  const auth = await Authenticator.create(config);
  // Snapshots on disk are keyed by where the data came from and whose it is: the caller's CVR (OIO IDWS), else
  // the configured municipality's, else the client certificate (one certificate, one municipality).
  const sourceFor = (cvr: string | undefined): { endpoint: string; tenant: string } => ({
    endpoint: config.sf1500Endpoints?.organisationsystem ?? config.sf1500BaseUrl ?? `local SF1500 ${config.local.dbFile} (${config.local.seed})`,
    tenant: cvr ? `cvr:${cvr}` : config.tls.pfxFile ?? config.tls.certFile ?? '',
  });
  // Redis when SUBGRAPH_REDIS_URL is set (replicas share snapshots and the change log), else SUBGRAPH_STATE_DIR.
  const state = stateStores(config, logger);
  const storeFor = (cvr: string | undefined): SnapshotStore | undefined => state.snapshots(sourceFor(cvr));
  const newHierarchy = (cvr?: string, onSnapshot?: (s: HierarchySnapshot) => void): HierarchyCache => new HierarchyCache(client, {
    pageSize: config.hierarchyPageSize, cacheWindowMs: config.batching ? config.hierarchyCacheMs : 0, maxPinnedSnapshots: config.hierarchyPinned,
    parallel: config.hierarchyParallel, store: storeFor(cvr), onSnapshot,
  });
  const objectCache = new LruCache<Objekt | null>(config.cacheSize);
  // The change feed follows the default municipality only: it compares each refreshed "now" snapshot of it
  // with what it saw last (src/changes). Callers of another CVR get no feed (never another's changes).
  const hierarchy = newHierarchy(config.security.idws?.cvr, (s) => changes?.log.observe(s));
  // A restart answers from the persisted snapshot (and refreshes behind it): read while Apollo starts,
  // awaited before listening, so the first request finds it in memory (about a second for 2,000 units).
  const restored = hierarchy.restore();
  const changes: ChangeFeed | undefined = await startChangeFeed(config, client, hierarchy, logger, sourceFor(config.security.idws?.cvr), state.changes(sourceFor(config.security.idws?.cvr)));
  // Several municipalities (OIO IDWS, a CVR per caller): each CVR has its own caches, so no answer for
  // one is ever built from another's data. The default municipality keeps the caches above.
  const depsOf = (caches: { objectCache: LruCache<Objekt | null>; hierarchy: HierarchyCache }, feed?: ChangeLog): ContextDeps => ({
    loaders: {
      reader: client, settings: { batching: config.batching, maxBatchSize: config.batchSize }, objectCache: config.batching ? caches.objectCache : undefined, hierarchy: caches.hierarchy,
      planner: { mode: config.batching ? config.planner : 'snapshot', parallel: config.targetedParallel },
    },
    maxListArgument: config.limits.maxListArgument,
    maxFirst: config.limits.maxFirst,
    changes: feed,
  });
  const contextDeps = depsOf({ objectCache, hierarchy }, changes?.log);
  const tenantDeps = new Map<string, ContextDeps>();
  const depsFor = (cvr: string | undefined): ContextDeps => {
    if (!cvr || cvr === config.security.idws?.cvr) return contextDeps;
    let d = tenantDeps.get(cvr);
    if (!d) {
      const h = newHierarchy(cvr);
      void h.restore(); // a tenant's first request waits for its file
      tenantDeps.set(cvr, (d = depsOf({ objectCache: new LruCache<Objekt | null>(config.cacheSize), hierarchy: h })));
    }
    return d;
  };

  // Operation names come from callers: a bounded set of metric labels, or /metrics (and memory) grows without end.
  const operationLabels = new Set<string>();
  const operationLabel = (op: string): string => {
    if (operationLabels.has(op)) return op;
    if (operationLabels.size >= MAX_OPERATION_LABELS || op.length > 100) return 'other';
    operationLabels.add(op);
    return op;
  };

  const fanOut = fanOutFrom(hierarchySizes);
  // KOMBIT's OrganisationHent API at its own path, on the same loaders, caches and limits.
  const organisationHent = organisationHentHandler({ config, depsFor, auth, logger, metrics, fanOut });

  const observe: ApolloServerPlugin<GraphQLContext> = {
    async requestDidStart(rc) {
      const started = performance.now();
      const wantCalls = config.callsInExtensions || rc.request.http?.headers.get('x-sf1500-calls') === '1';
      return {
        async didResolveOperation(r) {
          let cost: number;
          try {
            cost = queryCost(r.schema, r.document, r.request.variables, r.operationName ?? undefined, fanOut);
          } catch (e) {
            // Variables that do not coerce (bad UUID/DateTime) are the caller's error: 400, not 500.
            if (e instanceof GraphQLError && e.message.startsWith('Variable "$')) throw new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
            throw e;
          }
          if (cost > config.limits.maxCost) throw costLimitError(cost, config.limits.maxCost);
          if (config.planner === 'auto') {
            const calls = targetedCalls(r.schema, r.document, r.request.variables, r.operationName ?? undefined, fanOut);
            r.contextValue.hierarchy.plan(preferTargeted(calls, hierarchySizes(), config.targetedMaxCalls));
          }
        },
        async willSendResponse(r) {
          const stopped = r.contextValue.budget?.stopped;
          if (stopped && r.response.body.kind === 'single') {
            // A budget spent mid-way leaves a partial answer with emptied lists: not an answer to give.
            r.response.body.singleResult = { errors: [{ message: stopped.message, extensions: { code: 'QUERY_LIMIT', limit: stopped.limit } }] };
            r.response.http.status = 400;
          }
          const op = r.operationName ?? 'anonymous';
          const errors = r.errors?.length ?? (r.response.body.kind === 'single' ? r.response.body.singleResult.errors?.length ?? 0 : 0);
          r.response.http.headers.set('cache-control', 'no-store');
          const label = operationLabel(op);
          metrics.requests.inc({ operation: label, outcome: errors > 0 ? 'error' : 'ok' });
          metrics.requestSeconds.observe({ operation: label }, (performance.now() - started) / 1000);
          const hints = r.contextValue.hints;
          if (hints?.size && r.response.body.kind === 'single') {
            r.response.body.singleResult.extensions = { ...r.response.body.singleResult.extensions, hints: [...hints] };
          }
          // Which path answered the org-chart fields and how old the structure behind them is: in every answer.
          const structure = r.contextValue.hierarchy?.report();
          r.contextValue.hierarchy?.answered();
          if ((wantCalls || structure) && r.response.body.kind === 'single') {
            r.response.body.singleResult.extensions = {
              ...r.response.body.singleResult.extensions,
              sf1500: {
                ...(structure ? { hierarchy: structure } : {}),
                ...(wantCalls ? { calls: r.contextValue.calls.totalCalls, byOperation: r.contextValue.calls.toJSON(), ms: Math.round(performance.now() - started) } : {}),
              },
            };
            // Also as a header: gateways pass headers on (npm run gateway does), not a subgraph's extensions.
            r.response.http.headers.set('x-sf1500-calls', String(r.contextValue.calls.totalCalls));
          }
          logger.info({ operation: op, ms: Math.round(performance.now() - started), soapCalls: r.contextValue.calls?.totalCalls, errors }, 'graphql request');
        },
      };
    },
  };

  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    logger: logger.child({ component: 'apollo' }),
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
    // No automatic persisted queries: the router sends full queries; a bogus persistedQuery hash is a 400, not an internal error.
    persistedQueries: false,
    // main.ts owns shutdown (HTTP server, Apollo, client, local SF1500, in order). Apollo's own SIGTERM
    // handler re-raised the signal after stopping and left our close waiting: a 10 s hang and exit 1.
    stopOnTerminationSignals: false,
    formatError,
    validationRules: [queryOnly, depthLimit(config.limits.maxDepth), aliasLimit(config.limits.maxAliases)],
    // Cache control off: it hooks every field of every request (24% of a warm 2,000-unit chart) for
    // hints we never set; answers are marked no-store in `observe` as the plugin would have done.
    // Inline tracing named explicitly: Apollo's automatic one logs "Enabling inline tracing" at every start.
    plugins: [observe, ApolloServerPluginCacheControlDisabled(), config.auth.routerSecret ? ApolloServerPluginInlineTrace() : ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginLandingPageDisabled()],
  });
  await apollo.start();

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
  // /ready is unauthenticated: concurrent and repeated probes share one SF1500 call per READY_CACHE_MS,
  // so hammering it cannot drive traffic to SF1500 (KOMBIT) in the subgraph's name.
  let lastProbe: { at: number; result: Promise<boolean> } | undefined;
  const ready = (): Promise<boolean> => {
    if (!lastProbe || Date.now() - lastProbe.at >= READY_CACHE_MS) lastProbe = { at: Date.now(), result: probe() };
    return lastProbe.result;
  };

  // Browser pages (explorer with offline GraphiQL, /orgchart) answer before Apollo; Apollo's own landing page stays off.
  const web = webRoutes(config);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/health') return json(res, 200, { status: 'ok' });
    if (url.pathname === '/ready') {
      const ok = await ready();
      return json(res, ok ? 200 : 503, { status: ok ? 'ready' : 'SF1500 unreachable' });
    }
    if (url.pathname === '/metrics') {
      metrics.cacheHits.reset();
      metrics.cacheMisses.reset();
      metrics.cacheHits.inc({ cache: 'objects' }, objectCache.hits);
      metrics.cacheMisses.inc({ cache: 'objects' }, objectCache.misses);
      metrics.cacheHits.inc({ cache: 'hierarchy' }, hierarchy.hits);
      metrics.cacheMisses.inc({ cache: 'hierarchy' }, hierarchy.misses);
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
    if (url.pathname === AENDRINGER_STREAM) return serveStream(depsFor(caller.cvr).changes, req, res, url);
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

  // Idle and slow sockets are checked every second (Node's default: every 30 s), so the timeouts below hold.
  const server = createServer({ connectionsCheckingInterval: 1000 }, (req, res) => {
    handle(req, res).catch((e: unknown) => {
      logger.error({ err: e instanceof Error ? e.message : String(e) }, 'request failed');
      if (!res.headersSent) json(res, 500, { errors: [{ message: 'Internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.end();
    });
  });
  // Requests Node rejects before the handler (URL/headers too large, broken HTTP) also get a JSON error.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) return void socket.destroy();
    const [status, message]: [number, string] = err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'request URL or headers too large'] : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'request timeout'] : [400, 'malformed HTTP request'];
    const text = JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
    // Closed once written: the server keeps half-open sockets, and a client that never reads nor closes
    // would otherwise hold this one for good.
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`, () => socket.destroy());
  });
  // Bounded connections and idle time: a crowd of idle or slow sockets cannot hold the process.
  server.maxConnections = config.http.maxConnections;
  server.keepAliveTimeout = config.http.keepAliveTimeoutMs;
  server.headersTimeout = config.http.headersTimeoutMs;
  server.requestTimeout = 300_000;
  await restored;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const a = server.address() as AddressInfo;
  return {
    url: `http://${config.host}:${a.port}/graphql`,
    server, metrics, hierarchy, changes: changes?.log,
    close: async () => {
      await changes?.close(); // ends the event streams, which would hold the server open
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 5000).unref();
      });
      await apollo.stop();
      await hierarchy.close();
      for (const d of tenantDeps.values()) await d.loaders.hierarchy.close();
      await state.close();
    },
  };
}
