import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginInlineTrace } from '@apollo/server/plugin/inlineTrace';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { GraphQLContext } from '../context';
import type { HierarchyStats } from '../loaders/hierarchy';
import { Sf1500Error } from '../sf1500/errors';
import { TimeArgumentError } from '../temporal';
import { queryCost } from '../execution/cost';
import { fanOutFrom } from '../execution/fanout';
import { preferTargeted, targetedCalls } from '../execution/plan';
import { aliasLimit, costLimitError, depthLimit, queryOnly } from './limits';
import type { Metrics } from './metrics';

/**
 * The Apollo server of the subgraph: error mapping, validation limits and the `observe` plugin (cost
 * limit, planner, metrics, answer extensions). One phase of `startSubgraph`; knows nothing of HTTP.
 */

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

/** Operation names come from callers: a bounded set of metric labels, or /metrics (and memory) grows without end. */
function operationLabels(): (op: string) => string {
  const seen = new Set<string>();
  return (op) => {
    if (seen.has(op)) return op;
    if (seen.size >= MAX_OPERATION_LABELS || op.length > 100) return 'other';
    seen.add(op);
    return op;
  };
}

export interface ApolloDeps {
  config: Config;
  schema: GraphQLSchema;
  logger: Logger;
  metrics: Metrics;
}

/** Per request: the cost limit and the planner's choice once the operation is known; metrics, extensions and the log line at the end. */
function observePlugin({ config, logger, metrics }: ApolloDeps): ApolloServerPlugin<GraphQLContext> {
  const operationLabel = operationLabels();
  return {
    async requestDidStart(rc) {
      const started = performance.now();
      const wantCalls = config.callsInExtensions || rc.request.http?.headers.get('x-sf1500-calls') === '1';
      return {
        async didResolveOperation(r) {
          // The caller's own municipality's sizes: a cost (and its error text) never reflects another CVR's data.
          const sizes = (): HierarchyStats | undefined => r.contextValue.hierarchy.stats();
          const fanOut = fanOutFrom(sizes);
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
            r.contextValue.hierarchy.plan(preferTargeted(calls, sizes(), config.targetedMaxCalls));
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
}

/** The Apollo server, started. */
export async function startApollo(deps: ApolloDeps): Promise<ApolloServer<GraphQLContext>> {
  const { config, schema, logger } = deps;
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
    plugins: [observePlugin(deps), ApolloServerPluginCacheControlDisabled(), config.auth.routerSecret ? ApolloServerPluginInlineTrace() : ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginLandingPageDisabled()],
  });
  await apollo.start();
  return apollo;
}
