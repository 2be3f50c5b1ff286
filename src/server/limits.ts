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

/**
 * Deepest nesting of `{`, `[` and `(` in a GraphQL document's text, outside strings and comments: one
 * linear pass before parsing. graphql-js parses and validates recursively, so a document nested some
 * thousands deep overflows the stack in the parser or in a validation rule (an HTTP 500 once).
 */
export function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b || c === 0x28) max = Math.max(max, ++depth);
    else if (c === 0x7d || c === 0x5d || c === 0x29) depth--;
    else if (c === 0x23) { // # comment to the end of the line
      while (i < text.length && text.charCodeAt(i) !== 0x0a && text.charCodeAt(i) !== 0x0d) i++;
    } else if (c === 0x22) {
      if (text.startsWith('"""', i)) { // block string: \""" is the only escape
        i += 3;
        while (i < text.length && !(text.startsWith('"""', i) && text[i - 1] !== '\\')) i++;
        i += 2;
      } else {
        i++;
        while (i < text.length && text.charCodeAt(i) !== 0x22 && text.charCodeAt(i) !== 0x0a) i += text.charCodeAt(i) === 0x5c ? 2 : 1;
      }
    }
  }
  return max;
}

/** Most nesting a document may have before it is parsed (selections, arguments, lists and objects together). */
export const nestingLimit = (maxDepth: number): number => Math.max(64, maxDepth * 4);
