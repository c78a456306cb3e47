import type { CommandContext, CommandResult } from '@app/event-store';
import { DomainError, type DomainEvent, type Principal } from '@app/shared-kernel';
import type { AuthenticatedRequest } from './auth/auth.decorators';
import { requestIdsOf } from './request-ids';

/** API.md: every command answers `{id, version, position}`, with ETag and X-Event-Position. */
export interface CommandResponse {
  id: string;
  version: number;
  position: number;
}

export const COMMAND_RESPONSE_SCHEMA = {
  type: 'object',
  properties: { id: { type: 'string' }, version: { type: 'integer' }, position: { type: 'integer' } },
  required: ['id', 'version', 'position'],
};

function header(request: AuthenticatedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `If-Match: "3"` (or 3) → 3. A weak or malformed tag cannot pin a version. */
export function parseIfMatch(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^\s*"?(\d{1,9})"?\s*$/.exec(value);
  if (!match?.[1]) throw new DomainError('invalid', 'INVALID_IF_MATCH', 'If-Match must be a version as the ETag gave it, e.g. "3".');
  return Number(match[1]);
}

/** Who acts, and the request's ids as the request-ids middleware decided them (so its log line and its events agree). */
export function commandContext(request: AuthenticatedRequest, principal: Principal): CommandContext {
  const { requestId, correlationId } = requestIdsOf(request);
  return {
    actor: { personId: principal.personId, name: principal.name, unitId: principal.unitId, roles: principal.roles },
    correlationId,
    causationId: null,
    requestId,
    ifMatch: parseIfMatch(header(request, 'if-match')),
    // The Idempotency-Key, so that a retry after a crash finds what its first attempt wrote.
    ...(request.idempotency ? { idempotency: request.idempotency } : {}),
  };
}

interface HeaderSink {
  setHeader(name: string, value: string): unknown;
}

export function commandResponse(response: HeaderSink, id: string, result: CommandResult<DomainEvent>): CommandResponse {
  response.setHeader('ETag', `"${result.version}"`);
  response.setHeader('X-Event-Position', String(result.position));
  return { id, version: result.version, position: result.position };
}
