import { Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags, ApiUnauthorizedResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { z } from 'zod';
import type { CommandResult } from '@app/event-store';
import { INCIDENT_KINDS, RecordIncidentCommand, type ControlTargetEvent } from '@app/governance';
import { ListIncidentsQuery, type IncidentView, type Page } from '@app/projections';
import { Clock, uuidv7, type Principal } from '@app/shared-kernel';
import { CurrentPrincipal, Roles, type AuthenticatedRequest } from '../http/auth/auth.decorators';
import { commandContext, commandResponse, type CommandResponse } from '../http/command-http';
import type { HeaderSink } from '../http/fields';
import { pageSize } from '../http/paging';
import { ZodBody } from '../http/zod-body';
import { oneOf, plain, yearFilter } from './governance-filters';
import { INCIDENT_PAGE_SCHEMA, TARGET_COMMAND_RESPONSE_SCHEMA, warningsRaised } from './governance.schemas';
import { recordIncident } from './incident-bodies';

/** 越级访, 集体访, 进京/赴省访 (DOMAIN.md §7): recorded by the office per unit, counted against its control targets. */
@ApiTags('governance')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No token, or an invalid one.' })
@ApiBadRequestResponse({ description: 'Malformed or invalid body or query (problem+json with errors[]): VALIDATION_FAILED, INVALID_FILTER, INVALID_LIMIT, INVALID_CURSOR, INVALID_MIN_POSITION.' })
@Controller('incidents')
export class IncidentsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Roles('office', 'office_lead', 'inspector', 'unit', 'unit_lead')
  @ApiOperation({ summary: 'Incidents, latest occurrence first; a unit user sees only its own unit’s' })
  @ApiQuery({ name: 'unitId', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'year', required: false, schema: { type: 'integer', minimum: 2000, maximum: 2100 }, description: 'Beijing calendar year of occurrence.' })
  @ApiQuery({ name: 'kind', required: false, schema: { type: 'string', enum: [...INCIDENT_KINDS] } })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } })
  @ApiQuery({ name: 'cursor', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'minPosition', required: false, schema: { type: 'integer' }, description: 'Wait (up to 5 s) until the read models have this event position.' })
  @ApiOkResponse({ schema: INCIDENT_PAGE_SCHEMA, description: '`{items, nextCursor}`; times in +08:00; header X-Projection-Position.' })
  @ApiForbiddenResponse({ description: 'Role not allowed (ROLE_FORBIDDEN, ROLE_NOT_ALLOWED), or a unit asking for another unit’s incidents (NOT_YOUR_UNIT).' })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query('unitId') unitId?: string,
    @Query('year') year?: string,
    @Query('kind') kind?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<Page<IncidentView>> {
    const filter = { unitId: plain(unitId), year: yearFilter(year), kind: oneOf('kind', INCIDENT_KINDS, kind), limit: pageSize(limit), cursor: plain(cursor) };
    return this.queries.execute(new ListIncidentsQuery(filter, principal));
  }

  @Post()
  @Roles('office', 'office_lead')
  @ApiOperation({
    summary:
      'Record an incident of a unit: kind, persons (人次), when it occurred and when it was reported (default now; occurredAt ≤ reportedAt ≤ now). It counts against the unit’s control target for its kind in the Beijing year it occurred, and a threshold it crosses is recorded as a warning (never a sanction)',
  })
  @ApiCreatedResponse({ schema: TARGET_COMMAND_RESPONSE_SCHEMA, description: 'Recorded; `version` is the target stream’s. ETag and X-Event-Position headers.' })
  @ApiForbiddenResponse({ description: 'Only the office records incidents (ROLE_FORBIDDEN).' })
  @ApiConflictResponse({ description: 'An incident with this id is on record (INCIDENT_ALREADY_RECORDED), or the target keeps changing (CONCURRENT_CHANGE).' })
  @ApiUnprocessableEntityResponse({ description: 'UNKNOWN_UNIT, OCCURRED_IN_FUTURE, REPORTED_BEFORE_OCCURRED, REPORTED_IN_FUTURE; IDEMPOTENCY_KEY_REUSED.' })
  async record(@ZodBody(recordIncident) body: z.infer<typeof recordIncident>, @CurrentPrincipal() principal: Principal, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: HeaderSink): Promise<CommandResponse & { warningsRaised: number[] }> {
    const incidentId = body.id ?? uuidv7(this.clock.now().getTime());
    const input = { incidentId, unitId: body.unitId, kind: body.kind, persons: body.persons, occurredAt: body.occurredAt, reportedAt: body.reportedAt ?? null, summary: body.summary };
    const result = await this.commands.execute<RecordIncidentCommand, CommandResult<ControlTargetEvent>>(new RecordIncidentCommand(input, commandContext(request, principal)));
    return { ...commandResponse(response, incidentId, result), warningsRaised: warningsRaised(result) };
  }
}
