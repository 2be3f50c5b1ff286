/** Throughput at a fixed concurrency with autocannon (time-bounded). */

export interface ThroughputResult {
  connections: number;
  durationS: number;
  requests: number;
  reqPerS: number;
  p50: number;
  p97_5: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Requests still running when the time was up (not counted). */
  unfinished: number;
}

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p97_5: number; p99: number; max: number };
  duration: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  '2xx': number;
}

type Autocannon = (opts: Record<string, unknown>, cb: (err: Error | null, res: AutocannonResult) => void) => { on(e: string, f: (...a: unknown[]) => void): void };

/** Time-bounded (`durationS`) or, for slow requests, a fixed number of requests (`amount`, all finished). */
export async function throughput(url: string, body: string, opts: { connections: number; durationS?: number; amount?: number; timeoutS: number }): Promise<ThroughputResult> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const autocannon = require('autocannon') as Autocannon;
  let sent = 0;
  let done = 0;
  const res = await new Promise<AutocannonResult>((resolve, reject) => {
    const inst = autocannon({
      url, method: 'POST', connections: opts.connections, timeout: opts.timeoutS,
      ...(opts.amount ? { amount: opts.amount } : { duration: opts.durationS }),
      headers: { 'content-type': 'application/json' }, body,
    }, (err, r) => (err ? reject(err) : resolve(r)));
    inst.on('request', () => { sent++; });
    inst.on('response', () => { done++; });
  });
  return {
    connections: opts.connections,
    durationS: res.duration,
    requests: res['2xx'],
    reqPerS: res['2xx'] / Math.max(res.duration, 1e-9),
    p50: res.latency.p50, p97_5: res.latency.p97_5, p99: res.latency.p99, max: res.latency.max,
    non2xx: res.non2xx, errors: res.errors, timeouts: res.timeouts,
    unfinished: Math.max(0, sent - done - res.timeouts),
  };
}
