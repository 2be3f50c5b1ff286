import type { IncomingMessage, ServerResponse } from 'node:http';
import { execute, GraphQLError, NoSchemaIntrospectionCustomRule, parse, specifiedRules, validate, type DocumentNode, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { createContext, type ContextDeps } from '../context';
import { withCvr } from '../sf1500/idws/tenant';
import { requestBudget } from '../execution/budget';
import { queryCost, type FanOut } from '../execution/cost';
import { fanOutFrom } from '../execution/fanout';
import { BodyTooLarge, readBody } from '../http/body';
import { json } from '../http/json';
import { isUuid } from '../model/domain';
import { AuthError, type Authenticator } from '../server/auth';
import { aliasLimit, costLimitError, depthLimit, limitError, nestingDepth, nestingLimit, queryOnly } from '../server/limits';
import type { Metrics } from '../server/metrics';
import { formatError, preExecutionError, PRE_EXECUTION, type Classification } from './errors';
import { PAGE_MAX } from './paging';
import { organisationHentSchema } from './schema';

/**
 * The OrganisationHent endpoint: KOMBIT's path, headers and error formats in front of our loaders,
 * under the protections of /graphql (size, nesting, depth, alias and cost limits, the execution
 * budget, the request's time limit and cancellation).
 */

export const ORGANISATIONHENT_PATH = '/organisation/organisationhent/1';

export interface OrganisationHentDeps {
  config: Config;
  /** The loaders' shared parts of the caller's municipality (its own caches per CVR). */
  depsFor: (cvr: string | undefined) => ContextDeps;
  auth: Authenticator;
  logger: Logger;
  metrics: Metrics;
}

/** `2023-10-10T17:10:11.3441152+02:00[Europe/Berlin]` (Java's ZonedDateTime, as KOMBIT's README shows) or plain ISO 8601. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?(\[[A-Za-z0-9_+\-/]+\])?$/;

export function validTransaktionsTid(v: string): boolean {
  if (!ISO_TIME.test(v)) return false;
  const bare = v.replace(/\[.*\]$/, '').replace(/(\.\d{3})\d+/, '$1');
  return !Number.isNaN(Date.parse(bare));
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** KOMBIT's names for the classifications of what graphql-js reports before execution. */
function errorsBody(errors: readonly GraphQLError[], classification: Classification): { errors: GraphQLFormattedError[] } {
  return { errors: errors.map((e) => formatError(e, classification)) };
}

/** Expected list sizes: KOMBIT's field names mapped to the cost model's, pages of 500 by default. */
function kombitFanOut(base: FanOut): FanOut {
  const alias: Record<string, string> = { underliggendeEnheder: 'underenheder' };
  return (parent, field, args) => {
    if (field === 'organisationEnhedListe' || field === 'brugerListe') return Math.min(PAGE_MAX, (args.first ?? args.last ?? PAGE_MAX) as number);
    if (Array.isArray(args.uuid)) return args.uuid.length;
    return base(parent, alias[field] ?? field, args);
  };
}

export function organisationHentHandler(deps: OrganisationHentDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { config, depsFor, auth, logger, metrics } = deps;
  const schema = organisationHentSchema();
  const rules = [...specifiedRules, queryOnly, depthLimit(config.limits.maxDepth), aliasLimit(config.limits.maxAliases), ...(config.introspection ? [] : [NoSchemaIntrospectionCustomRule])];

  return async (req, res) => {
    const started = performance.now();
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      const id = header(req, 'x-transaktionsid');
      json(res, status, body, { 'cache-control': 'no-store', ...(id && isUuid(id) ? { 'x-transaktionsid': id } : {}), ...headers });
    };
    const refuse = (status: keyof typeof PRE_EXECUTION, message: string, headers?: Record<string, string>): void => send(status, preExecutionError(status, message, ORGANISATIONHENT_PATH), headers);

    if (req.method !== 'POST' && req.method !== 'GET') return refuse(400, `method ${req.method ?? ''} not allowed: use POST (or GET)`, { allow: 'POST, GET' });
    const id = header(req, 'x-transaktionsid');
    const tid = header(req, 'x-transaktionstid');
    if (!id || !isUuid(id)) return refuse(400, 'the header x-TransaktionsId is missing or not a UUID');
    if (!tid || !validTransaktionsTid(tid)) return refuse(400, 'the header x-TransaktionsTid is missing or not an ISO 8601 time');
    let caller;
    try {
      caller = await auth.authenticate(req.headers);
    } catch (e) {
      if (e instanceof AuthError) return refuse(401, e.message, { 'www-authenticate': 'Bearer' });
      throw e;
    }

    let request: { query?: unknown; variables?: unknown; operationName?: unknown };
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET') {
      const v = url.searchParams.get('variables');
      try {
        request = { query: url.searchParams.get('query') ?? undefined, variables: v ? JSON.parse(v) : undefined, operationName: url.searchParams.get('operationName') ?? undefined };
      } catch {
        return refuse(400, 'variables is not valid JSON');
      }
    } else {
      let text: string;
      try {
        text = await readBody(req, config.limits.maxQueryBytes);
      } catch (e) {
        if (e instanceof BodyTooLarge) return refuse(413, `request body exceeds ${config.limits.maxQueryBytes} bytes (GRAPHQL_MAX_QUERY_BYTES)`, { connection: 'close' });
        throw e;
      }
      try {
        request = JSON.parse(text) as typeof request;
      } catch {
        return refuse(400, 'request body is not valid JSON');
      }
    }
    const { query, variables, operationName } = request ?? {};
    if (typeof query !== 'string' || query.length === 0) return refuse(400, 'no query: send {"query": "..."}');
    if (query.length > config.limits.maxQueryBytes) return refuse(413, `query exceeds ${config.limits.maxQueryBytes} bytes (GRAPHQL_MAX_QUERY_BYTES)`);
    if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) return refuse(400, 'variables must be a JSON object');
    if (operationName != null && typeof operationName !== 'string') return refuse(400, 'operationName must be a string');

    const answer = (result: ExecutionResult | { errors: GraphQLFormattedError[] }, outcome: string): void => {
      const label = typeof operationName === 'string' && operationName.length <= 100 ? `organisationhent:${operationName}` : 'organisationhent';
      metrics.requests.inc({ operation: label, outcome });
      metrics.requestSeconds.observe({ operation: label }, (performance.now() - started) / 1000);
      send(200, result);
    };
    const nesting = nestingDepth(query);
    if (nesting > nestingLimit(config.limits.maxDepth)) {
      return answer(errorsBody([limitError('GRAPHQL_MAX_DEPTH', `the document nests ${nesting} levels deep; at most ${nestingLimit(config.limits.maxDepth)} (GRAPHQL_MAX_DEPTH)`)], 'ValidationError'), 'error');
    }
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (e) {
      if (e instanceof GraphQLError) return answer(errorsBody([e], 'InvalidSyntax'), 'error');
      throw e;
    }
    const invalid = validate(schema, document, rules);
    if (invalid.length > 0) return answer(errorsBody(invalid, 'ValidationError'), 'error');
    const vars = (variables ?? undefined) as Record<string, unknown> | undefined;
    let cost: number;
    try {
      // The caller's own municipality's sizes (never another CVR's).
      const tenant = depsFor(caller.cvr).loaders.hierarchy;
      cost = queryCost(schema, document, vars, operationName ?? undefined, kombitFanOut(fanOutFrom(() => tenant.latestStats())));
    } catch (e) {
      if (e instanceof GraphQLError) return answer(errorsBody([e], 'ValidationError'), 'error');
      throw e;
    }
    if (cost > config.limits.maxCost) return answer(errorsBody([costLimitError(cost, config.limits.maxCost)], 'ValidationError'), 'error');

    // As /graphql: the work stops when the client leaves or the time budget ends, and SOAP calls are cancelled.
    const requestStart = Date.now();
    const budget = requestBudget(config.limits, res);
    const contextValue = createContext(depsFor(caller.cvr), requestStart, caller, config.limits.budget ? budget : undefined, budget.signal);
    const run = (): ReturnType<typeof execute> => execute({ schema, document, variableValues: vars, operationName: operationName ?? undefined, contextValue });
    // The SF1500 calls of this request run for the caller's municipality (its token), as on /graphql.
    const result = await (caller.cvr ? withCvr(caller.cvr, run) : run());
    const stopped = budget.stopped;
    logger.info({ endpoint: 'organisationhent', transaktionsId: id, operation: operationName, ms: Math.round(performance.now() - started), soapCalls: contextValue.calls.totalCalls, errors: result.errors?.length ?? 0 }, 'graphql request');
    if (stopped?.limit === 'CANCELLED') return void res.destroy();
    if (stopped?.limit === 'GRAPHQL_TIMEOUT_MS') return refuse(408, stopped.message);
    if (stopped) return answer(errorsBody([limitError(stopped.limit, stopped.message)], 'ValidationError'), 'error');
    const body: Record<string, unknown> = {};
    if (result.errors?.length) body.errors = result.errors.map((e) => formatError(e));
    if (result.data !== undefined) body.data = result.data;
    if (config.callsInExtensions || header(req, 'x-sf1500-calls') === '1') {
      body.extensions = { sf1500: { calls: contextValue.calls.totalCalls, byOperation: contextValue.calls.toJSON(), ms: Math.round(performance.now() - started) } };
    }
    answer(body as ExecutionResult, result.errors?.some((e) => e.extensions.type !== 'WARNING') ? 'error' : 'ok');
  };
}
