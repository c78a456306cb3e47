import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AccessLog, type AccessEntry } from '@app/audit';
import { DomainError, toBeijingIso, type Principal } from '@app/shared-kernel';
import { CurrentPrincipal, Roles } from '../http/auth/auth.decorators';
import { pageSize } from '../http/paging';
import { recordAccess } from './ledger-access';
import { ACCESS_LOG_SCHEMA } from './ledger-audit.schemas';

/** Who read which audit data when (DESIGN.md §6); reading it is itself recorded. */
@ApiTags('audit')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No token, or an invalid one.' })
@ApiForbiddenResponse({ description: 'Inspectors and admins only (ROLE_FORBIDDEN).' })
@Controller('audit/access-log')
export class AccessLogController {
  constructor(private readonly accessLog: AccessLog) {}

  @Get()
  @Roles('inspector', 'admin')
  @ApiOperation({ summary: 'Reads of audit data, oldest first: who, when (+08:00), which resource with which parameters' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 200 } })
  @ApiQuery({ name: 'cursor', required: false, schema: { type: 'string' }, description: 'nextCursor of the previous page.' })
  @ApiQuery({ name: 'personId', required: false, schema: { type: 'string' }, description: 'Only this reader’s reads.' })
  @ApiOkResponse({ description: 'A page of access entries.', schema: ACCESS_LOG_SCHEMA })
  @ApiBadRequestResponse({ description: 'A bad limit, cursor or personId (INVALID_LIMIT, INVALID_CURSOR, INVALID_PARAMETER).' })
  async list(@Query('limit') limit: string | undefined, @Query('cursor') cursor: string | undefined, @Query('personId') personId: string | undefined, @CurrentPrincipal() principal: Principal): Promise<{ items: AccessEntry[]; nextCursor: string | null }> {
    const size = pageSize(limit);
    if (cursor !== undefined && !/^\d{1,15}$/.test(cursor)) throw new DomainError('invalid', 'INVALID_CURSOR', 'cursor must be a nextCursor this endpoint gave.', [{ field: 'cursor', message: 'not a cursor of this list' }]);
    if (personId !== undefined && (personId.length === 0 || personId.length > 64)) throw new DomainError('invalid', 'INVALID_PARAMETER', 'personId must be 1 to 64 characters.', [{ field: 'personId', message: '1 to 64 characters' }]);
    const page = await this.accessLog.list({ limit: size, ...(cursor === undefined ? {} : { afterPosition: Number(cursor) }), ...(personId === undefined ? {} : { personId }) });
    await recordAccess(this.accessLog, principal, 'audit.access-log', { limit: size, cursor, personId });
    return { items: page.items.map((e) => ({ ...e, at: toBeijingIso(e.at) })), nextCursor: page.nextCursor === null ? null : String(page.nextCursor) };
  }
}
