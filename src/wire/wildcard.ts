/**
 * SF1500's wildcard match on attribute values, as the local SF1500 answers it (SQLite LIKE over
 * lower-cased text): `*` is any run of characters, line breaks included; `?` is one character
 * (code point); everything else is literal; both sides are compared lower-cased.
 *
 * Greedy segment matching: the pattern splits at `*` into segments; the first is anchored at the start,
 * the last at the end, and each middle one taken at its leftmost fit (which is always safe for `*`).
 * Worst case O(text × pattern) steps and no backtracking, so a pattern of many `*` costs no more than
 * a plain one (a regex with `.*` per star backtracked for seconds on 30 characters).
 */
export function wildcardMatch(pattern: string, text: string): boolean {
  const t = Array.from(text.toLowerCase());
  const segments: string[][] = [[]];
  for (const ch of pattern.toLowerCase()) {
    if (ch === '*') segments.push([]);
    else segments[segments.length - 1].push(ch);
  }
  const fits = (seg: string[], at: number): boolean => {
    for (let k = 0; k < seg.length; k++) if (seg[k] !== '?' && seg[k] !== t[at + k]) return false;
    return true;
  };
  const first = segments[0];
  if (segments.length === 1) return first.length === t.length && fits(first, 0);
  const last = segments[segments.length - 1];
  if (first.length + last.length > t.length || !fits(first, 0) || !fits(last, t.length - last.length)) return false;
  let pos = first.length;
  const end = t.length - last.length;
  for (let i = 1; i < segments.length - 1; i++) {
    const seg = segments[i];
    let at = pos;
    while (at + seg.length <= end && !fits(seg, at)) at++;
    if (at + seg.length > end) return false;
    pos = at + seg.length;
  }
  return true;
}
