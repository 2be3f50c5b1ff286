import type { ServerResponse } from 'node:http';

/** A JSON answer with its length (the one way our HTTP handlers answer outside GraphQL execution). */
export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
