import { Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags, ApiUnauthorizedResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { z } from 'zod';
import type { CommandResult } from '@app/event-store';
import { controlTargetId, SetControlTargetCommand, type ControlTargetEvent } from '@app/governance';
import { ListControlTargetsQuery, type ControlTargetView, type Page } from '@app/projections';
import type { Principal } from '@app/shared-kernel';
import { CurrentPrincipal, Roles, type AuthenticatedRequest } from '../http/auth/auth.decorators';
import { commandContext, commandResponse, type CommandResponse } from '../http/command-http';
import type { HeaderSink } from '../http/fields';
import { pageSize } from '../http/paging';
import { ZodBody } from '../http/zod-body';
import { plain, yearFilter } from './governance-filters';
import { CONTROL_TARGET_PAGE_SCHEMA, TARGET_COMMAND_RESPONSE_SCHEMA, warningsRaised } from './governance.schemas';
import { setControlTarget } from './incident-bodies';

/** 控制指标 (DOMAIN.md §7): yearly limits per unit and incident kind, their use and the warnings crossed. Indicators, never sanctions. */
@ApiTags('governance')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No token, or an invalid one.' })
@ApiBadRequestResponse({ description: 'Malformed or invalid body or query (problem+json with errors[]): VALIDATION_FAILED, INVALID_FILTER, INVALID_LIMIT, INVALID_CURSOR, INVALID_MIN_POSITION.' })
@Controller('control-targets')
export class ControlTargetsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @Roles('office', 'office_lead', 'inspector', 'unit', 'unit_lead')
  @ApiOperation({ summary: 'Control targets set, by unit, metric and year: limit, used (persons), ratio and the warning thresholds crossed; a unit user sees only its own unit’s' })
  @ApiQuery({ name: 'year', required: false, schema: { type: 'integer', minimum: 2000, maximum: 2100 } })
  @ApiQuery({ name: 'unitId', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } })
  @ApiQuery({ name: 'cursor', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'minPosition', required: false, schema: { type: 'integer' }, description: 'Wait (up to 5 s) until the read models have this event position.' })
  @ApiOkResponse({ schema: CONTROL_TARGET_PAGE_SCHEMA, description: '`{items, nextCursor}`; times in +08:00; header X-Projection-Position.' })
  @ApiForbiddenResponse({ description: 'Role not allowed (ROLE_FORBIDDEN, ROLE_NOT_ALLOWED), or a unit asking for another unit’s targets (NOT_YOUR_UNIT).' })
  list(@CurrentPrincipal() principal: Principal, @Query('year') year?: string, @Query('unitId') unitId?: string, @Query('limit') limit?: string, @Query('cursor') cursor?: string): Promise<Page<ControlTargetView>> {
    return this.queries.execute(new ListControlTargetsQuery({ year: yearFilter(year), unitId: plain(unitId), limit: pageSize(limit), cursor: plain(cursor) }, principal));
  }

  @Post()
  @Roles('office', 'office_lead')
  @ApiOperation({
    summary:
      'Set a unit’s yearly limit (persons, 人次) for an incident kind, or change it (each setting is kept). The same limit again records nothing; a limit at or below what is used raises the warnings it crosses at once',
  })
  @ApiCreatedResponse({ schema: TARGET_COMMAND_RESPONSE_SCHEMA, description: 'Recorded (or unchanged); `id` is `<unitId>-<metric>-<year>`. ETag and X-Event-Position headers.' })
  @ApiForbiddenResponse({ description: 'Only the office sets targets (ROLE_FORBIDDEN).' })
  @ApiConflictResponse({ description: 'The target keeps changing (CONCURRENT_CHANGE).' })
  @ApiUnprocessableEntityResponse({ description: 'UNKNOWN_UNIT; IDEMPOTENCY_KEY_REUSED.' })
  async set(@ZodBody(setControlTarget) body: z.infer<typeof setControlTarget>, @CurrentPrincipal() principal: Principal, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: HeaderSink): Promise<CommandResponse & { warningsRaised: number[] }> {
    const result = await this.commands.execute<SetControlTargetCommand, CommandResult<ControlTargetEvent>>(new SetControlTargetCommand(body, commandContext(request, principal)));
    return { ...commandResponse(response, controlTargetId(body.unitId, body.metric, body.year), result), warningsRaised: warningsRaised(result) };
  }
}
