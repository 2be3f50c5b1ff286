import type { ObjectLoaders } from './loaders/objects';
import type { CallRecorder } from './sf1500/stats';
import type { TimeContext } from './temporal';
import type { HierarchyService } from './loaders/hierarchy';
import type { ExecutionBudget } from './execution/budget';

/** Per-request GraphQL context: the request's start time (read once), loaders and call counts. */
export interface GraphQLContext {
  requestStart: number;
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
}

/** What every entity value carries: its identity and the time context it was reached at. */
export interface EntityRef {
  uuid: string;
  t: TimeContext;
}
