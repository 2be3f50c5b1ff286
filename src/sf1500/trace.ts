import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SoapCall, SoapExchange } from './exchange';
import type { HttpResult } from './transport';

/**
 * SF1500_TRACE_DIR: every SOAP request and answer exactly as sent and received, one file each,
 * `<seq>-<service>-<operation>-request.xml` / `-response.xml`. Traces hold tokens and personal data.
 */
export class SoapTracer {
  private seq = 0;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** `send`, writing what goes out and what comes back. */
  wrap<R extends { text: string }>(service: string, operation: string, send: (body: string) => Promise<R>): (body: string) => Promise<R> {
    return async (body) => {
      const name = `${String(++this.seq).padStart(6, '0')}-${service}-${operation}`;
      writeFileSync(join(this.dir, `${name}-request.xml`), body);
      const res = await send(body);
      writeFileSync(join(this.dir, `${name}-response.xml`), res.text);
      return res;
    };
  }
}

/** Tracing alone (security modes other than idws). */
export class TraceExchange implements SoapExchange {
  constructor(private readonly tracer: SoapTracer) {}

  exchange(call: SoapCall, send: (envelope: string) => Promise<HttpResult>): Promise<HttpResult> {
    return this.tracer.wrap(call.service, call.operation, send)(call.envelope);
  }
}
