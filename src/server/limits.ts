import { GraphQLError, Kind, type ASTVisitor, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext, type ValidationRule } from 'graphql';
import { getComplexity, simpleEstimator } from 'graphql-query-complexity';
import type { GraphQLSchema, DocumentNode } from 'graphql';

/** Query limits: depth, aliases and cost, each with an error that names the limit. */

function limitError(limit: string, message: string): GraphQLError {
  // http.status: a limit thrown outside validation (the cost check) is the caller's error too, not a 500.
  return new GraphQLError(message, { extensions: { code: 'QUERY_LIMIT', limit, http: { status: 400 } } });
}

/** The subgraph is read-only: a mutation or subscription is a validation error (400), not an execution error. */
export const queryOnly: ValidationRule = (context: ValidationContext): ASTVisitor => ({
  OperationDefinition(node) {
    if (node.operation !== 'query') context.reportError(new GraphQLError(`${node.operation} operations are not supported: this subgraph serves queries only`, { nodes: node }));
  },
});

function depthOf(set: SelectionSetNode | undefined, fragments: Map<string, FragmentDefinitionNode>, seen: Set<string>): number {
  if (!set) return 0;
  let max = 0;
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) {
      if (s.name.value.startsWith('__')) continue;
      max = Math.max(max, 1 + depthOf(s.selectionSet, fragments, seen));
    } else if (s.kind === Kind.INLINE_FRAGMENT) {
      max = Math.max(max, depthOf(s.selectionSet, fragments, seen));
    } else {
      const name = s.name.value;
      if (seen.has(name)) continue;
      const f = fragments.get(name);
      if (f) max = Math.max(max, depthOf(f.selectionSet, fragments, new Set([...seen, name])));
    }
  }
  return max;
}

export function depthLimit(maxDepth: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const doc = context.getDocument();
    const fragments = new Map(doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
    return {
      OperationDefinition(node) {
        const d = depthOf(node.selectionSet, fragments, new Set());
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

/** Static cost: one per selected field, list fields multiplied by their `first` argument. */
export function queryCost(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | undefined, operationName?: string): number {
  return getComplexity({
    schema, query: document, variables: variables ?? {}, operationName,
    estimators: [
      ({ args, childComplexity }) => {
        const first = typeof args.first === 'number' ? args.first : typeof args.uuids === 'object' && Array.isArray(args.uuids) ? args.uuids.length : 1;
        return 1 + childComplexity * Math.max(1, first);
      },
      simpleEstimator({ defaultComplexity: 1 }),
    ],
  });
}

export function costLimitError(cost: number, max: number): GraphQLError {
  return limitError('GRAPHQL_MAX_COST', `query cost ${cost} exceeds the limit of ${max} (GRAPHQL_MAX_COST)`);
}
