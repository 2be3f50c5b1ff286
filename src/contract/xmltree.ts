/**
 * A tiny XML tree for the contract generator: build nodes with `x(tag, attrs, ...kids)`,
 * then `renderDocument()` pretty-prints them deterministically (two-space indent, LF,
 * attributes in insertion order), so the checked-in `contract/` files diff cleanly.
 */

export type AttrValue = string | number | boolean | undefined;
export interface XNode {
  tag: string;
  attrs: Record<string, AttrValue>;
  kids: XKid[];
}
export interface XComment {
  comment: string;
}
export interface XText {
  text: string;
}
export type XKid = XNode | XComment | XText;
/** Children may be nested arrays or falsy (skipped), which keeps conditional content readable. */
export type KidInput = XKid | readonly KidInput[] | false | null | undefined;

export function x(tag: string, attrs: Record<string, AttrValue> = {}, ...kids: KidInput[]): XNode {
  return { tag, attrs, kids: flatten(kids) };
}

export const comment = (text: string): XComment => ({ comment: text });
export const text = (value: string): XText => ({ text: value });

function flatten(kids: readonly KidInput[]): XKid[] {
  const out: XKid[] = [];
  for (const k of kids) {
    if (k === false || k === null || k === undefined) continue;
    if (Array.isArray(k)) out.push(...flatten(k));
    else out.push(k as XKid);
  }
  return out;
}

const escText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escAttr = (s: string): string => escText(s).replace(/"/g, '&quot;');

function renderAttrs(attrs: Record<string, AttrValue>): string {
  let s = '';
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined) continue;
    s += ` ${k}="${escAttr(String(v))}"`;
  }
  return s;
}

function renderComment(c: XComment, pad: string): string {
  if (c.comment.includes('--')) throw new Error(`XML comments must not contain '--': ${c.comment}`);
  const lines = c.comment.split('\n');
  if (lines.length === 1) return `${pad}<!-- ${lines[0]} -->`;
  return [`${pad}<!--`, ...lines.map((l) => (l === '' ? '' : `${pad}  ${l}`)), `${pad}-->`].join('\n');
}

function renderNode(n: XNode, depth: number, out: string[]): void {
  const pad = '  '.repeat(depth);
  const open = `${pad}<${n.tag}${renderAttrs(n.attrs)}`;
  if (n.kids.length === 0) {
    out.push(`${open}/>`);
    return;
  }
  if (n.kids.length === 1 && 'text' in n.kids[0]) {
    out.push(`${open}>${escText(n.kids[0].text)}</${n.tag}>`);
    return;
  }
  out.push(`${open}>`);
  for (const k of n.kids) {
    if ('tag' in k) renderNode(k, depth + 1, out);
    else if ('comment' in k) out.push(renderComment(k, '  '.repeat(depth + 1)));
    else out.push(`${'  '.repeat(depth + 1)}${escText(k.text)}`);
  }
  out.push(`${pad}</${n.tag}>`);
}

/** XML declaration, optional leading comment, the root element; ends with a newline. */
export function renderDocument(root: XNode, leadingComment?: string): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  if (leadingComment !== undefined) out.push(renderComment(comment(leadingComment), ''));
  renderNode(root, 0, out);
  return `${out.join('\n')}\n`;
}
