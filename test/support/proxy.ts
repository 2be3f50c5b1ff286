/**
 * A fault-injecting HTTP proxy for SOAP traffic on loopback: counts every attempt by service and
 * operation, and can delay answers, hold requests until released, reset connections, answer 503, or
 * rewrite answers. When the upstream is gone it resets the caller's connection, like a dead server.
 */
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ProxyAttempt {
  service: string;
  /** Operation element without `Input`: Laes, List, Soeg, Ret, ... */
  op: string;
  at: number;
}

export interface ProxyMode {
  /** Delay the answer this long (the request reaches the upstream at once; only the answer is late). */
  delayMs?: number;
  /** Fail without asking the upstream: reset the connection or answer HTTP 503. */
  fail?: 'reset' | 'http503';
  /** Fail only this many requests (then pass); unset = every request. */
  failTimes?: number;
  /** Rewrite the upstream's answer (e.g. StatusKode 20 → 40). */
  transform?: (body: string, attempt: ProxyAttempt) => string;
}

export interface FaultProxy {
  url: string;
  upstream: string;
  mode: ProxyMode;
  attempts: ProxyAttempt[];
  /** Attempts whose operation (and service, when given) match. */
  count(op?: string, service?: string): number;
  /** From now on, hold every request (matching `which`) after the next `passFirst` until `release()`; others pass. */
  holdAfter(passFirst: number, which?: (a: ProxyAttempt) => boolean): void;
  /** Resolves when at least `n` requests are held. */
  waitHeld(n?: number): Promise<void>;
  release(): void;
  reset(): void;
  close(): Promise<void>;
}

function describe(path: string, body: string): { service: string; op: string } {
  const service = /\/(\w+)\/6\/?$/.exec(path)?.[1] ?? path;
  const op = /<(?:\w+:)?(\w+?)Input[\s>/]/.exec(body)?.[1] ?? 'unknown';
  return { service, op };
}

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const sockets = new Set<Socket>();
  let holding: { pass: number; which?: (a: ProxyAttempt) => boolean; queue: Array<() => void> } | undefined;
  let heldWaiters: Array<{ n: number; resolve: () => void }> = [];
  const notifyHeld = (): void => {
    const held = holding?.queue.length ?? 0;
    heldWaiters = heldWaiters.filter((w) => (held >= w.n ? (w.resolve(), false) : true));
  };

  const proxy: FaultProxy = {
    url: '',
    upstream,
    mode: {},
    attempts: [],
    count: (op, service) => proxy.attempts.filter((a) => (op === undefined || a.op === op) && (service === undefined || a.service === service)).length,
    holdAfter: (passFirst, which) => {
      holding = { pass: passFirst, which, queue: [] };
    },
    waitHeld: (n = 1) => new Promise<void>((resolve) => {
      heldWaiters.push({ n, resolve });
      notifyHeld();
    }),
    release: () => {
      const q = holding?.queue ?? [];
      holding = undefined;
      for (const go of q) go();
    },
    reset: () => {
      proxy.attempts = [];
      proxy.mode = {};
      proxy.release();
    },
    close: () => new Promise<void>((resolve) => {
      proxy.release();
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    }),
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const attempt: ProxyAttempt = { ...describe(req.url ?? '/', body), at: Date.now() };
        proxy.attempts.push(attempt);
        if (holding && (!holding.which || holding.which(attempt))) {
          if (holding.pass > 0) holding.pass--;
          else {
            const h = holding;
            await new Promise<void>((go) => {
              h.queue.push(go);
              notifyHeld();
            });
          }
        }
        const mode = proxy.mode;
        const fail = mode.fail && (mode.failTimes === undefined || mode.failTimes-- > 0) ? mode.fail : undefined;
        if (fail === 'reset') {
          req.socket.destroy();
          return;
        }
        if (fail === 'http503') {
          res.writeHead(503, { 'content-type': 'text/plain' });
          res.end('service unavailable');
          return;
        }
        const up = new URL(req.url ?? '/', proxy.upstream);
        const headers = { ...req.headers, host: up.host };
        const upstreamReq = http.request(up, { method: req.method, headers, agent: false }, (upRes) => {
          const parts: Buffer[] = [];
          upRes.on('data', (c: Buffer) => parts.push(c));
          upRes.on('end', () => {
            void (async () => {
              let text = Buffer.concat(parts).toString('utf8');
              if (mode.transform) text = mode.transform(text, attempt);
              if (mode.delayMs) await new Promise((r) => setTimeout(r, mode.delayMs));
              if (req.socket.destroyed) return;
              res.writeHead(upRes.statusCode ?? 502, { 'content-type': upRes.headers['content-type'] ?? 'application/soap+xml; charset=utf-8', 'content-length': Buffer.byteLength(text) });
              res.end(text);
            })();
          });
          upRes.on('error', () => req.socket.destroy());
        });
        // The upstream is down (refused, reset): behave like it, reset the caller's connection.
        upstreamReq.on('error', () => req.socket.destroy());
        upstreamReq.end(body);
      })();
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
