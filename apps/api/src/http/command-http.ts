import type { CommandContext, CommandResult } from '@app/event-store';
import { DomainError, uuidv7, type DomainEvent, type Principal } from '@app/shared-kernel';
import type { AuthenticatedRequest } from './auth/auth.decorators';

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

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

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

/** Who acts and how the request ties in; ids a client sends are kept when they are plain. */
export function commandContext(request: AuthenticatedRequest, principal: Principal): CommandContext {
  const given = (name: string): string | undefined => {
    const value = header(request, name);
    return value !== undefined && SAFE_ID.test(value) ? value : undefined;
  };
  const requestId = given('x-request-id') ?? uuidv7();
  return {
    actor: { personId: principal.personId, name: principal.name, unitId: principal.unitId, roles: principal.roles },
    correlationId: given('x-correlation-id') ?? requestId,
    causationId: null,
    requestId,
    ifMatch: parseIfMatch(header(request, 'if-match')),
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
