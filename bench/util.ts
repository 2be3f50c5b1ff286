/** Small helpers of the benchmark: percentiles, formatting, a memory sampler, GC. */

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  // nearest-rank: p95 of 3 runs is the largest, p50 of 2 runs the smaller
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[Math.min(s.length, rank) - 1];
}

export const median = (v: readonly number[]): number => percentile(v, 50);

export function fmtMs(ms: number | undefined): string {
  if (ms === undefined || Number.isNaN(ms)) return '–';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export function fmtBytes(b: number | undefined): string {
  if (b === undefined || Number.isNaN(b)) return '–';
  if (b >= 1e9) return `${(b / 1e9).toFixed(2)} GB`;
  if (b >= 1e6) return `${(b / 1e6).toFixed(1)} MB`;
  if (b >= 1e3) return `${(b / 1e3).toFixed(1)} kB`;
  return `${b} B`;
}

export function fmtRatio(r: number | undefined): string {
  if (r === undefined || !Number.isFinite(r)) return '–';
  return r >= 100 ? `${r.toFixed(0)}×` : r >= 10 ? `${r.toFixed(1)}×` : `${r.toFixed(2)}×`;
}

/** A plain-text table (also valid Markdown). */
export function table(head: string[], rows: Array<Array<string | number>>): string {
  const cells = rows.map((r) => r.map(String));
  const w = head.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => `| ${r.map((c, i) => c.padEnd(w[i])).join(' | ')} |`;
  return [line(head), `|${w.map((x) => '-'.repeat(x + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}

export function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) {
    g();
    g();
  }
}

/**
 * Samples process memory on a timer. A long synchronous stretch (a big parse) blocks the timer,
 * so every phase also reads memory on entry and exit, and the process-wide maximum comes from
 * `process.resourceUsage().maxRSS` (the kernel's high-water mark).
 */
export class MemorySampler {
  private timer?: NodeJS.Timeout;
  peakRss = 0;
  peakHeap = 0;
  private phasePeakRss = 0;
  private phasePeakHeap = 0;

  start(intervalMs = 20): void {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  sample(): void {
    const m = process.memoryUsage();
    if (m.rss > this.peakRss) this.peakRss = m.rss;
    if (m.heapUsed > this.peakHeap) this.peakHeap = m.heapUsed;
    if (m.rss > this.phasePeakRss) this.phasePeakRss = m.rss;
    if (m.heapUsed > this.phasePeakHeap) this.phasePeakHeap = m.heapUsed;
  }

  /** Starts a phase: its peak is measured from now. */
  phase(): void {
    this.phasePeakRss = 0;
    this.phasePeakHeap = 0;
    this.sample();
  }

  phasePeak(): { rss: number; heap: number } {
    this.sample();
    return { rss: this.phasePeakRss, heap: this.phasePeakHeap };
  }

  /** The kernel's high-water mark of the whole process (bytes). */
  static maxRss(): number {
    return process.resourceUsage().maxRSS * 1024;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
