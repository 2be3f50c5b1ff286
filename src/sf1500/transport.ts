import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';

export interface TlsOptions {
  /** PKCS#12 client certificate (KOMBIT's FOCES/VOCES function certificate) and its passphrase. */
  pfxFile?: string;
  passphrase?: string;
  /** Or PEM certificate and key. */
  certFile?: string;
  keyFile?: string;
  /** Extra CA bundle (PEM). */
  caFile?: string;
}

export interface TransportOptions {
  maxSockets: number;
  tls?: TlsOptions;
  /** Largest response accepted, in bytes (a full hierarchy page can be tens of MB). */
  maxResponseBytes: number;
}

export interface HttpResult {
  status: number;
  /** The body as text; empty when it went to a sink instead. */
  text: string;
  bytes: number;
  streamed: boolean;
}

/** Chooses, by HTTP status, whether the body's chunks go to a consumer as they arrive (never throws). */
export type SinkFor = (status: number) => ((chunk: Buffer) => void) | undefined;

export class TransportError extends Error {
  constructor(public readonly kind: 'timeout' | 'network' | 'too-large' | 'aborted', message: string) {
    super(message);
  }
}

/** Keep-alive HTTP(S) POST of SOAP 1.2 messages with a hard per-call deadline. */
export class Transport {
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;

  constructor(private readonly opts: TransportOptions) {
    this.httpAgent = new http.Agent({ keepAlive: true, maxSockets: opts.maxSockets });
    const t = opts.tls ?? {};
    this.httpsAgent = new https.Agent({
      keepAlive: true,
      maxSockets: opts.maxSockets,
      pfx: t.pfxFile ? readFileSync(t.pfxFile) : undefined,
      passphrase: t.passphrase,
      cert: t.certFile ? readFileSync(t.certFile) : undefined,
      key: t.keyFile ? readFileSync(t.keyFile) : undefined,
      ca: t.caFile ? readFileSync(t.caFile) : undefined,
    });
  }

  post(url: string, body: string, soapAction: string, timeoutMs: number, headers: Record<string, string> = {}, sinkFor?: SinkFor, signal?: AbortSignal): Promise<HttpResult> {
    const u = new URL(url);
    const isHttps = u.protocol === 'https:';
    const mod = isHttps ? https : http;
    return new Promise((resolve, reject) => {
      let settled = false;
      const done = (f: () => void): void => {
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          f();
        }
      };
      // The asking request ended early: stop the call (and its socket) instead of reading an answer no one wants.
      const onAbort = (): void => {
        req.destroy();
        done(() => reject(new TransportError('aborted', 'the request was cancelled')));
      };
      const req = mod.request(u, {
        method: 'POST',
        agent: isHttps ? this.httpsAgent : this.httpAgent,
        headers: {
          'content-type': `application/soap+xml; charset=utf-8; action="${soapAction}"`,
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
      }, (res) => {
        const chunks: Buffer[] = [];
        const sink = sinkFor?.(res.statusCode ?? 0);
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > this.opts.maxResponseBytes) {
            req.destroy();
            done(() => reject(new TransportError('too-large', `response exceeds ${this.opts.maxResponseBytes} bytes`)));
            return;
          }
          if (sink) sink(c);
          else chunks.push(c);
        });
        res.on('end', () => done(() => resolve({ status: res.statusCode ?? 0, text: sink ? '' : Buffer.concat(chunks).toString('utf8'), bytes: size, streamed: !!sink })));
        res.on('error', (e) => done(() => reject(new TransportError('network', e.message))));
      });
      const timer = setTimeout(() => {
        req.destroy();
        done(() => reject(new TransportError('timeout', `no answer within ${timeoutMs} ms`)));
      }, timeoutMs);
      req.on('error', (e) => done(() => reject(new TransportError('network', e.message))));
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      req.end(body);
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
