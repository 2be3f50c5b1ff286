import { randomUUID } from 'node:crypto';
import { escapeXml } from '../../xml/writer';

/** Small pieces both legs (STS and SF1500) write the same way. */

/** xsd:dateTime in UTC; KOMBIT's RST uses whole seconds, its service calls milliseconds. */
export function isoTime(ms: number, withMillis: boolean): string {
  const s = new Date(ms).toISOString();
  return withMillis ? s : s.replace(/\.\d{3}Z$/, 'Z');
}

export function timestampXml(prefix: string, now: number, ttlMs: number, withMillis: boolean): string {
  return `<${prefix}:Timestamp ${prefix}:Id="sec-ts"><${prefix}:Created>${isoTime(now, withMillis)}</${prefix}:Created>`
    + `<${prefix}:Expires>${isoTime(now + ttlMs, withMillis)}</${prefix}:Expires></${prefix}:Timestamp>`;
}

export const newMessageId = (): string => `urn:uuid:${randomUUID()}`;

export const text = escapeXml;
