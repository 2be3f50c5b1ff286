import type { IncomingMessage } from 'node:http';

/** Shared by the local SF1500 and the subgraph (imports nothing of ours). */
export class BodyTooLarge extends Error {
  constructor(limit: number) {
    super(`request body exceeds ${limit} bytes`);
    this.name = 'BodyTooLarge';
  }
}

/**
 * Reads a request body up to `limit` bytes. Past the limit the rest is read and dropped (up to as much again,
 * at least 1 MiB) so the client receives its 413 instead of a connection reset; beyond that, or when the
 * declared length is already absurd, the caller answers 413 at once and should close the connection.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const drainLimit = limit + Math.max(limit, 1 << 20);
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > drainLimit) {
      reject(new BodyTooLarge(limit));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > drainLimit) reject(new BodyTooLarge(limit));
      else if (size <= limit) chunks.push(c);
    });
    req.on('end', () => (size > limit ? reject(new BodyTooLarge(limit)) : resolve(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}
