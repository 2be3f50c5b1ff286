import { GraphQLError } from 'graphql';
import type { ObjectTypeName } from '../model/types';
import { OBJECT_TYPES } from '../model/objects';

/**
 * Cursors of the feed, opaque to callers (base64url of a short text):
 * - a feed position `a.<logId>.<seq>`: the events after seq follow;
 * - a replay position `g.<logId>.<seq>.<types>.<last key>`: the replay (genudsend) goes on after the
 *   last object it gave, then the feed follows from seq (the head when the replay began).
 */

export type Cursor =
  | { kind: 'feed'; logId: string; seq: number }
  | { kind: 'replay'; logId: string; seq: number; types: ObjectTypeName[]; after: string };

const TYPES = new Set<string>(OBJECT_TYPES.map((s) => s.name));

export function encodeCursor(c: Cursor): string {
  const text = c.kind === 'feed' ? `a.${c.logId}.${c.seq}` : `g.${c.logId}.${c.seq}.${c.types.join(',')}.${c.after}`;
  return Buffer.from(text, 'utf8').toString('base64url');
}

export function cursorError(argument: string, message: string, code = 'BAD_USER_INPUT'): GraphQLError {
  return new GraphQLError(`${argument}: ${message}`, { extensions: { code, argument } });
}

/** The cursor behind `text`; anything this API never issued is the caller's error. */
export function decodeCursor(text: string, argument = 'efter'): Cursor {
  const bad = (): GraphQLError => cursorError(argument, 'not a cursor returned by this API');
  if (text.length > 400 || !/^[A-Za-z0-9_-]+$/.test(text)) throw bad();
  const parts = Buffer.from(text, 'base64url').toString('utf8').split('.');
  const seq = Number(parts[2]);
  if (!/^[a-z0-9]{1,32}$/.test(parts[1] ?? '') || !/^(0|[1-9]\d{0,14})$/.test(parts[2] ?? '')) throw bad();
  let c: Cursor;
  if (parts[0] === 'a' && parts.length === 3) c = { kind: 'feed', logId: parts[1], seq };
  else if (parts[0] === 'g' && parts.length === 5) {
    const types = parts[3] === '' ? [] : parts[3].split(',');
    if (types.some((t) => !TYPES.has(t)) || !/^([A-Za-z]+\/[0-9a-f-]{36})?$/.test(parts[4])) throw bad();
    c = { kind: 'replay', logId: parts[1], seq, types: types as ObjectTypeName[], after: parts[4] };
  } else throw bad();
  if (encodeCursor(c) !== text) throw bad(); // one spelling per cursor
  return c;
}
