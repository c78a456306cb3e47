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
import { RecordInterviewCommand, ReportRectificationCommand, type InterviewEvent } from '@app/governance';
import { GetInterviewQuery, ListInterviewsQuery, type InterviewView, type Page } from '@app/projections';
import { Clock, uuidv7, type Principal } from '@app/shared-kernel';
import { CurrentPrincipal, Roles, type AuthenticatedRequest } from '../http/auth/auth.decorators';
import { COMMAND_RESPONSE_SCHEMA, commandContext, commandResponse, type CommandResponse } from '../http/command-http';
import type { HeaderSink } from '../http/fields';
import { pageSize } from '../http/paging';
import { ZodBody } from '../http/zod-body';
import { flag, plain } from './governance-filters';
import { INTERVIEW_PAGE_SCHEMA, INTERVIEW_SCHEMA, RECTIFICATION_RESPONSE_SCHEMA } from './governance.schemas';
import { recordInterview, reportRectification } from './interview-bodies';

const READERS = ['office', 'office_lead', 'inspector', 'unit', 'unit_lead'] as const;
const MIN_POSITION = { name: 'minPosition', required: false, schema: { type: 'integer' }, description: 'Wait (up to 5 s) until the read models have this event position.' } as const;

/** 约谈 and 限期整改 (条例 39): the office_lead records an interview; the unit reports its rectification done. */
@ApiTags('governance')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No token, or an invalid one.' })
@ApiBadRequestResponse({ description: 'Malformed or invalid body or query (problem+json with errors[]): VALIDATION_FAILED, INVALID_FILTER, INVALID_LIMIT, INVALID_CURSOR, INVALID_MIN_POSITION.' })
@Controller('interviews')
export class InterviewsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: 'Interviews, newest first; `open=true` those whose rectification is not reported yet; a unit user sees only its own unit’s' })
  @ApiQuery({ name: 'unitId', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'open', required: false, schema: { type: 'boolean' } })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } })
  @ApiQuery({ name: 'cursor', required: false, schema: { type: 'string' } })
  @ApiQuery(MIN_POSITION)
  @ApiOkResponse({ schema: INTERVIEW_PAGE_SCHEMA, description: '`{items, nextCursor}`; times in +08:00; header X-Projection-Position.' })
  @ApiForbiddenResponse({ description: 'Role not allowed (ROLE_FORBIDDEN, ROLE_NOT_ALLOWED), or a unit asking for another unit’s (NOT_YOUR_UNIT).' })
  list(@CurrentPrincipal() principal: Principal, @Query('unitId') unitId?: string, @Query('open') open?: string, @Query('limit') limit?: string, @Query('cursor') cursor?: string): Promise<Page<InterviewView>> {
    const filter = { unitId: plain(unitId), open: flag('open', open), limit: pageSize(limit), cursor: plain(cursor) };
    return this.queries.execute(new ListInterviewsQuery(filter, principal, this.clock.now()));
  }

  @Get(':interviewId')
  @Roles(...READERS)
  @ApiOperation({ summary: 'An interview: persons, reason, findings, rectification deadline, and the rectification once reported' })
  @ApiQuery(MIN_POSITION)
  @ApiOkResponse({ schema: INTERVIEW_SCHEMA, description: 'Times in +08:00; header X-Projection-Position.' })
  @ApiForbiddenResponse({ description: 'Role not allowed (ROLE_FORBIDDEN), or another unit’s interview (NOT_YOUR_UNIT).' })
  @ApiNotFoundResponse({ description: 'No such interview (INTERVIEW_NOT_FOUND).' })
  get(@Param('interviewId') interviewId: string, @CurrentPrincipal() principal: Principal): Promise<InterviewView> {
    return this.queries.execute(new GetInterviewQuery(interviewId, principal, this.clock.now()));
  }

  @Post()
  @Roles('office_lead')
  @ApiOperation({ summary: 'Record an interview (约谈) with a unit’s leaders, on recorded findings (may be none) and a reason, with a rectification deadline (限期整改)' })
  @ApiCreatedResponse({ schema: COMMAND_RESPONSE_SCHEMA, description: 'Recorded; ETag and X-Event-Position headers.' })
  @ApiForbiddenResponse({ description: 'Only the office_lead records interviews (ROLE_FORBIDDEN).' })
  @ApiConflictResponse({ description: 'An interview with this id exists (INTERVIEW_ALREADY_EXISTS).' })
  @ApiUnprocessableEntityResponse({ description: 'UNKNOWN_UNIT, UNKNOWN_FINDING, PERSONS_REQUIRED, RECTIFICATION_DUE_IN_PAST; IDEMPOTENCY_KEY_REUSED.' })
  async record(@ZodBody(recordInterview) body: z.infer<typeof recordInterview>, @CurrentPrincipal() principal: Principal, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: HeaderSink): Promise<CommandResponse> {
    const interviewId = body.id ?? uuidv7(this.clock.now().getTime());
    const input = { interviewId, unitId: body.unitId, personIds: body.personIds, reason: body.reason, findingIds: body.findings, rectificationDueAt: body.rectificationDueAt };
    const result = await this.commands.execute(new RecordInterviewCommand(input, commandContext(request, principal)));
    return commandResponse(response, interviewId, result);
  }

  @Post(':interviewId/rectification')
  @HttpCode(200)
  @Roles('unit_lead')
  @ApiOperation({ summary: 'Report the rectification done (unit_lead of the interviewed unit; once). After the deadline it is accepted and recorded as late' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The version (ETag) last seen; 412 if it has moved on.' })
  @ApiOkResponse({ schema: RECTIFICATION_RESPONSE_SCHEMA, description: 'Recorded; ETag and X-Event-Position headers.' })
  @ApiForbiddenResponse({ description: 'Only a unit_lead reports (ROLE_FORBIDDEN), for the interviewed unit (NOT_YOUR_UNIT).' })
  @ApiNotFoundResponse({ description: 'No such interview (INTERVIEW_NOT_FOUND).' })
  @ApiConflictResponse({ description: 'Already reported (RECTIFICATION_ALREADY_REPORTED), or it keeps changing (CONCURRENT_CHANGE).' })
  @ApiPreconditionFailedResponse({ description: 'If-Match is not the current version (VERSION_MISMATCH).' })
  @ApiUnprocessableEntityResponse({ description: 'IDEMPOTENCY_KEY_REUSED.' })
  async rectify(
    @Param('interviewId') interviewId: string,
    @ZodBody(reportRectification) body: z.infer<typeof reportRectification>,
    @CurrentPrincipal() principal: Principal,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: HeaderSink,
  ): Promise<CommandResponse & { late: boolean }> {
    const result = await this.commands.execute<ReportRectificationCommand, CommandResult<InterviewEvent>>(new ReportRectificationCommand({ interviewId, note: body.note }, commandContext(request, principal)));
    const reported = result.events.find((e) => e.type === 'governance.rectification-reported.v1');
    return { ...commandResponse(response, interviewId, result), late: reported?.data.late ?? false };
  }
}
