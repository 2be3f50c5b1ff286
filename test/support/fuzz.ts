/**
 * Helpers for the reliability tests: a seeded PRNG (runs are reproducible: FUZZ_SEED), sizes that grow
 * under `STRESS`, a raw HTTP client that never throws on resets or hangs (every outcome is a value),
 * a concurrency pool, and text mutators.
 */
import * as http from 'node:http';

/** STRESS unset or 0: CI sizes. STRESS=1: ten times. STRESS=k (k ≥ 2): k times. */
export const STRESS_FACTOR = ((): number => {
  const v = Number(process.env.STRESS ?? 0);
  if (!Number.isFinite(v) || v <= 0) return 1;
  return v === 1 ? 10 : v;
})();
export const STRESS = STRESS_FACTOR > 1;

/** A count for this run: `ci` normally; with STRESS=1 `stress` (default ten times `ci`); with STRESS=k, k times `ci`. */
export const sized = (ci: number, stress?: number): number => (STRESS_FACTOR === 10 && stress !== undefined ? stress : Math.round(ci * STRESS_FACTOR));

/** Jest timeout for a test whose work scales with STRESS (`ciMs` at CI size). */
export const scaledTimeout = (ciMs: number): number => Math.round(ciMs * STRESS_FACTOR);

export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 0x5f1500);

/** mulberry32: small, fast, good enough for test data; deterministic for a seed. */
export class Rng {
  private s: number;

  constructor(seed: number = FUZZ_SEED) {
    this.s = seed >>> 0;
  }

  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [lo, hi] (both inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }

  /** Random characters from `alphabet`. */
  text(n: number, alphabet: string): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.next() * alphabet.length)];
    return s;
  }

  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = Math.floor(this.next() * 256);
    return b;
  }

  /** A v4-shaped UUID from this generator (deterministic, unlike crypto.randomUUID). */
  uuid(): string {
    const h = this.text(32, '0123456789abcdef').split('');
    h[12] = '4';
    h[16] = '89ab'[this.int(0, 3)];
    const s = h.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  ms: number;
}

export interface RawFailure {
  /** 'timeout': no complete answer within the deadline; 'network': reset, refused, closed early. */
  failure: 'timeout' | 'network';
  message: string;
  ms: number;
}

export interface RawRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string | number>;
  body?: string | Buffer;
  timeoutMs?: number;
}

/**
 * One HTTP request with full control over headers (no content type is added unless given) and a hard
 * deadline. Resolves with the answer or a failure value; it never rejects.
 */
export function rawRequest(baseUrl: string, r: RawRequest = {}): Promise<RawResponse | RawFailure> {
  const started = performance.now();
  const u = new URL(r.path ?? '', baseUrl);
  const timeoutMs = r.timeoutMs ?? 15_000;
  return new Promise((resolve) => {
    let settled = false;
    const done = (v: RawResponse | RawFailure): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(v);
    };
    const headers: Record<string, string | number> = { ...r.headers };
    if (r.body !== undefined && headers['content-length'] === undefined) headers['content-length'] = Buffer.byteLength(r.body);
    const req = http.request(u, { method: r.method ?? 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
      res.on('error', (e) => done({ failure: 'network', message: e.message, ms: performance.now() - started }));
    });
    const timer = setTimeout(() => {
      req.destroy();
      done({ failure: 'timeout', message: `no answer within ${timeoutMs} ms`, ms: performance.now() - started });
    }, timeoutMs);
    req.on('error', (e) => done({ failure: 'network', message: e.message, ms: performance.now() - started }));
    if (r.body !== undefined) req.end(r.body);
    else req.end();
  });
}

export const isFailure = (r: RawResponse | RawFailure): r is RawFailure => 'failure' in r;

/** Runs `fn` over `items` with at most `concurrency` in flight; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return out;
}

/** Characters that matter to GraphQL's lexer, plus some that it rejects. */
export const GRAPHQL_NOISE = '{}()[]:$!@".,=|&#\n\t ...abcXYZ_0123456789\\\u0000\u00e6\u{1F600}';

/** One random edit of `s`: delete, duplicate or reverse a slice, insert noise or a token, or truncate. */
export function mutateOnce(rng: Rng, s: string, noise: string = GRAPHQL_NOISE): string {
  if (s.length === 0) return rng.text(rng.int(1, 8), noise);
  const i = rng.int(0, s.length - 1);
  const j = Math.min(s.length, i + rng.int(1, 12));
  switch (rng.int(0, 5)) {
    case 0: return s.slice(0, i) + s.slice(j);
    case 1: return s.slice(0, j) + s.slice(i, j) + s.slice(j);
    case 2: return s.slice(0, i) + rng.text(rng.int(1, 6), noise) + s.slice(i);
    case 3: return s.slice(0, i) + [...s.slice(i, j)].reverse().join('') + s.slice(j);
    case 4: return s.slice(0, i);
    default: return s.slice(0, i) + rng.pick(['{', '}', '(', ')', '"', '$', '...', '@include', '#']) + s.slice(i);
  }
}

export function mutate(rng: Rng, s: string, edits: number, noise?: string): string {
  let out = s;
  for (let k = 0; k < edits; k++) out = mutateOnce(rng, out, noise);
  return out;
}

/** A stack trace in an answer (`at fn (file.js:1:2)`) means internals leaked. */
export const looksLikeStack = (text: string): boolean => /\bat [^\s()]+ \([^)]*:\d+:\d+\)|"stacktrace"|node:internal|\/src\/[\w/]+\.ts:\d+/.test(text);

/** Summary of a list of durations (ms) for console reports. */
export function percentiles(ms: number[]): { p50: number; p95: number; p99: number; max: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number): number => Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0);
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: Math.round(s[s.length - 1] ?? 0) };
}
