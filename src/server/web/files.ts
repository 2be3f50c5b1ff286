import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The package root (where package.json is): the same from src/ under ts-jest and from dist/src/ after a build. */
export function packageRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'web'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package root above ${from}`);
  }
}

/** A file of an installed package, found through its package.json (their `exports` hide the UMD files). */
export function packageFile(pkg: string, file: string): string {
  return join(dirname(require.resolve(`${pkg}/package.json`)), file);
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

interface Asset {
  type: string;
  body: Buffer;
  gzip: Buffer;
  etag: string;
}

/**
 * Static files from a fixed list (URL path -> file), read once and kept with a gzip copy:
 * the explorer's vendor files are 1.5 MB, and no request can name a file outside the list.
 */
export class StaticFiles {
  private readonly cache = new Map<string, Asset>();

  constructor(private readonly files: ReadonlyMap<string, string>, private readonly cacheControl: string) {}

  has(path: string): boolean {
    return this.files.has(path);
  }

  serve(path: string, req: IncomingMessage, res: ServerResponse, extraHeaders: Record<string, string> = {}): void {
    const asset = this.load(path);
    if (req.headers['if-none-match'] === asset.etag) {
      res.writeHead(304, { etag: asset.etag, 'cache-control': this.cacheControl });
      res.end();
      return;
    }
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gzip ? asset.gzip : asset.body;
    res.writeHead(200, {
      'content-type': asset.type,
      'content-length': body.length,
      'cache-control': this.cacheControl,
      etag: asset.etag,
      vary: 'accept-encoding',
      'x-content-type-options': 'nosniff',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
      ...extraHeaders,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  private load(path: string): Asset {
    let asset = this.cache.get(path);
    if (!asset) {
      const file = this.files.get(path);
      if (!file) throw new Error(`not a static file: ${path}`);
      const body = readFileSync(file);
      const ext = file.slice(file.lastIndexOf('.'));
      asset = { type: TYPES[ext] ?? 'application/octet-stream', body, gzip: gzipSync(body), etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
      this.cache.set(path, asset);
    }
    return asset;
  }
}
