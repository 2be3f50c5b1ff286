import type { ServiceContext } from '../services/context';
import { SecurityFault, securityFaultXml } from './fault';
import { restrict, type IdwsGuard } from './idws';

/**
 * What the HTTP face asks of message-level security: admit a request (or refuse it with a fault),
 * then per operation the context to run it in, and the answer to send. Security off = no guard.
 */
export interface Admission {
  /** The municipality's data the request may see (the token's CVR). */
  ctx: ServiceContext;
  /** A fault for an operation the caller's agreement does not allow, else undefined. */
  refuse(operationElement: string): string | undefined;
  /** The answer as sent: data restrictions applied, signed. */
  seal(envelope: string): string;
}

export interface RequestGuard {
  admit(text: string, endpoint: string): Admission | { fault: string };
}

const READS = new Set(['LaesInput', 'ListInput', 'SoegInput', 'FremsoegObjekthierarkiInput']);

/** OIO IDWS: the token's CVR picks the municipality (`contexts`), its roles the operations. */
export function idwsRequestGuard(guard: IdwsGuard, contexts: (cvr: string) => ServiceContext | undefined): RequestGuard {
  return {
    admit(text, endpoint) {
      try {
        const caller = guard.check(text, endpoint);
        const ctx = contexts(caller.cvr);
        if (!ctx) throw new SecurityFault('FailedAuthentication', `no municipality with CVR ${caller.cvr} in this SF1500`);
        return {
          ctx,
          refuse: (op) => {
            const allowed = READS.has(op) ? caller.canRead : caller.canWrite;
            if (allowed) return undefined;
            const role = READS.has(op) ? 'Udstil' : 'Rediger organisation';
            return securityFaultXml(new SecurityFault('FailedAuthentication', `the service agreement for CVR ${caller.cvr} lacks the role "${role}" needed for ${op.replace(/Input$/, '')}`));
          },
          seal: (envelope) => guard.seal(restrict(envelope, caller), caller),
        };
      } catch (e) {
        if (e instanceof SecurityFault) return { fault: securityFaultXml(e) };
        throw e;
      }
    },
  };
}
