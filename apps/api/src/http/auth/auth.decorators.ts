import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Principal, Role } from '@app/shared-kernel';

export const PUBLIC_ROUTE = 'sl:public';
export const ALLOWED_ROLES = 'sl:roles';

/** No token needed (health, docs, the dev-token endpoint). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/** Any of these roles may call it (API.md's "who" column); unit scope is the use case's to check. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ALLOWED_ROLES, roles);

export interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
  /** Set by the idempotency interceptor for a POST with an Idempotency-Key; commands carry it into their events. */
  idempotency?: { tag: string; recovering: boolean };
}

/** The verified caller of a guarded route. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a public route');
  return principal;
});
