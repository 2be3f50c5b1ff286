import { readFileSync } from 'node:fs';
import { timingSafeEqual } from 'node:crypto';
import { createLocalJWKSet, importSPKI, jwtVerify, type JWTVerifyGetKey } from 'jose';

type KeyLike = Awaited<ReturnType<typeof importSPKI>>;
import type { Config } from '../config';

export interface Caller {
  /** The caller may read CPR numbers. */
  cprAllowed: boolean;
  /** The caller may read person names. */
  navnAllowed: boolean;
  subject?: string;
  /** The municipality (CVR) the caller acts for, from the JWT claim SF1500_CVR_CLAIM (idws only). */
  cvr?: string;
}

export class AuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthError';
  }
}

/**
 * Access to the subgraph: an optional shared router secret (header `x-router-secret`) and an
 * optional JWT bearer token verified against a public key (PEM) or a local JWKS file. CPR access
 * follows the token's scope (SF1500's "secpr-nummer" permission), or the CPR_EXPOSE setting; person
 * names likewise ("senavn", NAVN_EXPOSE).
 */
export class Authenticator {
  private key?: KeyLike | JWTVerifyGetKey;

  private constructor(private readonly config: Config) {}

  static async create(config: Config): Promise<Authenticator> {
    const a = new Authenticator(config);
    if (config.auth.jwtKeyFile) {
      const pem = readFileSync(config.auth.jwtKeyFile, 'utf8');
      a.key = await importSPKI(pem, 'RS256').catch(async () => importSPKI(pem, 'ES256'));
    } else if (config.auth.jwksFile) {
      a.key = createLocalJWKSet(JSON.parse(readFileSync(config.auth.jwksFile, 'utf8')) as { keys: [] });
    }
    return a;
  }

  get required(): boolean {
    return !!this.key || !!this.config.auth.routerSecret;
  }

  async authenticate(headers: Record<string, string | string[] | undefined>): Promise<Caller> {
    const secret = this.config.auth.routerSecret;
    if (secret) {
      const given = String(headers['x-router-secret'] ?? '');
      const a = Buffer.from(given);
      const b = Buffer.from(secret);
      if (a.length !== b.length || !timingSafeEqual(a, b)) throw new AuthError('missing or wrong x-router-secret header');
    }
    if (!this.key) return { cprAllowed: this.config.cprAllowed, navnAllowed: this.config.navnAllowed };
    const h = String(headers.authorization ?? '');
    const m = /^Bearer\s+(.+)$/i.exec(h);
    if (!m) throw new AuthError('a Bearer token is required');
    try {
      const { payload } = await jwtVerify(m[1], this.key as KeyLike, { issuer: this.config.auth.jwtIssuer, audience: this.config.auth.jwtAudience });
      const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : Array.isArray(payload.scp) ? payload.scp.map(String) : [];
      return { cprAllowed: this.config.cprAllowed || scopes.includes(this.config.cprScope), navnAllowed: this.config.navnAllowed || scopes.includes(this.config.navnScope), subject: payload.sub, cvr: this.cvrOf(payload) };
    } catch (e) {
      if (e instanceof AuthError) throw e;
      throw new AuthError(`invalid token: ${(e as Error).message}`);
    }
  }

  /** The CVR claim, which must name a configured municipality (SF1500_CVR or SF1500_CVRS). */
  private cvrOf(payload: Record<string, unknown>): string | undefined {
    const idws = this.config.security.idws;
    if (!idws) return undefined;
    const v = payload[idws.cvrClaim];
    if (v === undefined) {
      // With several municipalities a token must say whose it is: the default would serve another's data.
      if (idws.cvrs.length > 0) throw new AuthError(`the token has no ${idws.cvrClaim} claim, and this subgraph serves several municipalities`);
      return undefined;
    }
    const cvr = typeof v === 'number' ? String(v) : typeof v === 'string' ? v : '';
    if (cvr !== idws.cvr && !idws.cvrs.includes(cvr)) throw new AuthError(`the token's ${idws.cvrClaim} claim names no configured municipality`);
    return cvr;
  }
}
