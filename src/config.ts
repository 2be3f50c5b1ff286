import { settingProblems } from './preflight';
import { loadSecurityConfig, type SecurityConfig } from './sf1500/idws/config';

/**
 * Configuration from environment variables, validated at start: every bad value is reported with
 * the variable's name, all at once.
 */

export interface Config {
  port: number;
  host: string;
  /** External SF1500 (e.g. KOMBIT); unset = start the local SF1500. */
  sf1500BaseUrl?: string;
  sf1500Endpoints?: Record<string, string>;
  sf1500Headers?: Record<string, string>;
  tls: { pfxFile?: string; passphrase?: string; certFile?: string; keyFile?: string; caFile?: string };
  /** Path to KOMBIT's official WSDL directory (checked at start: every operation we call must exist). */
  officialContractDir?: string;
  timeoutMs: number;
  hierarchyTimeoutMs: number;
  retries: number;
  breakerThreshold: number;
  breakerResetMs: number;
  batching: boolean;
  batchSize: number;
  cacheSize: number;
  hierarchyPageSize: number;
  hierarchyCacheMs: number;
  hierarchyParallel: number;
  hierarchyPinned: number;
  /** Org-chart fields without a snapshot in memory: `auto` (cost-based), or always `snapshot` / `targeted`. */
  planner: 'auto' | 'snapshot' | 'targeted';
  /** Targeted Soeg calls of one level in flight at once, and the most one operation may plan. */
  targetedParallel: number;
  targetedMaxCalls: number;
  /** The subgraph's own state (persisted snapshots); undefined = none kept. */
  stateDir?: string;
  stateMaxPinnedBytes: number;
  /** Replicas share snapshots and the change log here (SUBGRAPH_REDIS_URL); undefined = files/memory. */
  redis?: { url: string; leaseMs: number; waitMs: number };
  /** The change feed (src/changes): on/off, retention, how often it asks for a fresh "now" snapshot. */
  changes: { enabled: boolean; retentionMs: number; maxEvents: number; pollMs: number; maxStreams: number; streamMaxMs: number };
  local: { port: number; host: string; dbFile: string; seed: string; basicAuth?: string };
  cprAllowed: boolean;
  cprScope: string;
  /** Person names: open (default), or only with `navnScope` in the token (KOMBIT's "senavn"). */
  navnAllowed: boolean;
  navnScope: string;
  auth: { jwtKeyFile?: string; jwksFile?: string; jwtIssuer?: string; jwtAudience?: string; routerSecret?: string };
  limits: {
    maxDepth: number; maxCost: number; maxAliases: number; maxQueryBytes: number; maxListArgument: number; maxFirst: number;
    /** Execution budget per request: objects and estimated answer bytes resolved, and time. */
    maxObjects: number; maxAnswerBytes: number; timeoutMs: number;
    /** Off only to measure what the budget costs (npm run bench:budget); the time budget and cancellation stay. */
    budget: boolean;
  };
  /** Open connections the subgraph accepts at once, and how long an idle keep-alive connection stays. */
  http: { maxConnections: number; keepAliveTimeoutMs: number; headersTimeoutMs: number };
  /** How long one /ready probe of SF1500 may take before it counts as not ready. */
  readyTimeoutMs: number;
  introspection: boolean;
  sandbox: boolean;
  /** What a browser gets at /graphql: Sandbox with a GraphiQL fallback (`auto`), one of them, or nothing. */
  landing: LandingMode;
  /** Serve the /orgchart page. */
  orgchart: boolean;
  callsInExtensions: boolean;
  logLevel: string;
  /** `pretty`: one readable line per entry; `json`: pino's JSON lines; `auto`: pretty when stdout is a terminal. */
  logFormat: 'auto' | 'pretty' | 'json';
  /** SF1500_SECURITY (none|tls|basic|idws), OIO IDWS settings, SF1500_TRACE_DIR. */
  security: SecurityConfig;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export type LandingMode = 'auto' | 'sandbox' | 'graphiql' | 'off';

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const str = (k: string): string | undefined => (env[k] === undefined || env[k] === '' ? undefined : env[k]);
  const int = (k: string, def: number, min: number, max: number): number => {
    const v = str(k);
    if (v === undefined) return def;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${k}=${v}: must be an integer from ${min} to ${max}`);
      return def;
    }
    return n;
  };
  const bool = (k: string, def: boolean): boolean => {
    const v = str(k);
    if (v === undefined) return def;
    if (/^(1|true|yes|on)$/i.test(v)) return true;
    if (/^(0|false|no|off)$/i.test(v)) return false;
    problems.push(`${k}=${v}: must be true or false`);
    return def;
  };
  const url = (k: string): string | undefined => {
    const v = str(k);
    if (v === undefined) return undefined;
    try {
      const u = new URL(v);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
      return v;
    } catch {
      problems.push(`${k}=${v}: must be an http(s) URL`);
      return undefined;
    }
  };
  const json = (k: string): Record<string, string> | undefined => {
    const v = str(k);
    if (v === undefined) return undefined;
    try {
      const o = JSON.parse(v) as unknown;
      if (typeof o !== 'object' || o === null || Object.values(o).some((x) => typeof x !== 'string')) throw new Error('shape');
      return o as Record<string, string>;
    } catch {
      problems.push(`${k}: must be a JSON object of strings`);
      return undefined;
    }
  };
  const oneOf = <T extends string>(k: string, values: readonly T[], def: T): T => {
    const v = str(k);
    if (v === undefined) return def;
    if ((values as readonly string[]).includes(v)) return v as T;
    problems.push(`${k}=${v}: must be ${values.join(', ')}`);
    return def;
  };
  const seed = str('SF1500_SEED') ?? 'korsbaek';
  if (!/^(korsbaek|none|small|large|generate:\d+,\d+)$/.test(seed)) problems.push(`SF1500_SEED=${seed}: must be korsbaek, none, small, large or generate:<units>,<users>`);
  const logLevel = str('LOG_LEVEL') ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) problems.push(`LOG_LEVEL=${logLevel}: must be fatal, error, warn, info, debug, trace or silent`);
  const logFormat = str('LOG_FORMAT') ?? 'auto';
  if (logFormat !== 'auto' && logFormat !== 'pretty' && logFormat !== 'json') problems.push(`LOG_FORMAT=${logFormat}: must be auto, pretty or json`);
  const production = str('NODE_ENV') === 'production';
  const basic = str('SF1500_CLIENT_BASIC_AUTH');
  const sandbox = bool('GRAPHQL_SANDBOX', !production);
  const landing = str('GRAPHQL_LANDING') ?? (sandbox ? 'auto' : 'off');
  if (!['auto', 'sandbox', 'graphiql', 'off'].includes(landing)) problems.push(`GRAPHQL_LANDING=${landing}: must be sandbox, graphiql, off or auto`);
  const cfg: Config = {
    port: int('PORT', 4001, 0, 65535),
    host: str('HOST') ?? '127.0.0.1',
    sf1500BaseUrl: url('SF1500_BASE_URL'),
    sf1500Endpoints: json('SF1500_ENDPOINTS'),
    sf1500Headers: basic ? { authorization: `Basic ${Buffer.from(basic).toString('base64')}` } : undefined,
    tls: { pfxFile: str('SF1500_TLS_PFX'), passphrase: str('SF1500_TLS_PASSPHRASE'), certFile: str('SF1500_TLS_CERT'), keyFile: str('SF1500_TLS_KEY'), caFile: str('SF1500_TLS_CA') },
    officialContractDir: str('SF1500_OFFICIAL_CONTRACT'),
    timeoutMs: int('SF1500_TIMEOUT_MS', 60_000, 100, 600_000),
    hierarchyTimeoutMs: int('SF1500_HIERARCHY_TIMEOUT_MS', 180_000, 100, 1_800_000),
    retries: int('SF1500_RETRIES', 2, 0, 10),
    breakerThreshold: int('SF1500_BREAKER_THRESHOLD', 5, 1, 1000),
    breakerResetMs: int('SF1500_BREAKER_RESET_MS', 10_000, 100, 3_600_000),
    batching: bool('SF1500_BATCHING', true),
    batchSize: int('SF1500_BATCH_SIZE', 500, 1, 1000),
    cacheSize: int('SF1500_CACHE_SIZE', 50_000, 0, 10_000_000),
    hierarchyPageSize: int('SF1500_HIERARCHY_PAGE_SIZE', 500, 1, 1000),
    // SF1500_HIERARCHY_REFRESH_MS replaces SF1500_HIERARCHY_CACHE_MS (still read when the new name is unset).
    hierarchyCacheMs: int(str('SF1500_HIERARCHY_REFRESH_MS') === undefined && str('SF1500_HIERARCHY_CACHE_MS') !== undefined ? 'SF1500_HIERARCHY_CACHE_MS' : 'SF1500_HIERARCHY_REFRESH_MS', 600_000, 0, 86_400_000),
    hierarchyParallel: int('SF1500_HIERARCHY_PARALLEL', 2, 1, 8),
    hierarchyPinned: int('SF1500_HIERARCHY_PINNED', 8, 0, 100),
    planner: oneOf('SF1500_PLANNER', ['auto', 'snapshot', 'targeted'] as const, 'auto'),
    targetedParallel: int('SF1500_TARGETED_PARALLEL', 10, 1, 64),
    targetedMaxCalls: int('SF1500_TARGETED_MAX_CALLS', 500, 0, 100_000),
    stateDir: str('SUBGRAPH_STATE_DIR') === 'none' ? undefined : str('SUBGRAPH_STATE_DIR') ?? './data/state',
    stateMaxPinnedBytes: int('SUBGRAPH_STATE_MAX_MB', 2048, 0, 1_000_000) * 1024 * 1024,
    // The lease a loading replica holds (renewed while it loads); followers wait at most waitMs for its result.
    redis: str('SUBGRAPH_REDIS_URL') ? { url: str('SUBGRAPH_REDIS_URL')!, leaseMs: int('SUBGRAPH_REDIS_LEASE_MS', 30_000, 100, 3_600_000), waitMs: int('SUBGRAPH_REDIS_WAIT_MS', 300_000, 0, 3_600_000) } : undefined,
    changes: {
      enabled: bool('SUBGRAPH_CHANGES', true),
      retentionMs: int('SUBGRAPH_CHANGES_RETENTION_DAYS', 30, 1, 3650) * 86_400_000,
      maxEvents: int('SUBGRAPH_CHANGES_MAX_EVENTS', 1_000_000, 1, 100_000_000),
      // 0 = a tenth of the refresh interval (at most 30 s): a poll that finds the snapshot young costs nothing.
      pollMs: int('SUBGRAPH_CHANGES_POLL_MS', 0, 0, 86_400_000),
      // Each stream holds a connection: capped below HTTP_MAX_CONNECTIONS, and ended after a lifetime (the
      // EventSource reconnects with Last-Event-ID, so nothing is lost) so no client holds one forever.
      maxStreams: int('SUBGRAPH_CHANGES_MAX_STREAMS', 100, 0, 1_000_000),
      streamMaxMs: int('SUBGRAPH_CHANGES_STREAM_MAX_MS', 3_600_000, 1_000, 86_400_000),
    },
    local: { port: int('SF1500_PORT', 4010, 0, 65535), host: str('SF1500_HOST') ?? '127.0.0.1', dbFile: str('SF1500_DB') ?? './data/sf1500.db', seed, basicAuth: str('SF1500_BASIC_AUTH') },
    cprAllowed: bool('CPR_EXPOSE', false),
    cprScope: str('CPR_SCOPE') ?? 'secpr-nummer',
    navnAllowed: bool('NAVN_EXPOSE', true),
    navnScope: str('NAVN_SCOPE') ?? 'senavn',
    auth: { jwtKeyFile: str('AUTH_JWT_PUBLIC_KEY_FILE'), jwksFile: str('AUTH_JWKS_FILE'), jwtIssuer: str('AUTH_JWT_ISSUER'), jwtAudience: str('AUTH_JWT_AUDIENCE'), routerSecret: str('AUTH_ROUTER_SECRET') },
    limits: {
      maxDepth: int('GRAPHQL_MAX_DEPTH', 15, 1, 100),
      maxCost: int('GRAPHQL_MAX_COST', 50_000, 1, 100_000_000),
      maxAliases: int('GRAPHQL_MAX_ALIASES', 30, 1, 10_000),
      maxQueryBytes: int('GRAPHQL_MAX_QUERY_BYTES', 100_000, 100, 10_000_000),
      maxListArgument: int('GRAPHQL_MAX_UUIDS', 1000, 1, 100_000),
      maxFirst: int('GRAPHQL_MAX_FIRST', 500, 1, 10_000),
      maxObjects: int('GRAPHQL_MAX_OBJECTS', 100_000, 1, 100_000_000),
      maxAnswerBytes: int('GRAPHQL_MAX_ANSWER_BYTES', 20_000_000, 1000, 2_000_000_000),
      timeoutMs: int('GRAPHQL_TIMEOUT_MS', 120_000, 100, 3_600_000),
      budget: bool('GRAPHQL_BUDGET', true),
    },
    http: {
      maxConnections: int('HTTP_MAX_CONNECTIONS', 1024, 1, 1_000_000),
      keepAliveTimeoutMs: int('HTTP_KEEPALIVE_TIMEOUT_MS', 5000, 100, 600_000),
      headersTimeoutMs: int('HTTP_HEADERS_TIMEOUT_MS', 10_000, 100, 600_000),
    },
    readyTimeoutMs: int('READY_TIMEOUT_MS', 2000, 100, 60_000),
    introspection: bool('GRAPHQL_INTROSPECTION', !production),
    sandbox,
    landing: landing as LandingMode,
    orgchart: bool('ORGCHART', !production),
    callsInExtensions: bool('SF1500_CALLS_IN_EXTENSIONS', false),
    logLevel,
    logFormat: logFormat as Config['logFormat'],
    security: loadSecurityConfig(env, problems, str('SF1500_BASE_URL') !== undefined || str('SF1500_ENVIRONMENT') !== undefined),
  };
  cfg.sf1500BaseUrl ??= cfg.security.presetBaseUrl;
  if (cfg.auth.jwtKeyFile && cfg.auth.jwksFile) problems.push('AUTH_JWT_PUBLIC_KEY_FILE and AUTH_JWKS_FILE: set one, not both');
  // Files and HOST are checked here too, so that they fail before anything starts (src/preflight.ts).
  problems.push(...settingProblems(env));
  if (problems.length > 0) throw new ConfigError(problems);
  return cfg;
}
