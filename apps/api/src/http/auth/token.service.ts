import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRemoteJWKSet, decodeJwt, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import type { AppConfig } from '@app/config';
import { DomainError, ROLES, type Principal } from '@app/shared-kernel';
import { storable } from '../fields';

/** Claims end up in every event the caller records: a NUL or lone surrogate there would make every command fail in PostgreSQL. */
const claim = z.string().min(1).max(100).refine(storable, 'must not contain NUL or unpaired surrogate characters');
const claimsSchema = z.object({
  sub: claim,
  name: claim,
  unitId: claim.nullable().optional(),
  roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length),
});

const DEV_TOKEN_TTL = '12h';
const CACHE_MS = 5 * 60_000;
const CACHE_ENTRIES = 10_000;

/**
 * The dev-mode signing secret lives in DATA_DIR, like the embedded database, so that dev tokens
 * survive a restart. Never used in jwt mode.
 */
function devSecret(dataDir: string): string {
  const file = join(dataDir, 'auth', 'dev-token.secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}

/** Verifies bearer tokens (HS256 secret or a JWKS) and, in dev mode only, issues them. */
export class TokenService {
  private constructor(
    private readonly secret: Uint8Array | null,
    private readonly jwks: JWTVerifyGetKey | null,
    readonly issuesDevTokens: boolean,
  ) {}

  static fromConfig(config: AppConfig): TokenService {
    if (config.authMode === 'dev') {
      return new TokenService(new TextEncoder().encode(config.authJwtSecret ?? devSecret(config.dataDir)), null, true);
    }
    if (config.authJwksUrl) return new TokenService(null, createRemoteJWKSet(new URL(config.authJwksUrl)), false);
    return new TokenService(new TextEncoder().encode(config.authJwtSecret ?? ''), null, false);
  }

  /**
   * Tokens already verified, until they expire (at most CACHE_MS): WebCrypto's HMAC check was about
   * a tenth of a request's CPU on the board endpoint. The key is the whole token, signature
   * included, so only byte-identical tokens that passed verification are ever served from here.
   */
  private readonly verified = new Map<string, { principal: Principal; until: number }>();

  async verify(token: string): Promise<Principal> {
    const now = Date.now();
    const hit = this.verified.get(token);
    if (hit && hit.until > now) return hit.principal;
    const principal = await this.verifyUncached(token);
    if (this.verified.size >= CACHE_ENTRIES) this.verified.clear();
    this.verified.set(token, { principal, until: Math.min(now + CACHE_MS, this.expiryOf(token) ?? now) });
    return principal;
  }

  /** The `exp` claim in ms (already verified by the caller); undefined when absent. */
  private expiryOf(token: string): number | undefined {
    const exp = (decodeJwt(token) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  }

  private async verifyUncached(token: string): Promise<Principal> {
    let payload: unknown;
    try {
      payload = this.secret ? (await jwtVerify(token, this.secret, { algorithms: ['HS256'] })).payload : (await jwtVerify(token, this.jwks as JWTVerifyGetKey)).payload;
    } catch {
      throw new DomainError('unauthenticated', 'INVALID_TOKEN', 'The bearer token is invalid or expired.');
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) {
      throw new DomainError('unauthenticated', 'INVALID_TOKEN', `The token's claims are incomplete: ${claims.error.issues.map((i) => i.path.join('.') || 'claims').join(', ')}.`);
    }
    const { sub, name, unitId, roles } = claims.data;
    return { personId: sub, name, unitId: unitId ?? null, roles: [...new Set(roles)] };
  }

  async issue(principal: Principal): Promise<string> {
    if (!this.issuesDevTokens || !this.secret) throw new DomainError('not_found', 'NOT_FOUND', 'Dev tokens exist only when AUTH_MODE=dev.');
    return new SignJWT({ name: principal.name, unitId: principal.unitId, roles: principal.roles })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(principal.personId)
      .setIssuedAt()
      .setExpirationTime(DEV_TOKEN_TTL)
      .sign(this.secret);
  }
}
