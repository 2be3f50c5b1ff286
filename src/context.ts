import { createLoaders, type LoaderDeps } from './loaders';
import type { ObjectLoaders } from './loaders/objects';
import { CallRecorder } from './sf1500/stats';
import { rootTime, type TimeContext } from './temporal';
import type { HierarchyService } from './loaders/hierarchy';
import type { ExecutionBudget } from './execution/budget';
import type { ChangeLog } from './changes/log';

/** Per-request GraphQL context: the request's time (read once), loaders and call counts. */
export interface GraphQLContext {
  /** The request's start on both time axes; the one reading of the clock per request. */
  rootTime: TimeContext;
  loaders: ObjectLoaders;
  hierarchy: HierarchyService;
  calls: CallRecorder;
  /** The caller may read CPR numbers (token scope, or configuration). */
  cprAllowed: boolean;
  /** The caller may read person names (SF1500's "senavn"; open unless NAVN_EXPOSE=false). */
  navnAllowed: boolean;
  /** Most UUIDs accepted by a list query. */
  maxListArgument: number;
  /** Largest page size (`first`) of a search. */
  maxFirst: number;
  /** Objects, answer bytes and cancellation of this request (every field resolver checks it). */
  budget?: ExecutionBudget;
  /** Notes for the caller, answered in `extensions.hints` (e.g. why fields answer null at a time). */
  hints: Set<string>;
  /** The change feed (aendringer, genudsend), when it is on. */
  changes?: ChangeLog;
}

/** What every entity value carries: its identity and the time context it was reached at. */
export interface EntityRef {
  uuid: string;
  t: TimeContext;
}

/** What the context of every request is made from: the loaders' shared parts and the limits. */
export interface ContextDeps {
  loaders: LoaderDeps;
  maxListArgument: number;
  maxFirst: number;
  changes?: ChangeLog;
}

/**
 * The context of one request, at its start time (read once by the caller), under its execution budget;
 * `signal` cancels its SOAP calls (the budget's own, or a bare one when the budget is off).
 */
export function createContext(deps: ContextDeps, requestStart: number, caller: { cprAllowed: boolean; navnAllowed?: boolean }, budget?: ExecutionBudget, signal: AbortSignal | undefined = budget?.signal): GraphQLContext {
  const calls = new CallRecorder(signal);
  return {
    rootTime: rootTime(requestStart),
    ...createLoaders(deps.loaders, requestStart, calls, budget && (() => budget.pausing)),
    calls,
    cprAllowed: caller.cprAllowed,
    navnAllowed: caller.navnAllowed ?? true,
    maxListArgument: deps.maxListArgument,
    maxFirst: deps.maxFirst,
    budget,
    hints: new Set(),
    changes: deps.changes,
  };
}
