import { setMaxListeners } from 'node:events';
import type { ServerResponse } from 'node:http';
import {
  defaultFieldResolver, getNamedType, isLeafType, isListType, isNonNullType, isObjectType,
  type GraphQLFieldResolver, type GraphQLOutputType, type GraphQLSchema,
} from 'graphql';

/**
 * The execution budget of one request: objects resolved and (estimated) answer bytes, plus the
 * request's signal (client gone, time budget over). The static cost is an expectation; this is the
 * bound that cannot be argued with. Once spent, every further field answers at once (lists empty,
 * others null), the request's SOAP calls are cancelled through the signal, and the answer becomes
 * one QUERY_LIMIT error naming the budget.
 *
 * It also keeps a long execution from holding the event loop: every SLICE_MS of resolving, the
 * request's remaining fields wait one macrotask turn, so /health and other requests are served.
 */

export interface BudgetLimits {
  /** Most objects (list items and object fields) in one answer. */
  maxObjects: number;
  /** Most bytes of one answer, estimated from its field names and leaf values. */
  maxAnswerBytes: number;
}

export interface BudgetStop {
  limit: string;
  message: string;
}

/** Resolving time after which a request lets others run. */
export const SLICE_MS = 50;

export class ExecutionBudget {
  objects = 0;
  bytes = 0;
  stopped?: BudgetStop;
  /** Set while the request waits for its next slice. */
  pausing?: Promise<void>;
  private calls = 0;
  private sliceStart = performance.now();

  constructor(private readonly limits: BudgetLimits, private readonly controller: AbortController) {
    // Every SOAP call in flight listens on the request's signal (and stops listening when it ends): a
    // request may well have more than Node's warning threshold of 10 at once, which is no leak.
    setMaxListeners(0, controller.signal);
    controller.signal.addEventListener('abort', () => {
      this.stopped ??= { limit: 'CANCELLED', message: 'the request was cancelled' };
    }, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Ends the request's work with a reason (the first reason wins). */
  stop(limit: string, message: string): void {
    if (this.stopped) return;
    this.stopped = { limit, message };
    this.controller.abort(new Error(message));
  }

  /** Counts one field call; returns a promise to wait on when the slice is over. */
  tick(): Promise<void> | undefined {
    if (this.pausing) return this.pausing;
    if ((++this.calls & 63) !== 0 || performance.now() - this.sliceStart < SLICE_MS) return undefined;
    this.pausing = new Promise((resolve) => setImmediate(() => {
      this.pausing = undefined;
      this.sliceStart = performance.now();
      resolve();
    }));
    return this.pausing;
  }

  addObjects(n: number): void {
    this.objects += n;
    if (this.objects > this.limits.maxObjects) {
      this.stop('GRAPHQL_MAX_OBJECTS', `the answer would hold more than ${this.limits.maxObjects} objects (GRAPHQL_MAX_OBJECTS): ask for fewer levels or a page`);
    }
  }

  addBytes(n: number): void {
    this.bytes += n;
    if (this.bytes > this.limits.maxAnswerBytes) {
      this.stop('GRAPHQL_MAX_ANSWER_BYTES', `the answer would exceed ${this.limits.maxAnswerBytes} bytes (GRAPHQL_MAX_ANSWER_BYTES): ask for fewer fields or a page`);
    }
  }
}

/** What a resolver needs of the request context to be budgeted (absent: unbudgeted, e.g. in unit tests). */
interface Budgeted {
  budget?: ExecutionBudget;
}

const EMPTY: readonly never[] = Object.freeze([]);

function leafBytes(v: unknown): number {
  if (typeof v === 'string') return v.length + 2;
  if (v === null || v === undefined) return 4;
  if (typeof v === 'number' || typeof v === 'boolean') return 6;
  return 26; // DateTime and other scalars as short strings
}

type Kind = 'list' | 'leaf' | 'object';

function kindOf(t: GraphQLOutputType): Kind {
  const inner = isNonNullType(t) ? t.ofType : t;
  if (isListType(inner)) return 'list';
  return isLeafType(getNamedType(t)) ? 'leaf' : 'object';
}

/** A leaf whose value arrives later is guessed at this size: a `.then` per leaf would double the promises of every answer. */
const LATE_LEAF_BYTES = 24;

function countList(b: ExecutionBudget, v: unknown): unknown {
  if (!Array.isArray(v)) return v;
  b.addObjects(v.length);
  b.addBytes(v.length * 2);
  // A list cut short by the budget is not completed item by item.
  return b.stopped ? EMPTY : v;
}

function budgeted(resolve: GraphQLFieldResolver<unknown, Budgeted>, kind: Kind, nameBytes: number): GraphQLFieldResolver<unknown, Budgeted> {
  const run: GraphQLFieldResolver<unknown, Budgeted> = (source, args, ctx, info) => {
    const b = ctx.budget!;
    if (b.stopped) return kind === 'list' ? EMPTY : null;
    const r = resolve(source, args, ctx, info);
    const late = r instanceof Promise;
    if (kind === 'list') return late ? r.then((v: unknown) => countList(b, v)) : countList(b, r);
    if (kind === 'leaf') b.addBytes(late ? LATE_LEAF_BYTES : leafBytes(r));
    else b.addObjects(1);
    return r;
  };
  return (source, args, ctx, info) => {
    const b = ctx?.budget;
    if (!b) return resolve(source, args, ctx, info);
    if (b.stopped) return kind === 'list' ? EMPTY : null;
    b.bytes += nameBytes;
    const wait = b.tick();
    return wait ? wait.then(() => run(source, args, ctx, info)) : run(source, args, ctx, info);
  };
}

const INSTRUMENTED = new WeakSet<GraphQLSchema>();

/** Wraps every field resolver of the schema's object types (once per schema) with the request's budget. */
export function instrumentBudget(schema: GraphQLSchema): GraphQLSchema {
  if (INSTRUMENTED.has(schema)) return schema;
  INSTRUMENTED.add(schema);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      field.resolve = budgeted((field.resolve ?? defaultFieldResolver) as GraphQLFieldResolver<unknown, Budgeted>, kindOf(field.type), field.name.length + 4);
    }
  }
  return schema;
}

/**
 * The budget of one HTTP request: it stops when the request's time limit passes or its client leaves
 * (fields stop resolving and its SOAP calls are cancelled; shared hierarchy loads go on for the others).
 */
export function requestBudget(limits: BudgetLimits & { timeoutMs: number }, res: ServerResponse): ExecutionBudget {
  const budget = new ExecutionBudget({ maxObjects: limits.maxObjects, maxAnswerBytes: limits.maxAnswerBytes }, new AbortController());
  const timer = setTimeout(() => budget.stop('GRAPHQL_TIMEOUT_MS', `the request did not finish within ${limits.timeoutMs} ms (GRAPHQL_TIMEOUT_MS)`), limits.timeoutMs);
  timer.unref();
  res.once('close', () => {
    clearTimeout(timer);
    if (!res.writableFinished) budget.stop('CANCELLED', 'the client closed the connection');
  });
  return budget;
}
