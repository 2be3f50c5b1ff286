import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * What a field's selection asks for below it, by field name (fragments and inline fragments merged),
 * a few levels deep: so a resolver can start the calls its children will make while its own are
 * still under way. Directives are ignored (a skipped field may be prefetched: one call too many,
 * never a wrong answer).
 */
export interface Selected {
  readonly [field: string]: Selected;
}

const DEPTH = 3;
const MEMO = new WeakMap<readonly FieldNode[], Selected>();

export function selectionOf(info: GraphQLResolveInfo): Selected {
  let s = MEMO.get(info.fieldNodes);
  if (!s) {
    const out: Record<string, Record<string, Selected>> = {};
    for (const n of info.fieldNodes) if (n.selectionSet) collect(n.selectionSet, info, out, DEPTH, new Set());
    s = out;
    MEMO.set(info.fieldNodes, s);
  }
  return s;
}

function collect(set: SelectionSetNode, info: GraphQLResolveInfo, out: Record<string, Record<string, Selected>>, depth: number, spread: Set<string>): void {
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      const below = (out[sel.name.value] ??= {});
      if (sel.selectionSet && depth > 1) collect(sel.selectionSet, info, below as Record<string, Record<string, Selected>>, depth - 1, spread);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      collect(sel.selectionSet, info, out, depth, spread);
    } else {
      const f = info.fragments[sel.name.value];
      // a fragment spread twice on one path is read once (cycles are refused by validation anyway)
      if (f && !spread.has(f.name.value)) collect(f.selectionSet, info, out, depth, new Set(spread).add(f.name.value));
    }
  }
}
