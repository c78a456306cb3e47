import { HttpException, HttpStatus, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { AppConfig } from '@app/config';
import type { AuthenticatedRequest } from './auth/auth.decorators';
import { problem } from './problem-details.filter';
import { RateLimiter } from './rate-limiter';

/** Probes and scrapes must get through however busy the caller is. */
const EXEMPT = /^\/(health\/|metrics(\/|$))/;

interface LimitedRequest extends AuthenticatedRequest {
  path: string;
  ip?: string;
  socket?: { remoteAddress?: string };
}

interface HeaderSink {
  setHeader(name: string, value: string): unknown;
}

/**
 * RATE_LIMIT_PER_MINUTE per caller and api process: the token's person once the AuthGuard has
 * verified it (so a principal's many tokens share one allowance), else the client's address (the
 * dev-token endpoint and other public routes). Runs after the AuthGuard and before any
 * interceptor, so a refused request costs no database work. Over the limit: 429 problem+json
 * RATE_LIMITED with Retry-After.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly limiter: RateLimiter;

  constructor(config: AppConfig) {
    this.limiter = new RateLimiter(config.rateLimitPerMinute);
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.limiter.enabled || context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<LimitedRequest>();
    if (EXEMPT.test(request.path)) return true;
    const caller = request.principal ? `person:${request.principal.personId}` : `address:${request.ip ?? request.socket?.remoteAddress ?? 'unknown'}`;
    const decision = this.limiter.take(caller);
    if (decision.allowed) return true;
    context.switchToHttp().getResponse<HeaderSink>().setHeader('Retry-After', String(decision.retryAfterSeconds));
    throw new HttpException(
      problem(HttpStatus.TOO_MANY_REQUESTS, 'RATE_LIMITED', `Too many requests from this caller; retry in ${decision.retryAfterSeconds} s (Retry-After).`),
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/** The 429 every operation can answer (all but the health probes and metrics), documented once. */
export function documentRateLimit(document: OpenAPIObject): OpenAPIObject {
  const tooMany = {
    description: 'Over RATE_LIMIT_PER_MINUTE for this caller (RATE_LIMITED); the Retry-After header says in how many seconds to retry.',
    headers: { 'Retry-After': { description: 'Seconds to wait before the next request.', schema: { type: 'integer' as const, minimum: 1 } } },
  };
  const paths = Object.fromEntries(
    Object.entries(document.paths).map(([path, item]) => {
      if (EXEMPT.test(path)) return [path, item];
      const methods = ['get', 'put', 'post', 'delete', 'patch'] as const;
      const limited = { ...item };
      for (const method of methods) {
        const operation = item[method];
        if (operation) limited[method] = { ...operation, responses: { '429': tooMany, ...operation.responses } };
      }
      return [path, limited];
    }),
  );
  return { ...document, paths };
}
