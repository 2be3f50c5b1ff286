import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of the subgraph (exposed at /metrics). */
export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({ name: 'graphql_requests_total', help: 'GraphQL requests by operation name and outcome', labelNames: ['operation', 'outcome'], registers: [this.registry] });
  readonly requestSeconds = new Histogram({ name: 'graphql_request_duration_seconds', help: 'GraphQL request latency by operation name', labelNames: ['operation'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers: [this.registry] });
  readonly soapCalls = new Counter({ name: 'sf1500_calls_total', help: 'SOAP calls to SF1500 by service, operation and outcome', labelNames: ['service', 'operation', 'outcome'], registers: [this.registry] });
  readonly soapSeconds = new Histogram({ name: 'sf1500_call_duration_seconds', help: 'SOAP call latency by service and operation', labelNames: ['service', 'operation'], buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 60], registers: [this.registry] });
  readonly soapBytes = new Counter({ name: 'sf1500_response_bytes_total', help: 'Bytes of SOAP responses received', labelNames: ['service', 'operation'], registers: [this.registry] });
  readonly cacheHits = new Counter({ name: 'cache_hits_total', help: 'Cache hits by cache', labelNames: ['cache'], registers: [this.registry] });
  readonly cacheMisses = new Counter({ name: 'cache_misses_total', help: 'Cache misses by cache', labelNames: ['cache'], registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  soap(info: { service: string; operation: string; ms: number; bytes: number; ok: boolean }): void {
    this.soapCalls.inc({ service: info.service, operation: info.operation, outcome: info.ok ? 'ok' : 'error' });
    this.soapSeconds.observe({ service: info.service, operation: info.operation }, info.ms / 1000);
    this.soapBytes.inc({ service: info.service, operation: info.operation }, info.bytes);
  }
}
