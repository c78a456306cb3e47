import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, type Role } from '@app/shared-kernel';
import { ALLOWED_ROLES, PUBLIC_ROUTE, type AuthenticatedRequest } from './auth.decorators';
import { TokenService } from './token.service';

/** Every route needs a valid bearer token unless marked @Public; @Roles narrows who may call it. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) throw new DomainError('unauthenticated', 'MISSING_TOKEN', 'Send a bearer token: Authorization: Bearer <JWT>.');
    const principal = await this.tokens.verify(match[1]);
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ALLOWED_ROLES, targets);
    if (allowed && !principal.roles.some((r) => allowed.includes(r))) {
      throw new DomainError('forbidden', 'ROLE_FORBIDDEN', `This needs one of the roles ${allowed.join(', ')}.`);
    }
    request.principal = principal;
    return true;
  }
}
