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
  /** Most UUIDs accepted by a list query. */
  maxListArgument: number;
  /** Largest page size (`first`) of a search. */
  maxFirst: number;
  /** Objects, answer bytes and cancellation of this request (every field resolver checks it). */
  budget?: ExecutionBudget;
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

/** The context of one request, at its start time (read once by the caller), under its execution budget. */
export function createContext(deps: ContextDeps, requestStart: number, caller: { cprAllowed: boolean }, budget?: ExecutionBudget): GraphQLContext {
  const calls = new CallRecorder(budget?.signal);
  return {
    rootTime: rootTime(requestStart),
    ...createLoaders(deps.loaders, requestStart, calls, budget && (() => budget.pausing)),
    calls,
    cprAllowed: caller.cprAllowed,
    maxListArgument: deps.maxListArgument,
    maxFirst: deps.maxFirst,
    budget,
    changes: deps.changes,
  };
}
