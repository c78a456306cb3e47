import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPreconditionFailedResponse,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { z } from 'zod';
import type { CommandResult } from '@app/event-store';
import { FileDailyReportCommand, OpenReportingWindowCommand, type ReportingWindowEvent } from '@app/governance';
import { GetReportingWindowQuery, ListReportingWindowsQuery, ReportingComplianceQuery, type ComplianceView, type Page, type ReportingWindowView } from '@app/projections';
import { Clock, uuidv7, type Principal } from '@app/shared-kernel';
import { CurrentPrincipal, Roles, type AuthenticatedRequest } from '../http/auth/auth.decorators';
import { COMMAND_RESPONSE_SCHEMA, commandContext, commandResponse, type CommandResponse } from '../http/command-http';
import type { HeaderSink } from '../http/fields';
import { pageSize } from '../http/paging';
import { ZodBody } from '../http/zod-body';
import { fileDailyReport, openReportingWindow } from './reporting-windows-bodies';
import { COMPLIANCE_SCHEMA, DAILY_REPORT_RESPONSE_SCHEMA, REPORTING_WINDOW_PAGE_SCHEMA, REPORTING_WINDOW_SCHEMA } from './reporting-windows.schemas';

const MIN_POSITION = { name: 'minPosition', required: false, schema: { type: 'integer' }, description: 'Wait (up to 5 s) until the read model has this event position.' } as const;
const READERS = ['office', 'office_lead', 'inspector', 'unit', 'unit_lead'] as const;
const NOT_VISIBLE = 'No such reporting window, or (a unit user) one that does not list your unit (WINDOW_NOT_FOUND).';

/**
 * 敏感时期零报告 (DOMAIN.md §7): the office opens a window; each listed unit files one report per
 * day, nil or with items, by the daily cut-off (Beijing time); the scheduler records the misses.
 */
