import { GraphQLError, Kind, type ASTVisitor, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext, type ValidationRule } from 'graphql';

/** Query limits: depth, aliases and cost, each with an error that names the limit. */

export function limitError(limit: string, message: string): GraphQLError {
  // http.status: a limit thrown outside validation (the cost check) is the caller's error too, not a 500.
  return new GraphQLError(message, { extensions: { code: 'QUERY_LIMIT', limit, http: { status: 400 } } });
}

/** The subgraph is read-only: a mutation or subscription is a validation error (400), not an execution error. */
export const queryOnly: ValidationRule = (context: ValidationContext): ASTVisitor => ({
  OperationDefinition(node) {
    if (node.operation !== 'query') context.reportError(new GraphQLError(`${node.operation} operations are not supported: this subgraph serves queries only`, { nodes: node }));
  },
});

/**
 * Depth of each operation, with each fragment's depth computed once (memoised): walking a fragment again
 * at every spread made 24 fragments that each spread the next twice cost 2^24 steps.
 */
function depthCounter(fragments: Map<string, FragmentDefinitionNode>): (set: SelectionSetNode | undefined) => number {
  const memo = new Map<string, number>();
  const depthOf = (set: SelectionSetNode | undefined): number => {
    if (!set) return 0;
    let max = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        if (s.name.value.startsWith('__')) continue;
        max = Math.max(max, 1 + depthOf(s.selectionSet));
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        max = Math.max(max, depthOf(s.selectionSet));
      } else {
        const name = s.name.value;
        let d = memo.get(name);
        if (d === undefined) {
          memo.set(name, 0); // a cycle (reported by NoFragmentCyclesRule) counts nothing more
          const f = fragments.get(name);
          d = f ? depthOf(f.selectionSet) : 0;
          memo.set(name, d);
        }
        max = Math.max(max, d);
      }
    }
    return max;
  };
  return depthOf;
}

export function depthLimit(maxDepth: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const doc = context.getDocument();
    const fragments = new Map(doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
    const depthOf = depthCounter(fragments);
    return {
      OperationDefinition(node) {
        const d = depthOf(node.selectionSet);
        if (d > maxDepth) context.reportError(limitError('GRAPHQL_MAX_DEPTH', `query depth ${d} exceeds the limit of ${maxDepth} (GRAPHQL_MAX_DEPTH)`));
      },
    };
  };
}

export function aliasLimit(maxAliases: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    let count = 0;
    let reported = false;
    return {
      Field(node) {
        if (node.alias && ++count > maxAliases && !reported) {
          reported = true;
          context.reportError(limitError('GRAPHQL_MAX_ALIASES', `more than ${maxAliases} aliases in one query (GRAPHQL_MAX_ALIASES)`));
        }
      },
    };
  };
}

export function costLimitError(cost: number, max: number): GraphQLError {
  const shown = !Number.isFinite(cost) ? 'too large to compute' : cost >= 1e12 ? cost.toExponential(1) : String(Math.round(cost));
  return limitError('GRAPHQL_MAX_COST', `query cost ${shown} exceeds the limit of ${max} (GRAPHQL_MAX_COST): the answer would hold about that many fields`);
}
