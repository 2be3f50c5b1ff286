import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import type { ObjectTypeName } from '../model/types';
import { OBJECT_TYPES } from '../model/objects';
import { decodeCursor, encodeCursor, type Cursor } from './cursor';
import { toSide } from './graphql';
import { json } from '../http/json';
import type { ChangeLog } from './log';

/**
 * GET /aendringer/stream?efter=<cursor>&typer=OrganisationEnhed,Bruger: the same feed as
 * `aendringer`, as server-sent events. Each event is `event: aendring`, `id:` its cursor and `data:` the
 * Aendring as JSON; a reconnecting EventSource sends the last id as Last-Event-ID and goes on from
 * there. Without a cursor the stream starts at the newest position and says so in an `event: position`.
 * An expired or foreign cursor ends the stream with `event: fejl`.
 */

export const AENDRINGER_STREAM = '/aendringer/stream';
const PAGE = 500;
const HEARTBEAT_MS = 15_000;

export interface StreamLimits {
  /** Open streams at most (SUBGRAPH_CHANGES_MAX_STREAMS); more get a 503 with Retry-After. */
  maxStreams: number;
  /** A stream ends after this long (SUBGRAPH_CHANGES_STREAM_MAX_MS); the client reconnects from its last id. */
  maxMs: number;
}

/** Open streams of this process (all municipalities): a stream holds its connection for as long as it lives. */
let open = 0;

const reject = (res: ServerResponse, status: number, code: string, message: string): void => json(res, status, { errors: [{ message, extensions: { code } }] });

export async function serveStream(feed: ChangeLog | undefined, req: IncomingMessage, res: ServerResponse, url: URL, limits: StreamLimits): Promise<void> {
  if (!feed) return reject(res, 404, 'CHANGE_FEED_OFF', 'the change feed is off (SUBGRAPH_CHANGES, and SF1500_HIERARCHY_REFRESH_MS > 0)');
  if (req.method !== 'GET') return reject(res, 405, 'BAD_REQUEST', 'GET only');
  if (open >= limits.maxStreams) {
    res.setHeader('retry-after', '30');
    return reject(res, 503, 'TOO_MANY_STREAMS', `${open} change streams are open, the most this server keeps (SUBGRAPH_CHANGES_MAX_STREAMS); try again later or page with aendringer`);
  }
  const known = new Set<string>(OBJECT_TYPES.map((s) => s.name));
  const typer = (url.searchParams.get('typer') ?? '').split(',').filter((t) => t !== '');
  if (typer.some((t) => !known.has(t))) return reject(res, 400, 'BAD_USER_INPUT', `typer: one of ${[...known].join(', ')}`);
  // A reconnect repeats the URL it first opened: the last id it saw is the newer position.
  const lastId = req.headers['last-event-id'];
  const given = (typeof lastId === 'string' && lastId !== '' ? lastId : undefined) ?? url.searchParams.get('efter') ?? undefined;
  let cursor: Cursor | null;
  try {
    cursor = given ? decodeCursor(given) : null;
    feed.page(cursor, typer as ObjectTypeName[], 1); // refuses an expired or foreign cursor now, as a status
  } catch (e) {
    if (e instanceof GraphQLError) return reject(res, e.extensions.code === 'CURSOR_EXPIRED' ? 410 : 400, String(e.extensions.code), e.message);
    throw e;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  // at once, not with the first event: a client resuming from a cursor with nothing new would wait for its headers
  res.flushHeaders();
  open++;
  if (!cursor) {
    cursor = feed.page(null, [], 1).next;
    res.write(`event: position\nid: ${encodeCursor(cursor)}\ndata: ${JSON.stringify({ naesteEfter: encodeCursor(cursor) })}\n\n`);
  }
  let closed = false;
  let wake: (() => void) | undefined;
  const unsubscribe = feed.subscribe(() => wake?.());
  const heartbeat = setInterval(() => res.write(': keepalive\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  const end = (): void => {
    closed = true;
    wake?.();
  };
  const lifetime = setTimeout(end, limits.maxMs);
  lifetime.unref();
  res.once('close', end);
  // a slow reader: wait for its socket to take what was written before writing more (memory stays bounded)
  res.on('drain', () => wake?.());
  try {
    while (!closed && !feed.isClosed) {
      if (res.writableNeedDrain) {
        await new Promise<void>((resolve) => { wake = resolve; });
        wake = undefined;
        continue;
      }
      let page;
      try {
        page = toSide(feed.page(cursor, typer as ObjectTypeName[], PAGE));
        cursor = decodeCursor(page.naesteEfter);
      } catch (e) {
        const code = e instanceof GraphQLError ? String(e.extensions.code) : 'INTERNAL_SERVER_ERROR';
        res.write(`event: fejl\ndata: ${JSON.stringify({ code, message: e instanceof GraphQLError ? e.message : 'Internal error' })}\n\n`);
        break;
      }
      for (const a of page.aendringer) res.write(`event: aendring\nid: ${a.cursor}\ndata: ${JSON.stringify(a)}\n\n`);
      if (page.aendringer.length >= PAGE) continue;
      await new Promise<void>((resolve) => { wake = resolve; });
      wake = undefined;
    }
  } finally {
    open--;
    clearInterval(heartbeat);
    clearTimeout(lifetime);
    unsubscribe();
    res.end();
  }
}
