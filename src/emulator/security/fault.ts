import { escapeXml } from '../../xml/writer';
import { TRUST, WS } from '../../wssec/ns';

/**
 * SOAP 1.2 faults for security failures, with the WS-Security 1.1 §12 subcodes. KOMBIT's STS answers
 * every security failure with the WCF reason "An error occurred when verifying security for the
 * message." (IDWS.md §0 #10); the local services append the cause after a colon so a developer sees it.
 */
export type SecuritySubcode = 'InvalidSecurity' | 'InvalidSecurityToken' | 'FailedAuthentication' | 'FailedCheck' | 'SecurityTokenUnavailable' | 'MessageExpired';

export const SECURITY_REASON = 'An error occurred when verifying security for the message.';

export class SecurityFault extends Error {
  constructor(public readonly subcode: SecuritySubcode | 'Business', message: string, public readonly businessCode?: string) {
    super(message);
    this.name = 'SecurityFault';
  }
}

export function securityFaultXml(f: SecurityFault): string {
  const sub = f.subcode === 'Business' ? '' : `<s:Subcode><s:Value>wsse:${f.subcode}</s:Value></s:Subcode>`;
  const reason = f.subcode === 'Business' ? `${f.businessCode ?? ''} ${f.message}`.trim() : `${SECURITY_REASON.slice(0, -1)}: ${f.message}`;
  return '<?xml version="1.0" encoding="UTF-8"?>'
    + `<s:Envelope xmlns:s="${WS.soap}" xmlns:a="${WS.wsa}" xmlns:wsse="${WS.wsse}"><s:Header><a:Action s:mustUnderstand="1">${TRUST.faultAction}</a:Action></s:Header>`
    + `<s:Body><s:Fault><s:Code><s:Value>s:Sender</s:Value>${sub}</s:Code>`
    + `<s:Reason><s:Text xml:lang="en">${escapeXml(reason)}</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>`;
}

/** Remembers message IDs for their timestamp window: a second use is a replay. */
export class ReplayCache {
  private readonly seen = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  use(id: string, until: number): void {
    const now = this.now();
    if (this.seen.size > 50_000) for (const [k, t] of this.seen) if (t < now) this.seen.delete(k);
    const t = this.seen.get(id);
    if (t !== undefined && t >= now) throw new SecurityFault('InvalidSecurity', `MessageID ${id} was already used (replay)`);
    this.seen.set(id, until);
  }
}
