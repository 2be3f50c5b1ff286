import type { Token } from './sts-client';

/**
 * One token per (CVR, entity ID), as KOMBIT's client caches them: reused until `renewMs` before its
 * NotOnOrAfter (at most half its life), fetched by one caller at a time while the others wait.
 */
export class TokenCache {
  private readonly tokens = new Map<string, Token>();
  private readonly pending = new Map<string, Promise<Token>>();
  /** How many tokens were fetched (tests and the benchmark count them). */
  fetches = 0;

  constructor(
    private readonly fetch: (cvr: string, entityId: string) => Promise<Token>,
    private readonly renewMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  private static key(cvr: string, entityId: string): string {
    return `${cvr}\u0000${entityId}`;
  }

  private fresh(t: Token): boolean {
    const life = t.info.notOnOrAfter - t.info.notBefore;
    return this.now() < t.info.notOnOrAfter - Math.min(this.renewMs, life / 2);
  }

  get(cvr: string, entityId: string): Promise<Token> {
    const key = TokenCache.key(cvr, entityId);
    const t = this.tokens.get(key);
    if (t && this.fresh(t)) return Promise.resolve(t);
    let p = this.pending.get(key);
    if (!p) {
      this.fetches++;
      p = this.fetch(cvr, entityId).then((token) => {
        this.tokens.set(key, token);
        return token;
      }).finally(() => this.pending.delete(key));
      this.pending.set(key, p);
    }
    return p;
  }

  /** Drops `token` (refused mid-life by the service); a newer one already cached stays. */
  invalidate(token: Token): void {
    const key = TokenCache.key(token.cvr, token.entityId);
    if (this.tokens.get(key) === token) this.tokens.delete(key);
  }
}