@ApiTags('governance')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No token, or an invalid one.' })
@ApiBadRequestResponse({ description: 'Malformed or invalid body or query (problem+json with errors[]): VALIDATION_FAILED, INVALID_LIMIT, INVALID_CURSOR, INVALID_MIN_POSITION.' })
@Controller('reporting-windows')
export class ReportingWindowsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: 'Reporting windows in the order opened; a unit user sees only the windows that list its unit, with only its unit in unitIds' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } })
  @ApiQuery({ name: 'cursor', required: false, schema: { type: 'string' } })
  @ApiQuery(MIN_POSITION)
  @ApiOkResponse({ description: '`{items, nextCursor}`; times in +08:00; header X-Projection-Position.', schema: REPORTING_WINDOW_PAGE_SCHEMA })
  @ApiForbiddenResponse({ description: 'Only the office, inspectors and unit users read reporting windows (ROLE_FORBIDDEN, ROLE_NOT_ALLOWED).' })
  list(@CurrentPrincipal() principal: Principal, @Query('limit') limit?: string, @Query('cursor') cursor?: string): Promise<Page<ReportingWindowView>> {
    return this.queries.execute(new ListReportingWindowsQuery({ limit: pageSize(limit), cursor: cursor === undefined || cursor === '' ? null : cursor }, principal));
  }

  @Get(':windowId')
  @Roles(...READERS)
  @ApiOperation({ summary: 'A reporting window: its days, daily cut-off and listed units' })
  @ApiQuery(MIN_POSITION)
  @ApiOkResponse({ description: 'The window; times in +08:00; header X-Projection-Position.', schema: REPORTING_WINDOW_SCHEMA })
  @ApiForbiddenResponse({ description: 'Only the office, inspectors and unit users read reporting windows (ROLE_FORBIDDEN, ROLE_NOT_ALLOWED).' })
  @ApiNotFoundResponse({ description: NOT_VISIBLE })
  get(@Param('windowId') windowId: string, @CurrentPrincipal() principal: Principal): Promise<ReportingWindowView> {
    return this.queries.execute(new GetReportingWindowQuery(windowId, principal));
  }

  @Get(':windowId/compliance')
  @Roles(...READERS)
  @ApiOperation({
    summary: 'Per listed unit and per day of the window: filed (before the cut-off), late (at or after it), missed (cut-off passed, no report) or pending (cut-off still ahead: today before it, and the days to come); a unit user sees only its own unit',
  })
  @ApiQuery(MIN_POSITION)
  @ApiOkResponse({ description: 'Every day of the window for each unit, with counts per status, as of `asOf`; times in +08:00; header X-Projection-Position.', schema: COMPLIANCE_SCHEMA })
  @ApiForbiddenResponse({ description: 'Only the office, inspectors and unit users read compliance (ROLE_FORBIDDEN, ROLE_NOT_ALLOWED).' })
  @ApiNotFoundResponse({ description: NOT_VISIBLE })
  compliance(@Param('windowId') windowId: string, @CurrentPrincipal() principal: Principal): Promise<ComplianceView> {
    return this.queries.execute(new ReportingComplianceQuery(windowId, principal, this.clock.now()));
  }

  @Post()
  @Roles('office')
  @ApiOperation({ summary: 'Open a reporting window (敏感时期零报告): Beijing calendar days from–to (at most 92), a daily cut-off HH:mm Beijing time (default 17:00), and the registered units that must report' })
  @ApiCreatedResponse({ schema: COMMAND_RESPONSE_SCHEMA, description: 'Opened; ETag and X-Event-Position headers.' })
  @ApiForbiddenResponse({ description: 'Only the office opens reporting windows (ROLE_FORBIDDEN).' })
  @ApiConflictResponse({ description: 'A window with this id exists (WINDOW_ALREADY_EXISTS).' })
  @ApiUnprocessableEntityResponse({ description: 'UNKNOWN_UNIT, UNITS_REQUIRED, DUPLICATE_UNIT, WINDOW_ENDS_BEFORE_START, WINDOW_TOO_LONG, WINDOW_STARTS_IN_PAST (the first day’s cut-off has passed).' })
  async open(@ZodBody(openReportingWindow) body: z.infer<typeof openReportingWindow>, @CurrentPrincipal() principal: Principal, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: HeaderSink): Promise<CommandResponse> {
    const windowId = body.id ?? uuidv7(this.clock.now().getTime());
    const input = { windowId, name: body.name, from: body.from, to: body.to, cutoff: body.cutoff ?? '17:00', unitIds: body.unitIds };
    const result = await this.commands.execute(new OpenReportingWindowCommand(input, commandContext(request, principal)));
    return commandResponse(response, windowId, result);
  }

  @Post(':windowId/daily-reports')
  @HttpCode(200)
  @Roles('unit', 'unit_lead')
  @ApiOperation({ summary: 'File your unit’s one report for a day of the window: nil (零报告) or with items; after the day’s cut-off it is accepted as late (and the miss is on record)' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The version (ETag) of the window last seen; 412 if it has moved on.' })
  @ApiOkResponse({ schema: DAILY_REPORT_RESPONSE_SCHEMA, description: 'Recorded for the caller’s unit; `late` when at or after the cut-off. ETag and X-Event-Position headers.' })
  @ApiForbiddenResponse({ description: 'Only unit users file (ROLE_FORBIDDEN), for their own unit (UNIT_REQUIRED: the token names none), listed in the window (UNIT_NOT_LISTED).' })
  @ApiNotFoundResponse({ description: 'No such reporting window (WINDOW_NOT_FOUND).' })
  @ApiConflictResponse({ description: 'Your unit already filed for that day (DAILY_REPORT_ALREADY_FILED), or the window keeps changing (CONCURRENT_CHANGE).' })
  @ApiPreconditionFailedResponse({ description: 'If-Match is not the current version (VERSION_MISMATCH).' })
  @ApiUnprocessableEntityResponse({ description: 'DATE_OUTSIDE_WINDOW, DATE_IN_FUTURE (the day has not begun in Beijing), NIL_REPORT_WITH_ITEMS, ITEMS_REQUIRED, OCCURRED_IN_FUTURE.' })
  async file(
    @Param('windowId') windowId: string,
    @ZodBody(fileDailyReport) body: z.infer<typeof fileDailyReport>,
    @CurrentPrincipal() principal: Principal,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: HeaderSink,
  ): Promise<CommandResponse & { unitId: string; date: string; late: boolean }> {
    const items = (body.items ?? []).map((i) => ({ summary: i.summary, occurredAt: i.occurredAt ?? null }));
    const input = { windowId, date: body.date, nil: body.nil, items };
    const result = await this.commands.execute<FileDailyReportCommand, CommandResult<ReportingWindowEvent>>(new FileDailyReportCommand(input, commandContext(request, principal)));
    const filed = result.events.find((e) => e.type === 'governance.daily-report-filed.v1');
    return { ...commandResponse(response, windowId, result), unitId: principal.unitId ?? '', date: body.date, late: filed?.data.late ?? false };
  }
}
