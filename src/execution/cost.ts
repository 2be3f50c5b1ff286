import {
  getArgumentValues, getDirectiveValues, getNamedType, GraphQLIncludeDirective, GraphQLSkipDirective, isAbstractType, isCompositeType, isListType,
  isNonNullType, isObjectType, isInterfaceType, Kind, typeFromAST,
  type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLCompositeType, type GraphQLOutputType, type GraphQLSchema,
  type OperationDefinitionNode, type SelectionNode, type SelectionSetNode,
} from 'graphql';

/**
 * Static cost of an operation: the number of fields its answer is expected to hold. Each field costs 1
 * plus its selection's cost times its expected fan-out: for a list field, how many items one parent
 * usually has (`FanOut`, which knows `first`, `uuids`, `representations` and, where a snapshot was
 * loaded, the municipality's real sizes); 1 for anything else.
 *
 * Fields are collected the way GraphQL executes them: fragments flattened into their level (each
 * fragment once per level), fields merged by response key, the merged selections costed together.
 * Each distinct (type, selections) is costed once (memoised), so the work is linear in the document
 * for the fragment DAGs that made a walk per spread exponential; a document that still needs more than
 * MAX_COST_STEPS steps costs Infinity. Fragments on distinct concrete types are alternatives (one object
 * is one type): the dearest counts.
 */

/** Expected items of a list field for one parent, or undefined for the default. */
export type FanOut = (parentType: string, field: string, args: Record<string, unknown>) => number | undefined;

/** A list field whose size nothing else tells. */
export const DEFAULT_FAN_OUT = 10;

/** Selections visited before a document counts as too complex to cost. */
export const MAX_COST_STEPS = 200_000;

function isList(t: GraphQLOutputType): boolean {
  const inner = isNonNullType(t) ? t.ofType : t;
  return isListType(inner);
}

class TooComplex extends Error {}

/**
 * A field's own cost per resolution instead of 1 (the planner counts SOAP calls this way: most fields 0).
 * With weights a list costs its items' cost only (no minimum of 1 per item).
 */
export type FieldWeight = (parentType: string, field: string) => number;

export function queryCost(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | undefined, operationName: string | undefined, fanOut: FanOut, weight?: FieldWeight): number {
  const vars = variables ?? {};
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const d of document.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    else if (d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName)) operation ??= d;
  }
  if (!operation) return 0;
  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  if (!root) return 0;

  const ids = new Map<SelectionSetNode, number>();
  const idOf = (set: SelectionSetNode): number => ids.get(set) ?? ids.set(set, ids.size).get(set)!;
  const memo = new Map<string, number>();
  let steps = 0;
  const included = (node: SelectionNode): boolean => {
    if (!node.directives?.length) return true;
    if (getDirectiveValues(GraphQLSkipDirective, node, vars)?.if === true) return false;
    return getDirectiveValues(GraphQLIncludeDirective, node, vars)?.if !== false;
  };

  const groupCost = (parent: GraphQLCompositeType, nodes: FieldNode[]): number => {
    const node = nodes[0];
    const name = node.name.value;
    if (name.startsWith('__')) return name === '__typename' || weight ? 0 : 1; // introspection is bounded by the schema
    const own = weight ? weight(parent.name, name) : 1;
    if (!isObjectType(parent) && !isInterfaceType(parent)) return own;
    const def = parent.getFields()[name];
    if (!def) return own; // validation reports it
    const type = getNamedType(def.type);
    const sets = nodes.map((n) => n.selectionSet).filter((x): x is SelectionSetNode => !!x);
    const child = sets.length > 0 && isCompositeType(type) ? setsCost(type, sets) : 0;
    // A connection (a search page, a page of changes) is one object whose lists hold `first` (`maks`) items: costed here, at the field.
    const paged = def.args.some((a) => a.name === 'first' || a.name === 'maks');
    if (!isList(def.type) && !paged) return own + child;
    const n = fanOut(parent.name, name, getArgumentValues(def, node, vars)) ?? DEFAULT_FAN_OUT;
    return own + Math.max(1, n) * (weight ? child : Math.max(child, 1));
  };

  /** Cost of the merged selections `sets` on objects of `parent`. */
  const setsCost = (parent: GraphQLCompositeType, sets: SelectionSetNode[]): number => {
    const key = `${parent.name}:${sets.map(idOf).sort((a, b) => a - b).join(',')}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    memo.set(key, 0); // a cycle (a validation error anyway) adds nothing
    const fields = new Map<string, FieldNode[]>();
    const alternatives = new Map<string, { type: GraphQLCompositeType; sets: SelectionSetNode[] }>();
    const visited = new Set<string>();
    const into = (on: GraphQLCompositeType, set: SelectionSetNode): void => {
      if (on === parent || isAbstractType(on)) visit(set);
      else (alternatives.get(on.name) ?? alternatives.set(on.name, { type: on, sets: [] }).get(on.name)!).sets.push(set);
    };
    const visit = (set: SelectionSetNode): void => {
      for (const s of set.selections) {
        if (++steps > MAX_COST_STEPS) throw new TooComplex();
        if (!included(s)) continue;
        if (s.kind === Kind.FIELD) {
          const k = s.alias?.value ?? s.name.value;
          (fields.get(k) ?? fields.set(k, []).get(k)!).push(s);
        } else if (s.kind === Kind.INLINE_FRAGMENT) {
          const on = s.typeCondition ? typeFromAST(schema, s.typeCondition) : parent;
          if (on && isCompositeType(on)) into(on, s.selectionSet);
        } else if (!visited.has(s.name.value)) {
          visited.add(s.name.value);
          const f = fragments.get(s.name.value);
          const on = f ? typeFromAST(schema, f.typeCondition) : undefined;
          if (f && on && isCompositeType(on)) into(on, f.selectionSet);
        }
      }
    };
    for (const set of sets) visit(set);
    let cost = 0;
    for (const nodes of fields.values()) cost += groupCost(parent, nodes);
    let dearest = 0;
    for (const alt of alternatives.values()) dearest = Math.max(dearest, setsCost(alt.type, alt.sets));
    cost += dearest;
    memo.set(key, cost);
    return cost;
  };

  try {
    return setsCost(root, [operation.selectionSet]);
  } catch (e) {
    if (e instanceof TooComplex) return Infinity;
    throw e;
  }
}
