import type { X509Certificate } from 'node:crypto';
import { Sf1500Error } from '../errors';
import type { SoapCall, SoapExchange } from '../exchange';
import type { SoapTracer } from '../trace';
import { Transport, type HttpResult } from '../transport';
import type { SoapFaultInfo } from './fault';
import { ResponseVerifier } from './response';
import { requestToken, type SoapPost, type StsSettings, type Token } from './sts-client';
import { currentCvr } from './tenant';
import { TokenCache } from './token-cache';
import { secureEnvelope } from './wsp';
import { READ_OPERATIONS } from '../../model/services';

export interface IdwsOptions {
  sts: StsSettings;
  /** AppliesTo / audience of SF1500 (`http://stoettesystemerne.dk/service/organisation/3`). */
  entityId: string;
  /** SF1500_CVR: the municipality when the request names none. */
  defaultCvr: string;
  /** CVRs a request may name (the default CVR always may). */
  allowedCvrs?: readonly string[];
  /** Pinned SF1500 response-signing certificate. */
  serviceCert: X509Certificate;
  stsTimeoutMs: number;
  /** Renew a token this long before it ends. */
  renewMs?: number;
  tracer?: SoapTracer;
  now?: () => number;
  /** Time spent signing a call and verifying its answer (metrics, the benchmark). */
  onTiming?: (t: { service: string; operation: string; signMs: number; verifyMs: number; bytes: number; answer: string }) => void;
  /** A token cache to use instead of one fed by `sts` (shared between exchanges, or tests). */
  tokens?: (fetch: (cvr: string, entityId: string) => Promise<Token>) => TokenCache;
}

/** WS-Security subcodes that mean "the token", so a fresh one is worth one more try. */
const TOKEN_FAULTS = new Set(['InvalidSecurityToken', 'SecurityTokenUnavailable']);

/**
 * OIO IDWS for every SF1500 call: a holder-of-key token per (CVR, entity ID) from the STS, each
 * call signed with it, each answer verified before the client parses it.
 */
export class IdwsExchange implements SoapExchange {
  readonly tokens: TokenCache;
  private readonly verifier: ResponseVerifier;
  private readonly stsTransport: Transport;
  private readonly now: () => number;

  constructor(private readonly opts: IdwsOptions) {
    this.now = opts.now ?? Date.now;
    this.stsTransport = new Transport({ maxSockets: 4, maxResponseBytes: 4 * 1024 * 1024 });
    const post: SoapPost = (url, body, action) => {
      const send = (b: string): Promise<HttpResult> => this.stsTransport.post(url, b, action, opts.stsTimeoutMs);
      return (opts.tracer ? opts.tracer.wrap('sts', 'issue', send) : send)(body);
    };
    const fetch = (cvr: string, entityId: string): Promise<Token> => requestToken(opts.sts, post, cvr, entityId, this.now);
    this.tokens = opts.tokens ? opts.tokens(fetch) : new TokenCache(fetch, opts.renewMs, this.now);
    this.verifier = new ResponseVerifier(opts.serviceCert, opts.sts.skewMs, this.now);
  }

  cvr(): string {
    const cvr = currentCvr() ?? this.opts.defaultCvr;
    if (cvr !== this.opts.defaultCvr && !this.opts.allowedCvrs?.includes(cvr)) throw new Sf1500Error('SF1500_SECURITY', `CVR ${cvr} is not among the configured municipalities`, '', '');
    return cvr;
  }

  async exchange(call: SoapCall, send: (envelope: string) => Promise<HttpResult>): Promise<HttpResult> {
    const fail = (what: string, e: unknown): Sf1500Error => new Sf1500Error('SF1500_SECURITY', `SF1500 ${call.service}.${call.operation}: ${what}: ${(e as Error).message}`, call.service, call.operation);
    const out = this.opts.tracer ? this.opts.tracer.wrap(call.service, call.operation, send) : send;
    const cvr = this.cvr();
    for (let attempt = 0; ; attempt++) {
      let token: Token;
      try {
        token = await this.tokens.get(cvr, this.opts.entityId);
      } catch (e) {
        throw fail(`no token from the STS for CVR ${cvr}`, e);
      }
      const signStart = performance.now();
      const secured = secureEnvelope({
        envelope: call.envelope, action: call.soapAction, to: call.url, assertion: token.xml, assertionId: token.info.id,
        key: this.opts.sts.credentials.key, now: this.now(),
      });
      const signMs = performance.now() - signStart;
      const res = await out(secured.xml);
      let fault: SoapFaultInfo | undefined;
      const verifyStart = performance.now();
      try {
        fault = this.verifier.check(res.text, secured.messageId);
      } catch (e) {
        throw fail('the answer failed verification', e);
      }
      this.opts.onTiming?.({ service: call.service, operation: call.operation, signMs, verifyMs: performance.now() - verifyStart, bytes: res.bytes, answer: res.text });
      // A token fault is unsigned (anyone on the path can forge one): a read may go again with a new token, a
      // write never (it may have been done; the caller sees the fault instead of a second write).
      if (fault?.subcode && TOKEN_FAULTS.has(fault.subcode) && attempt === 0 && READ_OPERATIONS.has(call.operation)) {
        this.tokens.invalidate(token);
        continue;
      }
      if (fault?.subcode) throw new Sf1500Error('SF1500_SECURITY', `SF1500 ${call.service}.${call.operation} refused the call (${fault.subcode}): ${fault.reason}`, call.service, call.operation);
      return res;
    }
  }

  close(): void {
    this.stsTransport.close();
  }
}
