import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiBearerAuth, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { OfficeBoardQuery, UnitBoardQuery, type OfficeBoardRow, type UnitBoard } from '@app/projections';
import type { Principal } from '@app/shared-kernel';
import { CurrentPrincipal, Roles } from '../http/auth/auth.decorators';

const MIN_POSITION = { name: 'minPosition', required: false, schema: { type: 'integer' }, description: 'Wait (up to 5 s) until the read models have this event position.' } as const;

@ApiTags('boards')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No token, or an invalid one.' })
@ApiBadRequestResponse({ description: 'A malformed minPosition or path parameter (problem+json with errors[]).' })
@ApiForbiddenResponse({ description: 'Not your unit’s board (NOT_YOUR_UNIT), or a role that may not read boards.' })
@Controller('boards')
export class BoardsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('units/:unitId')
  @Roles('office', 'office_lead', 'inspector', 'unit', 'unit_lead')
  @ApiOperation({ summary: 'A unit’s board: counts by status and light, what it must do next, its open tasks' })
  @ApiQuery(MIN_POSITION)
  @ApiOkResponse({ description: '`{unitId, counts: {byStatus, overdue, dueSoon, red, yellow}, actionsNeeded, tasks}`; header X-Projection-Position.' })
  @ApiNotFoundResponse({ description: 'No such unit (UNIT_NOT_FOUND).' })
  unit(@Param('unitId') unitId: string, @CurrentPrincipal() principal: Principal): Promise<UnitBoard> {
    return this.queries.execute(new UnitBoardQuery(unitId, principal));
  }

  @Get('office')
  @Roles('office', 'office_lead', 'inspector')
  @ApiOperation({ summary: 'The office’s board: one row per member unit as lead unit' })
  @ApiQuery(MIN_POSITION)
  @ApiOkResponse({ description: '`{items: [{unitId, name, open, overdue, onTimeRate, sentBack, missedReports, escalations}]}`.' })
  office(): Promise<{ items: OfficeBoardRow[] }> {
    return this.queries.execute(new OfficeBoardQuery());
  }
}
