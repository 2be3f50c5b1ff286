/** SOAP calls, time and bytes per `service.operation`, for one request or globally. */
export interface CallStat {
  calls: number;
  ms: number;
  bytes: number;
}

/**
 * One request's handle on its SOAP calls: their counts, and the signal that cancels them when the request
 * ends early (client gone, budget spent).
 */
export class CallRecorder {
  /** `background`: work no request asked for (a snapshot loaded for later requests). */
  constructor(readonly signal?: AbortSignal, readonly byOperation = new Map<string, CallStat>(), readonly background = false) {}

  /** The same counts without the signal: for work shared with other requests (a hierarchy load). */
  detached(): CallRecorder {
    return this.signal ? new CallRecorder(undefined, this.byOperation) : this;
  }

  record(service: string, operation: string, ms: number, bytes: number): void {
    const key = `${service}.${operation}`;
    const s = this.byOperation.get(key) ?? { calls: 0, ms: 0, bytes: 0 };
    s.calls++;
    s.ms += ms;
    s.bytes += bytes;
    this.byOperation.set(key, s);
  }

  get totalCalls(): number {
    let n = 0;
    for (const s of this.byOperation.values()) n += s.calls;
    return n;
  }

  toJSON(): Record<string, CallStat> {
    const o: Record<string, CallStat> = {};
    for (const [k, v] of [...this.byOperation].sort(([a], [b]) => a.localeCompare(b))) o[k] = { calls: v.calls, ms: Math.round(v.ms * 10) / 10, bytes: v.bytes };
    return o;
  }
}
