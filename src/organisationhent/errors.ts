import { randomUUID } from 'node:crypto';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { Sf1500Error } from '../sf1500/errors';
import { TimeArgumentError } from '../temporal';

/**
 * OrganisationHent's two error formats (its README, "Error handling"): errors before execution are
 * a JSON object with the HTTP status (`timestamp`, `status`, `error`, `message`, `path`); errors of
 * an executed query are GraphQL errors (HTTP 200) whose extensions carry `message`, `kildeId`, `id`,
 * `type` (ERROR or WARNING) and `classification`.
 */

export type Classification = 'NotFound' | 'ValidationError' | 'NullValueInNonNullableField' | 'InvalidSyntax' | 'Unauthorized' | 'ServerError';

/** KOMBIT's value, spelling included: apps may compare it. */
export const KILDE_ID = 'GrapqhQL Organisation';

/** The error-format body of a request refused before execution. */
export interface PreExecutionError {
  timestamp: string;
  status: number;
  error: string;
  message: string;
  path: string;
}

export const PRE_EXECUTION = {
  400: 'BadRequest',
  401: 'Unauthorized',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  500: 'Internal ServerError',
  503: 'Service Unavailable',
} as const;

export function preExecutionError(status: keyof typeof PRE_EXECUTION, message: string, path: string): PreExecutionError {
  return { timestamp: new Date().toISOString(), status, error: PRE_EXECUTION[status], message, path };
}

/** A GraphQL error with its classification and type; `WARNING` comes with data, not instead of it. */
export function classified(message: string, classification: Classification, type: 'ERROR' | 'WARNING' = 'ERROR', extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { classification, type, ...extra } });
}

/** Our error codes (shared with /graphql) as KOMBIT's classifications. */
const BY_CODE: Record<string, Classification> = {
  BAD_USER_INPUT: 'ValidationError',
  QUERY_LIMIT: 'ValidationError',
  FORBIDDEN: 'Unauthorized',
  NOT_FOUND: 'NotFound',
};

function classify(e: GraphQLError): Classification {
  const given = e.extensions.classification;
  if (typeof given === 'string') return given as Classification;
  const cause = e.originalError;
  if (cause instanceof TimeArgumentError) return 'ValidationError';
  if (cause instanceof Sf1500Error) return 'ServerError';
  const code = typeof e.extensions.code === 'string' ? e.extensions.code : undefined;
  if (code && BY_CODE[code]) return BY_CODE[code];
  if (e.message.startsWith('Cannot return null for non-nullable field')) return 'NullValueInNonNullableField';
  if (e.message.startsWith('Variable "$')) return 'ValidationError';
  // Errors without a resolver cause are graphql-js's own: variable and argument coercion.
  if (!cause || cause instanceof GraphQLError) return 'ValidationError';
  return 'ServerError';
}

/** One error of an executed (or refused-by-validation) query in KOMBIT's format; internals never leak. */
export function formatError(e: GraphQLError, fallback?: Classification): GraphQLFormattedError {
  const classification = fallback && e.extensions.classification === undefined && !e.originalError ? fallback : classify(e);
  const type = e.extensions.type === 'WARNING' ? 'WARNING' : 'ERROR';
  const cause = e.originalError;
  const internal = classification === 'ServerError' && !(cause instanceof Sf1500Error) && !(cause instanceof GraphQLError);
  const message = internal ? 'Internal error' : cause instanceof Sf1500Error ? cause.message : e.message;
  const extensions: Record<string, unknown> = { message, kildeId: KILDE_ID, id: randomUUID(), type, classification };
  for (const k of ['limit', 'argument'] as const) if (e.extensions[k] !== undefined) extensions[k] = e.extensions[k];
  if (cause instanceof Sf1500Error) Object.assign(extensions, { service: cause.service, operation: cause.operation, statusKode: cause.statusKode });
  return { message, ...(e.locations ? { locations: e.locations } : {}), ...(e.path ? { path: e.path } : {}), extensions };
}
