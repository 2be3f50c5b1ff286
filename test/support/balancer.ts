/**
 * A round-robin HTTP load balancer on loopback, as a Kubernetes Service or nginx would sit in front of
 * subgraph replicas: each request goes to the next upstream; it counts what each one got.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Balancer {
  url: string;
  /** Requests forwarded to each upstream, in the order given. */
  counts: number[];
  close(): Promise<void>;
}

/** `upstreams` are base URLs (scheme, host, port); the request's path and query are kept. */
export async function startBalancer(upstreams: string[]): Promise<Balancer> {
  const counts = upstreams.map(() => 0);
  let next = 0;
  const server = http.createServer((req, res) => {
    const i = next++ % upstreams.length;
    counts[i]++;
    const target = new URL(req.url ?? '/', upstreams[i]);
    const up = http.request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    close: () => new Promise<void>((ok) => {
      server.close(() => ok());
      server.closeAllConnections();
    }),
  };
}
