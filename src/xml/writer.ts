/** Minimal, fast XML text building: SOAP bodies are assembled from strings, escaped once. */

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const ESC_RE = /[&<>"']/g;
// XML 1.0 forbids most C0 controls even as character references: drop them rather than emit invalid XML.
const INVALID_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function escapeXml(s: string): string {
  return s.replace(INVALID_CHARS, '').replace(ESC_RE, (c) => ESC[c]);
}

/** `<q>text</q>` with escaping; omitted when value is undefined or null. */
export function textEl(qname: string, value: string | number | boolean | undefined | null): string {
  if (value === undefined || value === null) return '';
  return `<${qname}>${escapeXml(String(value))}</${qname}>`;
}

/** `<q>children</q>`; children already serialised. */
export function el(qname: string, ...children: string[]): string {
  const inner = children.join('');
  return inner === '' ? `<${qname}/>` : `<${qname}>${inner}</${qname}>`;
}

export function xmlnsAttrs(ns: Record<string, string>): string {
  return Object.entries(ns).map(([p, uri]) => ` xmlns:${p}="${escapeXml(uri)}"`).join('');
}
