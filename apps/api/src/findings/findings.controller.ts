import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { FINDING_RULES, type FindingRule } from '@app/findings';
import { ListFindingsQuery, type FindingView, type Page } from '@app/projections';
import { DomainError } from '@app/shared-kernel';
import { Roles } from '../http/auth/auth.decorators';
import { pageSize } from '../http/paging';
import { FINDINGS_PAGE_SCHEMA } from './finding.schema';

function oneOf<T extends string>(name: string, allowed: readonly T[], raw: string | undefined): T | null {
  if (raw === undefined || raw === '') return null;
  if (!(allowed as readonly string[]).includes(raw)) throw new DomainError('invalid', 'INVALID_FILTER', `${name} must be one of ${allowed.join(', ')}.`, [{ field: name, message: 'unknown value' }]);
  return raw as T;
}

const plain = (raw: string | undefined): string | null => (raw === undefined || raw === '' ? null : raw);

/** Findings are evidence about units and people, so units do not read them (DOMAIN.md §5, API.md). */
@ApiTags('findings')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No token, or an invalid one.' })
@ApiForbiddenResponse({ description: 'Only inspectors and the office read findings (ROLE_NOT_ALLOWED).' })
@ApiBadRequestResponse({ description: 'A bad filter (INVALID_FILTER: unknown rule, open not true/false), limit (INVALID_LIMIT), cursor (INVALID_CURSOR) or minPosition (problem+json with errors[]).' })
@Controller('findings')
export class FindingsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Roles('inspector', 'office', 'office_lead')
  @ApiOperation({ summary: 'Findings the system detected (DOMAIN.md §5), newest first: the rule, the unit and people in charge at the time, and the evidence events' })
  @ApiQuery({ name: 'unitId', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'rule', required: false, schema: { type: 'string', enum: [...FINDING_RULES] } })
  @ApiQuery({ name: 'taskId', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'open', required: false, schema: { type: 'boolean' }, description: 'true: only findings not yet taken into an accountability case; false: only those taken up.' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } })
  @ApiQuery({ name: 'cursor', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'minPosition', required: false, schema: { type: 'integer' }, description: 'Wait (up to 5 s) until the read models have this event position.' })
  @ApiOkResponse({ schema: FINDINGS_PAGE_SCHEMA, description: '`{items, nextCursor}`; times in +08:00; header X-Projection-Position.' })
  list(
    @Query('unitId') unitId?: string,
    @Query('rule') rule?: string,
    @Query('taskId') taskId?: string,
    @Query('open') open?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<Page<FindingView>> {
    const openFilter = oneOf('open', ['true', 'false'], open);
    const filter = {
      unitId: plain(unitId),
      rule: oneOf<FindingRule>('rule', FINDING_RULES, rule),
      taskId: plain(taskId),
      open: openFilter === null ? null : openFilter === 'true',
      limit: pageSize(limit),
      cursor: plain(cursor),
    };
    return this.queries.execute(new ListFindingsQuery(filter));
  }
}
