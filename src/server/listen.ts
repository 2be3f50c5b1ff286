import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { json } from '../http/json';

/**
 * The HTTP server's lifecycle: created with its limits, listening, closed. One phase of
 * `startSubgraph`; what a request does is `handler.ts`'s.
 */

/** The HTTP server around `handle`: errors answer JSON, and idle or slow sockets are bounded. */
export function httpServer(config: Config, handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>, logger: Logger): Server {
  // Idle and slow sockets are checked every second (Node's default: every 30 s), so the timeouts below hold.
  const server = createServer({ connectionsCheckingInterval: 1000 }, (req, res) => {
    handle(req, res).catch((e: unknown) => {
      logger.error({ err: e instanceof Error ? e.message : String(e) }, 'request failed');
      if (!res.headersSent) json(res, 500, { errors: [{ message: 'Internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.end();
    });
  });
  // Requests Node rejects before the handler (URL/headers too large, broken HTTP) also get a JSON error.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) return void socket.destroy();
    const [status, message]: [number, string] = err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'request URL or headers too large'] : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'request timeout'] : [400, 'malformed HTTP request'];
    const text = JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
    // Closed once written: the server keeps half-open sockets, and a client that never reads nor closes
    // would otherwise hold this one for good.
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`, () => socket.destroy());
  });
  // Bounded connections and idle time: a crowd of idle or slow sockets cannot hold the process.
  server.maxConnections = config.http.maxConnections;
  server.keepAliveTimeout = config.http.keepAliveTimeoutMs;
  server.headersTimeout = config.http.headersTimeoutMs;
  server.requestTimeout = 300_000;
  return server;
}

/** Listens on the configured host and port; the port it got (PORT=0 picks one). */
export async function listen(server: Server, config: Config): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

/** Stops accepting, ends idle connections now and busy ones after 5 s. */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 5000).unref();
  });
}
